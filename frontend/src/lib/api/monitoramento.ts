/**
 * The WhatsApp operations panel (any signed-in user) and the incidents' history.
 * The panel is polled every few seconds by whoever shows it (the monitoring page,
 * the central's breaker banner: one shared query), and refetched at once when an
 * `alerta` or `conexao` event arrives (lib/live/eventos.ts).
 */
import { queryOptions, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api, corpo } from "./cliente";
import { listaInfinita } from "./listaInfinita";
import type { Alerta, Metricas, Page, ResultadosCobranca } from "../types";

/** The server caches the panel for 2 s; every screen showing it polls at this pace. */
export const METRICAS_POLLING_MS = 5_000;

export interface FiltrosAlertas {
  abertos?: boolean;
  limit?: number;
}

export const monitoramentoKeys = {
  all: ["monitoramento"] as const,
  metricas: ["monitoramento", "metricas"] as const,
  alertas: ["monitoramento", "alertas"] as const,
  listaAlertas: (filtros: FiltrosAlertas) => ["monitoramento", "alertas", filtros] as const,
  cobrancas: (dias: number) => ["monitoramento", "cobrancas", dias] as const,
};

export function obterMetricas(signal?: AbortSignal): Promise<Metricas> {
  return corpo(api.GET("/api/monitoramento/whatsapp", { signal }));
}

export const metricasQuery = () =>
  queryOptions({
    queryKey: monitoramentoKeys.metricas,
    queryFn: ({ signal }) => obterMetricas(signal),
  });

/** The panel, refetched every `refetchInterval` while the calling screen is mounted. */
export function useMetricas(refetchInterval: number | false = METRICAS_POLLING_MS) {
  return useQuery({ ...metricasQuery(), refetchInterval });
}

/** Newest first. */
export function listarAlertas(
  filtros: FiltrosAlertas,
  cursor?: string | null,
  signal?: AbortSignal,
): Promise<Page<Alerta>> {
  return corpo(
    api.GET("/api/monitoramento/alertas", { params: { query: { ...filtros, cursor } }, signal }),
  );
}

export const alertasQuery = (filtros: FiltrosAlertas) =>
  listaInfinita(monitoramentoKeys.listaAlertas(filtros), (cursor, signal) =>
    listarAlertas(filtros, cursor, signal),
  );

export function useAlertas(filtros: FiltrosAlertas) {
  return useInfiniteQuery(alertasQuery(filtros));
}

/** What each step of the automatic follow-up achieved in the last `dias` days. */
export function obterResultadosCobranca(
  dias: number,
  signal?: AbortSignal,
): Promise<ResultadosCobranca> {
  return corpo(api.GET("/api/sla/resultados", { params: { query: { dias } }, signal }));
}

export function useResultadosCobranca(dias: number) {
  return useQuery({
    queryKey: monitoramentoKeys.cobrancas(dias),
    queryFn: ({ signal }) => obterResultadosCobranca(dias, signal),
  });
}
