import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { iniciarSessao } from "../../lib/session";
import type { Metrica } from "../../lib/types";
import { usuario } from "../../test/dados";
import { renderRotas, stubFetch } from "../../test/utils";
import { TerceirizadoDesempenhoPage } from "./TerceirizadoDesempenhoPage";
import { METRICAS, detalhe } from "./dadosDeTeste";
import type { DadosSerie } from "./serie";

// jsdom has no canvas: the chart is a stand-in that shows what it was given.
vi.mock("./GraficoSerie", () => ({
  default: ({ dados, metrica }: { dados: DadosSerie; metrica: Metrica }) => (
    <div data-testid="grafico-serie" data-metrica={metrica.chave}>
      {JSON.stringify(dados)}
    </div>
  ),
}));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(2026, 2, 30, 10, 0));
});

function montar(inicial: string) {
  iniciarSessao("tok", usuario, 3600);
  return renderRotas(
    [
      { path: "/desempenho/terceirizados/:id", element: <TerceirizadoDesempenhoPage /> },
      { path: "/desempenho", element: <h1>Ranking</h1> },
    ],
    inicial,
  );
}

async function grafico(): Promise<{ metrica: string | null; dados: DadosSerie }> {
  const el = await screen.findByTestId("grafico-serie");
  return { metrica: el.getAttribute("data-metrica"), dados: JSON.parse(el.textContent) };
}

describe("TerceirizadoDesempenhoPage", () => {
  it("shows the scorecard of the period, each figure with how it is computed", async () => {
    const { chamadas } = stubFetch({ "GET /api/desempenho/terceirizados/3": { body: detalhe() } });
    montar("/desempenho/terceirizados/3?dias=7");
    expect(
      await screen.findByRole("heading", { level: 1, name: "Clima Frio Refrigeração" }),
    ).toBeVisible();
    expect(screen.getByText(/Clima Frio Ltda · Chamados abertos de 01\/03\/2026/)).toBeVisible();

    const cartao = (nome: string) => screen.getByRole("region", { name: nome });
    expect(cartao("Chamados")).toHaveTextContent("12");
    expect(cartao("Chamados")).toHaveTextContent("2 sem resposta");
    expect(cartao("1ª resposta (mediana)")).toHaveTextContent("1h 20min");
    expect(cartao("1ª resposta (p90)")).toHaveTextContent("3h 20min");
    expect(cartao("Confirmados no SLA")).toHaveTextContent("75,0 %");
    expect(cartao("Cobranças manuais")).toHaveTextContent("1,3");
    expect(cartao("Lidas")).toHaveTextContent("90,0 %");
    expect(
      within(cartao("Confirmados no SLA")).getByRole("button", {
        name: "Como é calculado: Confirmados no SLA",
      }),
    ).toHaveAccessibleDescription(METRICAS[3]!.descricao);

    expect(screen.getByRole("link", { name: "Ver conversas" })).toHaveAttribute(
      "href",
      "/terceirizados/3/conversas",
    );
    // Back to the ranking on the same period.
    expect(screen.getByRole("link", { name: "Desempenho" })).toHaveAttribute(
      "href",
      "/desempenho?dias=7",
    );
    const pedido = chamadas.find((c) => c.url.pathname === "/api/desempenho/terceirizados/3")!;
    expect(Object.fromEntries(pedido.url.searchParams)).toEqual({
      de: "2026-03-24",
      ate: "2026-03-30",
    });
  });

  it("plots the chosen figure week by week over the 90 days, the same numbers in a table", async () => {
    stubFetch({ "GET /api/desempenho/terceirizados/3": { body: detalhe() } });
    const { router } = montar("/desempenho/terceirizados/3");
    const inicial = await grafico();
    expect(inicial.metrica).toBe("resposta_mediana_min");
    expect(inicial.dados.rotulos).toHaveLength(14);
    expect(inicial.dados.rotulos[0]).toBe("29/12");
    expect(inicial.dados.rotulos.at(-1)).toBe("30/03");
    expect(inicial.dados.valores.filter((v) => v !== null)).toEqual([30, 50]);
    expect(screen.getByLabelText("Medida")).toHaveValue("resposta_mediana_min");

    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText("Medida"), "Lidas");
    await waitFor(async () => expect((await grafico()).metrica).toBe("lidas"));
    const lidas = await grafico();
    expect(lidas.dados.valores.filter((v) => v !== null)).toEqual([100, 80, 75.5]);
    expect(router.state.location.search).toBe("?medida=lidas");
    // The description of the plotted figure is in words under the selector.
    const secao = screen.getByRole("region", { name: "Semana a semana" });
    expect(secao).toHaveTextContent(METRICAS[5]!.descricao);

    const tabela = within(secao).getByRole("table");
    const linhas = within(tabela).getAllByRole("row").slice(1);
    expect(linhas).toHaveLength(14);
    expect(linhas[1]).toHaveTextContent(/^05\/01100,0 %$/);
    expect(linhas[12]).toHaveTextContent(/^23\/0375,5 %$/);
    expect(linhas[0]).toHaveTextContent(/^29\/12—$/);
  });

  it("follows the period chips and dates like the ranking", async () => {
    const { chamadas } = stubFetch({
      "GET /api/desempenho/terceirizados/3": { body: detalhe() },
    });
    const { router } = montar("/desempenho/terceirizados/3?medida=lidas");
    await grafico();
    await userEvent.setup().click(screen.getByRole("button", { name: "90 dias" }));
    expect(router.state.location.search).toBe("?medida=lidas&dias=90");
    await waitFor(() =>
      expect(Object.fromEntries(chamadas.at(-1)!.url.searchParams)).toEqual({
        de: "2025-12-31",
        ate: "2026-03-30",
      }),
    );
  });

  it("says when the contractor does not exist", async () => {
    stubFetch({
      "GET /api/desempenho/terceirizados/99": {
        status: 404,
        body: { error: "nao_encontrado", detail: "terceirizado 99 não encontrado" },
      },
    });
    montar("/desempenho/terceirizados/99");
    expect(await screen.findByRole("alert")).toHaveTextContent("terceirizado 99 não encontrado");
    expect(screen.getByRole("link", { name: "Desempenho" })).toHaveAttribute("href", "/desempenho");
  });
});
