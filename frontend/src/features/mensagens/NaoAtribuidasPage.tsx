import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { CarregarMais } from "../../components/CarregarMais";
import { Carregando, ErroBox, Vazio } from "../../components/Feedback";
import { Apagada, Citacao, Editada, TextoOriginal } from "../../components/PartesMensagem";
import { type FiltroNaoAtribuidas, useNaoAtribuidas } from "../../lib/api/conversas";
import { itensDe } from "../../lib/api/listaInfinita";
import { useTerceirizado } from "../../lib/api/terceirizados";
import { formatarDataHora, formatarTelefone } from "../../lib/format";
import { semFormatacao } from "../../lib/whatsapp";
import { urlComToken } from "../../lib/http";
import { useLiveUpdates } from "../../lib/live/useLiveUpdates";
import type { Conversa, Mensagem, TipoConteudo } from "../../lib/types";
import { AtribuirDialog } from "./AtribuirDialog";
import "./mensagens.css";

const TIPO_CONTEUDO: Record<Exclude<TipoConteudo, "text">, string> = {
  image: "📷 Imagem",
  audio: "🎤 Áudio",
  video: "🎬 Vídeo",
  document: "📄 Documento",
  interactive: "Resposta a botão ou lista",
};

/** The URL's filter: only one contractor's messages (`?terceirizado=3`). */
const PARAMETRO_TERCEIRIZADO = "terceirizado";

/** A contractor's name, read once per contractor however many messages name them. */
function useNome(terceirizadoId: number | null): string | undefined {
  return useTerceirizado(terceirizadoId ?? 0, terceirizadoId !== null).data?.nome;
}

function Texto({ mensagem }: { mensagem: Mensagem }) {
  const [verOriginal, setVerOriginal] = useState(false);
  const texto = mensagem.texto ?? mensagem.caption;
  const editada = mensagem.editada_em !== null;
  if (!texto) return null;
  return (
    <>
      <p className="pre">
        {semFormatacao(texto)}
        {editada ? (
          <>
            {" "}
            <Editada
              original={mensagem.texto_original}
              aberta={verOriginal}
              onAlternar={() => setVerOriginal((v) => !v)}
            />
          </>
        ) : null}
      </p>
      {editada && verOriginal && mensagem.texto_original !== null ? (
        <TextoOriginal texto={mensagem.texto_original} />
      ) : null}
    </>
  );
}

function Conteudo({ mensagem }: { mensagem: Mensagem }) {
  const texto = mensagem.texto ?? mensagem.caption;
  const tipo = mensagem.tipo_conteudo !== "text" ? TIPO_CONTEUDO[mensagem.tipo_conteudo] : null;
  return (
    <>
      {tipo ? (
        <p className="texto-suave">
          {tipo}
          {mensagem.url_midia ? (
            <>
              {" · "}
              <a href={urlComToken(mensagem.url_midia)} target="_blank" rel="noreferrer">
                Abrir arquivo
              </a>
            </>
          ) : null}
        </p>
      ) : null}
      <Texto mensagem={mensagem} />
      {mensagem.transcricao ? (
        <p className="nao-atribuida-transcricao">Transcrição: {mensagem.transcricao}</p>
      ) : null}
      {!texto && !tipo ? <p className="texto-suave">Mensagem sem texto.</p> : null}
    </>
  );
}

/** One message: who sent it, what it quotes, what it says (or that it was deleted). */
function ItemMensagem({ mensagem: m, onAtribuir }: { mensagem: Mensagem; onAtribuir: () => void }) {
  const navigate = useNavigate();
  const nome = useNome(m.terceirizado_id);
  const [verApagada, setVerApagada] = useState(false);
  const citada = m.citada;
  const apagada = m.apagada_em !== null;
  return (
    <li className="nao-atribuida cartao" data-mensagem-id={m.id}>
      <div className="nao-atribuida-topo">
        <span className="nao-atribuida-remetente">
          {m.terceirizado_id !== null ? (
            <span className="badge badge-classificar">A classificar · {nome ?? "…"}</span>
          ) : (
            <span className="badge badge-sem-chamado">Sem chamado</span>
          )}
          <strong>{formatarTelefone(m.destinatario)}</strong>
        </span>
        <span className="texto-suave">{formatarDataHora(m.criado_em)}</span>
      </div>
      <div className="nao-atribuida-conteudo">
        {citada ? (
          <Citacao
            citada={citada}
            nomeTerceirizado={nome}
            onAbrir={
              citada.chamado_id !== null
                ? () => void navigate(`/central/${citada.chamado_id}?mensagem=${citada.id}`)
                : undefined
            }
          />
        ) : null}
        {apagada ? (
          <>
            <Apagada aberta={verApagada} onAlternar={() => setVerApagada((v) => !v)} />
            {verApagada ? <Conteudo mensagem={m} /> : null}
          </>
        ) : (
          <Conteudo mensagem={m} />
        )}
      </div>
      <div className="nao-atribuida-acoes">
        <button type="button" className="btn btn-secundario btn-pequeno" onClick={onAtribuir}>
          Atribuir a um chamado
        </button>
      </div>
    </li>
  );
}

/** "Só as mensagens de Carlos Pereira · Ver todas". */
function AvisoFiltro({ terceirizadoId }: { terceirizadoId: number }) {
  const nome = useNome(terceirizadoId);
  return (
    <p className="nao-atribuidas-filtro">
      Só as mensagens de{" "}
      <Link to={`/terceirizados/${terceirizadoId}/conversas`}>{nome ?? "…"}</Link> ·{" "}
      <Link to="/nao-atribuidas">Ver todas</Link>
    </p>
  );
}

/**
 * Inbound messages with no chamado: from unknown numbers ("sem chamado"), or from a
 * known contractor with several open chamados who did not say which one ("a
 * classificar"; the gateway already asked them). Nothing received is dropped: the
 * operator assigns each one.
 */
export function NaoAtribuidasPage() {
  const aoVivo = useLiveUpdates();
  const [params] = useSearchParams();
  const terceirizadoId = Number(params.get(PARAMETRO_TERCEIRIZADO)) || null;
  const filtro: FiltroNaoAtribuidas = terceirizadoId ? { terceirizado_id: terceirizadoId } : {};
  // New ones arrive as events; without the stream, poll like the conversation list.
  const mensagens = useNaoAtribuidas(aoVivo.intervalo("conversas"), filtro);
  const [atribuindo, setAtribuindo] = useState<Mensagem | null>(null);
  const [feita, setFeita] = useState<Conversa | null>(null);
  const itens = itensDe(mensagens.data);

  return (
    <div className="pagina pagina-media">
      <div className="pagina-topo">
        <div>
          <h1>Mensagens sem chamado</h1>
          <p className="texto-suave">
            Recebidas de números desconhecidos, ou de terceirizados com mais de um chamado aberto
            que não disseram de qual se trata (a classificar: já perguntamos a eles “Sobre qual
            chamado é sua mensagem?”). Nada é descartado: atribua cada uma ao chamado certo e ela
            entra na conversa dele.
          </p>
        </div>
      </div>
      {terceirizadoId ? <AvisoFiltro terceirizadoId={terceirizadoId} /> : null}
      <div role="status" aria-live="polite">
        {feita ? (
          <p className="aviso aviso-sucesso">
            Mensagem atribuída ao chamado {feita.numero_chamado}.{" "}
            <Link to={`/central/${feita.id}`}>Abrir a conversa</Link>
          </p>
        ) : null}
      </div>
      {mensagens.isPending ? <Carregando texto="Carregando mensagens…" /> : null}
      {mensagens.isError && !mensagens.data ? (
        <ErroBox erro={mensagens.error} tentarDeNovo={() => mensagens.refetch()} />
      ) : null}
      {mensagens.data && itens.length === 0 ? (
        <Vazio>
          {terceirizadoId
            ? "Nenhuma mensagem deste terceirizado espera um chamado."
            : "Nenhuma mensagem sem chamado. Tudo o que chegou está nas conversas."}
        </Vazio>
      ) : null}
      {itens.length > 0 ? (
        <ul className="nao-atribuidas" aria-label="Mensagens sem chamado">
          {itens.map((m) => (
            <ItemMensagem
              key={m.id}
              mensagem={m}
              onAtribuir={() => {
                setFeita(null);
                setAtribuindo(m);
              }}
            />
          ))}
        </ul>
      ) : null}
      <CarregarMais lista={mensagens} pequeno />
      {atribuindo ? (
        <AtribuirDialog
          key={atribuindo.id}
          mensagem={atribuindo}
          onFechar={() => setAtribuindo(null)}
          onAtribuida={(conversa) => {
            setAtribuindo(null);
            setFeita(conversa);
          }}
        />
      ) : null}
    </div>
  );
}
