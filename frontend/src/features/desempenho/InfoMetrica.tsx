import { useId, useState } from "react";

interface Props {
  nome: string;
  /** How the figure is computed (the API's `metricas[].descricao`). */
  descricao: string;
}

/**
 * The ⓘ beside a figure's name: how it is computed. The mouse gets it on hover
 * (title); a tap or Enter shows it under the icon (phones have no hover) until the
 * focus leaves or Escape; screen readers read it as the button's description.
 */
export function InfoMetrica({ nome, descricao }: Props) {
  const id = useId();
  const [aberto, setAberto] = useState(false);
  return (
    <span className="info-metrica">
      <button
        type="button"
        className="info-metrica-botao"
        aria-label={`Como é calculado: ${nome}`}
        aria-describedby={id}
        title={aberto ? undefined : descricao}
        onClick={() => setAberto((a) => !a)}
        onBlur={() => setAberto(false)}
        onKeyDown={(e) => {
          if (e.key === "Escape") setAberto(false);
        }}
      >
        <span aria-hidden="true">ⓘ</span>
      </button>
      <span id={id} role="tooltip" className={`info-metrica-texto${aberto ? " aberto" : ""}`}>
        {descricao}
      </span>
    </span>
  );
}
