import { act, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { useLiveUpdates } from "../../lib/live/useLiveUpdates";
import { iniciarSessao } from "../../lib/session";
import type { Metricas, StatusBreaker } from "../../lib/types";
import { alerta, metricas, metricasNormais, usuario } from "../../test/dados";
import { FakeEventSource, stubEventSource } from "../../test/eventSource";
import { renderRotas, stubFetch } from "../../test/utils";
import { Cartoes } from "./Cartoes";
import { MonitoramentoPage } from "./MonitoramentoPage";
import { SERIES } from "./volume";

// jsdom has no canvas: the chart is a stand-in that shows what it was given.
vi.mock("./GraficoVolume", () => ({
  default: ({ volume }: { volume: unknown[] }) => (
    <div data-testid="grafico">{volume.length} horas</div>
  ),
}));

function cartao(nome: string): HTMLElement {
  return screen.getByRole("region", { name: nome });
}

function Tela() {
  useLiveUpdates();
  return <MonitoramentoPage />;
}

function montar() {
  iniciarSessao("tok", usuario, 3600);
  return renderRotas(
    [
      { path: "/admin/whatsapp", element: <Tela /> },
      { path: "/central/:id", element: <p>chat aberto</p> },
    ],
    "/admin/whatsapp",
  );
}

const historico = {
  items: [
    alerta(),
    alerta({
      id: 2,
      tipo: "fila_alta",
      severidade: "aviso",
      mensagem: "Fila de envio com 140 mensagens (aviso acima de 100)",
      aberto_em: "2026-03-09T10:00:00Z",
      fechado_em: "2026-03-09T10:12:00Z",
    }),
  ],
  next_cursor: null,
};

describe("Cartoes", () => {
  it.each<[StatusBreaker, string, string]>([
    ["CLOSED", "ok", "Fechado"],
    ["HALF_OPEN", "atencao", "Meio-aberto"],
    ["OPEN", "critico", "Aberto"],
  ])("colours the breaker %s as %s", (status, estado, rotulo) => {
    const m = metricas({
      circuit_breaker: {
        status,
        failure_count: status === "CLOSED" ? 1 : 5,
        threshold: 5,
        opened_at: status === "CLOSED" ? null : "2026-03-10T13:58:00Z",
      },
    });
    render(<Cartoes metricas={m} />);
    const breaker = cartao("Disjuntor de envios");
    expect(breaker).toHaveAttribute("data-estado", estado);
    expect(breaker).toHaveClass(`estado-${estado}`);
    // The state in words too, not only a colour.
    expect(breaker.querySelector(".cartao-metrica-valor")).toHaveTextContent(
      `${rotulo} (${{ ok: "normal", atencao: "atenção", critico: "crítico" }[estado]})`,
    );
    if (status === "CLOSED") {
      expect(within(breaker).queryByText(/Aberto desde/)).toBeNull();
    } else {
      expect(within(breaker).getByText(/Aberto desde .*\(há 3 min\)/)).toBeInTheDocument();
    }
  });

  it("shows every figure of the panel, each coloured by what it says", () => {
    render(<Cartoes metricas={metricas()} />);
    expect(within(cartao("Disjuntor de envios")).getByText("5 de 5")).toBeInTheDocument();

    const limite = cartao("Envios no último minuto");
    expect(limite).toHaveTextContent("12 de 60");
    const barra = within(limite).getByRole("progressbar");
    expect(barra).toHaveAttribute("aria-valuenow", "12");
    expect(barra).toHaveAttribute("aria-valuemax", "60");
    expect(limite).toHaveTextContent("Envios pausados pelo disjuntor.");
    expect(limite).toHaveAttribute("data-estado", "atencao");

    const fila = cartao("Fila de envio");
    expect(fila).toHaveTextContent("7 prontas para sair");
    expect(fila).toHaveTextContent("Adiadas: 3");
    expect(fila).toHaveTextContent("Mais antiga aguardando: 3 min");
    expect(fila).toHaveTextContent("Áudios aguardando transcrição: 2");
    expect(fila).toHaveAttribute("data-estado", "ok");

    const falhas = cartao("Tentativas com falha (última hora)");
    expect(falhas).toHaveTextContent("9");
    const motivos = within(falhas).getAllByRole("listitem");
    expect(motivos.map((m) => m.textContent)).toEqual([
      "Erro no servidor da MegaAPI (5xx) 6",
      "Tempo esgotado 3",
    ]);
    expect(falhas).toHaveAttribute("data-estado", "atencao");

    const conexao = cartao("Conexão do WhatsApp");
    expect(conexao).toHaveTextContent("Conectado");
    expect(conexao).toHaveTextContent("Instância: conectada");
    expect(conexao).toHaveAttribute("data-estado", "ok");

    const workers = cartao("Processos de envio");
    expect(workers).toHaveTextContent("2 ativos");
    expect(workers).toHaveTextContent("Último sinal: há 5 s");

    const webhooks = cartao("Webhooks recebidos");
    expect(webhooks).toHaveTextContent("há 12 s");
    expect(webhooks).toHaveTextContent("Atraso: 0,8 s");

    const entrega = cartao("Entrega e leitura (24 h)");
    expect(entrega).toHaveTextContent("2,5 % não enviadas");
    expect(entrega).toHaveTextContent("Entrega p50 / p95" + "1,5 s / 8,2 s");
    expect(entrega).toHaveTextContent("Leitura p50 / p95" + "2 min / 30 min");
  });

  it("turns red with no worker, a closed connection or many failures", () => {
    render(
      <Cartoes
        metricas={metricas({
          workers: { alive: 0, last_heartbeat: null },
          connection: {
            connected: false,
            state: "close",
            since: null,
            instance_status: null,
            instance_checked_at: null,
          },
          delivery: { ...metricas().delivery, failure_rate_24h: 0.4 },
          fila: { queue_size: 480, deferred: 40, oldest_age_s: 30, transcricoes: 0 },
        })}
      />,
    );
    expect(cartao("Processos de envio")).toHaveAttribute("data-estado", "critico");
    expect(cartao("Processos de envio")).toHaveTextContent("nenhuma mensagem sai da fila");
    expect(cartao("Conexão do WhatsApp")).toHaveAttribute("data-estado", "critico");
    expect(cartao("Conexão do WhatsApp")).toHaveTextContent("Desconectado");
    expect(cartao("Entrega e leitura (24 h)")).toHaveAttribute("data-estado", "critico");
    expect(cartao("Fila de envio")).toHaveAttribute("data-estado", "critico");
  });
});

describe("Cartoes in Portuguese", () => {
  it("says what each failure figure counts, so 10 attempts and 0,0 % do not clash", () => {
    render(
      <Cartoes
        metricas={metricas({
          failures: { last_hour: 10, by_reason: { timeout: 10 } },
          delivery: { ...metricas().delivery, failure_rate_24h: 0 },
        })}
      />,
    );
    const tentativas = cartao("Tentativas com falha (última hora)");
    expect(tentativas).toHaveTextContent("10");
    expect(tentativas).toHaveTextContent("Tentativas de envio que a MegaAPI recusou");
    expect(tentativas).toHaveTextContent("tentada de novo");
    const entrega = cartao("Entrega e leitura (24 h)");
    expect(entrega).toHaveTextContent("0,0 % não enviadas");
    expect(entrega).toHaveTextContent("terminaram com falha (depois de todas as tentativas)");
  });

  it("names every card in Portuguese and formats percentages the pt-BR way", () => {
    render(
      <Cartoes
        metricas={metricas({ delivery: { ...metricas().delivery, failure_rate_24h: 0.25 } })}
      />,
    );
    for (const nome of ["Disjuntor de envios", "Processos de envio", "Webhooks recebidos"]) {
      expect(cartao(nome)).toBeInTheDocument();
    }
    expect(screen.queryByText(/Circuit breaker|Workers|CONNECTED|connected/)).toBeNull();
    expect(cartao("Conexão do WhatsApp")).toHaveTextContent("Instância: conectada");
    expect(cartao("Entrega e leitura (24 h)")).toHaveTextContent("25,0 % não enviadas");
  });
});

describe("volume chart", () => {
  it("gives every line its own colour, dash and point, so equal lines stay visible", () => {
    const distintos = (valores: string[]) => new Set(valores).size === valores.length;
    expect(distintos(SERIES.map((s) => s.cor))).toBe(true);
    expect(distintos(SERIES.map((s) => s.tracejado.join(",")))).toBe(true);
    expect(distintos(SERIES.map((s) => s.ponto))).toBe(true);
  });
});

describe("MonitoramentoPage", () => {
  it("marks an open 'aviso' in the history with its own colour, red only for 'crítico'", async () => {
    stubFetch({
      "GET /api/monitoramento/whatsapp": { body: metricasNormais() },
      "GET /api/monitoramento/alertas": {
        body: {
          items: [alerta(), alerta({ id: 4, tipo: "fila_alta", severidade: "aviso" })],
          next_cursor: null,
        },
      },
    });
    montar();
    const regiao = await screen.findByRole("region", { name: "Histórico de alertas" });
    const [critico, aviso] = (await within(regiao).findAllByRole("row")).slice(1);
    expect(critico).toHaveClass("alerta-em-aberto-critico");
    expect(aviso).toHaveClass("alerta-em-aberto-aviso");
    expect(aviso).not.toHaveClass("alerta-em-aberto-critico");
  });

  it("shows the panel, the affected chamados, open alerts and the history", async () => {
    stubFetch({
      "GET /api/monitoramento/whatsapp": { body: metricas() },
      "GET /api/monitoramento/alertas": { body: historico },
    });
    montar();
    expect(await screen.findByRole("heading", { name: "Monitoramento do WhatsApp" })).toBeVisible();
    expect(await screen.findByRole("region", { name: "Disjuntor de envios" })).toHaveAttribute(
      "data-estado",
      "critico",
    );
    const abertos = screen.getByRole("region", { name: "Alertas abertos" });
    expect(within(abertos).getByText("API do WhatsApp instável")).toBeInTheDocument();
    expect(within(abertos).getByText("Crítico")).toBeInTheDocument();

    const afetados = screen.getByRole("region", { name: "Chamados afetados" });
    expect(within(afetados).getByRole("link", { name: "CH-2026-0007" })).toHaveAttribute(
      "href",
      "/central/7",
    );
    expect(within(afetados).getByText("Ar-condicionado não gela")).toBeInTheDocument();

    const volume = screen.getByRole("region", { name: "Volume nas últimas 24 horas" });
    expect(await within(volume).findByTestId("grafico")).toHaveTextContent("24 horas");
    // The same numbers as a table, for whoever cannot see the chart.
    expect(within(volume).getAllByRole("row")).toHaveLength(25);

    const historicoRegiao = screen.getByRole("region", { name: "Histórico de alertas" });
    const linhas = (await within(historicoRegiao).findAllByRole("row")).slice(1);
    expect(linhas).toHaveLength(2);
    expect(linhas[0]).toHaveTextContent("em aberto");
    expect(linhas[1]).toHaveTextContent("Fila de envio alta");
    expect(linhas[1]).toHaveTextContent("12 min");
  });

  it("refetches at once when an incident opens or closes", async () => {
    stubEventSource();
    let atual: Metricas = metricasNormais();
    const { chamadas } = stubFetch({
      "GET /api/monitoramento/whatsapp": () => ({ body: atual }),
      "GET /api/monitoramento/alertas": { body: { items: [], next_cursor: null } },
    });
    montar();
    const breaker = await screen.findByRole("region", { name: "Disjuntor de envios" });
    expect(breaker).toHaveAttribute("data-estado", "ok");
    expect(screen.getByText("Nenhum alerta aberto.")).toBeInTheDocument();
    // No voice note waiting: the line is not there at all.
    expect(cartao("Fila de envio")).not.toHaveTextContent("transcrição");
    const fonte = FakeEventSource.ultima();
    act(() => fonte.abrir());

    atual = metricas();
    const antes = chamadas.filter((c) => c.url.pathname === "/api/monitoramento/whatsapp").length;
    act(() =>
      fonte.emitir("alerta", {
        id: 3,
        tipo: "breaker_aberto",
        severidade: "critico",
        mensagem: "A MegaAPI está falhando",
        aberto: true,
      }),
    );
    await waitFor(() =>
      expect(screen.getByRole("region", { name: "Disjuntor de envios" })).toHaveAttribute(
        "data-estado",
        "critico",
      ),
    );
    expect(
      chamadas.filter((c) => c.url.pathname === "/api/monitoramento/whatsapp").length,
    ).toBeGreaterThan(antes);
    // The history is refreshed with it.
    expect(
      chamadas.filter((c) => c.url.pathname === "/api/monitoramento/alertas").length,
    ).toBeGreaterThanOrEqual(2);

    atual = { ...metricas(), connection: { ...metricas().connection, state: "close" } };
    act(() => fonte.emitir("conexao", { estado: "close", motivo: "celular sem internet" }));
    await waitFor(() =>
      expect(screen.getByRole("region", { name: "Conexão do WhatsApp" })).toHaveTextContent(
        "Desconectado",
      ),
    );
  });

  it("polls every 5 seconds", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { chamadas } = stubFetch({
      "GET /api/monitoramento/whatsapp": { body: metricasNormais() },
      "GET /api/monitoramento/alertas": { body: { items: [], next_cursor: null } },
    });
    montar();
    await screen.findByRole("region", { name: "Disjuntor de envios" });
    const metricasPedidas = () =>
      chamadas.filter((c) => c.url.pathname === "/api/monitoramento/whatsapp");
    expect(metricasPedidas()).toHaveLength(1);
    await act(() => vi.advanceTimersByTimeAsync(5_000));
    await waitFor(() => expect(metricasPedidas()).toHaveLength(2));
  });

  it("says what went wrong instead of a blank screen, and tries again", async () => {
    let falhar = true;
    stubFetch({
      "GET /api/monitoramento/whatsapp": () =>
        falhar
          ? { status: 503, body: { error: "indisponivel", detail: "Redis indisponível" } }
          : { body: metricasNormais() },
      "GET /api/monitoramento/alertas": { body: { items: [], next_cursor: null } },
      "GET /api/sla/resultados": { body: resultadosCobranca() },
    });
    montar();
    expect(screen.getByText("Carregando o painel…")).toHaveAttribute("role", "status");
    const erro = await screen.findByRole("alert");
    expect(erro).toHaveTextContent("Redis indisponível");
    falhar = false;
    within(erro).getByRole("button", { name: "Tentar de novo" }).click();
    expect(await screen.findByRole("region", { name: "Disjuntor de envios" })).toHaveAttribute(
      "data-estado",
      "ok",
    );
  });

  it("shows what each automatic follow-up step achieved in the week", async () => {
    const { chamadas } = stubFetch({
      "GET /api/monitoramento/whatsapp": { body: metricasNormais() },
      "GET /api/monitoramento/alertas": { body: { items: [], next_cursor: null } },
      "GET /api/sla/resultados": { body: resultadosCobranca() },
    });
    montar();
    const secao = await screen.findByRole("region", {
      name: "Cobrança automática nos últimos 7 dias",
    });
    const linha = await within(secao).findByText("Entregue e não lida: lembrete");
    expect(linha.closest("tr")).toHaveTextContent(/^Entregue e não lida: lembrete82 \(25,0 %\)$/);
    const atrasado = secao.querySelector('[data-etapa="atrasado"]');
    expect(atrasado).toHaveTextContent(/0—$/);
    const pedido = chamadas.find((c) => c.url.pathname === "/api/sla/resultados");
    expect(pedido?.url.searchParams.get("dias")).toBe("7");
  });
});

function resultadosCobranca() {
  return {
    dias: 7,
    etapas: [
      { etapa: "nao_entregue", tomadas: 1, com_resposta: 0 },
      { etapa: "nao_lida", tomadas: 8, com_resposta: 2 },
      { etapa: "sem_resposta", tomadas: 3, com_resposta: 1 },
      { etapa: "prazo_1dia", tomadas: 0, com_resposta: 0 },
      { etapa: "prazo_2h", tomadas: 0, com_resposta: 0 },
      { etapa: "atrasado", tomadas: 0, com_resposta: 0 },
    ],
  };
}
