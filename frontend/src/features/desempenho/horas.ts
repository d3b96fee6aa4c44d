import type { TempoHora } from "../../lib/types";

export interface DadosHoras {
  /** "0h" … "23h". */
  rotulos: string[];
  /** The median answer time (minutes) per hour; null: no answer in that hour. */
  medianas: (number | null)[];
  /** How many answers each hour's median is over. */
  respostas: number[];
}

/** The 24 hours of the day in order, the ones with no answer left empty. */
export function dadosPorHora(porHora: TempoHora[]): DadosHoras {
  const horas = Array.from({ length: 24 }, (_, hora) => porHora.find((h) => h.hora === hora));
  return {
    rotulos: horas.map((_, hora) => `${hora}h`),
    medianas: horas.map((h) => (h && h.respostas > 0 ? h.mediana_min : null)),
    respostas: horas.map((h) => h?.respostas ?? 0),
  };
}
