/**
 * Quick replies (respostas rápidas): saved texts with variables, the shared ones and
 * the operator's own, filled by the server for the chamado they go to.
 */
import { useQuery } from "@tanstack/react-query";
import { api, corpo } from "./cliente";
import type { RespostaRapida } from "../types";

export const respostasRapidasKeys = {
  all: ["respostas-rapidas"] as const,
};

/** Listed once per session and kept: they change only when someone edits them. */
export function useRespostasRapidas(habilitado: boolean) {
  return useQuery({
    queryKey: respostasRapidasKeys.all,
    queryFn: ({ signal }): Promise<RespostaRapida[]> =>
      corpo(api.GET("/api/respostas-rapidas", { signal })),
    enabled: habilitado,
    staleTime: 5 * 60_000,
  });
}

/** The text filled for the chamado ({link_prestador} makes a new link). */
export async function preencherResposta(respostaId: number, chamadoId: number): Promise<string> {
  const { texto } = await corpo(
    api.POST("/api/respostas-rapidas/{resposta_id}/preencher", {
      params: { path: { resposta_id: respostaId }, query: { chamado_id: chamadoId } },
    }),
  );
  return texto;
}
