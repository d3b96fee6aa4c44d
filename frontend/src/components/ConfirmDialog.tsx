import { useEffect, useId, useRef } from "react";

interface Props {
  aberto: boolean;
  titulo: string;
  children?: React.ReactNode;
  rotuloConfirmar: string;
  perigo?: boolean;
  ocupado?: boolean;
  erro?: string | null;
  onConfirmar: () => void;
  onCancelar: () => void;
}

/** A small modal confirmation: focus moves in, Escape cancels, focus returns after. */
export function ConfirmDialog({
  aberto,
  titulo,
  children,
  rotuloConfirmar,
  perigo,
  ocupado,
  erro,
  onConfirmar,
  onCancelar,
}: Props) {
  const id = useId();
  const confirmar = useRef<HTMLButtonElement>(null);
  const caixa = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!aberto) return;
    const anterior = document.activeElement as HTMLElement | null;
    confirmar.current?.focus();
    return () => anterior?.focus?.();
  }, [aberto]);

  if (!aberto) return null;

  function aoTeclar(evento: React.KeyboardEvent) {
    if (evento.key === "Escape") {
      evento.stopPropagation();
      onCancelar();
    }
    if (evento.key === "Tab" && caixa.current) {
      // Keep Tab inside the dialog.
      const focaveis = caixa.current.querySelectorAll<HTMLElement>("button:not([disabled])");
      const primeiro = focaveis[0];
      const ultimo = focaveis[focaveis.length - 1];
      if (evento.shiftKey && document.activeElement === primeiro) {
        evento.preventDefault();
        ultimo?.focus();
      } else if (!evento.shiftKey && document.activeElement === ultimo) {
        evento.preventDefault();
        primeiro?.focus();
      }
    }
  }

  return (
    <div className="modal-fundo" onMouseDown={(e) => e.target === e.currentTarget && onCancelar()}>
      <div
        ref={caixa}
        className="modal"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={`${id}-titulo`}
        onKeyDown={aoTeclar}
      >
        <h2 id={`${id}-titulo`}>{titulo}</h2>
        {children ? <div className="modal-corpo">{children}</div> : null}
        {erro ? (
          <p className="erro-box" role="alert">
            {erro}
          </p>
        ) : null}
        <div className="modal-acoes">
          <button type="button" className="btn btn-secundario" onClick={onCancelar}>
            Voltar
          </button>
          <button
            ref={confirmar}
            type="button"
            className={`btn ${perigo ? "btn-perigo" : "btn-primario"}`}
            onClick={onConfirmar}
            disabled={ocupado}
          >
            {ocupado ? "Aguarde…" : rotuloConfirmar}
          </button>
        </div>
      </div>
    </div>
  );
}
