/**
 * How each figure of the panel reads: its words in pt-BR and its colour
 * (green "ok", amber "atencao", red "critico", grey "neutro" when unknown).
 */
import type { Metricas, StatusBreaker } from "../../lib/types";

export type Estado = "ok" | "atencao" | "critico" | "neutro";

export const ROTULO_ESTADO: Record<Estado, string> = {
  ok: "normal",
  atencao: "atenção",
  critico: "crítico",
  neutro: "sem dados",
};

export const BREAKER: Record<StatusBreaker, { estado: Estado; rotulo: string; descricao: string }> =
  {
    CLOSED: { estado: "ok", rotulo: "Fechado", descricao: "Envios normais." },
    HALF_OPEN: {
      estado: "atencao",
      rotulo: "Meio-aberto",
      descricao: "Testando a API com um envio antes de liberar a fila.",
    },
    OPEN: {
      estado: "critico",
      rotulo: "Aberto",
      descricao: "Envios pausados: saem quando a API estabilizar.",
    },
  };

/** The reasons the worker records (FailuresOut.by_reason). */
export const MOTIVO_FALHA: Record<string, string> = {
  timeout: "Tempo esgotado",
  conexao: "Erro de conexão",
  http_5xx: "Erro no servidor da MegaAPI (5xx)",
  http_429: "Limite da MegaAPI (429)",
  http_4xx: "Recusada pela MegaAPI (4xx)",
  resposta_invalida: "Resposta inválida",
  outro: "Outro motivo",
};

/** MegaAPI's connection_update states. */
export const ESTADO_CONEXAO: Record<string, { estado: Estado; rotulo: string }> = {
  open: { estado: "ok", rotulo: "Conectado" },
  connecting: { estado: "atencao", rotulo: "Conectando" },
  close: { estado: "critico", rotulo: "Desconectado" },
};

/** MegaAPI's instance status, as the last check read it (any case). */
export const STATUS_INSTANCIA: Record<string, string> = {
  connected: "conectada",
  disconnected: "desconectada",
  connecting: "conectando",
  open: "conectada",
  close: "desconectada",
};

/** The queue alerts' thresholds (design: over 100 warns, over 500 refuses new chamados). */
export const FILA_AVISO = 100;
export const FILA_CHEIA = 500;
/** A message waiting longer than this is worth a look. */
const ESPERA_LONGA_S = 300;
/** Receipts arriving later than this after the event. */
const LAG_ALTO_S = 60;

export function estadoBreaker(m: Metricas): Estado {
  return BREAKER[m.circuit_breaker.status].estado;
}

export function estadoLimite(m: Metricas): Estado {
  const { count, max, can_send } = m.rate_limiter;
  return !can_send || count >= max * 0.9 ? "atencao" : "ok";
}

export function estadoFila(m: Metricas): Estado {
  const total = m.fila.queue_size + m.fila.deferred;
  if (total > FILA_CHEIA) return "critico";
  if (total > FILA_AVISO || (m.fila.oldest_age_s ?? 0) > ESPERA_LONGA_S) return "atencao";
  return "ok";
}

export function estadoFalhas(m: Metricas): Estado {
  return m.failures.last_hour > 0 ? "atencao" : "ok";
}

export function estadoConexao(m: Metricas): Estado {
  const state = m.connection.state;
  return state ? (ESTADO_CONEXAO[state]?.estado ?? "atencao") : "neutro";
}

export function estadoWorkers(m: Metricas): Estado {
  return m.workers.alive > 0 ? "ok" : "critico";
}

export function estadoWebhooks(m: Metricas): Estado {
  if (!m.webhooks.last_received_at) return "neutro";
  return (m.webhooks.lag_s ?? 0) > LAG_ALTO_S ? "atencao" : "ok";
}

export function estadoEntrega(m: Metricas): Estado {
  const taxa = m.delivery.failure_rate_24h;
  if (taxa >= 0.2) return "critico";
  return taxa >= 0.05 ? "atencao" : "ok";
}
