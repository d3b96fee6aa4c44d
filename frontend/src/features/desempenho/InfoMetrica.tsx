import { useEffect, useId, useRef, useState } from "react";
import { IconeInfo } from "../../components/Icones";

interface Props {
  nome: string;
  /** How the figure is computed (the API's `metricas[].descricao`). */
  descricao: string;
}

/**
 * The ⓘ beside a figure's name: how it is computed. The mouse gets it on hover
 * (title); a tap or Enter shows it under the icon (phones have no hover) until a tap
 * elsewhere, the focus leaving or Escape; screen readers read it as the button's
 * description.
 */
export function InfoMetrica({ nome, descricao }: Props) {
  const id = useId();
  const [aberto, setAberto] = useState(false);
  const raiz = useRef<HTMLSpanElement>(null);

  // iOS Safari does not focus a tapped button, so blur alone would never close it there.
  useEffect(() => {
    if (!aberto) return;
    function fora(evento: PointerEvent) {
      if (evento.target instanceof Node && !raiz.current?.contains(evento.target)) {
        setAberto(false);
      }
    }
    document.addEventListener("pointerdown", fora);
    return () => document.removeEventListener("pointerdown", fora);
  }, [aberto]);

  return (
    <span className="info-metrica" ref={raiz}>
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
        <IconeInfo width={15} height={15} />
      </button>
      <span id={id} role="tooltip" className={`info-metrica-texto${aberto ? " aberto" : ""}`}>
        {descricao}
      </span>
    </span>
  );
}
