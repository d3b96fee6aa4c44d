/** Administrators only: the MegaAPI credentials and the automation rules. */
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, corpo, semCorpo } from "./cliente";
import type {
  ConfiguracaoWhatsApp,
  ConfiguracaoWhatsAppIn,
  Regra,
  RegraIn,
  RegraUpdate,
  TestarRegrasOut,
} from "../types";

export const adminKeys = {
  all: ["admin"] as const,
  whatsapp: ["admin", "whatsapp"] as const,
  regras: ["admin", "regras"] as const,
  regra: (id: number) => ["admin", "regras", id] as const,
};

// -- MegaAPI configuration -------------------------------------------------------------

export function obterConfigWhatsApp(signal?: AbortSignal): Promise<ConfiguracaoWhatsApp> {
  return corpo(api.GET("/api/admin/whatsapp/config", { signal }));
}

export const configWhatsAppQuery = () =>
  queryOptions({
    queryKey: adminKeys.whatsapp,
    queryFn: ({ signal }) => obterConfigWhatsApp(signal),
  });

export function useConfigWhatsApp() {
  return useQuery(configWhatsAppQuery());
}

/** `token` omitted keeps the one already saved (it is never read back). */
export function salvarConfigWhatsApp(dados: ConfiguracaoWhatsAppIn): Promise<ConfiguracaoWhatsApp> {
  return corpo(api.PUT("/api/admin/whatsapp/config", { body: dados }));
}

export function useSalvarConfigWhatsApp() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: salvarConfigWhatsApp,
    onSuccess: (config) => qc.setQueryData(configWhatsAppQuery().queryKey, config),
  });
}

// -- automation rules ------------------------------------------------------------------

/** In the order they are applied (ordem, then id). */
export function listarRegras(signal?: AbortSignal): Promise<Regra[]> {
  return corpo(api.GET("/api/admin/automacao/regras", { signal }));
}

export const regrasQuery = () =>
  queryOptions({
    queryKey: adminKeys.regras,
    queryFn: ({ signal }) => listarRegras(signal),
  });

export function useRegras() {
  return useQuery(regrasQuery());
}

export function criarRegra(dados: RegraIn): Promise<Regra> {
  return corpo(api.POST("/api/admin/automacao/regras", { body: dados }));
}

export function atualizarRegra(id: number, dados: RegraUpdate): Promise<Regra> {
  return corpo(
    api.PATCH("/api/admin/automacao/regras/{regra_id}", {
      params: { path: { regra_id: id } },
      body: dados,
    }),
  );
}

export function removerRegra(id: number): Promise<void> {
  return semCorpo(
    api.DELETE("/api/admin/automacao/regras/{regra_id}", { params: { path: { regra_id: id } } }),
  );
}

/** Which active rules would fire for this text (nothing is sent or changed). */
export function testarRegras(texto: string): Promise<TestarRegrasOut> {
  return corpo(api.POST("/api/admin/automacao/testar", { body: { texto } }));
}

function useAoMudarRegras() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: regrasQuery().queryKey });
}

export function useCriarRegra() {
  const aoMudar = useAoMudarRegras();
  return useMutation({ mutationFn: criarRegra, onSuccess: aoMudar });
}

export function useAtualizarRegra() {
  const aoMudar = useAoMudarRegras();
  return useMutation({
    mutationFn: ({ id, dados }: { id: number; dados: RegraUpdate }) => atualizarRegra(id, dados),
    onSuccess: aoMudar,
  });
}

export function useRemoverRegra() {
  const aoMudar = useAoMudarRegras();
  return useMutation({ mutationFn: removerRegra, onSuccess: aoMudar });
}

export function useTestarRegras() {
  return useMutation({ mutationFn: testarRegras });
}
