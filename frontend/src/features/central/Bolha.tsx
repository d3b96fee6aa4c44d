import { useState } from "react";
import { IconeDocumento, IconeLista, IconeResposta, IconeSetaBaixo } from "../../components/Icones";
import { type ItemMenu, Menu } from "../../components/Menu";
import { Apagada, Citacao, Editada, Reacao, TextoOriginal } from "../../components/PartesMensagem";
import { formatarHora } from "../../lib/format";
import { urlComToken } from "../../lib/http";
import type {
  Citacao as CitacaoOut,
  ConteudoBotoes,
  ConteudoLista,
  Mensagem,
} from "../../lib/types";
import { semFormatacao } from "../../lib/whatsapp";
import { ROTULO_ACAO, lerBotoes, lerLista, lerMidia, lerResposta } from "./conteudo";
import { formatarWhatsApp } from "./formatacao";
import { Ticks } from "./Ticks";

const ROTULO_TIPO: Partial<Record<Mensagem["tipo"], string>> = {
  criacao: "Abertura do chamado",
  cobranca: "Cobrança",
  finalizacao: "Finalização",
  lista_interativa: "Lista interativa",
  botoes: "Botões",
  automatica: "Resposta automática",
  cobranca_automatica: "Cobrança automática",
  link_prestador: "Link do prestador",
};

function nomeArquivo(mensagem: Mensagem): string {
  const { nomeArquivo: nome } = lerMidia(mensagem);
  if (nome) return nome;
  // Not the caption: it is shown under the file already.
  const url = mensagem.url_midia ?? "";
  const ultimo = url.split("?")[0]?.split("/").pop();
  return ultimo ? decodeURIComponent(ultimo) : "Documento";
}

/** A file not there yet: still downloading from WhatsApp, or lost. */
function Indisponivel({ mensagem, nome }: { mensagem: Mensagem; nome: string }) {
  const status = lerMidia(mensagem).status;
  const minusculo = nome.toLowerCase();
  if (status === "baixando") return <p className="bolha-indisponivel">Recebendo {minusculo}…</p>;
  if (status === "falhou") {
    return <p className="bolha-indisponivel">Não foi possível baixar o arquivo ({minusculo}).</p>;
  }
  return <p className="bolha-indisponivel">{nome} indisponível</p>;
}

function Conteudo({ mensagem }: { mensagem: Mensagem }) {
  const { tipo_conteudo: tipo } = mensagem;
  const url = mensagem.url_midia ? urlComToken(mensagem.url_midia) : null;
  const texto = mensagem.texto ? (
    <p className="bolha-texto">{formatarWhatsApp(mensagem.texto)}</p>
  ) : null;
  const legenda =
    mensagem.caption && mensagem.caption !== mensagem.texto ? (
      <p className="bolha-texto">{formatarWhatsApp(mensagem.caption)}</p>
    ) : null;

  if (tipo === "image") {
    return (
      <>
        {url ? (
          <a href={url} target="_blank" rel="noreferrer" className="bolha-midia">
            <img
              src={url}
              alt={
                mensagem.caption
                  ? semFormatacao(mensagem.caption)
                  : (lerMidia(mensagem).nomeArquivo ?? "Imagem")
              }
              loading="lazy"
            />
          </a>
        ) : (
          <Indisponivel mensagem={mensagem} nome="Imagem" />
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
          <Indisponivel mensagem={mensagem} nome="Áudio" />
        )}
        {mensagem.transcricao ? (
          <p className="bolha-transcricao">
            <span>Transcrição:</span> {mensagem.transcricao}
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
          <Indisponivel mensagem={mensagem} nome="Vídeo" />
        )}
        {legenda}
        {texto}
      </>
    );
  }
  if (tipo === "document") {
    const nome = nomeArquivo(mensagem);
    return (
      <>
        {url ? (
          <a
            href={url}
            download={nome}
            className="bolha-documento"
            target="_blank"
            rel="noreferrer"
          >
            <IconeDocumento width={28} height={28} />
            <span className="bolha-documento-nome">{nome}</span>
            <span className="bolha-documento-acao">Baixar</span>
          </a>
        ) : (
          <Indisponivel mensagem={mensagem} nome="Documento" />
        )}
        {legenda}
        {texto}
      </>
    );
  }
  if (tipo === "interactive" && mensagem.direcao === "inbound") {
    const resposta = lerResposta(mensagem);
    const titulo = resposta?.titulo ?? mensagem.texto ?? "";
    return (
      <p
        className="bolha-toque"
        title={resposta?.tipo === "lista" ? "Escolheu na lista" : "Tocou no botão"}
      >
        <span className="sr-only">
          {resposta?.tipo === "lista" ? "Escolheu na lista: " : "Tocou no botão: "}
        </span>
        <span aria-hidden="true">↩ </span>
        <span className="bolha-toque-titulo">{titulo}</span>
      </p>
    );
  }
  if (tipo === "interactive") {
    const lista = lerLista(mensagem);
    const rodape = lista?.descricao || lerBotoes(mensagem)?.rodape;
    return (
      <>
        {lista?.titulo ? <p className="bolha-cabecalho">{lista.titulo}</p> : null}
        {texto}
        {rodape ? <p className="bolha-rodape-texto">{rodape}</p> : null}
      </>
    );
  }
  return texto ?? <p className="bolha-indisponivel">Mensagem sem texto</p>;
}

/** Reply buttons under the text, as WhatsApp draws them; the tapped one is marked. */
function Botoes({ conteudo }: { conteudo: ConteudoBotoes }) {
  const escolhido = conteudo.respondida?.opcao_id;
  return (
    <ul className="bolha-botoes" aria-label="Botões">
      {conteudo.botoes.map((botao) => {
        const marcado = botao.id === escolhido;
        return (
          <li
            key={botao.id}
            className={`bolha-botao${marcado ? " bolha-botao-escolhido" : ""}`}
            data-escolhido={marcado ? "true" : undefined}
          >
            <IconeResposta width={15} height={15} />
            <span>{botao.titulo}</span>
            {marcado ? <span className="bolha-escolha"> ✓ escolhido</span> : null}
          </li>
        );
      })}
    </ul>
  );
}

/** The list's button; it opens the sections as the contractor saw them. */
function Lista({ conteudo }: { conteudo: ConteudoLista }) {
  const escolhido = conteudo.respondida?.opcao_id;
  return (
    <details className="bolha-lista">
      <summary className="bolha-botao">
        <IconeLista width={15} height={15} />
        <span>{conteudo.botao}</span>
      </summary>
      <div className="bolha-lista-secoes">
        {conteudo.secoes.map((secao, i) => (
          <section key={i} aria-label={secao.titulo || `Seção ${i + 1}`}>
            {secao.titulo ? <p className="bolha-lista-secao">{secao.titulo}</p> : null}
            <ul>
              {secao.linhas.map((linha) => {
                const marcado = linha.id === escolhido;
                return (
                  <li
                    key={linha.id}
                    className={marcado ? "bolha-linha-escolhida" : undefined}
                    data-escolhido={marcado ? "true" : undefined}
                  >
                    <span className="bolha-linha-titulo">
                      {linha.titulo}
                      {marcado ? <span className="bolha-escolha"> ✓ escolhida</span> : null}
                    </span>
                    {linha.descricao ? (
                      <span className="bolha-linha-descricao">{linha.descricao}</span>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          </section>
        ))}
      </div>
    </details>
  );
}

/** What the chat lets the operator do from a bubble; none, a bubble to read only. */
export interface AcoesDaBolha {
  /** Reply quoting this message. */
  onResponder?: (mensagem: Mensagem) => void;
  /** Move it (maybe with the ones after it) to another chamado of the contractor. */
  onMover?: (mensagem: Mensagem) => void;
  /** Go to the message a reply quotes. */
  onIrParaCitada?: (citada: CitacaoOut) => void;
}

type AcaoBolha = "responder" | "mover";

/**
 * Beside the bubble: "Responder" on hover (or focus), and a menu with what else can
 * be done to the message; on a touch screen, with no hover, only the menu shows.
 */
function AcoesBolha({ mensagem, acoes }: { mensagem: Mensagem; acoes: AcoesDaBolha }) {
  const { onResponder, onMover } = acoes;
  const itens: ItemMenu<AcaoBolha>[] = [];
  if (onResponder) itens.push({ id: "responder", rotulo: "Responder" });
  if (onMover) itens.push({ id: "mover", rotulo: "Mover para outro chamado…" });
  if (itens.length === 0) return null;
  return (
    <div className="bolha-acoes">
      {onResponder ? (
        <button
          type="button"
          className="btn-icone bolha-responder"
          aria-label="Responder"
          title="Responder"
          onClick={() => onResponder(mensagem)}
        >
          <IconeResposta width={16} height={16} />
        </button>
      ) : null}
      <Menu
        rotulo="Opções da mensagem"
        icone={<IconeSetaBaixo width={16} height={16} />}
        itens={itens}
        className="bolha-menu"
        onEscolher={(id) => (id === "responder" ? onResponder : onMover)?.(mensagem)}
      />
    </div>
  );
}

interface Props {
  mensagem: Mensagem;
  otimista?: boolean;
  /** Offered on failed outbound messages. */
  onReenviar?: (mensagem: Mensagem) => void;
  reenviando?: boolean;
  /** The message a search result opened: highlighted. */
  alvo?: boolean;
  /** Who the contractor is, for the quotes of their messages. */
  nomeTerceirizado?: string;
  acoes?: AcoesDaBolha;
}

export function Bolha({
  mensagem,
  otimista,
  onReenviar,
  reenviando,
  alvo,
  nomeTerceirizado,
  acoes,
}: Props) {
  const [verOriginal, setVerOriginal] = useState(false);
  const [verApagada, setVerApagada] = useState(false);
  const saida = mensagem.direcao === "outbound";
  const citada = mensagem.citada;
  const irParaCitada = acoes?.onIrParaCitada;
  const apagada = mensagem.apagada_em !== null;
  const editada = mensagem.editada_em !== null && !apagada;
  const botoes = saida ? lerBotoes(mensagem) : null;
  const lista = saida ? lerLista(mensagem) : null;
  const acao = botoes?.acao?.tipo;
  const rotulo = (acao ? ROTULO_ACAO[acao] : undefined) ?? ROTULO_TIPO[mensagem.tipo];
  const respondida = Boolean(botoes?.respondida ?? lista?.respondida);
  const classes = [
    "bolha",
    saida ? "bolha-saida" : "bolha-entrada",
    botoes || lista ? "bolha-interativa" : "",
    mensagem.status_envio === "falhou" ? "bolha-falhou" : "",
    otimista ? "bolha-otimista" : "",
    mensagem.reacao ? "bolha-com-reacao" : "",
  ]
    .filter(Boolean)
    .join(" ");
  return (
    <li
      className={`linha-bolha ${saida ? "linha-saida" : "linha-entrada"}${alvo ? " mensagem-alvo" : ""}`}
      data-mensagem-id={otimista ? undefined : mensagem.id}
      data-direcao={mensagem.direcao}
      data-respondida={respondida ? "true" : undefined}
      data-apagada={apagada ? "true" : undefined}
    >
      <div className={classes}>
        {rotulo ? <p className="bolha-rotulo">{rotulo}</p> : null}
        {citada ? (
          <Citacao
            citada={citada}
            nomeTerceirizado={nomeTerceirizado}
            onAbrir={
              irParaCitada && citada.chamado_id !== null ? () => irParaCitada(citada) : undefined
            }
          />
        ) : null}
        {apagada ? (
          <>
            <Apagada aberta={verApagada} onAlternar={() => setVerApagada((v) => !v)} />
            {verApagada ? (
              <div className="bolha-apagada-original">
                <Conteudo mensagem={mensagem} />
              </div>
            ) : null}
          </>
        ) : (
          <Conteudo mensagem={mensagem} />
        )}
        {editada && verOriginal && mensagem.texto_original !== null ? (
          <TextoOriginal texto={mensagem.texto_original} />
        ) : null}
        <div className="bolha-rodape">
          {editada ? (
            <Editada
              original={mensagem.texto_original}
              aberta={verOriginal}
              onAlternar={() => setVerOriginal((v) => !v)}
            />
          ) : null}
          <time dateTime={mensagem.criado_em}>{formatarHora(mensagem.criado_em)}</time>
          {saida ? <Ticks status={mensagem.status_envio} erro={mensagem.erro} /> : null}
        </div>
        {botoes && botoes.botoes.length > 0 ? <Botoes conteudo={botoes} /> : null}
        {lista ? <Lista conteudo={lista} /> : null}
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
        {mensagem.reacao ? <Reacao emoji={mensagem.reacao} /> : null}
      </div>
      {acoes && !otimista ? <AcoesBolha mensagem={mensagem} acoes={acoes} /> : null}
    </li>
  );
}
