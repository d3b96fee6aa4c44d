import { IconeDocumento } from "../../components/Icones";
import { formatarHora } from "../../lib/format";
import type { Mensagem } from "../../lib/types";
import { formatarWhatsApp } from "./formatacao";
import { Ticks } from "./Ticks";

const ROTULO_TIPO: Partial<Record<Mensagem["tipo"], string>> = {
  criacao: "Abertura do chamado",
  cobranca: "Cobrança",
  finalizacao: "Finalização",
  lista_interativa: "Lista interativa",
  botoes: "Botões",
};

function nomeArquivo(mensagem: Mensagem): string {
  if (mensagem.caption) return mensagem.caption;
  const url = mensagem.url_midia ?? "";
  const ultimo = url.split("?")[0]?.split("/").pop();
  return ultimo ? decodeURIComponent(ultimo) : "Documento";
}

function Conteudo({ mensagem }: { mensagem: Mensagem }) {
  const { tipo_conteudo: tipo, url_midia: url } = mensagem;
  const texto = mensagem.texto ? (
    <p className="bolha-texto">{formatarWhatsApp(mensagem.texto)}</p>
  ) : null;
  const legenda =
    mensagem.caption && mensagem.caption !== mensagem.texto ? (
      <p className="bolha-texto">{mensagem.caption}</p>
    ) : null;

  if (tipo === "image") {
    return (
      <>
        {url ? (
          <a href={url} target="_blank" rel="noreferrer" className="bolha-midia">
            <img src={url} alt={mensagem.caption ?? "Imagem recebida"} loading="lazy" />
          </a>
        ) : (
          <p className="bolha-indisponivel">Imagem indisponível</p>
        )}
        {legenda}
        {texto}
      </>
    );
  }
  if (tipo === "audio") {
    return (
      <>
        {url ? (
          <audio controls preload="none" src={url} className="bolha-audio">
            <a href={url}>Baixar áudio</a>
          </audio>
        ) : (
          <p className="bolha-indisponivel">Áudio indisponível</p>
        )}
        {mensagem.transcricao ? (
          <p className="bolha-transcricao">
            <span>Transcrição</span>
            {mensagem.transcricao}
          </p>
        ) : null}
        {texto}
      </>
    );
  }
  if (tipo === "video") {
    return (
      <>
        {url ? (
          <video controls preload="metadata" src={url} className="bolha-video" />
        ) : (
          <p className="bolha-indisponivel">Vídeo indisponível</p>
        )}
        {legenda}
        {texto}
      </>
    );
  }
  if (tipo === "document") {
    return (
      <>
        {url ? (
          <a href={url} download className="bolha-documento" target="_blank" rel="noreferrer">
            <IconeDocumento width={28} height={28} />
            <span className="bolha-documento-nome">{nomeArquivo(mensagem)}</span>
            <span className="bolha-documento-acao">Baixar</span>
          </a>
        ) : (
          <p className="bolha-indisponivel">Documento indisponível</p>
        )}
        {texto}
      </>
    );
  }
  if (tipo === "interactive" && mensagem.direcao === "inbound") {
    return (
      <>
        <p className="bolha-rotulo">Resposta selecionada</p>
        {texto}
      </>
    );
  }
  return texto ?? <p className="bolha-indisponivel">Mensagem sem texto</p>;
}

interface Props {
  mensagem: Mensagem;
  otimista?: boolean;
  /** Offered on failed outbound messages. */
  onReenviar?: (mensagem: Mensagem) => void;
  reenviando?: boolean;
}

export function Bolha({ mensagem, otimista, onReenviar, reenviando }: Props) {
  const saida = mensagem.direcao === "outbound";
  const rotulo = ROTULO_TIPO[mensagem.tipo];
  const classes = [
    "bolha",
    saida ? "bolha-saida" : "bolha-entrada",
    mensagem.status_envio === "falhou" ? "bolha-falhou" : "",
    otimista ? "bolha-otimista" : "",
  ]
    .filter(Boolean)
    .join(" ");
  return (
    <li
      className={`linha-bolha ${saida ? "linha-saida" : "linha-entrada"}`}
      data-mensagem-id={otimista ? undefined : mensagem.id}
      data-direcao={mensagem.direcao}
    >
      <div className={classes}>
        {rotulo ? <p className="bolha-rotulo">{rotulo}</p> : null}
        <Conteudo mensagem={mensagem} />
        <div className="bolha-rodape">
          <time dateTime={mensagem.criado_em}>{formatarHora(mensagem.criado_em)}</time>
          {saida ? <Ticks status={mensagem.status_envio} erro={mensagem.erro} /> : null}
        </div>
        {mensagem.status_envio === "falhou" ? (
          <div className="bolha-erro">
            <span title={mensagem.erro ?? undefined}>
              Não enviada{mensagem.erro ? `: ${mensagem.erro}` : ""}
            </span>
            {saida && onReenviar ? (
              <button
                type="button"
                className="btn btn-secundario btn-pequeno"
                onClick={() => onReenviar(mensagem)}
                disabled={reenviando}
              >
                {reenviando ? "Reenviando…" : "Reenviar"}
              </button>
            ) : null}
          </div>
        ) : null}
      </div>
    </li>
  );
}
