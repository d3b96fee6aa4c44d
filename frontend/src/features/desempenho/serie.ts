import type { Metrica, PontoSerie } from "../../lib/types";
import { valorDe } from "./metricas";
import { diaDaSemana, formatarDiaMes, somarDias } from "./periodo";

/** The detail's trend: the 90 days to `ate` (the API's `serie`). */
export const DIAS_SERIE = 90;

export interface DadosSerie {
  /** Each week's Monday, "02/03". */
  rotulos: string[];
  /** In the chart's unit: percent for fractions (0..100), else the API's number; null: no data. */
  valores: (number | null)[];
}

/** The Mondays of the weeks the trend covers, oldest first. */
export function semanasAte(ate: string): string[] {
  const segunda = (dia: string) => somarDias(dia, -((diaDaSemana(dia) + 6) % 7));
  const semanas: string[] = [];
  for (let s = segunda(somarDias(ate, -(DIAS_SERIE - 1))); s <= ate; s = somarDias(s, 7)) {
    semanas.push(s);
  }
  return semanas;
}

/**
 * One figure week by week, as the detail's line chart plots it. The API sends only the
 * weeks with chamados: the others are there too, with no chamado (0) and no figure (a
 * gap in the line), so the axis always spans the whole 90 days.
 */
export function dadosDaSerie(serie: PontoSerie[], metrica: Metrica, ate: string): DadosSerie {
  const porSemana = new Map(serie.map((p) => [p.semana, p]));
  const semanas = semanasAte(ate);
  for (const p of serie) if (!semanas.includes(p.semana)) semanas.push(p.semana);
  semanas.sort();
  return {
    rotulos: semanas.map(formatarDiaMes),
    valores: semanas.map((semana) => {
      const ponto = porSemana.get(semana);
      if (!ponto) return metrica.unidade === "numero" ? 0 : null;
      const valor = valorDe(ponto, metrica.chave);
      if (valor === null) return null;
      return metrica.unidade === "fracao" ? Math.round(valor * 1000) / 10 : valor;
    }),
  };
}
