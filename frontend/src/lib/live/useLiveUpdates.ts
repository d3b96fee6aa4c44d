/**
 * How the screens stay live: Server-Sent Events from `/api/eventos` update the
 * query cache as things happen (see conexao.ts and eventos.ts); while the stream
 * is down the screens fall back to polling (5 s for the open chat, 30 s for the
 * conversation list) and say so. Screens only ever ask this hook.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useSyncExternalStore } from "react";
import { useSessao } from "../session";
import { type ModoAoVivo, conexaoDe } from "./conexao";
import { useOnline } from "./useOnline";

export type AlvoAoVivo = "conversa" | "conversas";

export const POLLING_MS: Record<AlvoAoVivo, number> = {
  conversa: 5_000,
  conversas: 30_000,
};

export interface AoVivo {
  /** The stream's state, or "offline" while the browser has no network at all. */
  modo: ModoAoVivo | "offline";
  /** refetchInterval for a query of that kind, or false when events keep it fresh. */
  intervalo: (alvo: AlvoAoVivo) => number | false;
  /** A discreet line for the UI. */
  descricao: (alvo: AlvoAoVivo) => string;
}

const AO_VIVO: Record<ModoAoVivo, AoVivo> = {
  sse: { modo: "sse", intervalo: () => false, descricao: () => "ao vivo" },
  // Polls meanwhile: the stream usually opens long before the first interval ends.
  conectando: {
    modo: "conectando",
    intervalo: (alvo) => POLLING_MS[alvo],
    descricao: () => "conectando ao vivo…",
  },
  polling: {
    modo: "polling",
    intervalo: (alvo) => POLLING_MS[alvo],
    descricao: (alvo) => `sem conexão ao vivo — atualizando a cada ${POLLING_MS[alvo] / 1000}s`,
  },
};

/**
 * The browser says it has no network: whatever the stream last said (it takes a
 * few seconds to notice), nothing is live. Queries pause by themselves meanwhile
 * (TanStack Query's online mode) and resume on the `online` event.
 */
const SEM_REDE: AoVivo = {
  modo: "offline",
  intervalo: (alvo) => POLLING_MS[alvo],
  descricao: () => "sem conexão",
};

/** Keeps the app's event stream open while mounted; answers how fresh data stays. */
export function useLiveUpdates(): AoVivo {
  const conexao = conexaoDe(useQueryClient());
  const token = useSessao()?.token ?? null;
  useEffect(() => conexao.usar(token), [conexao, token]);
  const modo = useSyncExternalStore(conexao.assinar, conexao.getModo, conexao.getModo);
  const online = useOnline();
  return online ? AO_VIVO[modo] : SEM_REDE;
}
