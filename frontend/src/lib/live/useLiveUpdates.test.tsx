import { type InfiniteData, type QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { conversa, mensagem, usuario } from "../../test/dados";
import { FakeEventSource, stubEventSource } from "../../test/eventSource";
import { novoQueryClient, stubFetch } from "../../test/utils";
import { chamadosKeys } from "../api/chamados";
import { conversasKeys, useMensagens } from "../api/conversas";
import { monitoramentoKeys } from "../api/monitoramento";
import { encerrarSessao, iniciarSessao } from "../session";
import type { Conversa, Mensagem, Page } from "../types";
import { ESPERA_ABRIR_MS, MARGEM_RECUO_MS, NOVA_TENTATIVA_MS, RECUO_MAX_MS } from "./conexao";
import { AGRUPAR_MS, PAINEL_CACHE_MS } from "./eventos";
import { useLiveUpdates } from "./useLiveUpdates";

function pagina<T>(items: T[]): InfiniteData<Page<T>> {
  return { pages: [{ items, next_cursor: null }], pageParams: [null] };
}

function montar(qc: QueryClient = novoQueryClient()) {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={qc}>{children}</QueryClientProvider>
  );
  return { qc, ...renderHook(() => useLiveUpdates(), { wrapper }) };
}

function invalidada(qc: QueryClient, chave: readonly unknown[]): boolean {
  return qc.getQueryState(chave)?.isInvalidated ?? false;
}

const LISTA = conversasKeys.lista({});

/** Clear the marks left by earlier events, to see what the next step does. */
function semMarcas(qc: QueryClient): void {
  for (const query of qc.getQueryCache().getAll()) query.setState({ isInvalidated: false });
}

function algumaInvalidada(qc: QueryClient): boolean {
  return qc
    .getQueryCache()
    .getAll()
    .some((q) => q.state.isInvalidated);
}

/** A cache as the central leaves it: two chats, the list, a chamado and its info. */
function cacheDaCentral(qc: QueryClient): void {
  qc.setQueryData(
    conversasKeys.mensagens(7),
    pagina([mensagem({ id: 41, status_envio: "enviado" }), mensagem({ id: 42 })]),
  );
  qc.setQueryData(conversasKeys.mensagens(8), pagina([mensagem({ id: 50, chamado_id: 8 })]));
  qc.setQueryData(
    LISTA,
    pagina([
      conversa({
        ultima_mensagem: {
          id: 41,
          texto: "Olá",
          direcao: "outbound",
          tipo_conteudo: "text",
          status_envio: "enviado",
          criado_em: "2026-03-10T13:00:00Z",
        },
      }),
    ]),
  );
  qc.setQueryData(chamadosKeys.detalhe(7), { id: 7 });
  qc.setQueryData(chamadosKeys.info(7), { id: 7 });
  qc.setQueryData(chamadosKeys.detalhe(8), { id: 8 });
  qc.setQueryData(chamadosKeys.lista({}), pagina([]));
}

describe("useLiveUpdates", () => {
  beforeEach(() => {
    stubEventSource();
    iniciarSessao("tok-123", usuario, 3600);
  });

  it("opens one stream with the token and goes live without polling", () => {
    const { result, qc } = montar();
    // A second screen of the same app shares the stream.
    montar(qc);
    expect(FakeEventSource.instancias).toHaveLength(1);
    const fonte = FakeEventSource.ultima();
    expect(fonte.url.startsWith("/api/eventos?")).toBe(true);
    expect(fonte.params.get("access_token")).toBe("tok-123");
    expect(result.current.modo).toBe("conectando");

    act(() => fonte.abrir());
    expect(result.current.modo).toBe("sse");
    expect(result.current.intervalo("conversa")).toBe(false);
    expect(result.current.intervalo("conversas")).toBe(false);
    expect(result.current.descricao("conversa")).toBe("ao vivo");
  });

  it("says 'sem conexão', not 'ao vivo', while the browser is offline", () => {
    const { result } = montar();
    act(() => FakeEventSource.ultima().abrir());
    expect(result.current.descricao("conversas")).toBe("ao vivo");

    const onLine = vi.spyOn(navigator, "onLine", "get").mockReturnValue(false);
    act(() => void window.dispatchEvent(new Event("offline")));
    expect(result.current.modo).toBe("offline");
    expect(result.current.descricao("conversas")).toBe("sem conexão");
    expect(result.current.descricao("conversa")).toBe("sem conexão");

    onLine.mockReturnValue(true);
    act(() => void window.dispatchEvent(new Event("online")));
    expect(result.current.descricao("conversa")).toBe("ao vivo");
  });

  it("mensagem.status moves the ticks at once and refreshes that chat only", () => {
    const { qc } = montar();
    cacheDaCentral(qc);
    const fonte = FakeEventSource.ultima();
    act(() => fonte.abrir());
    semMarcas(qc);

    act(() =>
      fonte.emitir(
        "mensagem.status",
        { mensagem_id: 41, chamado_id: 7, status_envio: "lido", erro: null },
        "1767225600000-0",
      ),
    );
    const chat = qc.getQueryData<InfiniteData<Page<Mensagem>>>(conversasKeys.mensagens(7));
    expect(chat?.pages[0]?.items.map((m) => [m.id, m.status_envio])).toEqual([
      [41, "lido"],
      [42, "enviado"],
    ]);
    const lista = qc.getQueryData<InfiniteData<Page<Conversa>>>(LISTA);
    expect(lista?.pages[0]?.items[0]?.ultima_mensagem?.status_envio).toBe("lido");
    expect(invalidada(qc, conversasKeys.mensagens(7))).toBe(true);
    expect(invalidada(qc, chamadosKeys.info(7))).toBe(true);
    expect(invalidada(qc, LISTA)).toBe(false);
    expect(invalidada(qc, conversasKeys.mensagens(8))).toBe(false);
    expect(invalidada(qc, chamadosKeys.detalhe(7))).toBe(false);
  });

  it("a failure shows its reason on the bubble", () => {
    const { qc } = montar();
    cacheDaCentral(qc);
    const fonte = FakeEventSource.ultima();
    act(() => fonte.abrir());
    semMarcas(qc);
    act(() =>
      fonte.emitir("mensagem.status", {
        mensagem_id: 42,
        chamado_id: 7,
        status_envio: "falhou",
        erro: "número sem WhatsApp",
      }),
    );
    const chat = qc.getQueryData<InfiniteData<Page<Mensagem>>>(conversasKeys.mensagens(7));
    expect(chat?.pages[0]?.items[1]).toMatchObject({
      status_envio: "falhou",
      erro: "número sem WhatsApp",
    });
  });

  it("mensagem.nova refreshes that chat, the list and the chamado's numbers only", () => {
    const { qc } = montar();
    cacheDaCentral(qc);
    const fonte = FakeEventSource.ultima();
    act(() => fonte.abrir());
    semMarcas(qc);
    act(() =>
      fonte.emitir("mensagem.nova", {
        chamado_id: 8,
        mensagem_id: 51,
        direcao: "inbound",
        status_envio: "entregue",
      }),
    );
    expect(invalidada(qc, conversasKeys.mensagens(8))).toBe(true);
    expect(invalidada(qc, LISTA)).toBe(true);
    expect(invalidada(qc, conversasKeys.mensagens(7))).toBe(false);
    expect(invalidada(qc, chamadosKeys.info(7))).toBe(false);
  });

  it("chamado.atualizado refreshes the chamado's queries and the lists", () => {
    const { qc } = montar();
    cacheDaCentral(qc);
    const fonte = FakeEventSource.ultima();
    act(() => fonte.abrir());
    semMarcas(qc);
    act(() =>
      fonte.emitir("chamado.atualizado", {
        chamado_id: 7,
        status: "concluido",
        prioridade: "alta",
      }),
    );
    expect(invalidada(qc, chamadosKeys.detalhe(7))).toBe(true);
    expect(invalidada(qc, chamadosKeys.info(7))).toBe(true);
    expect(invalidada(qc, chamadosKeys.lista({}))).toBe(true);
    expect(invalidada(qc, LISTA)).toBe(true);
    expect(invalidada(qc, chamadosKeys.detalhe(8))).toBe(false);
    expect(invalidada(qc, conversasKeys.mensagens(7))).toBe(false);
  });

  it("alerta refreshes the panel and the alerts at once, and again past the server's cache", () => {
    vi.useFakeTimers();
    const { qc } = montar();
    cacheDaCentral(qc);
    const alertas = monitoramentoKeys.listaAlertas({ limit: 20 });
    qc.setQueryData(monitoramentoKeys.metricas, { gerado_em: "" });
    qc.setQueryData(alertas, pagina([]));
    const fonte = FakeEventSource.ultima();
    act(() => fonte.abrir());
    semMarcas(qc);
    act(() =>
      fonte.emitir("alerta", {
        id: 3,
        tipo: "breaker_aberto",
        severidade: "critico",
        mensagem: "A MegaAPI está falhando",
        aberto: true,
      }),
    );
    expect(invalidada(qc, monitoramentoKeys.metricas)).toBe(true);
    expect(invalidada(qc, alertas)).toBe(true);
    expect(invalidada(qc, conversasKeys.mensagens(7))).toBe(false);

    for (const query of qc.getQueryCache().getAll()) query.setState({ isInvalidated: false });
    act(() => {
      vi.advanceTimersByTime(PAINEL_CACHE_MS + 500);
    });
    expect(invalidada(qc, monitoramentoKeys.metricas)).toBe(true);
    expect(invalidada(qc, alertas)).toBe(true);
  });

  it("conexao refreshes the panel only; a message with no chamado, the unassigned list", () => {
    const { qc } = montar();
    cacheDaCentral(qc);
    qc.setQueryData(monitoramentoKeys.metricas, { gerado_em: "" });
    qc.setQueryData(conversasKeys.naoAtribuidas, pagina([]));
    const fonte = FakeEventSource.ultima();
    act(() => fonte.abrir());
    semMarcas(qc);
    act(() => fonte.emitir("conexao", { estado: "close", motivo: null }));
    expect(invalidada(qc, monitoramentoKeys.metricas)).toBe(true);
    expect(invalidada(qc, conversasKeys.naoAtribuidas)).toBe(false);
    expect(invalidada(qc, LISTA)).toBe(false);

    act(() =>
      fonte.emitir("mensagem.nova", {
        chamado_id: null,
        mensagem_id: 60,
        direcao: "inbound",
        status_envio: "entregue",
      }),
    );
    expect(invalidada(qc, conversasKeys.naoAtribuidas)).toBe(true);
  });

  it("reset refreshes everything", () => {
    const { qc } = montar();
    cacheDaCentral(qc);
    qc.setQueryData(["auth", "me"], usuario);
    const fonte = FakeEventSource.ultima();
    act(() => fonte.abrir());
    act(() => fonte.emitir("reset", { motivo: "o ponto de retomada saiu da janela de eventos" }));
    for (const query of qc.getQueryCache().getAll()) {
      expect(query.state.isInvalidated, JSON.stringify(query.queryKey)).toBe(true);
    }
  });

  it("falls back to polling when the server refuses the stream, and back to live later", () => {
    vi.useFakeTimers();
    const { result, qc } = montar();
    cacheDaCentral(qc);
    const primeira = FakeEventSource.ultima();
    act(() => primeira.abrir());
    act(() => primeira.emitir("mensagem.nova", { chamado_id: 7, mensagem_id: 43 }, "170-3"));
    // Processed events are not "missed": clear the marks to see what recovery does.
    semMarcas(qc);

    act(() => primeira.falhar({ definitivo: true }));
    expect(result.current.modo).toBe("polling");
    expect(result.current.intervalo("conversa")).toBe(5_000);
    expect(result.current.intervalo("conversas")).toBe(30_000);
    expect(result.current.descricao("conversa")).toBe(
      "sem conexão ao vivo — atualizando a cada 5s",
    );
    expect(result.current.descricao("conversas")).toBe(
      "sem conexão ao vivo — atualizando a cada 30s",
    );

    act(() => {
      vi.advanceTimersByTime(NOVA_TENTATIVA_MS);
    });
    expect(FakeEventSource.instancias).toHaveLength(2);
    const segunda = FakeEventSource.ultima();
    // A new EventSource cannot send Last-Event-ID: the query string carries it.
    expect(segunda.params.get("last_event_id")).toBe("170-3");
    expect(result.current.modo).toBe("polling");

    act(() => segunda.abrir());
    expect(result.current.modo).toBe("sse");
    expect(result.current.intervalo("conversa")).toBe(false);
    // The server replays what was missed while polling: only that is refetched.
    expect(algumaInvalidada(qc)).toBe(false);
    act(() => segunda.emitir("mensagem.nova", { chamado_id: 7, mensagem_id: 44 }, "171-0"));
    expect(invalidada(qc, conversasKeys.mensagens(7))).toBe(true);
    expect(invalidada(qc, conversasKeys.mensagens(8))).toBe(false);
  });

  it("a burst of events refetches what it touched once, when it is over", async () => {
    const { fetchMock } = stubFetch({
      "GET /api/conversas/7/mensagens": {
        body: { items: [mensagem({ id: 41 })], next_cursor: null },
      },
    });
    const qc = novoQueryClient();
    montar(qc);
    const chat = renderHook(() => useMensagens(7, false), {
      wrapper: ({ children }: { children: ReactNode }) => (
        <QueryClientProvider client={qc}>{children}</QueryClientProvider>
      ),
    });
    await waitFor(() => expect(chat.result.current.isSuccess).toBe(true));
    const fonte = FakeEventSource.ultima();
    act(() => fonte.abrir());
    expect(fetchMock).toHaveBeenCalledTimes(1);

    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    // Three acks of one message, as the gateway sends them.
    act(() => {
      for (const [n, status] of (["enviado", "entregue", "lido"] as const).entries()) {
        const evento = { mensagem_id: 41, chamado_id: 7, status_envio: status, erro: null };
        fonte.emitir("mensagem.status", evento, `1767225600000-${n}`);
      }
    });
    // The ticks moved at once (in the cache: the hook hears of it on a timer, faked
    // here); the read waits for the burst to end.
    const cache = qc.getQueryData<InfiniteData<Page<Mensagem>>>(conversasKeys.mensagens(7));
    expect(cache?.pages[0]?.items[0]?.status_envio).toBe("lido");
    expect(fetchMock).toHaveBeenCalledTimes(1);
    await act(() => vi.advanceTimersByTimeAsync(AGRUPAR_MS));
    expect(fetchMock).toHaveBeenCalledTimes(2);
    await act(() => vi.advanceTimersByTimeAsync(10 * AGRUPAR_MS));
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it("the first stream starts back at the session's first reads: nothing is read twice", () => {
    const { qc } = montar();
    cacheDaCentral(qc);
    qc.setQueryData(conversasKeys.naoAtribuidas, pagina([]));
    const fonte = FakeEventSource.ultima();
    // What changed after those reads comes as events, replayed by the server.
    expect(fonte.params.get("last_event_id")).toBeNull();
    expect(Number(fonte.params.get("recuar_ms"))).toBeGreaterThanOrEqual(MARGEM_RECUO_MS);
    act(() => fonte.abrir());
    expect(algumaInvalidada(qc)).toBe(false);
    act(() => fonte.emitir("mensagem.nova", { chamado_id: 8, mensagem_id: 51 }, "172-0"));
    expect(invalidada(qc, conversasKeys.mensagens(8))).toBe(true);
    expect(invalidada(qc, conversasKeys.mensagens(7))).toBe(false);

    // A reconnect of the same EventSource resumes from Last-Event-ID: nothing to refetch.
    semMarcas(qc);
    act(() => fonte.falhar());
    act(() => fonte.abrir());
    expect(algumaInvalidada(qc)).toBe(false);
  });

  it("a session past the server's window without any stream refreshes what it shows once", () => {
    vi.useFakeTimers();
    const agora = vi.spyOn(performance, "now").mockReturnValue(1_000);
    const { qc } = montar();
    cacheDaCentral(qc);
    const primeira = FakeEventSource.ultima();
    expect(primeira.params.get("recuar_ms")).toBe(String(MARGEM_RECUO_MS));
    act(() => primeira.falhar({ definitivo: true }));

    // Refused for longer than the server keeps events: going back cannot cover it.
    agora.mockReturnValue(1_000 + RECUO_MAX_MS);
    act(() => {
      vi.advanceTimersByTime(NOVA_TENTATIVA_MS);
    });
    const segunda = FakeEventSource.ultima();
    expect(segunda).not.toBe(primeira);
    expect(segunda.params.get("recuar_ms")).toBeNull();
    expect(segunda.params.get("last_event_id")).toBeNull();
    act(() => segunda.abrir());
    for (const chave of [LISTA, conversasKeys.mensagens(7), chamadosKeys.detalhe(8)]) {
      expect(invalidada(qc, chave), JSON.stringify(chave)).toBe(true);
    }
  });

  it("polls when the stream does not open within a few seconds", () => {
    vi.useFakeTimers();
    const { result } = montar();
    act(() => {
      vi.advanceTimersByTime(ESPERA_ABRIR_MS - 1);
    });
    expect(result.current.modo).toBe("conectando");
    expect(result.current.descricao("conversas")).toBe("conectando ao vivo…");
    act(() => {
      vi.advanceTimersByTime(1);
    });
    expect(result.current.modo).toBe("polling");
    // The browser kept trying; when it gets through, events take over again.
    act(() => FakeEventSource.ultima().abrir());
    expect(result.current.modo).toBe("sse");
  });

  it("a dropped stream that the browser reconnects quickly never polls", () => {
    vi.useFakeTimers();
    const { result } = montar();
    const fonte = FakeEventSource.ultima();
    act(() => fonte.abrir());
    act(() => fonte.falhar());
    expect(result.current.modo).toBe("sse");
    act(() => {
      vi.advanceTimersByTime(3_000);
    });
    act(() => fonte.abrir());
    expect(result.current.modo).toBe("sse");
    act(() => {
      vi.advanceTimersByTime(ESPERA_ABRIR_MS * 2);
    });
    expect(result.current.modo).toBe("sse");
    expect(FakeEventSource.instancias).toHaveLength(1);

    // A drop that lasts goes to polling, with the same EventSource still retrying.
    act(() => fonte.falhar());
    act(() => {
      vi.advanceTimersByTime(ESPERA_ABRIR_MS);
    });
    expect(result.current.modo).toBe("polling");
    expect(FakeEventSource.instancias).toHaveLength(1);
  });

  it("closes the stream when the last screen leaves or the session ends", async () => {
    const { unmount } = montar();
    const fonte = FakeEventSource.ultima();
    act(() => fonte.abrir());
    unmount();
    await Promise.resolve();
    expect(fonte.readyState).toBe(FakeEventSource.CLOSED);

    const { result } = montar();
    const outra = FakeEventSource.ultima();
    expect(outra).not.toBe(fonte);
    act(() => outra.abrir());
    act(() => encerrarSessao("expirada"));
    await act(() => Promise.resolve());
    expect(outra.readyState).toBe(FakeEventSource.CLOSED);
    expect(FakeEventSource.abertas()).toHaveLength(0);
    expect(result.current.modo).toBe("polling");
  });
});
