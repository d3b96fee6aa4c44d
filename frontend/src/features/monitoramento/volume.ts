import type { VolumeHora } from "../../lib/types";

type Campo = Exclude<keyof VolumeHora, "hora">;

/** The chart's lines (and the table's columns), in the order a message lives them. */
export const SERIES: { campo: Campo; rotulo: string; cor: string }[] = [
  { campo: "enviadas", rotulo: "Enviadas", cor: "#00a884" },
  { campo: "entregues", rotulo: "Entregues", cor: "#8696a0" },
  { campo: "lidas", rotulo: "Lidas", cor: "#1570ef" },
  { campo: "falhas", rotulo: "Falhas", cor: "#d92d20" },
  { campo: "recebidas", rotulo: "Recebidas", cor: "#b54708" },
];

const hora = new Intl.DateTimeFormat("pt-BR", { hour: "2-digit" });

/** "14h", in the browser's time zone. */
export function rotuloHora(iso: string): string {
  return `${hora.format(new Date(iso)).replace(/\D/g, "")}h`;
}
