import { useId, useRef, useState } from "react";
import { useParams } from "react-router";
import { StatusBadge } from "../../components/Badges";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Carregando, ErroBox } from "../../components/Feedback";
import { formatarDataHora } from "../../lib/format";
import { ApiError, mensagemDeErro } from "../../lib/http";
import {
  type ArquivoPrestador,
  type VisaoPrestador,
  enviarArquivo,
  useConcluir,
  useIncluirArquivo,
  useVisaoPrestador,
} from "./api";
import "./prestador.css";

const MB = 1024 * 1024;
// The largest file the server takes (documents); photos stop at 5 MB there.
const MAXIMO = 100 * MB;
const ACEITOS =
  "image/jpeg,image/png,application/pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.txt," +
  "application/msword,application/vnd.openxmlformats-officedocument.wordprocessingml.document," +
  "application/vnd.ms-excel,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet," +
  "application/vnd.ms-powerpoint," +
  "application/vnd.openxmlformats-officedocument.presentationml.presentation,text/plain";

/** The contractor's page, opened from the WhatsApp link: no account, the token is the key. */
export function PrestadorPage() {
  const { token = "" } = useParams();
  const visao = useVisaoPrestador(token);

  return (
    <main className="prestador">
      <header className="prestador-topo">
        <span className="marca-logo" aria-hidden="true">
          G
        </span>
        <span>GMM · Central de Mensagens</span>
      </header>
      {visao.isPending ? (
        <Carregando texto="Abrindo o chamado…" />
      ) : visao.isError ? (
        <LinkIndisponivel erro={visao.error} tentarDeNovo={() => void visao.refetch()} />
      ) : (
        <Chamado token={token} visao={visao.data} />
      )}
    </main>
  );
}

function LinkIndisponivel({ erro, tentarDeNovo }: { erro: unknown; tentarDeNovo: () => void }) {
  const codigo = erro instanceof ApiError ? erro.code : null;
  const status = erro instanceof ApiError ? erro.status : null;
  let titulo: string;
  let texto: string;
  if (codigo === "link_expirado") {
    titulo = "Este link expirou";
    texto = "Peça um novo link à central pelo WhatsApp.";
  } else if (codigo === "link_revogado") {
    titulo = "Este link foi cancelado";
    texto =
      "A central cancelou este link. Se ainda precisa enviar algo, peça um novo pelo WhatsApp.";
  } else if (status === 401) {
    titulo = "Link inválido";
    texto =
      "Confira se o endereço foi aberto inteiro, como chegou no WhatsApp, ou peça um novo link à central.";
  } else {
    return (
      <section className="prestador-cartao">
        <ErroBox erro={erro} tentarDeNovo={tentarDeNovo} />
      </section>
    );
  }
  return (
    <section className="prestador-cartao prestador-indisponivel" role="alert">
      <h1>{titulo}</h1>
      <p>{texto}</p>
    </section>
  );
}

function Chamado({ token, visao }: { token: string; visao: VisaoPrestador }) {
  return (
    <>
      <section className="prestador-cartao" aria-labelledby="prestador-titulo">
        <p className="texto-suave">Olá, {visao.prestador.split(" ")[0]}!</p>
        <p className="prestador-numero">
          {visao.numero_chamado} <StatusBadge status={visao.status} />
        </p>
        <h1 id="prestador-titulo">{visao.titulo}</h1>
        {visao.descricao ? <p className="prestador-descricao">{visao.descricao}</p> : null}
        <dl className="prestador-dados">
          <dt>Prazo</dt>
          <dd>
            {visao.prazo_combinado ? formatarDataHora(visao.prazo_combinado) : "a combinar"}
            {visao.atrasado ? " (atrasado)" : null}
          </dd>
          <dt>Link válido até</dt>
          <dd>{formatarDataHora(visao.link_expira_em)}</dd>
        </dl>
      </section>
      <Situacao visao={visao} />
      {visao.pode_enviar ? <EnviarArquivos token={token} /> : null}
      <ArquivosEnviados arquivos={visao.arquivos} />
      {visao.pode_concluir ? <Concluir token={token} numero={visao.numero_chamado} /> : null}
    </>
  );
}

function Situacao({ visao }: { visao: VisaoPrestador }) {
  if (visao.status === "aguardando_confirmacao") {
    return (
      <p className="aviso aviso-sucesso" role="status">
        Você marcou o serviço como concluído. A central vai conferir e finalizar; até lá ainda dá
        para enviar fotos e documentos.
      </p>
    );
  }
  if (visao.status === "concluido") {
    return (
      <p className="aviso" role="status">
        Chamado concluído. Obrigado! Este link agora só mostra o que foi enviado.
      </p>
    );
  }
  if (visao.status === "cancelado") {
    return (
      <p className="aviso" role="status">
        Este chamado foi cancelado: não é preciso enviar mais nada.
      </p>
    );
  }
  return null;
}

interface Envio {
  id: number;
  nome: string;
  progresso: number;
  estado: "enviando" | "enviado" | "erro";
  erro?: string;
}

function EnviarArquivos({ token }: { token: string }) {
  const id = useId();
  const incluir = useIncluirArquivo(token);
  const [legenda, setLegenda] = useState("");
  const [envios, setEnvios] = useState<Envio[]>([]);
  const [ocupado, setOcupado] = useState(false);
  const proximo = useRef(1);

  function mudar(envioId: number, mudancas: Partial<Envio>) {
    setEnvios((atuais) => atuais.map((e) => (e.id === envioId ? { ...e, ...mudancas } : e)));
  }

  async function enviarTodos(arquivos: File[]) {
    const novos = arquivos.map((arquivo) => ({ arquivo, id: proximo.current++ }));
    setEnvios((atuais) => [
      ...atuais.filter((e) => e.estado !== "enviado"),
      ...novos.map(({ arquivo, id: envioId }) => ({
        id: envioId,
        nome: arquivo.name,
        progresso: 0,
        estado: "enviando" as const,
      })),
    ]);
    setOcupado(true);
    // One at a time: a phone on a weak network finishes each file instead of all stalling.
    for (const { arquivo, id: envioId } of novos) {
      if (arquivo.size > MAXIMO) {
        mudar(envioId, { estado: "erro", erro: "arquivo acima de 100 MB" });
        continue;
      }
      try {
        const enviado = await enviarArquivo(token, arquivo, legenda, (fracao) =>
          mudar(envioId, { progresso: Math.round(fracao * 100) }),
        );
        incluir(enviado);
        mudar(envioId, { estado: "enviado", progresso: 100 });
      } catch (erro) {
        mudar(envioId, { estado: "erro", erro: mensagemDeErro(erro) });
      }
    }
    setOcupado(false);
    setLegenda("");
  }

  return (
    <section className="prestador-cartao" aria-labelledby={`${id}-titulo`}>
      <h2 id={`${id}-titulo`}>Enviar fotos e documentos</h2>
      <div className="campo">
        <label htmlFor={`${id}-legenda`}>Legenda (opcional)</label>
        <input
          id={`${id}-legenda`}
          type="text"
          maxLength={1024}
          value={legenda}
          onChange={(e) => setLegenda(e.target.value)}
          placeholder="Ex.: antes do reparo"
          disabled={ocupado}
        />
      </div>
      <label
        className={`btn btn-primario btn-bloco prestador-escolher${ocupado ? " ocupado" : ""}`}
      >
        {ocupado ? "Enviando…" : "Escolher fotos ou documentos"}
        <input
          className="sr-only"
          type="file"
          accept={ACEITOS}
          multiple
          disabled={ocupado}
          onChange={(e) => {
            const arquivos = Array.from(e.target.files ?? []);
            e.target.value = "";
            if (arquivos.length) void enviarTodos(arquivos);
          }}
        />
      </label>
      <p className="campo-ajuda">
        Fotos JPEG ou PNG até 5 MB; documentos PDF, Word, Excel, PowerPoint ou TXT até 100 MB.
      </p>
      {envios.length ? (
        <ul className="prestador-envios" aria-label="Envios">
          {envios.map((envio) => (
            <li key={envio.id}>
              <span className="prestador-envio-nome">{envio.nome}</span>
              {envio.estado === "enviando" ? (
                <span className="prestador-progresso">
                  <progress
                    max={100}
                    value={envio.progresso}
                    aria-label={`Enviando ${envio.nome}`}
                  />
                  {envio.progresso}%
                </span>
              ) : envio.estado === "enviado" ? (
                <span className="prestador-ok">Enviado</span>
              ) : (
                <span className="texto-perigo" role="alert">
                  Não enviado: {envio.erro}
                </span>
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function tamanho(bytes: number | null): string {
  if (bytes == null) return "";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < MB) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / MB).toFixed(1).replace(".", ",")} MB`;
}

function ArquivosEnviados({ arquivos }: { arquivos: ArquivoPrestador[] }) {
  return (
    <section className="prestador-cartao" aria-labelledby="prestador-enviados">
      <h2 id="prestador-enviados">Arquivos enviados</h2>
      {arquivos.length === 0 ? (
        <p className="texto-suave">Nenhum arquivo enviado por este link ainda.</p>
      ) : (
        <ul className="prestador-arquivos">
          {arquivos.map((arquivo) => (
            <li key={arquivo.id}>
              <span className="prestador-arquivo-icone" aria-hidden="true">
                {arquivo.tipo_conteudo === "image" ? "📷" : "📄"}
              </span>
              <span className="prestador-arquivo-corpo">
                <span className="prestador-arquivo-nome">{arquivo.nome_arquivo}</span>
                {arquivo.caption ? <span>{arquivo.caption}</span> : null}
                <span className="texto-suave">
                  {[tamanho(arquivo.tamanho), formatarDataHora(arquivo.criado_em)]
                    .filter(Boolean)
                    .join(" · ")}
                </span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Concluir({ token, numero }: { token: string; numero: string }) {
  const id = useId();
  const concluir = useConcluir(token);
  const [observacao, setObservacao] = useState("");
  const [confirmando, setConfirmando] = useState(false);

  return (
    <section className="prestador-cartao" aria-labelledby={`${id}-titulo`}>
      <h2 id={`${id}-titulo`}>Terminou o serviço?</h2>
      <div className="campo">
        <label htmlFor={`${id}-obs`}>Observação (opcional)</label>
        <textarea
          id={`${id}-obs`}
          rows={3}
          maxLength={4000}
          value={observacao}
          onChange={(e) => setObservacao(e.target.value)}
          placeholder="O que foi feito, peças trocadas…"
        />
      </div>
      <button
        type="button"
        className="btn btn-primario btn-bloco"
        onClick={() => {
          concluir.reset();
          setConfirmando(true);
        }}
      >
        Marcar como concluído
      </button>
      <ConfirmDialog
        aberto={confirmando}
        titulo="Marcar como concluído?"
        rotuloConfirmar="Sim, concluí"
        ocupado={concluir.isPending}
        erro={concluir.isError ? mensagemDeErro(concluir.error) : null}
        onCancelar={() => setConfirmando(false)}
        onConfirmar={() =>
          concluir.mutate(observacao, {
            onSuccess: () => {
              setConfirmando(false);
              setObservacao("");
            },
          })
        }
      >
        <p>A central vai conferir o serviço do chamado {numero} e finalizá-lo.</p>
      </ConfirmDialog>
    </section>
  );
}
