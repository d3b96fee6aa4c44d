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
  MoverIn,
  Movidas,
  Page,
  PaginaConversasTerceirizado,
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
  // Under the lists: whatever refreshes the conversations (a new message, a read, a
  // live event) refreshes the contractor's page with them.
  doTerceirizado: (terceirizadoId: number) =>
    ["conversas", "lista", "terceirizado", terceirizadoId] as const,
  mensagens: (chamadoId: number) => ["conversas", "mensagens", chamadoId] as const,
  naoAtribuidas: ["conversas", "nao-atribuidas"] as const,
  naoAtribuidasDe: (filtro: FiltroNaoAtribuidas) =>
    ["conversas", "nao-atribuidas", "lista", filtro] as const,
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

/**
 * All of a contractor's chamados with their conversations, the open ones first, and
 * how many of their messages wait for a chamado (`a_classificar`).
 */
export function listarConversasTerceirizado(
  terceirizadoId: number,
  cursor?: string | null,
  signal?: AbortSignal,
): Promise<PaginaConversasTerceirizado> {
  return corpo(
    api.GET("/api/terceirizados/{terceirizado_id}/conversas", {
      params: { path: { terceirizado_id: terceirizadoId }, query: { cursor } },
      signal,
    }),
  );
}

export const conversasTerceirizadoQuery = (terceirizadoId: number) =>
  listaInfinita(conversasKeys.doTerceirizado(terceirizadoId), (cursor, signal) =>
    listarConversasTerceirizado(terceirizadoId, cursor, signal),
  );

export function useConversasTerceirizado(
  terceirizadoId: number,
  refetchInterval: number | false = false,
  enabled = true,
) {
  return useInfiniteQuery({
    ...conversasTerceirizadoQuery(terceirizadoId),
    ...mantidoPorEventos(refetchInterval),
    enabled: enabled && terceirizadoId > 0,
  });
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

/** Only one contractor's messages: those waiting for them to say which chamado. */
export interface FiltroNaoAtribuidas {
  terceirizado_id?: number;
}

/**
 * Newest first: from unknown numbers ("sem chamado", `terceirizado_id` null), or from a
 * known contractor who did not say which chamado ("a classificar").
 */
export function listarNaoAtribuidas(
  filtro: FiltroNaoAtribuidas,
  cursor?: string | null,
  signal?: AbortSignal,
  limit?: number,
): Promise<PaginaNaoAtribuidas> {
  return corpo(
    api.GET("/api/mensagens/nao-atribuidas", {
      params: { query: { ...filtro, cursor, limit } },
      signal,
    }),
  );
}

export const naoAtribuidasQuery = (filtro: FiltroNaoAtribuidas = {}) =>
  listaInfinita(conversasKeys.naoAtribuidasDe(filtro), (cursor, signal) =>
    listarNaoAtribuidas(filtro, cursor, signal),
  );

export function useNaoAtribuidas(
  refetchInterval: number | false = false,
  filtro: FiltroNaoAtribuidas = {},
) {
  return useInfiniteQuery({
    ...naoAtribuidasQuery(filtro),
    ...mantidoPorEventos(refetchInterval),
  });
}

/** How many wait in all: one message asked for, the total read (under the list's key,
 * so whatever refreshes the list refreshes it). */
export const totalNaoAtribuidasQuery = () =>
  queryOptions({
    queryKey: [...conversasKeys.naoAtribuidas, "total"] as const,
    queryFn: ({ signal }) => listarNaoAtribuidas({}, null, signal, 1).then((p) => p.total),
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
    mutationFn: ({
      mensagemId,
      chamadoId,
      reconhecer = false,
    }: {
      mensagemId: number;
      chamadoId: number;
      /** An unknown sender becomes the chamado's contractor from now on. */
      reconhecer?: boolean;
    }) => atribuirMensagem(mensagemId, { chamado_id: chamadoId, reconhecer_remetente: reconhecer }),
    onSuccess: (_mensagem, { chamadoId }) => {
      void qc.invalidateQueries({ queryKey: conversasKeys.naoAtribuidas });
      void qc.invalidateQueries({ queryKey: mensagensQuery(chamadoId).queryKey });
      return qc.invalidateQueries({ queryKey: conversasKeys.listas });
    },
  });
}

/**
 * Moves a message (with `com_seguintes`, every later one of its chamado too) to another
 * chamado of the same contractor. 409 `em_envio`: one of ours still waits to be sent.
 */
export function moverMensagem(mensagemId: number, dados: MoverIn): Promise<Movidas> {
  return corpo(
    api.POST("/api/mensagens/{mensagem_id}/mover", {
      params: { path: { mensagem_id: mensagemId } },
      body: dados,
    }),
  );
}

/** Both conversations and the lists refresh (the chamados' panels follow the live event). */
export function useMoverMensagem() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ mensagemId, ...dados }: MoverIn & { mensagemId: number }) =>
      moverMensagem(mensagemId, dados),
    onSuccess: (movidas) => {
      void qc.invalidateQueries({ queryKey: mensagensQuery(movidas.de_chamado_id).queryKey });
      void qc.invalidateQueries({ queryKey: mensagensQuery(movidas.para_chamado_id).queryKey });
      return qc.invalidateQueries({ queryKey: conversasKeys.listas });
    },
  });
}
