/**
 * Desempenho: the contractors' figures over a period (the ranking, one contractor's
 * scorecard and weekly trend), who is getting worse, and how fast operators answer
 * (administrators only). The server recomputes the figures every minute: a minute
 * of staleness costs nothing and spares a request on every visit.
 */
import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { api, corpo } from "./cliente";
import type {
  AtencaoTerceirizado,
  DetalheDesempenho,
  Prioridade,
  Ranking,
  TemposOperadores,
} from "../types";

/** Days as `YYYY-MM-DD`, `ate` included (the server's default: the 30 days to today). */
export interface Periodo {
  de: string;
  ate: string;
}

export interface FiltrosRanking extends Periodo {
  prioridade?: Prioridade;
  /** Part of the building / place of the chamado. */
  local?: string;
}

const ATUALIZADO_A_CADA_MS = 60_000;

export const desempenhoKeys = {
  all: ["desempenho"] as const,
  ranking: (filtros: FiltrosRanking) => ["desempenho", "ranking", filtros] as const,
  terceirizado: (id: number, periodo: Periodo) =>
    ["desempenho", "terceirizado", id, periodo] as const,
  atencao: (ate: string) => ["desempenho", "atencao", ate] as const,
  operadores: (periodo: Periodo) => ["desempenho", "operadores", periodo] as const,
};

export function obterRanking(filtros: FiltrosRanking, signal?: AbortSignal): Promise<Ranking> {
  return corpo(api.GET("/api/desempenho/terceirizados", { params: { query: filtros }, signal }));
}

export const rankingQuery = (filtros: FiltrosRanking) =>
  queryOptions({
    queryKey: desempenhoKeys.ranking(filtros),
    queryFn: ({ signal }) => obterRanking(filtros, signal),
    staleTime: ATUALIZADO_A_CADA_MS,
  });

/** While other filters load, the table keeps the previous numbers instead of blinking. */
export function useRanking(filtros: FiltrosRanking) {
  return useQuery({ ...rankingQuery(filtros), placeholderData: keepPreviousData });
}

export function obterDesempenhoTerceirizado(
  id: number,
  periodo: Periodo,
  signal?: AbortSignal,
): Promise<DetalheDesempenho> {
  return corpo(
    api.GET("/api/desempenho/terceirizados/{terceirizado_id}", {
      params: { path: { terceirizado_id: id }, query: periodo },
      signal,
    }),
  );
}

export const desempenhoTerceirizadoQuery = (id: number, periodo: Periodo) =>
  queryOptions({
    queryKey: desempenhoKeys.terceirizado(id, periodo),
    queryFn: ({ signal }) => obterDesempenhoTerceirizado(id, periodo, signal),
    staleTime: ATUALIZADO_A_CADA_MS,
  });

export function useDesempenhoTerceirizado(id: number, periodo: Periodo) {
  return useQuery({
    ...desempenhoTerceirizadoQuery(id, periodo),
    enabled: id > 0,
    placeholderData: keepPreviousData,
  });
}

/** Contractors getting worse: the 30 days to `ate` against the 60 before them. */
export function obterAtencao(ate: string, signal?: AbortSignal): Promise<AtencaoTerceirizado[]> {
  return corpo(api.GET("/api/desempenho/atencao", { params: { query: { ate } }, signal }));
}

export const atencaoQuery = (ate: string) =>
  queryOptions({
    queryKey: desempenhoKeys.atencao(ate),
    queryFn: ({ signal }) => obterAtencao(ate, signal),
    staleTime: ATUALIZADO_A_CADA_MS,
  });

export function useAtencao(ate: string) {
  return useQuery(atencaoQuery(ate));
}

/** Administrators only (403 for operators): only their screens ask. */
export function obterTemposOperadores(
  periodo: Periodo,
  signal?: AbortSignal,
): Promise<TemposOperadores> {
  return corpo(api.GET("/api/desempenho/operadores", { params: { query: periodo }, signal }));
}

export const temposOperadoresQuery = (periodo: Periodo) =>
  queryOptions({
    queryKey: desempenhoKeys.operadores(periodo),
    queryFn: ({ signal }) => obterTemposOperadores(periodo, signal),
    staleTime: ATUALIZADO_A_CADA_MS,
  });

export function useTemposOperadores(periodo: Periodo) {
  return useQuery({ ...temposOperadoresQuery(periodo), placeholderData: keepPreviousData });
}
