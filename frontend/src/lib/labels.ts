import type { Prioridade, StatusChamado } from "./types";

export const STATUS_CHAMADO: Record<StatusChamado, string> = {
  aguardando: "Aguardando",
  em_andamento: "Em andamento",
  concluido: "Concluído",
  cancelado: "Cancelado",
};

export const PRIORIDADE: Record<Prioridade, string> = {
  baixa: "Baixa",
  normal: "Normal",
  alta: "Alta",
  urgente: "Urgente",
};

export const STATUS_LISTA = Object.keys(STATUS_CHAMADO) as StatusChamado[];
export const PRIORIDADE_LISTA = Object.keys(PRIORIDADE) as Prioridade[];

export function chamadoAberto(status: StatusChamado): boolean {
  return status === "aguardando" || status === "em_andamento";
}
