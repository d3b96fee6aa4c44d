/**
 * How the screens stay live. Today: polling (5 s for the open chat, 30 s for the
 * conversation list). When the API gains SSE (`/api/eventos`), this module opens
 * the EventSource, invalidates the affected query keys on each event and answers
 * `intervalo() === false` while connected, falling back to polling when it drops;
 * the screens only ever ask this hook, so nothing else changes.
 */
export type AlvoAoVivo = "conversa" | "conversas";

export const POLLING_MS: Record<AlvoAoVivo, number> = {
  conversa: 5_000,
  conversas: 30_000,
};

export interface AoVivo {
  modo: "polling" | "sse";
  /** refetchInterval for a query of that kind, or false when events keep it fresh. */
  intervalo: (alvo: AlvoAoVivo) => number | false;
  /** A discreet line for the UI. */
  descricao: (alvo: AlvoAoVivo) => string;
}

const polling: AoVivo = {
  modo: "polling",
  intervalo: (alvo) => POLLING_MS[alvo],
  descricao: (alvo) => `atualização automática a cada ${POLLING_MS[alvo] / 1000}s`,
};

export function useLiveUpdates(): AoVivo {
  return polling;
}
