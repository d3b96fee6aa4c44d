import type { AcaoRegra, OrigemHistorico, Prioridade, StatusChamado, TipoPadrao } from "./types";

/** In the order a chamado goes through them (the filters list them so). */
export const STATUS_CHAMADO: Record<StatusChamado, string> = {
  aguardando: "Aguardando",
  em_andamento: "Em andamento",
  aguardando_confirmacao: "Aguardando confirmação",
  concluido: "Concluído",
  cancelado: "Cancelado",
};

export const PRIORIDADE: Record<Prioridade, string> = {
  baixa: "Baixa",
  normal: "Normal",
  alta: "Alta",
  urgente: "Urgente",
};

export const ORIGEM_HISTORICO: Record<OrigemHistorico, string> = {
  operador: "Operador",
  terceirizado: "Terceirizado",
  automacao: "Automação",
  prestador: "Link do prestador",
  sistema: "Sistema",
};

export const ACAO_REGRA: Record<AcaoRegra, string> = {
  responder: "Responder automaticamente",
  mudar_status: "Mudar o status",
  notificar: "Notificar os operadores",
  definir_prioridade: "Definir a prioridade",
};

export const TIPO_PADRAO: Record<TipoPadrao, string> = {
  palavra_chave: "Palavra-chave",
  regex: "Expressão regular",
};

export const STATUS_LISTA = Object.keys(STATUS_CHAMADO) as StatusChamado[];
export const PRIORIDADE_LISTA = Object.keys(PRIORIDADE) as Prioridade[];
export const ACAO_REGRA_LISTA = Object.keys(ACAO_REGRA) as AcaoRegra[];
export const TIPO_PADRAO_LISTA = Object.keys(TIPO_PADRAO) as TipoPadrao[];

/** Still open: messages can be sent, and it can be finished or cancelled. */
export function chamadoAberto(status: StatusChamado): boolean {
  return (
    status === "aguardando" || status === "em_andamento" || status === "aguardando_confirmacao"
  );
}
