/**
 * Quick replies (respostas rápidas): saved texts with variables, the shared ones and
 * the operator's own, filled by the server for the chamado they go to.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, corpo, semCorpo } from "./cliente";
import type { RespostaRapida, RespostaRapidaIn, RespostaRapidaUpdate } from "../types";

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

/** Every change refreshes the one list (the composer's picker and the screen). */
function useAoMudar() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: respostasRapidasKeys.all });
}

export function useCriarResposta() {
  const aoMudar = useAoMudar();
  return useMutation({
    mutationFn: (dados: RespostaRapidaIn) =>
      corpo(api.POST("/api/respostas-rapidas", { body: dados })),
    onSuccess: aoMudar,
  });
}

export function useAtualizarResposta() {
  const aoMudar = useAoMudar();
  return useMutation({
    mutationFn: ({ id, dados }: { id: number; dados: RespostaRapidaUpdate }) =>
      corpo(
        api.PATCH("/api/respostas-rapidas/{resposta_id}", {
          params: { path: { resposta_id: id } },
          body: dados,
        }),
      ),
    onSuccess: aoMudar,
  });
}

export function useRemoverResposta() {
  const aoMudar = useAoMudar();
  return useMutation({
    mutationFn: (id: number) =>
      semCorpo(
        api.DELETE("/api/respostas-rapidas/{resposta_id}", {
          params: { path: { resposta_id: id } },
        }),
      ),
    onSuccess: aoMudar,
  });
}
