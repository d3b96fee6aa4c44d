import { act, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { useLiveUpdates } from "../../lib/live/useLiveUpdates";
import { iniciarSessao } from "../../lib/session";
import type { Metricas, StatusBreaker } from "../../lib/types";
import { chamado, conversa, metricas, usuario } from "../../test/dados";
import { FakeEventSource, stubEventSource } from "../../test/eventSource";
import { renderRotas, stubFetch } from "../../test/utils";
import { CentralPage } from "./CentralPage";
import { TEXTO_FAIXA_BREAKER, TEXTO_FAIXA_DESCONECTADO } from "./FaixaBreaker";

function comBreaker(status: StatusBreaker): Metricas {
  return metricas({
    circuit_breaker: {
      status,
      failure_count: status === "CLOSED" ? 0 : 5,
      threshold: 5,
      opened_at: status === "CLOSED" ? null : "2026-03-10T13:58:00Z",
    },
  });
}

function Central() {
  // The app's layout keeps the event stream open; here the page does.
  useLiveUpdates();
  return <CentralPage />;
}

function montar(inicial: string, breaker: () => Metricas) {
  iniciarSessao("tok", usuario, 3600);
  const fetch = stubFetch({
    "GET /api/monitoramento/whatsapp": () => ({ body: breaker() }),
    "GET /api/conversas": { body: { items: [conversa()], next_cursor: null } },
    "GET /api/mensagens/nao-atribuidas": { body: { items: [], next_cursor: null } },
    "GET /api/chamados/7": { body: chamado() },
    "GET /api/conversas/7/mensagens": { body: { items: [], next_cursor: null } },
    "POST /api/conversas/7/lidas": { body: { marcadas: 0 } },
  });
  const r = renderRotas(
    [
      { path: "/central", element: <Central /> },
      { path: "/central/:id", element: <Central /> },
      { path: "/chamados", element: <h1>Chamados</h1> },
    ],
    inicial,
  );
  const pedidosDoPainel = () =>
    fetch.chamadas.filter((c) => c.url.pathname === "/api/monitoramento/whatsapp").length;
  return { ...r, ...fetch, pedidosDoPainel };
}

const faixa = () => screen.queryByText(TEXTO_FAIXA_BREAKER);

describe("FaixaBreaker", () => {
  it.each<StatusBreaker>(["OPEN", "HALF_OPEN"])(
    "tells the operator over the chat while the breaker is %s",
    async (status) => {
      montar("/central/7", () => comBreaker(status));
      expect(await screen.findByRole("heading", { name: "Carlos Pereira" })).toBeInTheDocument();
      const texto = await screen.findByText(TEXTO_FAIXA_BREAKER);
      expect(texto.closest('[role="status"]')).toHaveClass("faixa-breaker");
      expect(texto.closest("section")).toHaveAttribute("aria-label", "Conversa");
    },
  );

  it("shows nothing while the breaker is closed", async () => {
    const { pedidosDoPainel } = montar("/central/7", () => comBreaker("CLOSED"));
    expect(await screen.findByRole("heading", { name: "Carlos Pereira" })).toBeInTheDocument();
    await waitFor(() => expect(pedidosDoPainel()).toBe(1));
    expect(faixa()).toBeNull();
  });

  it("appears and disappears as alerta events arrive", async () => {
    stubEventSource();
    let status: StatusBreaker = "CLOSED";
    const { pedidosDoPainel } = montar("/central", () => comBreaker(status));
    await waitFor(() => expect(pedidosDoPainel()).toBe(1));
    expect(faixa()).toBeNull();
    const fonte = FakeEventSource.ultima();
    act(() => fonte.abrir());

    status = "OPEN";
    act(() =>
      fonte.emitir("alerta", {
        id: 3,
        tipo: "breaker_aberto",
        severidade: "critico",
        mensagem: "A MegaAPI está falhando",
        aberto: true,
      }),
    );
    // With no chat open, the banner is over the placeholder.
    expect(await screen.findByText(TEXTO_FAIXA_BREAKER)).toBeInTheDocument();

    status = "CLOSED";
    act(() =>
      fonte.emitir("alerta", {
        id: 3,
        tipo: "breaker_aberto",
        severidade: "critico",
        mensagem: "A MegaAPI está falhando",
        aberto: false,
      }),
    );
    await waitFor(() => expect(faixa()).toBeNull());
    // Once per event (and again past the server's 2 s cache): no waiting for the 5 s poll.
    expect(pedidosDoPainel()).toBeGreaterThanOrEqual(3);
  });

  it("says WhatsApp is disconnected as the conexao events come and go", async () => {
    stubEventSource();
    let conectado = true;
    const { pedidosDoPainel } = montar("/central", () =>
      metricas({
        connection: {
          connected: conectado,
          state: conectado ? "open" : "close",
          since: "2026-03-10T09:00:00Z",
          instance_status: null,
          instance_checked_at: null,
        },
      }),
    );
    await waitFor(() => expect(pedidosDoPainel()).toBe(1));
    expect(screen.queryByText(TEXTO_FAIXA_DESCONECTADO)).toBeNull();
    const fonte = FakeEventSource.ultima();
    act(() => fonte.abrir());

    conectado = false;
    act(() => fonte.emitir("conexao", { estado: "close", motivo: "connectionLost" }));
    expect(await screen.findByText(TEXTO_FAIXA_DESCONECTADO)).toBeInTheDocument();

    conectado = true;
    act(() => fonte.emitir("conexao", { estado: "open", motivo: null }));
    await waitFor(() => expect(screen.queryByText(TEXTO_FAIXA_DESCONECTADO)).toBeNull());
  });

  it("polls every 5 s only while the central is on screen", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let status: StatusBreaker = "OPEN";
    const { pedidosDoPainel, router } = montar("/central", () => comBreaker(status));
    expect(await screen.findByText(TEXTO_FAIXA_BREAKER)).toBeInTheDocument();
    expect(pedidosDoPainel()).toBe(1);

    status = "CLOSED";
    await act(() => vi.advanceTimersByTimeAsync(5_000));
    await waitFor(() => expect(faixa()).toBeNull());
    expect(pedidosDoPainel()).toBe(2);

    await act(() => router.navigate("/chamados"));
    await act(() => vi.advanceTimersByTimeAsync(15_000));
    expect(pedidosDoPainel()).toBe(2);
  });
});
