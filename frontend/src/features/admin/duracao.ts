/**
 * Business durations as people write them. The API counts whole business minutes;
 * an admin thinks in hours ("2 h", "10 h 30 min"), so the fields show and read that.
 */

/** 120 → "2 h", 630 → "10 h 30 min", 45 → "45 min", 0 → "0 min". */
export function formatarMinutos(minutos: number): string {
  const horas = Math.floor(minutos / 60);
  const resto = minutos % 60;
  if (horas === 0) return `${resto} min`;
  return resto ? `${horas} h ${resto} min` : `${horas} h`;
}

// "10 h 30 min", "10h30", "10 h 30", "2 h", "2,5 h", "45 min", "1:30", "3" (hours).
const HORAS_E_MINUTOS =
  /^(?:(\d+(?:[.,]\d+)?)\s*h(?:oras?)?)?\s*(?:(\d+)\s*(?:m(?:in(?:utos?)?)?)?)?$/;
const RELOGIO = /^(\d+):([0-5]\d)$/;
const SO_NUMERO = /^\d+(?:[.,]\d+)?$/;

/**
 * What the admin typed, in minutes; null when it is not a duration. A bare number is
 * hours: every field here is labelled in hours, and the field shows it back as "3 h"
 * once it loses focus, so a number meant as minutes is seen at once.
 */
export function lerMinutos(texto: string): number | null {
  const t = texto.trim().toLowerCase();
  if (!t) return null;
  if (SO_NUMERO.test(t)) return Math.round(Number(t.replace(",", ".")) * 60);
  const relogio = RELOGIO.exec(t);
  if (relogio) return Number(relogio[1]) * 60 + Number(relogio[2]);
  const partes = HORAS_E_MINUTOS.exec(t);
  if (!partes || (partes[1] === undefined && partes[2] === undefined)) return null;
  // A number after the hours ("10 h 30") is minutes.
  const horas = partes[1] === undefined ? 0 : Number(partes[1].replace(",", "."));
  const minutos = partes[2] === undefined ? 0 : Number(partes[2]);
  return Math.round(horas * 60) + minutos;
}

export const AJUDA_DURACAO = "Em horas e minutos úteis, como 2 h, 10 h 30 min ou 45 min.";
export const ERRO_DURACAO = "Use horas e minutos, como 2 h, 10 h 30 min ou 45 min.";
