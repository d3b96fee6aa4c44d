import type {
  AcaoRegra,
  OrigemHistorico,
  Papel,
  Prioridade,
  Severidade,
  StatusChamado,
  TipoAlerta,
  TipoPadrao,
} from "./types";

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
  tocar_opcao: "Tocar opção",
};

export const TIPO_PADRAO: Record<TipoPadrao, string> = {
  palavra_chave: "Palavra-chave",
  regex: "Expressão regular",
  reacao: "Reação (emoji)",
};

/**
 * The options of our questions a reaction may count as (a rule's `tocar_opcao`): the
 * button a contractor would have tapped, by its id.
 */
export const OPCAO_TOQUE = {
  "visita:confirmar": "Confirmar visita",
  "orcamento:aprovar": "Aprovar orçamento",
  "conclusao:sim": "Serviço concluído",
  "cobranca:confirmo": "Confirmar atendimento",
} as const;

export type OpcaoToque = keyof typeof OPCAO_TOQUE;

export const PAPEL: Record<Papel, string> = {
  operador: "Operador",
  admin: "Administrador",
};

export const TIPO_ALERTA: Record<TipoAlerta, string> = {
  breaker_aberto: "API do WhatsApp instável",
  fila_alta: "Fila de envio alta",
  fila_cheia: "Fila de envio cheia",
  taxa_falhas: "Muitas falhas de envio",
  webhooks_ausentes: "Confirmações não chegam",
  worker_ausente: "Nenhum processo de envio ativo",
  whatsapp_desconectado: "WhatsApp desconectado",
  sem_entrega: "Mensagens não entregues",
};

export const SEVERIDADE: Record<Severidade, string> = {
  aviso: "Aviso",
  critico: "Crítico",
};

export const STATUS_LISTA = Object.keys(STATUS_CHAMADO) as StatusChamado[];
export const PRIORIDADE_LISTA = Object.keys(PRIORIDADE) as Prioridade[];
export const ACAO_REGRA_LISTA = Object.keys(ACAO_REGRA) as AcaoRegra[];
export const TIPO_PADRAO_LISTA = Object.keys(TIPO_PADRAO) as TipoPadrao[];
export const OPCAO_TOQUE_LISTA = Object.keys(OPCAO_TOQUE) as OpcaoToque[];
export const PAPEL_LISTA = Object.keys(PAPEL) as Papel[];

/** Still open: messages can be sent, and it can be finished or cancelled. */
export function chamadoAberto(status: StatusChamado): boolean {
  return (
    status === "aguardando" || status === "em_andamento" || status === "aguardando_confirmacao"
  );
}
