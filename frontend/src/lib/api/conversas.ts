import {
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { mantidoPorEventos } from "./aoVivo";
import { api, corpo } from "./cliente";
import { listaInfinita } from "./listaInfinita";
import type { InfiniteData } from "@tanstack/react-query";
import type {
  AtribuirIn,
  Conversa,
  LidasOut,
  Mensagem,
  Page,
  PaginaNaoAtribuidas,
  ResultadoBusca,
  StatusChamado,
} from "../types";

/** The central's quick filters (GET /api/conversas?situacao=). */
export type Situacao = "atrasados" | "vencendo_hoje" | "sem_resposta";

export interface FiltrosConversas {
  status?: StatusChamado;
  busca?: string;
  situacao?: Situacao;
}

export const conversasKeys = {
  all: ["conversas"] as const,
  listas: ["conversas", "lista"] as const,
  lista: (filtros: FiltrosConversas) => ["conversas", "lista", filtros] as const,
  mensagens: (chamadoId: number) => ["conversas", "mensagens", chamadoId] as const,
  naoAtribuidas: ["conversas", "nao-atribuidas"] as const,
  busca: (q: string) => ["conversas", "busca", q] as const,
};

export function listarConversas(
  filtros: FiltrosConversas,
  cursor?: string | null,
  signal?: AbortSignal,
): Promise<Page<Conversa>> {
  return corpo(api.GET("/api/conversas", { params: { query: { ...filtros, cursor } }, signal }));
}

export const conversasQuery = (filtros: FiltrosConversas) =>
  listaInfinita(conversasKeys.lista(filtros), (cursor, signal) =>
    listarConversas(filtros, cursor, signal),
  );

export function useConversas(filtros: FiltrosConversas, refetchInterval: number | false) {
  return useInfiniteQuery({ ...conversasQuery(filtros), ...mantidoPorEventos(refetchInterval) });
}

/** Messages that say `q` (text or transcription), the newest first, with the snippet. */
export function buscarMensagens(
  q: string,
  cursor?: string | null,
  signal?: AbortSignal,
): Promise<Page<ResultadoBusca>> {
  return corpo(api.GET("/api/mensagens/busca", { params: { query: { q, cursor } }, signal }));
}

export const buscaQuery = (q: string) =>
  listaInfinita(conversasKeys.busca(q), (cursor, signal) => buscarMensagens(q, cursor, signal));

/** Off (no request) while `q` is empty. */
export function useBuscaMensagens(q: string) {
  return useInfiniteQuery({ ...buscaQuery(q), enabled: q !== "" });
}

export const MENSAGENS_POR_PAGINA = 50;

/** Newest page first; each page is oldest-to-newest. Its next page is an older one. */
export function listarMensagens(
  chamadoId: number,
  cursor?: string | null,
  signal?: AbortSignal,
): Promise<Page<Mensagem>> {
  return corpo(
    api.GET("/api/conversas/{chamado_id}/mensagens", {
      params: { path: { chamado_id: chamadoId }, query: { limit: MENSAGENS_POR_PAGINA, cursor } },
      signal,
    }),
  );
}

export const mensagensQuery = (chamadoId: number) =>
  listaInfinita(conversasKeys.mensagens(chamadoId), (cursor, signal) =>
    listarMensagens(chamadoId, cursor, signal),
  );

export function useMensagens(chamadoId: number, refetchInterval: number | false) {
  return useInfiniteQuery({ ...mensagensQuery(chamadoId), ...mantidoPorEventos(refetchInterval) });
}

export function marcarLidas(chamadoId: number): Promise<LidasOut> {
  return corpo(
    api.POST("/api/conversas/{chamado_id}/lidas", { params: { path: { chamado_id: chamadoId } } }),
  );
}

export function useMarcarLidas() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: marcarLidas,
    onSuccess: (_resultado, chamadoId) => {
      // Reading changes nothing else of the list: the badge is cleared here, with
      // no refetch (the chat is opened often, and each would read the whole list).
      qc.setQueriesData<InfiniteData<Page<Conversa>>>(
        { queryKey: conversasKeys.listas },
        (dados) =>
          dados
            ? {
                ...dados,
                pages: dados.pages.map((pagina) => ({
                  ...pagina,
                  items: pagina.items.map((c) => (c.id === chamadoId ? { ...c, nao_lidas: 0 } : c)),
                })),
              }
            : dados,
      );
    },
  });
}

/** A failed outbound message goes back to the queue (same message, a new attempt). */
export function reenviarMensagem(mensagemId: number): Promise<Mensagem> {
  return corpo(
    api.POST("/api/mensagens/{mensagem_id}/reenviar", {
      params: { path: { mensagem_id: mensagemId } },
    }),
  );
}

export function useReenviarMensagem(chamadoId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: reenviarMensagem,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: mensagensQuery(chamadoId).queryKey });
      void qc.invalidateQueries({ queryKey: conversasKeys.listas });
    },
  });
}

// -- inbound messages that matched no open chamado -------------------------------------

/** Newest first: from unknown numbers, or from contractors with no open chamado. */
export function listarNaoAtribuidas(
  cursor?: string | null,
  signal?: AbortSignal,
  limit?: number,
): Promise<PaginaNaoAtribuidas> {
  return corpo(
    api.GET("/api/mensagens/nao-atribuidas", { params: { query: { cursor, limit } }, signal }),
  );
}

export const naoAtribuidasQuery = () =>
  listaInfinita(conversasKeys.naoAtribuidas, (cursor, signal) =>
    listarNaoAtribuidas(cursor, signal),
  );

export function useNaoAtribuidas(refetchInterval: number | false = false) {
  return useInfiniteQuery({ ...naoAtribuidasQuery(), ...mantidoPorEventos(refetchInterval) });
}

/** How many wait in all: one message asked for, the total read (under the list's key,
 * so whatever refreshes the list refreshes it). */
export const totalNaoAtribuidasQuery = () =>
  queryOptions({
    queryKey: [...conversasKeys.naoAtribuidas, "total"] as const,
    queryFn: ({ signal }) => listarNaoAtribuidas(null, signal, 1).then((p) => p.total),
  });

export function useTotalNaoAtribuidas(refetchInterval: number | false = false) {
  return useQuery({ ...totalNaoAtribuidasQuery(), ...mantidoPorEventos(refetchInterval) });
}

export function atribuirMensagem(mensagemId: number, dados: AtribuirIn): Promise<Mensagem> {
  return corpo(
    api.POST("/api/mensagens/{mensagem_id}/atribuir", {
      params: { path: { mensagem_id: mensagemId } },
      body: dados,
    }),
  );
}

/** The message joins that chamado's conversation; both lists refresh. */
export function useAtribuirMensagem() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ mensagemId, chamadoId }: { mensagemId: number; chamadoId: number }) =>
      atribuirMensagem(mensagemId, { chamado_id: chamadoId }),
    onSuccess: (_mensagem, { chamadoId }) => {
      void qc.invalidateQueries({ queryKey: naoAtribuidasQuery().queryKey });
      void qc.invalidateQueries({ queryKey: mensagensQuery(chamadoId).queryKey });
      return qc.invalidateQueries({ queryKey: conversasKeys.listas });
    },
  });
}
