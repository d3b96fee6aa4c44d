/**
 * The parts of a message WhatsApp draws around its text, shared by the chat's bubbles
 * and the unassigned messages: the quote of a reply, the contractor's reaction, the
 * "editada" mark with the first text, and a message the contractor deleted.
 */
import { autorCitacao, resumoCitacao } from "../lib/mensagens";
import type { Citacao as CitacaoOut } from "../lib/types";

interface CitacaoProps {
  citada: CitacaoOut;
  /** Names the quoted message's author when it came from the contractor. */
  nomeTerceirizado?: string;
  /** Goes to the quoted message; without it the quote is not a button. */
  onAbrir?: () => void;
  className?: string;
}

/** The quote at the top of a reply: its author and one or two lines of what it said. */
export function Citacao({ citada, nomeTerceirizado, onAbrir, className }: CitacaoProps) {
  const classes = [
    "citacao",
    citada.direcao === "outbound" ? "citacao-saida" : "citacao-entrada",
    className ?? "",
  ]
    .filter(Boolean)
    .join(" ");
  const autor = autorCitacao(citada, nomeTerceirizado);
  const resumo = resumoCitacao(citada);
  const conteudo = (
    <>
      <span className="sr-only">Citação de </span>
      <span className="citacao-autor">{autor}</span>
      <span className="sr-only">: </span>
      <span className={`citacao-texto${citada.apagada ? " citacao-apagada" : ""}`}>{resumo}</span>
    </>
  );
  if (!onAbrir) {
    return (
      <span className={classes} data-citada-id={citada.id}>
        {conteudo}
      </span>
    );
  }
  return (
    <button
      type="button"
      className={classes}
      data-citada-id={citada.id}
      // The name as read, not the pieces laid out (the accessible name trims each one).
      aria-label={`Citação de ${autor}: ${resumo}`}
      title="Ir para a mensagem citada"
      onClick={onAbrir}
    >
      {conteudo}
    </button>
  );
}

/** The contractor's reaction, a badge on the bubble's corner. */
export function Reacao({ emoji }: { emoji: string }) {
  return (
    <span
      className="reacao"
      role="img"
      aria-label={`Reação do terceirizado: ${emoji}`}
      title="Reação do terceirizado"
    >
      {emoji}
    </span>
  );
}

interface EditadaProps {
  /** The first text; without it the mark is only a label. */
  original: string | null;
  aberta: boolean;
  onAlternar: () => void;
}

/** "editada": hovering shows the first text, a click opens it under the message. */
export function Editada({ original, aberta, onAlternar }: EditadaProps) {
  if (original === null) return <span className="editada">editada</span>;
  return (
    <button
      type="button"
      className="editada"
      title={`Original: ${original}`}
      aria-expanded={aberta}
      aria-label={aberta ? "editada: ocultar o texto original" : "editada: ver o texto original"}
      onClick={onAlternar}
    >
      editada
    </button>
  );
}

/** The text the contractor sent first, before editing it. */
export function TextoOriginal({ texto }: { texto: string }) {
  return (
    <p className="texto-original">
      <span>Original:</span> {texto}
    </p>
  );
}

interface ApagadaProps {
  /** Whether the kept text is on view. */
  aberta: boolean;
  onAlternar: () => void;
}

/**
 * A message the contractor deleted for everyone. The server keeps what it said, for
 * the operators only: "ver original" shows it.
 */
export function Apagada({ aberta, onAlternar }: ApagadaProps) {
  return (
    <p className="mensagem-apagada">
      <em>🚫 Mensagem apagada pelo terceirizado</em>{" "}
      <button type="button" className="link-botao" aria-expanded={aberta} onClick={onAlternar}>
        {aberta ? "ocultar original" : "ver original"}
      </button>
    </p>
  );
}
