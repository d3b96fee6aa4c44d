import {
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { api, corpo } from "./cliente";
import { listaInfinita } from "./listaInfinita";
import type { Page, Terceirizado, TerceirizadoCreate, TerceirizadoUpdate } from "../types";

export interface FiltrosTerceirizados {
  busca?: string;
  ativo?: boolean;
  limit?: number;
}

export const terceirizadosKeys = {
  all: ["terceirizados"] as const,
  listas: ["terceirizados", "lista"] as const,
  lista: (filtros: FiltrosTerceirizados) => ["terceirizados", "lista", filtros] as const,
  detalhe: (id: number) => ["terceirizados", "detalhe", id] as const,
};

export function listarTerceirizados(
  filtros: FiltrosTerceirizados,
  cursor?: string | null,
  signal?: AbortSignal,
): Promise<Page<Terceirizado>> {
  return corpo(
    api.GET("/api/terceirizados", { params: { query: { ...filtros, cursor } }, signal }),
  );
}

export const terceirizadosQuery = (filtros: FiltrosTerceirizados) =>
  listaInfinita(terceirizadosKeys.lista(filtros), (cursor, signal) =>
    listarTerceirizados(filtros, cursor, signal),
  );

export function useTerceirizados(filtros: FiltrosTerceirizados, enabled = true) {
  return useInfiniteQuery({ ...terceirizadosQuery(filtros), enabled });
}

export function obterTerceirizado(id: number, signal?: AbortSignal): Promise<Terceirizado> {
  return corpo(
    api.GET("/api/terceirizados/{terceirizado_id}", {
      params: { path: { terceirizado_id: id } },
      signal,
    }),
  );
}

export const terceirizadoQuery = (id: number) =>
  queryOptions({
    queryKey: terceirizadosKeys.detalhe(id),
    queryFn: ({ signal }) => obterTerceirizado(id, signal),
  });

export function useTerceirizado(id: number, enabled = true) {
  return useQuery({ ...terceirizadoQuery(id), enabled: enabled && id > 0 });
}

export function criarTerceirizado(dados: TerceirizadoCreate): Promise<Terceirizado> {
  return corpo(api.POST("/api/terceirizados", { body: dados }));
}

export function atualizarTerceirizado(
  id: number,
  dados: TerceirizadoUpdate,
): Promise<Terceirizado> {
  return corpo(
    api.PATCH("/api/terceirizados/{terceirizado_id}", {
      params: { path: { terceirizado_id: id } },
      body: dados,
    }),
  );
}

export function desativarTerceirizado(id: number): Promise<Terceirizado> {
  return corpo(
    api.POST("/api/terceirizados/{terceirizado_id}/desativar", {
      params: { path: { terceirizado_id: id } },
    }),
  );
}

function useAoMudar() {
  const qc = useQueryClient();
  return (terceirizado: Terceirizado) => {
    qc.setQueryData(terceirizadoQuery(terceirizado.id).queryKey, terceirizado);
    return qc.invalidateQueries({ queryKey: terceirizadosKeys.listas });
  };
}

export function useCriarTerceirizado() {
  const aoMudar = useAoMudar();
  return useMutation({ mutationFn: criarTerceirizado, onSuccess: aoMudar });
}

export function useAtualizarTerceirizado(id: number) {
  const aoMudar = useAoMudar();
  return useMutation({
    mutationFn: (dados: TerceirizadoUpdate) => atualizarTerceirizado(id, dados),
    onSuccess: aoMudar,
  });
}

export function useDesativarTerceirizado() {
  const aoMudar = useAoMudar();
  return useMutation({ mutationFn: desativarTerceirizado, onSuccess: aoMudar });
}

export function useReativarTerceirizado() {
  const aoMudar = useAoMudar();
  return useMutation({
    mutationFn: (id: number) => atualizarTerceirizado(id, { ativo: true }),
    onSuccess: aoMudar,
  });
}
