import type { VolumeHora } from "../../lib/types";

type Campo = Exclude<keyof VolumeHora, "hora">;

export interface Serie {
  campo: Campo;
  rotulo: string;
  cor: string;
  /** Canvas line dash ([] solid): lines with the same numbers lie on top of each other,
   * and a dash lets the one below show through. */
  tracejado: number[];
  /** The point's shape, also shown in the legend. */
  ponto: "circle" | "rect" | "triangle" | "rectRot" | "crossRot";
}

/** The chart's lines (and the table's columns), in the order a message lives them. */
export const SERIES: Serie[] = [
  { campo: "enviadas", rotulo: "Enviadas", cor: "#00a884", tracejado: [], ponto: "circle" },
  { campo: "entregues", rotulo: "Entregues", cor: "#7c3aed", tracejado: [8, 4], ponto: "rect" },
  { campo: "lidas", rotulo: "Lidas", cor: "#1570ef", tracejado: [2, 3], ponto: "triangle" },
  {
    campo: "falhas",
    rotulo: "Falhas",
    cor: "#d92d20",
    tracejado: [10, 3, 2, 3],
    ponto: "crossRot",
  },
  { campo: "recebidas", rotulo: "Recebidas", cor: "#b54708", tracejado: [4, 4], ponto: "rectRot" },
];

const hora = new Intl.DateTimeFormat("pt-BR", { hour: "2-digit" });

/** "14h", in the browser's time zone. */
export function rotuloHora(iso: string): string {
  return `${hora.format(new Date(iso)).replace(/\D/g, "")}h`;
}
