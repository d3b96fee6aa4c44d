import { cloneElement, isValidElement, useId } from "react";

interface Props {
  rotulo: string;
  erro?: string | undefined;
  ajuda?: string;
  /** Shown at the end of the label's line (a character counter). */
  contador?: React.ReactNode;
  className?: string;
  children: React.ReactElement<{
    id?: string;
    "aria-invalid"?: boolean;
    "aria-describedby"?: string;
  }>;
}

/** A label, its control and the message under it (the API's 422 text for that field). */
export function Campo({ rotulo, erro, ajuda, contador, className, children }: Props) {
  const id = useId();
  const idErro = `${id}-erro`;
  const idAjuda = `${id}-ajuda`;
  const descritores = [erro ? idErro : null, ajuda ? idAjuda : null].filter(Boolean).join(" ");
  const controle = isValidElement(children)
    ? cloneElement(children, {
        id,
        "aria-invalid": erro ? true : undefined,
        "aria-describedby": descritores || undefined,
      })
    : children;
  return (
    <div className={`campo${erro ? " campo-com-erro" : ""}${className ? ` ${className}` : ""}`}>
      {contador ? (
        <div className="campo-rotulo-linha">
          <label htmlFor={id}>{rotulo}</label>
          {contador}
        </div>
      ) : (
        <label htmlFor={id}>{rotulo}</label>
      )}
      {controle}
      {ajuda ? (
        <small id={idAjuda} className="campo-ajuda">
          {ajuda}
        </small>
      ) : null}
      {erro ? (
        <small id={idErro} className="campo-erro">
          {erro}
        </small>
      ) : null}
    </div>
  );
}
