import { useEffect, useId, useRef } from "react";

const FOCAVEIS =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), ' +
  'select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

interface Props {
  titulo: string;
  /** A line under the title: what this sends, to whom. */
  subtitulo?: React.ReactNode;
  children: React.ReactNode;
  onFechar: () => void;
  largura?: "normal" | "larga";
}

/**
 * A modal dialog for a small form: focus goes to its first field (or to the element
 * marked `data-autofocus`), Tab stays inside, Escape or a click outside closes it,
 * and focus returns to where it was (the menu button that opened it).
 */
export function Dialogo({ titulo, subtitulo, children, onFechar, largura = "normal" }: Props) {
  const id = useId();
  const caixa = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const anterior = document.activeElement as HTMLElement | null;
    const el = caixa.current;
    const alvo =
      el?.querySelector<HTMLElement>("[data-autofocus]") ??
      el?.querySelector<HTMLElement>("input, select, textarea") ??
      el?.querySelector<HTMLElement>(FOCAVEIS);
    (alvo ?? el)?.focus();
    return () => {
      if (anterior?.isConnected) anterior.focus();
    };
  }, []);

  function aoTeclar(evento: React.KeyboardEvent) {
    if (evento.key === "Escape") {
      evento.stopPropagation();
      onFechar();
      return;
    }
    if (evento.key !== "Tab" || !caixa.current) return;
    const focaveis = [...caixa.current.querySelectorAll<HTMLElement>(FOCAVEIS)];
    const primeiro = focaveis[0];
    const ultimo = focaveis.at(-1);
    if (!primeiro || !ultimo) return;
    if (evento.shiftKey && document.activeElement === primeiro) {
      evento.preventDefault();
      ultimo.focus();
    } else if (!evento.shiftKey && document.activeElement === ultimo) {
      evento.preventDefault();
      primeiro.focus();
    }
  }

  return (
    <div className="modal-fundo" onMouseDown={(e) => e.target === e.currentTarget && onFechar()}>
      <div
        ref={caixa}
        className={`modal dialogo${largura === "larga" ? " dialogo-largo" : ""}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-titulo`}
        aria-describedby={subtitulo ? `${id}-subtitulo` : undefined}
        tabIndex={-1}
        onKeyDown={aoTeclar}
      >
        <div className="dialogo-topo">
          <h2 id={`${id}-titulo`}>{titulo}</h2>
          <button
            type="button"
            className="btn-icone dialogo-fechar"
            aria-label="Fechar"
            onClick={onFechar}
          >
            ×
          </button>
        </div>
        {subtitulo ? (
          <p id={`${id}-subtitulo`} className="dialogo-subtitulo">
            {subtitulo}
          </p>
        ) : null}
        {children}
      </div>
    </div>
  );
}
