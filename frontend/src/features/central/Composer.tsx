import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { IconeEnviar } from "../../components/Icones";
import { Citacao as CitacaoBloco } from "../../components/PartesMensagem";
import { preencherResposta, useRespostasRapidas } from "../../lib/api/respostasRapidas";
import { lerRascunho, salvarRascunho } from "../../lib/drafts";
import { mensagemDeErro } from "../../lib/http";
import { autorCitacao } from "../../lib/mensagens";
import type { Citacao, RespostaRapida } from "../../lib/types";
import { SeletorRespostas, filtrarRespostas } from "./SeletorRespostas";

/** A second send within this window is ignored: no double message by a double Enter. */
export const INTERVALO_MINIMO_MS = 2_000;

interface Props {
  chaveRascunho: string | number;
  /** Resolves true when the server took the message, false when it refused it. */
  onEnviar: (texto: string) => Promise<boolean>;
  desabilitado?: boolean;
  motivoDesabilitado?: string;
  /** Before the text box: the "…" menu of interactive messages, files and actions. */
  menu?: React.ReactNode;
  /** The chamado the text goes to: with it, "/" opens the quick replies. */
  chamadoId?: number;
  /** Take the keyboard focus on mount (the chat was opened from the keyboard). */
  focar?: boolean;
  /** The message the text replies to: shown over the box, with a ✕ (or Esc) to drop it. */
  respondendo?: Citacao | null;
  /** The contractor's name, for the quote of one of their messages. */
  nomeTerceirizado?: string;
  onCancelarResposta?: () => void;
}

/**
 * Enter sends, Shift+Enter breaks the line. The text leaves the box at once (the
 * chat shows it with a clock) but stays in the draft until the server accepts it,
 * so an expired session or an error gives it back.
 */
export function Composer({
  chaveRascunho,
  onEnviar,
  desabilitado,
  motivoDesabilitado,
  menu,
  chamadoId,
  focar,
  respondendo = null,
  nomeTerceirizado,
  onCancelarResposta,
}: Props) {
  const [texto, setTexto] = useState(() => lerRascunho(chaveRascunho));
  const [enviando, setEnviando] = useState(false);
  const [emEspera, setEmEspera] = useState(false);
  const ocupado = useRef(false);
  const liberaEm = useRef(0);
  const textoAtual = useRef(texto);
  const caixa = useRef<HTMLTextAreaElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  // Quick replies: the text "/<part of a title>" opens the picker over the box.
  const [ativa, setAtiva] = useState(0);
  const [seletorFechado, setSeletorFechado] = useState(false);
  const [erroResposta, setErroResposta] = useState<string | null>(null);
  const escolhendo =
    chamadoId !== undefined &&
    !desabilitado &&
    !seletorFechado &&
    texto.startsWith("/") &&
    !texto.includes("\n");
  const respostas = useRespostasRapidas(escolhendo);
  const opcoes = escolhendo ? filtrarRespostas(respostas.data ?? [], texto.slice(1)) : [];

  useEffect(() => () => clearTimeout(timer.current), []);

  // Only when the chat opens: later renders must not pull the focus back.
  const focarAoAbrir = useRef(focar);
  useEffect(() => {
    if (focarAoAbrir.current) caixa.current?.focus();
  }, []);

  // "Responder" on a message: the next thing is typing the reply.
  const citadaId = respondendo?.id;
  useEffect(() => {
    if (citadaId !== undefined) caixa.current?.focus();
  }, [citadaId]);

  useLayoutEffect(() => {
    const el = caixa.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, 160)}px`;
  }, [texto]);

  function mudar(valor: string) {
    textoAtual.current = valor;
    setTexto(valor);
    salvarRascunho(chaveRascunho, valor);
    setAtiva(0);
    setSeletorFechado(false);
    setErroResposta(null);
  }

  async function escolher(resposta: RespostaRapida) {
    if (chamadoId === undefined) return;
    try {
      // The filled text replaces the "/…": the operator reviews it and sends.
      mudar(await preencherResposta(resposta.id, chamadoId));
    } catch (erro) {
      setErroResposta(mensagemDeErro(erro));
    }
    caixa.current?.focus();
  }

  async function enviar() {
    const mensagem = textoAtual.current.trim();
    const agora = Date.now();
    if (!mensagem || desabilitado || ocupado.current || agora < liberaEm.current) return;
    ocupado.current = true;
    liberaEm.current = agora + INTERVALO_MINIMO_MS;
    setEnviando(true);
    setEmEspera(true);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setEmEspera(false), INTERVALO_MINIMO_MS);
    // Clear the box but not the draft: the draft goes only when the server has it.
    textoAtual.current = "";
    setTexto("");
    let aceito: boolean;
    try {
      aceito = await onEnviar(mensagem);
    } finally {
      ocupado.current = false;
      setEnviando(false);
    }
    if (aceito) {
      if (!textoAtual.current) salvarRascunho(chaveRascunho, "");
    } else if (!textoAtual.current) {
      textoAtual.current = mensagem;
      setTexto(mensagem);
      salvarRascunho(chaveRascunho, mensagem);
    }
    caixa.current?.focus();
  }

  function aoTeclar(evento: React.KeyboardEvent<HTMLTextAreaElement>) {
    if (escolhendo && aoTeclarNoSeletor(evento)) return;
    if (evento.key === "Escape" && respondendo && onCancelarResposta) {
      evento.preventDefault();
      onCancelarResposta();
      return;
    }
    if (evento.key === "Enter" && !evento.shiftKey && !evento.nativeEvent.isComposing) {
      evento.preventDefault();
      void enviar();
    }
  }

  /** The picker's keys; answers whether it took the key. */
  function aoTeclarNoSeletor(evento: React.KeyboardEvent<HTMLTextAreaElement>): boolean {
    const total = opcoes.length;
    if (evento.key === "ArrowDown" || evento.key === "ArrowUp") {
      evento.preventDefault();
      if (total) setAtiva((i) => (i + (evento.key === "ArrowDown" ? 1 : total - 1)) % total);
      return true;
    }
    if (evento.key === "Escape") {
      evento.preventDefault();
      setSeletorFechado(true);
      return true;
    }
    const escolhida = opcoes[Math.min(ativa, total - 1)];
    if (evento.key === "Enter" && !evento.shiftKey && escolhida) {
      evento.preventDefault();
      void escolher(escolhida);
      return true;
    }
    return false;
  }

  const bloqueado = desabilitado || enviando || emEspera;
  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        void enviar();
      }}
    >
      {respondendo ? (
        <div
          className="composer-resposta"
          role="group"
          aria-label={`Respondendo a ${autorCitacao(respondendo, nomeTerceirizado)}`}
        >
          <CitacaoBloco citada={respondendo} nomeTerceirizado={nomeTerceirizado} />
          {onCancelarResposta ? (
            <button
              type="button"
              className="btn-icone composer-resposta-fechar"
              aria-label="Cancelar resposta"
              title="Cancelar resposta (Esc)"
              onClick={() => {
                onCancelarResposta();
                caixa.current?.focus();
              }}
            >
              ✕
            </button>
          ) : null}
        </div>
      ) : null}
      {menu}
      {escolhendo ? (
        <SeletorRespostas respostas={opcoes} ativa={ativa} onEscolher={(r) => void escolher(r)} />
      ) : null}
      {erroResposta ? (
        <p className="composer-erro" role="alert">
          Não foi possível preencher a resposta: {erroResposta}
        </p>
      ) : null}
      <label htmlFor="composer-texto" className="sr-only">
        Mensagem
      </label>
      <textarea
        id="composer-texto"
        ref={caixa}
        rows={1}
        value={texto}
        maxLength={4096}
        placeholder={desabilitado ? (motivoDesabilitado ?? "") : "Digite uma mensagem"}
        onChange={(e) => mudar(e.target.value)}
        onKeyDown={aoTeclar}
        disabled={desabilitado}
        aria-describedby="composer-dica"
        aria-controls={escolhendo ? "respostas-rapidas" : undefined}
        aria-activedescendant={
          escolhendo && opcoes[ativa] ? `resposta-rapida-${opcoes[ativa].id}` : undefined
        }
      />
      <span id="composer-dica" className="sr-only">
        Enter envia; Shift+Enter quebra a linha; / abre as respostas rápidas.
      </span>
      <button
        type="submit"
        className="composer-enviar"
        disabled={bloqueado || !texto.trim()}
        aria-label={enviando ? "Enviando…" : "Enviar"}
        title="Enviar (Enter)"
      >
        <IconeEnviar width={20} height={20} />
      </button>
    </form>
  );
}
