import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { Layout } from "../../components/Layout";
import { iniciarSessao } from "../../lib/session";
import type { Usuario } from "../../lib/types";
import { usuario } from "../../test/dados";
import { stubDownload } from "../../test/download";
import { renderRotas, stubFetch } from "../../test/utils";
import { DesempenhoPage } from "./DesempenhoPage";
import { METRICAS, atencao, operadores, ranking } from "./dadosDeTeste";

// jsdom has no canvas: the chart is a stand-in that shows what it was given.
vi.mock("./GraficoHoras", () => ({
  default: ({ dados }: { dados: { rotulos: string[]; medianas: (number | null)[] } }) => (
    <div data-testid="grafico-horas">{JSON.stringify(dados.medianas)}</div>
  ),
}));

const admin: Usuario = { ...usuario, papel: "admin" };

beforeEach(() => {
  // Monday 30/03/2026, mid-morning: the chips count back from this day.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(2026, 2, 30, 10, 0));
});

function stubApi(u: Usuario = usuario, extra: Parameters<typeof stubFetch>[0] = {}) {
  return stubFetch({
    "GET /api/auth/me": { body: u },
    "GET /api/desempenho/terceirizados": { body: ranking() },
    "GET /api/desempenho/atencao": { body: [atencao()] },
    "GET /api/desempenho/operadores": { body: operadores() },
    ...extra,
  });
}

function montar(inicial = "/desempenho", u: Usuario = usuario) {
  iniciarSessao("tok", u, 3600);
  return renderRotas(
    [
      { path: "/desempenho", element: <DesempenhoPage /> },
      { path: "/desempenho/terceirizados/:id", element: <h1>Detalhe do terceirizado</h1> },
    ],
    inicial,
  );
}

async function tabela() {
  return screen.findByRole("table", { name: /Desempenho dos terceirizados/ });
}

function linhas(t: HTMLElement) {
  return within(t).getAllByRole("row").slice(1);
}

function nomes(t: HTMLElement) {
  return linhas(t).map((l) => within(l).getByRole("link").textContent);
}

function celula(linha: HTMLElement, chave: string) {
  return linha.querySelector(`td[data-chave="${chave}"]`);
}

/** A header is named by its figure alone (not its description, read at every cell). */
function cabecalho(nome: string) {
  return screen.getByRole("columnheader", { name: nome });
}

const pedidos = (chamadas: ReturnType<typeof stubFetch>["chamadas"], caminho: string) =>
  chamadas.filter((c) => c.url.pathname === caminho).map((c) => c.url.searchParams);

describe("DesempenhoPage ranking", () => {
  it("formats each figure in its unit, with a dash where there is none", async () => {
    stubApi();
    montar();
    const t = await tabela();
    expect(nomes(t)).toEqual(["Banheiros & Cia", "Clima Frio Refrigeração", "Elétrica Alves"]);
    const [banheiros, clima, eletrica] = linhas(t) as [HTMLElement, HTMLElement, HTMLElement];

    expect(celula(clima, "chamados")).toHaveTextContent(/^122 sem resposta$/);
    expect(celula(clima, "resposta_mediana_min")).toHaveTextContent(/^1h 20min$/);
    expect(celula(clima, "resposta_p90_min")).toHaveTextContent(/^3h 20min$/);
    expect(celula(clima, "confirmados_no_prazo")).toHaveTextContent(/^75,0 %$/);
    expect(celula(clima, "cobrancas_manuais_por_chamado")).toHaveTextContent(/^1,3$/);
    expect(celula(clima, "lidas")).toHaveTextContent(/^90,0 %$/);
    expect(within(clima).getByRole("rowheader")).toHaveTextContent("Clima Frio Ltda");

    expect(celula(eletrica, "chamados")).toHaveTextContent(/^4$/);
    expect(celula(eletrica, "resposta_mediana_min")).toHaveTextContent(/^25 min$/);
    expect(celula(eletrica, "resposta_p90_min")).toHaveTextContent(/^24h$/);
    expect(celula(eletrica, "confirmados_no_prazo")).toHaveTextContent(/^100,0 %$/);
    expect(celula(eletrica, "cobrancas_manuais_por_chamado")).toHaveTextContent(/^0,0$/);

    for (const chave of ["resposta_mediana_min", "resposta_p90_min", "confirmados_no_prazo"]) {
      expect(celula(banheiros, chave)).toHaveTextContent(/^—$/);
    }
    // One column per figure the API lists, in its order.
    expect(
      within(t)
        .getAllByRole("columnheader")
        .slice(1)
        .map((th) => th.getAttribute("data-chave")),
    ).toEqual(METRICAS.map((m) => m.chave));
  });

  it("says how each figure is computed behind the ⓘ of its header", async () => {
    stubApi();
    montar();
    await tabela();
    const descricao = METRICAS[1]!.descricao;
    const info = within(cabecalho("1ª resposta (mediana)")).getByRole("button", {
      name: "Como é calculado: 1ª resposta (mediana)",
    });
    expect(info).toHaveAccessibleDescription(descricao);
    expect(info).toHaveAttribute("title", descricao);

    // A tap (phones have no hover) shows it; Escape hides it again.
    const user = userEvent.setup();
    await user.click(info);
    const texto = document.getElementById(info.getAttribute("aria-describedby")!);
    expect(texto).toHaveAttribute("role", "tooltip");
    expect(texto).toHaveClass("aberto");
    expect(texto).toHaveTextContent(descricao);
    await user.keyboard("{Escape}");
    expect(texto).not.toHaveClass("aberto");
    await user.click(info);
    expect(texto).toHaveClass("aberto");
    await user.click(screen.getByRole("heading", { name: "Desempenho" }));
    expect(texto).not.toHaveClass("aberto");

    expect(
      within(cabecalho("Lidas")).getByRole("button", { name: "Como é calculado: Lidas" }),
    ).toHaveAccessibleDescription(
      "Nossas mensagens aceitas pelo WhatsApp que o terceirizado leu (✓✓ azul).",
    );
  });

  it("sorts by a header: the best first, then the other way, figures it cannot tell last", async () => {
    const { chamadas } = stubApi();
    const { router } = montar();
    const t = await tabela();
    expect(cabecalho("Terceirizado")).toHaveAttribute("aria-sort", "ascending");
    const user = userEvent.setup();

    await user.click(screen.getByRole("button", { name: "1ª resposta (mediana)" }));
    expect(cabecalho("1ª resposta (mediana)")).toHaveAttribute("aria-sort", "ascending");
    expect(cabecalho("Terceirizado")).not.toHaveAttribute("aria-sort");
    expect(nomes(t)).toEqual(["Elétrica Alves", "Clima Frio Refrigeração", "Banheiros & Cia"]);
    expect(router.state.location.search).toBe("?ordem=resposta_mediana_min");

    await user.click(screen.getByRole("button", { name: "1ª resposta (mediana)" }));
    expect(cabecalho("1ª resposta (mediana)")).toHaveAttribute("aria-sort", "descending");
    expect(nomes(t)).toEqual(["Clima Frio Refrigeração", "Elétrica Alves", "Banheiros & Cia"]);
    expect(router.state.location.search).toBe("?ordem=-resposta_mediana_min");

    // More read is better: the highest first.
    await user.click(screen.getByRole("button", { name: "Lidas" }));
    expect(cabecalho("Lidas")).toHaveAttribute("aria-sort", "descending");
    expect(nomes(t)).toEqual(["Clima Frio Refrigeração", "Elétrica Alves", "Banheiros & Cia"]);

    await user.click(screen.getByRole("button", { name: "Chamados" }));
    expect(nomes(t)).toEqual(["Clima Frio Refrigeração", "Elétrica Alves", "Banheiros & Cia"]);
    await user.click(screen.getByRole("button", { name: "Terceirizado" }));
    expect(cabecalho("Terceirizado")).toHaveAttribute("aria-sort", "ascending");
    expect(router.state.location.search).toBe("");
    // Sorting is done here: no new request.
    expect(pedidos(chamadas, "/api/desempenho/terceirizados")).toHaveLength(1);
  });

  it("opens a contractor from its row, carrying the period", async () => {
    stubApi();
    const { router } = montar("/desempenho?dias=7&prioridade=alta");
    const t = await tabela();
    const clima = linhas(t)[1]!;
    expect(within(clima).getByRole("link", { name: "Clima Frio Refrigeração" })).toHaveAttribute(
      "href",
      "/desempenho/terceirizados/3?dias=7",
    );
    await userEvent.setup().click(celula(clima, "lidas")!);
    expect(await screen.findByRole("heading", { name: "Detalhe do terceirizado" })).toBeVisible();
    expect(router.state.location.pathname).toBe("/desempenho/terceirizados/3");
    expect(router.state.location.search).toBe("?dias=7");
  });

  it("scrolls sideways on a phone instead of turning into cards", async () => {
    stubApi();
    montar();
    const t = await tabela();
    expect(t).toHaveClass("tabela-rolavel");
    const rolagem = screen.getByRole("region", { name: "Ranking dos terceirizados" });
    expect(rolagem).toContainElement(t);
    // Focusable, so a keyboard can scroll it.
    expect(rolagem).toHaveAttribute("tabindex", "0");
  });

  it("says when no chamado matches, and what went wrong", async () => {
    stubApi(usuario, {
      "GET /api/desempenho/terceirizados": (url) =>
        url.searchParams.get("de") === "2024-01-01"
          ? {
              status: 422,
              body: { error: "periodo_invalido", detail: "o período tem no máximo 366 dias" },
            }
          : { body: ranking({ itens: [] }) },
    });
    const { router } = montar();
    expect(
      await screen.findByText("Nenhum chamado aberto no período com esses filtros."),
    ).toBeVisible();
    await act(() => router.navigate("/desempenho?de=2024-01-01&ate=2026-03-30"));
    const ranking_ = screen.getByRole("region", { name: "Terceirizados" });
    expect(await within(ranking_).findByRole("alert")).toHaveTextContent(
      "o período tem no máximo 366 dias",
    );
  });
});

describe("DesempenhoPage filters", () => {
  it("keeps the filters in the URL and asks the API for them", async () => {
    const { chamadas } = stubApi();
    const { router } = montar("/desempenho?dias=7&prioridade=alta");
    await tabela();
    const ranking_ = () => pedidos(chamadas, "/api/desempenho/terceirizados");
    const ultimo = () => Object.fromEntries(ranking_().at(-1)!);

    expect(ultimo()).toEqual({ de: "2026-03-24", ate: "2026-03-30", prioridade: "alta" });
    expect(screen.getByRole("button", { name: "7 dias" })).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByRole("button", { name: "30 dias" })).toHaveAttribute(
      "aria-pressed",
      "false",
    );
    expect(screen.getByLabelText("De")).toHaveValue("2026-03-24");
    expect(screen.getByLabelText("Até")).toHaveValue("2026-03-30");
    expect(screen.getByLabelText("Prioridade")).toHaveValue("alta");

    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "90 dias" }));
    expect(router.state.location.search).toBe("?dias=90&prioridade=alta");
    await waitFor(() =>
      expect(ultimo()).toEqual({ de: "2025-12-31", ate: "2026-03-30", prioridade: "alta" }),
    );

    // The place is sent once the operator stops typing, not at every key.
    await user.type(screen.getByLabelText("Prédio / local"), "Bloco B");
    await waitFor(() => expect(ultimo().local).toBe("Bloco B"));
    expect(new URLSearchParams(router.state.location.search).get("local")).toBe("Bloco B");
    expect(
      ranking_()
        .filter((p) => p.has("local"))
        .map((p) => p.get("local")),
    ).toEqual(["Bloco B"]);

    fireEvent.change(screen.getByLabelText("De"), { target: { value: "2026-03-10" } });
    expect(Object.fromEntries(new URLSearchParams(router.state.location.search))).toEqual({
      prioridade: "alta",
      local: "Bloco B",
      de: "2026-03-10",
      ate: "2026-03-30",
    });
    for (const dias of ["7 dias", "30 dias", "90 dias"]) {
      expect(screen.getByRole("button", { name: dias })).toHaveAttribute("aria-pressed", "false");
    }
    await waitFor(() =>
      expect(ultimo()).toEqual({
        de: "2026-03-10",
        ate: "2026-03-30",
        prioridade: "alta",
        local: "Bloco B",
      }),
    );

    await user.selectOptions(screen.getByLabelText("Prioridade"), "Todas");
    await waitFor(() => expect(ultimo()).not.toHaveProperty("prioridade"));
    expect(router.state.location.search).not.toContain("prioridade");

    fireEvent.change(screen.getByLabelText("Até"), { target: { value: "2026-03-20" } });
    await waitFor(() => expect(ultimo()).toMatchObject({ de: "2026-03-10", ate: "2026-03-20" }));
    // The "Atenção" panel follows the last day.
    await waitFor(() =>
      expect(pedidos(chamadas, "/api/desempenho/atencao").at(-1)?.get("ate")).toBe("2026-03-20"),
    );
  });

  it("starts on the 30 days to today", async () => {
    const { chamadas } = stubApi();
    montar();
    await tabela();
    expect(Object.fromEntries(pedidos(chamadas, "/api/desempenho/terceirizados")[0]!)).toEqual({
      de: "2026-03-01",
      ate: "2026-03-30",
    });
    expect(screen.getByRole("button", { name: "30 dias" })).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByText(/Chamados abertos de 01\/03\/2026 a 30\/03\/2026/)).toBeVisible();
  });

  it("exports the ranking with the same filters, and shows why it could not", async () => {
    const salvos = stubDownload();
    const { chamadas } = stubApi(usuario, {
      "GET /api/desempenho/terceirizados/exportar": (url) =>
        url.searchParams.get("formato") === "xlsx"
          ? {
              status: 503,
              body: { error: "indisponivel", detail: "Exportação indisponível agora" },
            }
          : { body: "terceirizado;chamados" },
    });
    montar("/desempenho?dias=7&prioridade=urgente&local=Bloco+B");
    await tabela();
    const user = userEvent.setup();

    await user.click(screen.getByRole("button", { name: "Exportar CSV" }));
    await waitFor(() => expect(salvos).toHaveLength(1));
    const pedido = chamadas.find((c) => c.url.pathname.endsWith("/exportar"))!;
    expect(Object.fromEntries(pedido.url.searchParams)).toEqual({
      formato: "csv",
      de: "2026-03-24",
      ate: "2026-03-30",
      prioridade: "urgente",
      local: "Bloco B",
    });
    expect(pedido.headers.Authorization).toBe("Bearer tok");
    expect(salvos[0]!.nome).toBe("desempenho-2026-03-24-a-2026-03-30.csv");

    await user.click(screen.getByRole("button", { name: "Exportar XLSX" }));
    const grupo = screen.getByRole("group", { name: "Exportar" });
    expect(await within(grupo).findByRole("alert")).toHaveTextContent(
      "Não foi possível baixar: Exportação indisponível agora",
    );
    expect(salvos).toHaveLength(1);
  });
});

describe("DesempenhoPage Atenção", () => {
  it("lists the contractors getting worse with the reasons", async () => {
    stubApi(usuario, {
      "GET /api/desempenho/atencao": {
        body: [
          atencao(),
          atencao({
            terceirizado_id: 5,
            nome: "Elétrica Alves",
            motivos: ["concluídos no prazo caiu de 80% para 50%"],
            agora: { ...atencao().agora, chamados: 1 },
          }),
        ],
      },
    });
    montar("/desempenho?dias=7");
    const painel = await screen.findByRole("region", { name: "Atenção" });
    expect(painel).toHaveTextContent("Quem piorou nos 30 dias até 30/03/2026");
    const itens = await within(painel)
      .findAllByRole("listitem", { name: "" })
      .catch(() => []);
    void itens;
    const clima = painel.querySelector('[data-terceirizado-id="3"]') as HTMLElement;
    expect(within(clima).getByRole("link", { name: "Clima Frio Refrigeração" })).toHaveAttribute(
      "href",
      "/desempenho/terceirizados/3?dias=7",
    );
    expect(clima).toHaveTextContent("5 chamados nos últimos 30 dias (9 nos 60 anteriores)");
    expect(
      within(clima)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual([
      "1ª resposta (mediana) passou de 40 para 95 min úteis",
      "mensagens lidas caiu de 90% para 60%",
    ]);
    const eletrica = painel.querySelector('[data-terceirizado-id="5"]') as HTMLElement;
    expect(eletrica).toHaveTextContent("1 chamado nos últimos 30 dias");
    expect(eletrica).toHaveTextContent("concluídos no prazo caiu de 80% para 50%");
  });

  it("says so when nobody got worse", async () => {
    stubApi(usuario, { "GET /api/desempenho/atencao": { body: [] } });
    montar();
    const painel = await screen.findByRole("region", { name: "Atenção" });
    expect(await within(painel).findByText("Nenhum terceirizado piorou.")).toBeVisible();
  });
});

describe("DesempenhoPage operators", () => {
  it("is not shown, nor asked for, for an operator", async () => {
    const { chamadas } = stubApi(usuario);
    montar("/desempenho", usuario);
    await tabela();
    await within(screen.getByRole("region", { name: "Atenção" })).findByText(
      "Clima Frio Refrigeração",
    );
    expect(screen.queryByRole("region", { name: "Tempo de resposta dos operadores" })).toBeNull();
    expect(pedidos(chamadas, "/api/desempenho/operadores")).toHaveLength(0);
  });

  it("shows administrators the overall, per-operator and per-hour answer times", async () => {
    const { chamadas } = stubApi(admin);
    montar("/desempenho?dias=7", admin);
    const secao = await screen.findByRole("region", { name: "Tempo de resposta dos operadores" });
    const geral = await within(secao).findByText("Respostas", { selector: "dt" });
    expect(geral.closest("dl")).toHaveTextContent("Respostas140Mediana12 minp901h 35min");

    const porOperador = within(secao).getAllByRole("table")[0]!;
    expect(
      within(porOperador)
        .getAllByRole("row")
        .slice(1)
        .map((r) => r.textContent),
    ).toEqual(["Operadora Ana1008 min1h", "Sem operador identificado4030 min3h 20min"]);

    // The chart gets the 24 hours, the ones with no answer empty.
    const medianas = JSON.parse(
      (await within(secao).findByTestId("grafico-horas")).textContent,
    ) as (number | null)[];
    expect(medianas).toHaveLength(24);
    expect(medianas[9]).toBe(5);
    expect(medianas[14]).toBe(15.5);
    expect(medianas.filter((m) => m !== null)).toHaveLength(2);

    expect(Object.fromEntries(pedidos(chamadas, "/api/desempenho/operadores")[0]!)).toEqual({
      de: "2026-03-24",
      ate: "2026-03-30",
    });
  });
});

describe("navigation", () => {
  it("has Desempenho in the main navigation, between Terceirizados and Monitoramento", async () => {
    stubApi();
    iniciarSessao("tok", usuario, 3600);
    renderRotas(
      [{ element: <Layout />, children: [{ path: "/desempenho", element: <DesempenhoPage /> }] }],
      "/desempenho",
    );
    const nav = screen.getByRole("navigation", { name: "Principal" });
    const itens = within(nav)
      .getAllByRole("link")
      .map((a) => a.textContent);
    expect(itens.slice(itens.indexOf("Terceirizados"), itens.indexOf("Terceirizados") + 3)).toEqual(
      ["Terceirizados", "Desempenho", "Monitoramento"],
    );
    expect(within(nav).getByRole("link", { name: "Desempenho" })).toHaveAttribute(
      "aria-current",
      "page",
    );
    await tabela();
  });
});
