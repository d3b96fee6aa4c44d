/**
 * The contractor's link: public endpoints where the token in the path is the
 * credential. Never the operator's session: no Bearer header, and a 401 here means
 * a bad link, not an expired login (no redirect to /login).
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { components } from "../../lib/api-types";
import { apiPublica, corpo, urlDaApi } from "../../lib/api/cliente";
import { ApiError, RESPOSTA_INVALIDA, SEM_CONEXAO, erroDaResposta, lerJson } from "../../lib/http";

export type VisaoPrestador = components["schemas"]["PrestadorChamadoOut"];
export type ArquivoPrestador = components["schemas"]["ArquivoPrestadorOut"];

/** The link's token is the `{token}` of every path here. */
const doLink = (token: string) => ({ path: { token } });

export const prestadorKeys = {
  visao: (token: string) => ["prestador", token] as const,
};

export function obterVisao(token: string, signal?: AbortSignal): Promise<VisaoPrestador> {
  return corpo(apiPublica.GET("/api/prestador/{token}", { params: doLink(token), signal }));
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

/** What the server answers for a file it took, checked (XMLHttpRequest answers text). */
function ehArquivo(corpo: unknown): corpo is ArquivoPrestador {
  return (
    typeof corpo === "object" &&
    corpo !== null &&
    "id" in corpo &&
    typeof corpo.id === "number" &&
    "nome_arquivo" in corpo &&
    typeof corpo.nome_arquivo === "string"
  );
}

/**
 * fetch cannot report upload progress; XMLHttpRequest can. So this one call does not
 * go through the client: its URL comes from the same typed paths (urlDaApi), its
 * errors become the same ApiError, and no token is sent (the link is the credential).
 */
export function enviarArquivo(
  token: string,
  arquivo: File,
  caption: string,
  aoProgredir?: (fracao: number) => void,
): Promise<ArquivoPrestador> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", urlDaApi("post", "/api/prestador/{token}/arquivos", doLink(token)));
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (evento) => {
      if (evento.lengthComputable && evento.total > 0) aoProgredir?.(evento.loaded / evento.total);
    };
    xhr.onload = () => {
      const corpo = lerJson(xhr.responseText);
      if (xhr.status < 200 || xhr.status >= 300) reject(erroDaResposta(xhr.status, corpo));
      else if (ehArquivo(corpo)) resolve(corpo);
      else reject(new ApiError(xhr.status, "resposta_invalida", RESPOSTA_INVALIDA));
    };
    xhr.onerror = () => reject(new ApiError(0, "sem_conexao", SEM_CONEXAO));
    const formulario = new FormData();
    formulario.append("arquivo", arquivo);
    if (caption.trim()) formulario.append("caption", caption.trim());
    xhr.send(formulario);
  });
}

export function concluir(token: string, observacao: string): Promise<VisaoPrestador> {
  const texto = observacao.trim();
  return corpo(
    apiPublica.POST("/api/prestador/{token}/concluir", {
      params: doLink(token),
      body: texto ? { observacao: texto } : {},
    }),
  );
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
