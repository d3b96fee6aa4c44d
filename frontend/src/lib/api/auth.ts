import { queryOptions, useMutation, useQuery } from "@tanstack/react-query";
import { api } from "../http";
import { iniciarSessao } from "../session";
import type { TokenOut, Usuario } from "../types";

export interface Credenciais {
  email: string;
  senha: string;
}

export function login(credenciais: Credenciais): Promise<TokenOut> {
  return api<TokenOut>("/api/auth/login", {
    method: "POST",
    body: credenciais,
    autenticado: false,
  });
}

export function useLogin() {
  return useMutation({
    mutationFn: login,
    onSuccess: (dados) => iniciarSessao(dados.access_token, dados.usuario, dados.expires_in),
  });
}

export function obterMe(signal?: AbortSignal): Promise<Usuario> {
  return api<Usuario>("/api/auth/me", { signal });
}

export const meQuery = () =>
  queryOptions({
    queryKey: ["auth", "me"] as const,
    queryFn: ({ signal }) => obterMe(signal),
    staleTime: 5 * 60_000,
  });

export function useMe() {
  return useQuery(meQuery());
}
