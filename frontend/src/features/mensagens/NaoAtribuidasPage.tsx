import { useState } from "react";
import { Link } from "react-router";
import { CarregarMais } from "../../components/CarregarMais";
import { Carregando, ErroBox, Vazio } from "../../components/Feedback";
import { useNaoAtribuidas } from "../../lib/api/conversas";
import { itensDe } from "../../lib/api/listaInfinita";
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

function Conteudo({ mensagem }: { mensagem: Mensagem }) {
  const texto = mensagem.texto ?? mensagem.caption;
  const tipo = mensagem.tipo_conteudo !== "text" ? TIPO_CONTEUDO[mensagem.tipo_conteudo] : null;
  return (
    <div className="nao-atribuida-conteudo">
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
      {texto ? <p className="pre">{semFormatacao(texto)}</p> : null}
      {mensagem.transcricao ? (
        <p className="nao-atribuida-transcricao">Transcrição: {mensagem.transcricao}</p>
      ) : null}
      {!texto && !tipo ? <p className="texto-suave">Mensagem sem texto.</p> : null}
    </div>
  );
}

/**
 * Inbound messages that matched no open chamado (an unknown number, or a contractor
 * with nothing open): nothing received is dropped, the operator assigns each one.
 */
export function NaoAtribuidasPage() {
  const aoVivo = useLiveUpdates();
  // New ones arrive as events; without the stream, poll like the conversation list.
  const mensagens = useNaoAtribuidas(aoVivo.intervalo("conversas"));
  const [atribuindo, setAtribuindo] = useState<Mensagem | null>(null);
  const [feita, setFeita] = useState<Conversa | null>(null);
  const itens = itensDe(mensagens.data);

  return (
    <div className="pagina pagina-media">
      <div className="pagina-topo">
        <div>
          <h1>Mensagens sem chamado</h1>
          <p className="texto-suave">
            Recebidas de números desconhecidos ou de terceirizados sem chamado aberto. Nada é
            descartado: atribua cada uma ao chamado certo e ela entra na conversa dele.
          </p>
        </div>
      </div>
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
        <Vazio>Nenhuma mensagem sem chamado. Tudo o que chegou está nas conversas.</Vazio>
      ) : null}
      {itens.length > 0 ? (
        <ul className="nao-atribuidas" aria-label="Mensagens sem chamado">
          {itens.map((m) => (
            <li key={m.id} className="nao-atribuida cartao" data-mensagem-id={m.id}>
              <div className="nao-atribuida-topo">
                <strong>{formatarTelefone(m.destinatario)}</strong>
                <span className="texto-suave">{formatarDataHora(m.criado_em)}</span>
              </div>
              <Conteudo mensagem={m} />
              <div className="nao-atribuida-acoes">
                <button
                  type="button"
                  className="btn btn-secundario btn-pequeno"
                  onClick={() => {
                    setFeita(null);
                    setAtribuindo(m);
                  }}
                >
                  Atribuir a um chamado
                </button>
              </div>
            </li>
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
