/**
 * The period of the Desempenho screens, kept in the URL: `dias=7|30|90` (the quick
 * chips: relative, so a bookmark always shows the last days) or `de`/`ate` (dates the
 * operator picked). Dates are days `YYYY-MM-DD` in the browser's time zone, which is
 * the company's for our users; the requests always send both ends.
 */
import type { Periodo } from "../../lib/api/desempenho";

export const ATALHOS = [7, 30, 90] as const;
/** What the API answers with no period: the 30 days to today. */
export const DIAS_PADRAO = 30;

const DIA = /^\d{4}-\d{2}-\d{2}$/;

function doisDigitos(n: number): string {
  return String(n).padStart(2, "0");
}

function paraIso(data: Date): string {
  return `${data.getFullYear()}-${doisDigitos(data.getMonth() + 1)}-${doisDigitos(data.getDate())}`;
}

/** A `YYYY-MM-DD` day as a local Date (midnight), or null when it is not a real day. */
function lerDia(iso: string | null): Date | null {
  if (!iso || !DIA.test(iso)) return null;
  const [ano = 0, mes = 0, dia = 0] = iso.split("-").map(Number);
  const data = new Date(ano, mes - 1, dia);
  return data.getMonth() === mes - 1 && data.getDate() === dia ? data : null;
}

export function hojeIso(agora: Date = new Date()): string {
  return paraIso(agora);
}

export function somarDias(iso: string, dias: number): string {
  const data = lerDia(iso);
  if (!data) return iso;
  data.setDate(data.getDate() + dias);
  return paraIso(data);
}

/** 0 (Sunday) … 6 (Saturday). */
export function diaDaSemana(iso: string): number {
  return lerDia(iso)?.getDay() ?? 0;
}

/** The `dias` days up to today, today included. */
export function periodoDeDias(dias: number, hoje: string): Periodo {
  return { de: somarDias(hoje, -(dias - 1)), ate: hoje };
}

/** The period the URL asks for; whatever is missing or malformed falls back to the default. */
export function lerPeriodo(params: URLSearchParams, hoje: string): Periodo {
  const de = lerDia(params.get("de")) ? params.get("de") : null;
  const ate = lerDia(params.get("ate")) ? params.get("ate") : null;
  if (de || ate) {
    const fim = ate ?? hoje;
    return { de: de ?? somarDias(fim, -(DIAS_PADRAO - 1)), ate: fim };
  }
  const dias = Number(params.get("dias"));
  return periodoDeDias(ATALHOS.some((n) => n === dias) ? dias : DIAS_PADRAO, hoje);
}

/** The chip matching the period, if any. */
export function atalhoDe(periodo: Periodo, hoje: string): number | null {
  return (
    ATALHOS.find((n) => {
      const p = periodoDeDias(n, hoje);
      return p.de === periodo.de && p.ate === periodo.ate;
    }) ?? null
  );
}

/** The URL after a chip: relative days (none for the default), no fixed dates. */
export function comAtalho(params: URLSearchParams, dias: number): URLSearchParams {
  const proximo = new URLSearchParams(params);
  proximo.delete("de");
  proximo.delete("ate");
  if (dias === DIAS_PADRAO) proximo.delete("dias");
  else proximo.set("dias", String(dias));
  return proximo;
}

/** The URL after a date input: both ends fixed, the chip dropped. */
export function comDatas(params: URLSearchParams, periodo: Periodo): URLSearchParams {
  const proximo = new URLSearchParams(params);
  proximo.delete("dias");
  proximo.set("de", periodo.de);
  proximo.set("ate", periodo.ate);
  return proximo;
}

const dataCurta = new Intl.DateTimeFormat("pt-BR", {
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
});
const diaMes = new Intl.DateTimeFormat("pt-BR", { day: "2-digit", month: "2-digit" });

/** "30/03/2026". */
export function formatarDia(iso: string): string {
  const data = lerDia(iso);
  return data ? dataCurta.format(data) : iso;
}

/** "02/03": a week's Monday on the chart's axis. */
export function formatarDiaMes(iso: string): string {
  const data = lerDia(iso);
  return data ? diaMes.format(data) : iso;
}

/** "de 01/03/2026 a 30/03/2026". */
export function textoPeriodo(periodo: Periodo): string {
  return `de ${formatarDia(periodo.de)} a ${formatarDia(periodo.ate)}`;
}
