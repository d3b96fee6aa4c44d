/**
 * How the figures read (by the unit the API gives each one in `metricas`) and how the
 * ranking sorts them. A figure the period cannot tell (no chamado decided, no message
 * sent) is null: "—", and always last whichever way the column is sorted.
 */
import { formatarPercentual } from "../../lib/format";
import type { Metrica, Placar, UnidadeMetrica } from "../../lib/types";

const inteiro = new Intl.NumberFormat("pt-BR", { maximumFractionDigits: 0 });
const umaCasa = new Intl.NumberFormat("pt-BR", {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

/** "45 min", "1h 20min", "26h": business minutes, so no "days" (a workday is not 24 h). */
export function formatarMinutos(minutos: number | null | undefined): string {
  if (minutos == null) return "—";
  if (minutos < 1) return "< 1 min";
  const total = Math.round(minutos);
  if (total < 60) return `${total} min`;
  const horas = Math.floor(total / 60);
  const resto = total % 60;
  return resto ? `${inteiro.format(horas)}h ${resto}min` : `${inteiro.format(horas)}h`;
}

const PASSOS_MIN = [1, 2, 5, 10, 15, 30, 60, 120, 240, 480, 720, 1440, 2880];

/**
 * A chart's step between ticks for minutes up to `maximo`: round times (15 min, 1h,
 * 4h…), about six ticks, instead of Chart.js's decimal steps ("4h 10min").
 */
export function passoMinutos(maximo: number): number {
  return PASSOS_MIN.find((passo) => maximo / passo <= 6) ?? Math.ceil(maximo / 6 / 1440) * 1440;
}

export function formatarValor(valor: number | null | undefined, unidade: UnidadeMetrica): string {
  if (valor == null) return "—";
  switch (unidade) {
    case "min":
      return formatarMinutos(valor);
    case "fracao":
      return formatarPercentual(valor);
    case "por_chamado":
      return umaCasa.format(valor);
    case "numero":
      return inteiro.format(valor);
  }
}

/** A figure of a scorecard by the key the API names it with (`metricas[].chave`). */
export function valorDe(placar: Placar, chave: string): number | null {
  const valor: unknown = Reflect.get(placar, chave);
  return typeof valor === "number" ? valor : null;
}

export type Direcao = "asc" | "desc";

/** The ranking's order: by the contractor's name or by one of the figures. */
export interface Ordem {
  chave: string;
  direcao: Direcao;
}

export const ORDEM_NOME = "nome";
export const ORDEM_PADRAO: Ordem = { chave: ORDEM_NOME, direcao: "asc" };

/** A column's first click puts the best on top (the shortest time, the highest %). */
export function direcaoInicial(metrica: Metrica): Direcao {
  return metrica.melhor === "menor" ? "asc" : "desc";
}

/** The order after clicking the column `chave`: best first, then the other way. */
export function proximaOrdem(atual: Ordem, chave: string, metrica?: Metrica): Ordem {
  if (atual.chave === chave) {
    return { chave, direcao: atual.direcao === "asc" ? "desc" : "asc" };
  }
  return { chave, direcao: metrica ? direcaoInicial(metrica) : "asc" };
}

const porNome = new Intl.Collator("pt-BR", { sensitivity: "base", numeric: true });

export function ordenar<T extends Placar & { nome: string }>(itens: T[], ordem: Ordem): T[] {
  const sinal = ordem.direcao === "asc" ? 1 : -1;
  return [...itens].sort((a, b) => {
    if (ordem.chave !== ORDEM_NOME) {
      const x = valorDe(a, ordem.chave);
      const y = valorDe(b, ordem.chave);
      if (x === null && y !== null) return 1;
      if (y === null && x !== null) return -1;
      if (x !== null && y !== null && x !== y) return (x - y) * sinal;
    }
    // Ties (and the name column) by name, so the order never jumps between renders.
    const nomes = porNome.compare(a.nome, b.nome);
    return ordem.chave === ORDEM_NOME ? nomes * sinal : nomes;
  });
}
