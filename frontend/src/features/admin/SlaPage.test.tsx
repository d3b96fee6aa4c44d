import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { iniciarSessao } from "../../lib/session";
import type { EtapaIn, ExpedienteIn, PoliticaIn, Sla } from "../../lib/types";
import { usuario } from "../../test/dados";
import { renderRotas, stubFetch } from "../../test/utils";
import { SlaPage } from "./SlaPage";

function sla(): Sla {
  return {
    expediente: {
      dias: [0, 1, 2, 3, 4],
      inicio: "08:00:00",
      fim: "18:00:00",
      fuso: "America/Sao_Paulo",
      uf: "SP",
      email_supervisor: null,
    },
    feriados: [{ data: "2026-01-25", descricao: "Aniversário de São Paulo" }],
    politicas: [
      // Not in the order shown: the table always reads Urgente, Alta, Normal, Baixa.
      { prioridade: "baixa", confirmar_min: 240, iniciar_min: 3000, concluir_min: 6000 },
      { prioridade: "normal", confirmar_min: 120, iniciar_min: 1200, concluir_min: 3000 },
      { prioridade: "alta", confirmar_min: 60, iniciar_min: 600, concluir_min: 1200 },
      { prioridade: "urgente", confirmar_min: 30, iniciar_min: 120, concluir_min: 630 },
    ],
    etapas: [
      {
        etapa: "nao_entregue",
        ativa: true,
        minutos: 30,
        texto: null,
        envia_ao_terceirizado: false,
      },
      {
        etapa: "nao_lida",
        ativa: true,
        minutos: 120,
        texto: "Olá, {terceirizado}! Conseguiu ver a mensagem sobre o chamado {chamado}?",
        envia_ao_terceirizado: true,
      },
      {
        etapa: "sem_resposta",
        ativa: true,
        minutos: 120,
        texto: "{terceirizado}, pode confirmar o chamado {chamado}?",
        envia_ao_terceirizado: true,
      },
      {
        etapa: "prazo_1dia",
        ativa: true,
        minutos: 600,
        texto: "Lembrete: o chamado {chamado} vence em {prazo}.",
        envia_ao_terceirizado: true,
      },
      {
        etapa: "prazo_2h",
        ativa: true,
        minutos: 120,
        texto: "Lembrete: o prazo do chamado {chamado} termina em {prazo}.",
        envia_ao_terceirizado: true,
      },
      { etapa: "atrasado", ativa: true, minutos: 0, texto: null, envia_ao_terceirizado: false },
    ],
  };
}

function erro422(campo: string, msg: string) {
  return {
    status: 422,
    body: {
      error: "dados_invalidos",
      detail: [{ loc: campo ? ["body", campo] : ["body"], msg, type: "value_error" }],
    },
  };
}

function montar() {
  iniciarSessao("tok", { ...usuario, papel: "admin" }, 3600);
  return renderRotas([{ path: "/admin/sla", element: <SlaPage /> }], "/admin/sla");
}

function secao(nome: string): HTMLElement {
  return screen.getByRole("region", { name: nome });
}

describe("SlaPage", () => {
  it("shows the expediente, the holidays, the deadlines in hours and the ladder in order", async () => {
    stubFetch({ "GET /api/sla": { body: sla() } });
    montar();
    expect(screen.getByRole("heading", { name: "Prazos e cobranças" })).toBeInTheDocument();
    const expediente = await screen.findByRole("region", { name: "Expediente" });
    for (const dia of ["Seg", "Ter", "Qua", "Qui", "Sex"]) {
      expect(within(expediente).getByLabelText(dia)).toBeChecked();
    }
    expect(within(expediente).getByLabelText("Sáb")).not.toBeChecked();
    expect(within(expediente).getByLabelText("Dom")).not.toBeChecked();
    expect(within(expediente).getByLabelText("Abertura")).toHaveValue("08:00");
    expect(within(expediente).getByLabelText("Fechamento")).toHaveValue("18:00");
    expect(within(expediente).getByLabelText("UF dos feriados estaduais")).toHaveValue("SP");
    // The 27 states and "none".
    expect(within(expediente).getAllByRole("option")).toHaveLength(28);

    const feriados = within(secao("Feriados da empresa")).getByRole("list");
    expect(within(feriados).getByRole("listitem")).toHaveTextContent(
      "25/01/2026Aniversário de São Paulo",
    );
    expect(secao("Feriados da empresa")).toHaveTextContent("feriados nacionais");

    const linhas = within(secao("Prazos por prioridade")).getAllByRole("row").slice(1);
    expect(linhas.map((l) => within(l).getByRole("rowheader").textContent)).toEqual([
      "Urgente",
      "Alta",
      "Normal",
      "Baixa",
    ]);
    expect(screen.getByLabelText("Confirmar, prioridade Urgente")).toHaveValue("30 min");
    expect(screen.getByLabelText("Iniciar, prioridade Urgente")).toHaveValue("2 h");
    expect(screen.getByLabelText("Concluir, prioridade Urgente")).toHaveValue("10 h 30 min");
    expect(screen.getByLabelText("Concluir, prioridade Normal")).toHaveValue("50 h");

    const etapas = within(secao("Etapas da cobrança automática")).getAllByRole("article");
    expect(etapas.map((e) => within(e).getByRole("heading").textContent)).toEqual([
      "Não entregue (só ✓)",
      "Entregue e não lida (✓✓)",
      "Lida e sem resposta",
      "Um dia útil antes do prazo",
      "Duas horas úteis antes do prazo",
      "Prazo vencido",
    ]);
    // Only the steps that message the contractor have a text (and the variables).
    const [naoEntregue, naoLida] = etapas as [HTMLElement, HTMLElement];
    expect(within(naoEntregue).queryByRole("textbox", { name: /Texto/ })).toBeNull();
    expect(within(naoEntregue).getByLabelText("Avisar depois de")).toHaveValue("30 min");
    expect(within(naoLida).getByRole("textbox", { name: /Texto/ })).toHaveValue(
      sla().etapas[1]?.texto,
    );
    expect(naoLida).toHaveTextContent("{terceirizado}");
    expect(naoLida).toHaveTextContent("{prazo}");
    expect(within(etapas[5] as HTMLElement).queryByRole("textbox", { name: /Texto/ })).toBeNull();
  });

  it("saves the expediente and says so; the API's problems go under their fields", async () => {
    let vez = 0;
    const { chamadas } = stubFetch({
      "GET /api/sla": { body: sla() },
      "PUT /api/sla/expediente": (_url, pedido) => {
        vez += 1;
        if (vez === 1) return erro422("email_supervisor", "E-mail inválido");
        if (vez === 2) return erro422("", "O início do expediente precisa ser antes do fim.");
        const dados = JSON.parse(pedido.body) as ExpedienteIn;
        return { body: { ...sla(), expediente: { ...sla().expediente, ...dados } } };
      },
    });
    montar();
    const user = userEvent.setup();
    const expediente = await screen.findByRole("region", { name: "Expediente" });
    await user.click(within(expediente).getByLabelText("Sáb"));
    await user.click(within(expediente).getByLabelText("Seg"));
    await user.selectOptions(within(expediente).getByLabelText("UF dos feriados estaduais"), "RJ");
    await user.type(within(expediente).getByLabelText("E-mail do supervisor"), "chefe@");
    await user.click(within(expediente).getByRole("button", { name: "Salvar" }));
    expect(await within(expediente).findByText("E-mail inválido")).toBeInTheDocument();
    expect(within(expediente).getByLabelText("E-mail do supervisor")).toHaveAttribute(
      "aria-invalid",
      "true",
    );

    // A problem of the whole expediente (loc ["body"]) goes under the field it speaks of.
    await user.click(within(expediente).getByRole("button", { name: "Salvar" }));
    expect(
      await within(expediente).findByText("O início do expediente precisa ser antes do fim."),
    ).toBeInTheDocument();
    expect(within(expediente).getByLabelText("Fechamento")).toHaveAttribute("aria-invalid", "true");

    await user.clear(within(expediente).getByLabelText("E-mail do supervisor"));
    await user.type(within(expediente).getByLabelText("E-mail do supervisor"), "chefe@example.com");
    await user.click(within(expediente).getByRole("button", { name: "Salvar" }));
    expect(await within(expediente).findByRole("status")).toHaveTextContent("Expediente salvo");
    expect(chamadas.filter((c) => c.metodo === "PUT").at(-1)?.corpo).toEqual({
      dias: [1, 2, 3, 4, 5],
      inicio: "08:00:00",
      fim: "18:00:00",
      fuso: "America/Sao_Paulo",
      uf: "RJ",
      email_supervisor: "chefe@example.com",
    });
  });

  it("checks the expediente before sending: a day, and closing after opening", async () => {
    const { chamadas } = stubFetch({ "GET /api/sla": { body: sla() } });
    montar();
    const user = userEvent.setup();
    const expediente = await screen.findByRole("region", { name: "Expediente" });
    for (const dia of ["Seg", "Ter", "Qua", "Qui", "Sex"]) {
      await user.click(within(expediente).getByLabelText(dia));
    }
    const fim = within(expediente).getByLabelText("Fechamento");
    await user.clear(fim);
    await user.type(fim, "07:00");
    await user.click(within(expediente).getByRole("button", { name: "Salvar" }));
    expect(within(expediente).getByText("Marque ao menos um dia.")).toBeInTheDocument();
    expect(
      within(expediente).getByText("O fechamento precisa ser depois da abertura."),
    ).toBeInTheDocument();
    expect(chamadas.filter((c) => c.metodo === "PUT")).toHaveLength(0);
  });

  it("adds a company holiday and removes one after confirming", async () => {
    const feriados = [...sla().feriados];
    const { chamadas } = stubFetch({
      "GET /api/sla": () => ({ body: { ...sla(), feriados } }),
      "POST /api/sla/feriados": (_url, pedido) => {
        const novo = JSON.parse(pedido.body) as { data: string; descricao: string };
        feriados.push(novo);
        return { status: 201, body: novo };
      },
      "DELETE /api/sla/feriados/2026-01-25": () => {
        feriados.splice(0, 1);
        return { status: 204, body: undefined };
      },
    });
    montar();
    const user = userEvent.setup();
    const secaoFeriados = await screen.findByRole("region", { name: "Feriados da empresa" });
    await user.click(within(secaoFeriados).getByRole("button", { name: "Adicionar feriado" }));
    expect(within(secaoFeriados).getByText("Informe a data.")).toBeInTheDocument();

    await user.type(within(secaoFeriados).getByLabelText("Data"), "2026-11-20");
    await user.type(within(secaoFeriados).getByLabelText("Descrição"), "Consciência Negra");
    await user.click(within(secaoFeriados).getByRole("button", { name: "Adicionar feriado" }));
    const lista = within(secaoFeriados).getByRole("list");
    await waitFor(() => expect(within(lista).getAllByRole("listitem")).toHaveLength(2));
    expect(lista).toHaveTextContent("20/11/2026Consciência Negra");
    expect(within(secaoFeriados).getByLabelText("Descrição")).toHaveValue("");
    expect(chamadas.find((c) => c.metodo === "POST")?.corpo).toEqual({
      data: "2026-11-20",
      descricao: "Consciência Negra",
    });

    await user.click(
      within(lista).getByRole("button", { name: "Remover o feriado de 25/01/2026" }),
    );
    const confirmar = screen.getByRole("alertdialog", {
      name: "Remover o feriado de 25/01/2026?",
    });
    await user.click(within(confirmar).getByRole("button", { name: "Remover" }));
    await waitFor(() => expect(within(lista).getAllByRole("listitem")).toHaveLength(1));
    expect(lista).not.toHaveTextContent("25/01/2026");
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(chamadas.filter((c) => c.metodo === "DELETE")).toHaveLength(1);
  });

  it("saves a priority's deadlines in minutes from hours and minutes, per row", async () => {
    let vez = 0;
    const { chamadas } = stubFetch({
      "GET /api/sla": { body: sla() },
      "PUT /api/sla/politicas/normal": (_url, pedido) => {
        vez += 1;
        if (vez === 1) return erro422("concluir_min", "Deve ser menor ou igual a 40320");
        if (vez === 2) {
          return erro422("", "Os prazos precisam estar em ordem: confirmar ≤ iniciar ≤ concluir");
        }
        const dados = JSON.parse(pedido.body) as PoliticaIn;
        const novo = sla();
        novo.politicas = novo.politicas.map((p) =>
          p.prioridade === "normal" ? { prioridade: "normal", ...dados } : p,
        );
        return { body: novo };
      },
    });
    montar();
    const user = userEvent.setup();
    const concluir = await screen.findByLabelText("Concluir, prioridade Normal");
    const salvar = screen.getByRole("button", { name: "Salvar os prazos da prioridade Normal" });

    await user.clear(concluir);
    await user.type(concluir, "dois dias");
    await user.click(salvar);
    expect(
      screen.getByText("Use horas e minutos, como 2 h, 10 h 30 min ou 45 min."),
    ).toBeInTheDocument();
    expect(concluir).toHaveAttribute("aria-invalid", "true");

    // The API's 422 for the field goes under it.
    await user.clear(concluir);
    await user.type(concluir, "1000 h");
    await user.click(salvar);
    expect(await screen.findByText("Deve ser menor ou igual a 40320")).toBeInTheDocument();
    expect(concluir).toHaveAttribute("aria-invalid", "true");

    // The row's problem (the order of the three) goes under the row.
    await user.click(salvar);
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Normal: Os prazos precisam estar em ordem",
    );

    // A bare number is hours, written back as such when the field is left.
    await user.clear(concluir);
    await user.type(concluir, "60");
    await user.tab();
    expect(concluir).toHaveValue("60 h");
    const iniciar = screen.getByLabelText("Iniciar, prioridade Normal");
    await user.clear(iniciar);
    await user.type(iniciar, "20h30");
    await user.click(salvar);
    const linha = concluir.closest("tr") as HTMLElement;
    expect(await within(linha).findByRole("status")).toHaveTextContent("Salvo");
    // Leaving the field for the button wrote it back as understood.
    expect(iniciar).toHaveValue("20 h 30 min");
    expect(chamadas.filter((c) => c.metodo === "PUT").at(-1)?.corpo).toEqual({
      confirmar_min: 120,
      iniciar_min: 1230,
      concluir_min: 3600,
    });
    // Only that row was sent, every time.
    expect(chamadas.filter((c) => c.metodo === "PUT").map((c) => c.url.pathname)).toEqual(
      Array(3).fill("/api/sla/politicas/normal"),
    );
  });

  it("saves a step: on/off, minutes and text; an unknown variable is shown under the text", async () => {
    let vez = 0;
    const { chamadas } = stubFetch({
      "GET /api/sla": { body: sla() },
      "PUT /api/sla/etapas/nao_lida": (_url, pedido) => {
        vez += 1;
        if (vez === 1) {
          return erro422(
            "texto",
            "Variável desconhecida: {nome} (use {terceirizado}, {chamado}, {titulo}, {prazo})",
          );
        }
        const dados = JSON.parse(pedido.body) as EtapaIn;
        const novo = sla();
        novo.etapas = novo.etapas.map((e) =>
          e.etapa === "nao_lida" ? { ...e, ...dados, texto: dados.texto ?? null } : e,
        );
        return { body: novo };
      },
      "PUT /api/sla/etapas/atrasado": (_url, pedido) => {
        const dados = JSON.parse(pedido.body) as EtapaIn;
        const novo = sla();
        novo.etapas = novo.etapas.map((e) => (e.etapa === "atrasado" ? { ...e, ...dados } : e));
        return { body: novo };
      },
    });
    montar();
    const user = userEvent.setup();
    const cartao = (
      await screen.findByRole("heading", { name: "Entregue e não lida (✓✓)" })
    ).closest("article") as HTMLElement;
    const texto = within(cartao).getByRole("textbox", { name: "Texto enviado ao terceirizado" });
    await user.clear(texto);
    await user.type(texto, "Oi, {{nome}");
    await user.click(within(cartao).getByRole("button", { name: /Salvar a etapa/ }));
    expect(await within(cartao).findByText(/Variável desconhecida: \{nome\}/)).toBeInTheDocument();
    expect(texto).toHaveAttribute("aria-invalid", "true");

    await user.clear(texto);
    await user.type(texto, "Oi, {{terceirizado}! Viu o chamado {{chamado}?");
    const minutos = within(cartao).getByLabelText("Cobrar depois de");
    await user.clear(minutos);
    await user.type(minutos, "1 h 30 min");
    await user.click(within(cartao).getByRole("switch", { name: /ligada/ }));
    expect(within(cartao).getByRole("switch", { name: /ligada/ })).toHaveAttribute(
      "aria-checked",
      "false",
    );
    await user.click(within(cartao).getByRole("button", { name: /Salvar a etapa/ }));
    expect(await within(cartao).findByRole("status")).toHaveTextContent("Salvo");
    expect(chamadas.filter((c) => c.metodo === "PUT").at(-1)?.corpo).toEqual({
      ativa: false,
      minutos: 90,
      texto: "Oi, {terceirizado}! Viu o chamado {chamado}?",
    });

    // A step that only tells the operator sends no text of its own.
    const atrasado = screen
      .getByRole("heading", { name: "Prazo vencido" })
      .closest("article") as HTMLElement;
    const depois = within(atrasado).getByLabelText("Agir depois do prazo");
    await user.clear(depois);
    await user.type(depois, "30 min");
    await user.click(within(atrasado).getByRole("button", { name: /Salvar a etapa/ }));
    expect(await within(atrasado).findByRole("status")).toHaveTextContent("Salvo");
    expect(chamadas.filter((c) => c.metodo === "PUT").at(-1)?.corpo).toEqual({
      ativa: true,
      minutos: 30,
      texto: null,
    });
  });

  it("asks for the text of a step that messages the contractor", async () => {
    const { chamadas } = stubFetch({ "GET /api/sla": { body: sla() } });
    montar();
    const user = userEvent.setup();
    const cartao = (await screen.findByRole("heading", { name: "Lida e sem resposta" })).closest(
      "article",
    ) as HTMLElement;
    await user.clear(within(cartao).getByRole("textbox", { name: /Texto/ }));
    await user.click(within(cartao).getByRole("button", { name: /Salvar a etapa/ }));
    expect(
      within(cartao).getByText("Informe o texto: esta etapa envia uma mensagem ao terceirizado."),
    ).toBeInTheDocument();
    expect(chamadas.filter((c) => c.metodo === "PUT")).toHaveLength(0);
  });
});
