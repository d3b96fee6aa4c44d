/**
 * The contractor's link: public endpoints where the token in the path is the
 * credential. Never the operator's session: no Bearer header, and a 401 here means
 * a bad link, not an expired login (no redirect to /login).
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { components } from "../../lib/api-types";
import { ApiError, api, erroDaResposta } from "../../lib/http";

export type VisaoPrestador = components["schemas"]["PrestadorChamadoOut"];
export type ArquivoPrestador = components["schemas"]["ArquivoPrestadorOut"];

const base = (token: string) => `/api/prestador/${encodeURIComponent(token)}`;

export const prestadorKeys = {
  visao: (token: string) => ["prestador", token] as const,
};

export function obterVisao(token: string, signal?: AbortSignal): Promise<VisaoPrestador> {
  return api(base(token), { autenticado: false, signal });
}

export const visaoQuery = (token: string) =>
  queryOptions({
    queryKey: prestadorKeys.visao(token),
    queryFn: ({ signal }) => obterVisao(token, signal),
    // Each view is logged as a use of the link: no refetch on every tab switch.
    staleTime: 60_000,
    refetchOnWindowFocus: false,
  });

export function useVisaoPrestador(token: string) {
  return useQuery(visaoQuery(token));
}

/** fetch cannot report upload progress; XMLHttpRequest can. */
export function enviarArquivo(
  token: string,
  arquivo: File,
  caption: string,
  aoProgredir?: (fracao: number) => void,
): Promise<ArquivoPrestador> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `${base(token)}/arquivos`);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (evento) => {
      if (evento.lengthComputable && evento.total > 0) aoProgredir?.(evento.loaded / evento.total);
    };
    xhr.onload = () => {
      let corpo: unknown = null;
      try {
        corpo = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        corpo = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(corpo as ArquivoPrestador);
      else reject(erroDaResposta(xhr.status, corpo));
    };
    xhr.onerror = () =>
      reject(new ApiError(0, "sem_conexao", "Sem conexão com o servidor. Verifique a rede."));
    const formulario = new FormData();
    formulario.append("arquivo", arquivo);
    if (caption.trim()) formulario.append("caption", caption.trim());
    xhr.send(formulario);
  });
}

export function concluir(token: string, observacao: string): Promise<VisaoPrestador> {
  const texto = observacao.trim();
  return api(`${base(token)}/concluir`, {
    method: "POST",
    body: texto ? { observacao: texto } : {},
    autenticado: false,
  });
}

/** A file the server took goes straight into the cached view (no re-read of the link). */
export function useIncluirArquivo(token: string) {
  const qc = useQueryClient();
  return (arquivo: ArquivoPrestador) =>
    qc.setQueryData<VisaoPrestador>(prestadorKeys.visao(token), (visao) =>
      visao && !visao.arquivos.some((a) => a.id === arquivo.id)
        ? { ...visao, arquivos: [...visao.arquivos, arquivo] }
        : visao,
    );
}

export function useConcluir(token: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (observacao: string) => concluir(token, observacao),
    onSuccess: (visao) => qc.setQueryData(prestadorKeys.visao(token), visao),
  });
}
