/**
 * SLA: business hours, holidays, deadlines per priority and the automatic follow-up
 * ladder (every user reads them; only administrators change them), and one
 * chamado's deadlines and follow-up.
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, corpo, semCorpo } from "./cliente";
import { chamadosKeys, historicoQuery } from "./chamados";
import type {
  ChamadoSla,
  Etapa,
  EtapaIn,
  ExpedienteIn,
  Feriado,
  FeriadoIn,
  PoliticaIn,
  Prioridade,
  Sla,
} from "../types";

export const slaKeys = {
  all: ["sla"] as const,
};

// -- the policy ------------------------------------------------------------------------

/** The whole policy; what was never changed comes with the defaults. */
export function obterSla(signal?: AbortSignal): Promise<Sla> {
  return corpo(api.GET("/api/sla", { signal }));
}

export const slaQuery = () =>
  queryOptions({
    queryKey: slaKeys.all,
    queryFn: ({ signal }) => obterSla(signal),
  });

export function useSla() {
  return useQuery(slaQuery());
}

export function salvarExpediente(dados: ExpedienteIn): Promise<Sla> {
  return corpo(api.PUT("/api/sla/expediente", { body: dados }));
}

export function salvarPolitica(prioridade: Prioridade, dados: PoliticaIn): Promise<Sla> {
  return corpo(
    api.PUT("/api/sla/politicas/{prioridade}", { params: { path: { prioridade } }, body: dados }),
  );
}

export function salvarEtapa(etapa: Etapa, dados: EtapaIn): Promise<Sla> {
  return corpo(api.PUT("/api/sla/etapas/{etapa}", { params: { path: { etapa } }, body: dados }));
}

/** A company date off (a municipal holiday, a closure); the same date again renames it. */
export function adicionarFeriado(dados: FeriadoIn): Promise<Feriado> {
  return corpo(api.POST("/api/sla/feriados", { body: dados }));
}

/** `data`: AAAA-MM-DD. */
export function removerFeriado(data: string): Promise<void> {
  return semCorpo(api.DELETE("/api/sla/feriados/{data}", { params: { path: { data } } }));
}

/** The PUTs answer the whole policy: it replaces the cached one, no refetch needed. */
function useAoSalvarSla() {
  const qc = useQueryClient();
  return (sla: Sla) => qc.setQueryData(slaQuery().queryKey, sla);
}

export function useSalvarExpediente() {
  const aoSalvar = useAoSalvarSla();
  return useMutation({ mutationFn: salvarExpediente, onSuccess: aoSalvar });
}

export function useSalvarPolitica() {
  const aoSalvar = useAoSalvarSla();
  return useMutation({
    mutationFn: ({ prioridade, dados }: { prioridade: Prioridade; dados: PoliticaIn }) =>
      salvarPolitica(prioridade, dados),
    onSuccess: aoSalvar,
  });
}

export function useSalvarEtapa() {
  const aoSalvar = useAoSalvarSla();
  return useMutation({
    mutationFn: ({ etapa, dados }: { etapa: Etapa; dados: EtapaIn }) => salvarEtapa(etapa, dados),
    onSuccess: aoSalvar,
  });
}

function useAoMudarFeriados() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: slaQuery().queryKey });
}

export function useAdicionarFeriado() {
  const aoMudar = useAoMudarFeriados();
  return useMutation({ mutationFn: adicionarFeriado, onSuccess: aoMudar });
}

export function useRemoverFeriado() {
  const aoMudar = useAoMudarFeriados();
  return useMutation({ mutationFn: removerFeriado, onSuccess: aoMudar });
}

// -- one chamado -----------------------------------------------------------------------

/** Its deadlines (in business time), the message still unanswered, the steps taken. */
export function obterSlaDoChamado(id: number, signal?: AbortSignal): Promise<ChamadoSla> {
  return corpo(
    api.GET("/api/chamados/{chamado_id}/sla", { params: { path: { chamado_id: id } }, signal }),
  );
}

export const slaDoChamadoQuery = (id: number) =>
  queryOptions({
    queryKey: chamadosKeys.sla(id),
    queryFn: ({ signal }) => obterSlaDoChamado(id, signal),
  });

export function useSlaDoChamado(id: number, enabled = true) {
  return useQuery({ ...slaDoChamadoQuery(id), enabled });
}

export function pausarCobranca(id: number, pausada: boolean): Promise<ChamadoSla> {
  return corpo(
    api.PUT("/api/chamados/{chamado_id}/cobranca-automatica", {
      params: { path: { chamado_id: id } },
      body: { pausada },
    }),
  );
}

export function usePausarCobranca(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (pausada: boolean) => pausarCobranca(id, pausada),
    onSuccess: (sla) => {
      qc.setQueryData(slaDoChamadoQuery(id).queryKey, sla);
      // The pause is a line of the chamado's history.
      void qc.invalidateQueries({ queryKey: historicoQuery(id).queryKey });
    },
  });
}
