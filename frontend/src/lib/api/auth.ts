import { queryOptions, useMutation, useQuery } from "@tanstack/react-query";
import { api, apiPublica, corpo, semCorpo } from "./cliente";
import { encerrarSessao, iniciarSessao } from "../session";
import type { TokenOut, Usuario } from "../types";

export interface Credenciais {
  email: string;
  senha: string;
}

export function login(credenciais: Credenciais): Promise<TokenOut> {
  // Public: a 401 here is a wrong password, not an expired session.
  return corpo(apiPublica.POST("/api/auth/login", { body: credenciais }));
}

export function useLogin() {
  return useMutation({
    mutationFn: login,
    onSuccess: (dados) => iniciarSessao(dados.access_token, dados.usuario, dados.expires_in),
  });
}

/**
 * "Sair": the server ends every session of the user (other tabs and devices too).
 * The request takes the token before the local session ends, so leaving is instant
 * and happens even offline (the token then dies at its expiry).
 */
export function logout(): Promise<void> {
  const pedido = semCorpo(api.POST("/api/auth/logout")).then(
    () => undefined,
    () => undefined,
  );
  encerrarSessao("saiu");
  return pedido;
}

export function obterMe(signal?: AbortSignal): Promise<Usuario> {
  return corpo(api.GET("/api/auth/me", { signal }));
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
