import {
  type InfiniteData,
  type QueryClient,
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { mantidoPorEventos } from "./aoVivo";
import { api, corpo } from "./cliente";
import type {
  Chamado,
  ChamadoComMensagem,
  ChamadoCreate,
  ChamadoInfo,
  ChamadoUpdate,
  Historico,
  Mensagem,
  Page,
  Prioridade,
  ResponderIn,
  StatusChamado,
} from "../types";
import { conversasKeys, mensagensQuery } from "./conversas";
import { listaInfinita } from "./listaInfinita";

export interface FiltrosChamados {
  status?: StatusChamado;
  prioridade?: Prioridade;
  atrasados?: boolean;
  terceirizado_id?: number;
}

export const chamadosKeys = {
  all: ["chamados"] as const,
  listas: ["chamados", "lista"] as const,
  lista: (filtros: FiltrosChamados) => ["chamados", "lista", filtros] as const,
  detalhe: (id: number) => ["chamados", "detalhe", id] as const,
  info: (id: number) => ["chamados", "info", id] as const,
  // Under the info key: whatever refreshes the panel (a live event, a change made
  // here) refreshes the deadlines and the follow-up with it, as they move together.
  sla: (id: number) => ["chamados", "info", id, "sla"] as const,
  historico: (id: number) => ["chamados", "historico", id] as const,
};

const doChamado = (id: number) => ({ path: { chamado_id: id } });

export function listarChamados(
  filtros: FiltrosChamados,
  cursor?: string | null,
  signal?: AbortSignal,
): Promise<Page<Chamado>> {
  return corpo(api.GET("/api/chamados", { params: { query: { ...filtros, cursor } }, signal }));
}

export const chamadosQuery = (filtros: FiltrosChamados) =>
  listaInfinita(chamadosKeys.lista(filtros), (cursor, signal) =>
    listarChamados(filtros, cursor, signal),
  );

export function useChamados(filtros: FiltrosChamados) {
  return useInfiniteQuery(chamadosQuery(filtros));
}

export function obterChamado(id: number, signal?: AbortSignal): Promise<Chamado> {
  return corpo(api.GET("/api/chamados/{chamado_id}", { params: doChamado(id), signal }));
}

export const chamadoQuery = (id: number) =>
  queryOptions({
    queryKey: chamadosKeys.detalhe(id),
    queryFn: ({ signal }) => obterChamado(id, signal),
  });

/** `aoVivo`: the interval useLiveUpdates answers, for a screen that follows the chamado live. */
export function useChamado(id: number, aoVivo?: number | false) {
  return useQuery({
    ...chamadoQuery(id),
    ...(aoVivo === undefined ? {} : mantidoPorEventos(aoVivo)),
  });
}

export function obterInfo(id: number, signal?: AbortSignal): Promise<ChamadoInfo> {
  return corpo(api.GET("/api/chamados/{chamado_id}/info", { params: doChamado(id), signal }));
}

export const infoQuery = (id: number) =>
  queryOptions({
    queryKey: chamadosKeys.info(id),
    queryFn: ({ signal }) => obterInfo(id, signal),
  });

export function useInfo(id: number, enabled = true) {
  return useQuery({ ...infoQuery(id), enabled });
}

/** What happened to the chamado, oldest first. */
export function obterHistorico(id: number, signal?: AbortSignal): Promise<Historico[]> {
  return corpo(api.GET("/api/chamados/{chamado_id}/historico", { params: doChamado(id), signal }));
}

export const historicoQuery = (id: number) =>
  queryOptions({
    queryKey: chamadosKeys.historico(id),
    queryFn: ({ signal }) => obterHistorico(id, signal),
  });

export function useHistorico(id: number, enabled = true) {
  return useQuery({ ...historicoQuery(id), enabled });
}

export function criarChamado(dados: ChamadoCreate): Promise<ChamadoComMensagem> {
  return corpo(api.POST("/api/chamados", { body: dados }));
}

export function atualizarChamado(id: number, dados: ChamadoUpdate): Promise<Chamado> {
  return corpo(api.PATCH("/api/chamados/{chamado_id}", { params: doChamado(id), body: dados }));
}

export function cobrarChamado(id: number): Promise<ChamadoComMensagem> {
  return corpo(api.POST("/api/chamados/{chamado_id}/cobrar", { params: doChamado(id) }));
}

/** `citada_id`: the reply quotes that message of the chamado, as WhatsApp shows a reply. */
export function responderChamado(id: number, dados: ResponderIn): Promise<ChamadoComMensagem> {
  return corpo(
    api.POST("/api/chamados/{chamado_id}/responder", { params: doChamado(id), body: dados }),
  );
}

export function finalizarChamado(id: number): Promise<ChamadoComMensagem> {
  return corpo(api.POST("/api/chamados/{chamado_id}/finalizar", { params: doChamado(id) }));
}

/** Put a message the server just answered with into the chat's newest page. */
function incluirMensagem(qc: QueryClient, mensagem: Mensagem): void {
  if (mensagem.chamado_id == null) return;
  qc.setQueryData<InfiniteData<Page<Mensagem>>>(
    mensagensQuery(mensagem.chamado_id).queryKey,
    (dados) => {
      const [recente, ...antigas] = dados?.pages ?? [];
      if (!dados || !recente) return dados;
      if (dados.pages.some((p) => p.items.some((m) => m.id === mensagem.id))) return dados;
      return { ...dados, pages: [{ ...recente, items: [...recente.items, mensagem] }, ...antigas] };
    },
  );
}

/** A chamado changed (and maybe got a message): refresh every view of it. */
export function useAoMudarChamado() {
  const qc = useQueryClient();
  return (chamado: Chamado, mensagem?: Mensagem) => {
    qc.setQueryData(chamadoQuery(chamado.id).queryKey, chamado);
    if (mensagem) incluirMensagem(qc, mensagem);
    // Not awaited: the caller goes on at once, the views refresh behind it.
    void Promise.all([
      qc.invalidateQueries({ queryKey: chamadosKeys.listas }),
      qc.invalidateQueries({ queryKey: infoQuery(chamado.id).queryKey }),
      qc.invalidateQueries({ queryKey: historicoQuery(chamado.id).queryKey }),
      qc.invalidateQueries({ queryKey: conversasKeys.listas }),
      qc.invalidateQueries({ queryKey: mensagensQuery(chamado.id).queryKey }),
    ]);
  };
}

export function useCriarChamado() {
  const aoMudar = useAoMudarChamado();
  return useMutation({
    mutationFn: criarChamado,
    onSuccess: (r) => aoMudar(r.chamado, r.mensagem),
  });
}

export function useAtualizarChamado(id: number) {
  const aoMudar = useAoMudarChamado();
  return useMutation({
    mutationFn: (dados: ChamadoUpdate) => atualizarChamado(id, dados),
    onSuccess: (chamado) => aoMudar(chamado),
  });
}

export function useCobrarChamado() {
  const aoMudar = useAoMudarChamado();
  return useMutation({
    mutationFn: cobrarChamado,
    onSuccess: (r) => aoMudar(r.chamado, r.mensagem),
  });
}

export function useResponderChamado(id: number) {
  const aoMudar = useAoMudarChamado();
  return useMutation({
    mutationFn: (dados: ResponderIn) => responderChamado(id, dados),
    onSuccess: (r) => aoMudar(r.chamado, r.mensagem),
  });
}

export function useFinalizarChamado() {
  const aoMudar = useAoMudarChamado();
  return useMutation({
    mutationFn: finalizarChamado,
    onSuccess: (r) => aoMudar(r.chamado, r.mensagem),
  });
}
