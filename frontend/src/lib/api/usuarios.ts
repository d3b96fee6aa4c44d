/** Administrators only: the accounts of operators and administrators. */
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, corpo } from "./cliente";
import type { Usuario, UsuarioCreate, UsuarioUpdate } from "../types";
import { meQuery } from "./auth";

export const usuariosKeys = {
  all: ["usuarios"] as const,
  lista: ["usuarios", "lista"] as const,
};

/** By name. */
export function listarUsuarios(signal?: AbortSignal): Promise<Usuario[]> {
  return corpo(api.GET("/api/admin/usuarios", { signal }));
}

export const usuariosQuery = () =>
  queryOptions({
    queryKey: usuariosKeys.lista,
    queryFn: ({ signal }) => listarUsuarios(signal),
  });

export function useUsuarios() {
  return useQuery(usuariosQuery());
}

export function criarUsuario(dados: UsuarioCreate): Promise<Usuario> {
  return corpo(api.POST("/api/admin/usuarios", { body: dados }));
}

/** Only the fields sent change; `ativo: false` ends that user's access at once. */
export function atualizarUsuario(id: number, dados: UsuarioUpdate): Promise<Usuario> {
  return corpo(
    api.PATCH("/api/admin/usuarios/{usuario_id}", {
      params: { path: { usuario_id: id } },
      body: dados,
    }),
  );
}

function useAoMudar() {
  const qc = useQueryClient();
  return () => {
    // The signed-in user may have changed their own name.
    void qc.invalidateQueries({ queryKey: meQuery().queryKey });
    return qc.invalidateQueries({ queryKey: usuariosQuery().queryKey });
  };
}

export function useCriarUsuario() {
  const aoMudar = useAoMudar();
  return useMutation({ mutationFn: criarUsuario, onSuccess: aoMudar });
}

export function useAtualizarUsuario() {
  const aoMudar = useAoMudar();
  return useMutation({
    mutationFn: ({ id, dados }: { id: number; dados: UsuarioUpdate }) =>
      atualizarUsuario(id, dados),
    onSuccess: aoMudar,
  });
}
