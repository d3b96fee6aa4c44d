import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { iniciarSessao } from "../../lib/session";
import type { Regra } from "../../lib/types";
import { usuario } from "../../test/dados";
import { renderRotas, stubFetch } from "../../test/utils";
import { RegrasPage } from "./RegrasPage";

function regra(parcial: Partial<Regra>): Regra {
  return {
    id: 1,
    nome: "Horário",
    tipo_padrao: "palavra_chave",
    padrao: "horário",
    acao: "responder",
    parametro: "Atendemos das 8h às 18h.",
    ordem: 10,
    ativa: true,
    criado_em: "2026-03-10T12:00:00Z",
    atualizado_em: "2026-03-10T12:00:00Z",
    ...parcial,
  };
}

function montar() {
  iniciarSessao("tok", { ...usuario, papel: "admin" }, 3600);
  return renderRotas([{ path: "/admin/regras", element: <RegrasPage /> }], "/admin/regras");
}

describe("RegrasPage", () => {
  it("lists the rules by ordem with what each does", async () => {
    stubFetch({
      "GET /api/admin/automacao/regras": {
        body: [
          regra({
            id: 2,
            nome: "Urgente",
            ordem: 20,
            acao: "definir_prioridade",
            parametro: "urgente",
            tipo_padrao: "regex",
            padrao: "urgen(te|cia)",
          }),
          regra({ id: 1 }),
          regra({
            id: 3,
            nome: "Pronto",
            ordem: 5,
            acao: "mudar_status",
            parametro: "aguardando_confirmacao",
            ativa: false,
          }),
        ],
      },
    });
    montar();
    const linhas = (await screen.findAllByRole("row")).slice(1);
    expect(linhas.map((l) => within(l).getAllByRole("cell")[1]?.textContent)).toEqual([
      "Pronto",
      "Horário",
      "Urgente",
    ]);
    expect(linhas[0]).toHaveTextContent("Mudar o status: Aguardando confirmação");
    expect(linhas[1]).toHaveTextContent("Responder automaticamente: “Atendemos das 8h às 18h.”");
    expect(linhas[2]).toHaveTextContent("Expressão regular: urgen(te|cia)");
    expect(linhas[2]).toHaveTextContent("Definir a prioridade: Urgente");
    expect(screen.getByRole("switch", { name: "Regra Pronto ativa" })).toHaveAttribute(
      "aria-checked",
      "false",
    );
  });

  it("creates a rule, the parameter input following the action", async () => {
    let regras: Regra[] = [];
    const { chamadas } = stubFetch({
      "GET /api/admin/automacao/regras": () => ({ body: regras }),
      "POST /api/admin/automacao/regras": (_url, init) => {
        const nova = regra({ id: 9, ...JSON.parse(String(init.body)) });
        regras = [nova];
        return { status: 201, body: nova };
      },
    });
    montar();
    expect(await screen.findByText("Nenhuma regra cadastrada.")).toBeInTheDocument();
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Nova regra" }));
    const dialogo = screen.getByRole("dialog", { name: "Nova regra" });
    await user.type(within(dialogo).getByLabelText("Nome"), "Finalizado");
    await user.type(within(dialogo).getByLabelText("Palavra ou frase"), "terminei");
    // responder → a text; mudar_status → the statuses; definir_prioridade → the priorities.
    expect(within(dialogo).getByLabelText("Texto da resposta").tagName).toBe("TEXTAREA");
    const acao = within(dialogo).getByLabelText("Ação");
    await user.selectOptions(acao, "definir_prioridade");
    const prioridade = within(dialogo).getByLabelText("Nova prioridade");
    expect(
      within(prioridade)
        .getAllByRole("option")
        .map((o) => o.textContent),
    ).toEqual(["Baixa", "Normal", "Alta", "Urgente"]);
    await user.selectOptions(acao, "mudar_status");
    const status = within(dialogo).getByLabelText("Novo status");
    expect(
      within(status).getByRole("option", { name: "Aguardando confirmação" }),
    ).toBeInTheDocument();
    await user.selectOptions(status, "aguardando_confirmacao");
    await user.click(within(dialogo).getByRole("button", { name: "Criar regra" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(chamadas.find((c) => c.metodo === "POST")?.corpo).toEqual({
      nome: "Finalizado",
      tipo_padrao: "palavra_chave",
      padrao: "terminei",
      acao: "mudar_status",
      parametro: "aguardando_confirmacao",
      ordem: 10,
      ativa: true,
    });
    expect(await screen.findByRole("cell", { name: "Finalizado" })).toBeInTheDocument();
  });

  it("creates a reaction rule that counts as tapping one of our options", async () => {
    let regras: Regra[] = [];
    const { chamadas } = stubFetch({
      "GET /api/admin/automacao/regras": () => ({ body: regras }),
      "POST /api/admin/automacao/regras": (_url, init) => {
        const nova = regra({ id: 9, ...JSON.parse(String(init.body)) });
        regras = [nova];
        return { status: 201, body: nova };
      },
    });
    montar();
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Nova regra" }));
    const dialogo = screen.getByRole("dialog", { name: "Nova regra" });
    const acao = within(dialogo).getByLabelText("Ação");
    const nomesDasAcoes = () =>
      within(acao)
        .getAllByRole("option")
        .map((o) => o.textContent);
    // A text cannot stand for a tap: the action is offered for reactions only.
    expect(nomesDasAcoes()).not.toContain("Tocar opção");

    await user.type(within(dialogo).getByLabelText("Nome"), "Joinha confirma a visita");
    await user.selectOptions(within(dialogo).getByLabelText("Tipo de padrão"), "reacao");
    expect(within(dialogo).getByText(/reação de um terceirizado/)).toBeInTheDocument();
    const emojis = within(dialogo).getByLabelText("Emojis");
    expect(emojis).toHaveAttribute("placeholder", "👍");
    expect(nomesDasAcoes()).toEqual([
      "Tocar opção",
      "Notificar os operadores",
      "Mudar o status",
      "Definir a prioridade",
      "Responder automaticamente",
    ]);
    await user.selectOptions(acao, "tocar_opcao");
    const opcao = within(dialogo).getByLabelText("Opção");
    expect(
      within(opcao)
        .getAllByRole("option")
        .map((o) => o.textContent),
    ).toEqual([
      "Confirmar visita",
      "Aprovar orçamento",
      "Serviço concluído",
      "Confirmar atendimento",
    ]);

    // Words are not a reaction.
    await user.type(emojis, "ok");
    await user.click(within(dialogo).getByRole("button", { name: "Criar regra" }));
    expect(within(dialogo).getByText(/Só emojis, separados por espaço/)).toBeInTheDocument();
    expect(chamadas.filter((c) => c.metodo === "POST")).toHaveLength(0);

    await user.clear(emojis);
    await user.type(emojis, "👍 ✅");
    await user.selectOptions(opcao, "visita:confirmar");
    await user.click(within(dialogo).getByRole("button", { name: "Criar regra" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(chamadas.find((c) => c.metodo === "POST")?.corpo).toEqual({
      nome: "Joinha confirma a visita",
      tipo_padrao: "reacao",
      padrao: "👍 ✅",
      acao: "tocar_opcao",
      parametro: "visita:confirmar",
      ordem: 10,
      ativa: true,
    });
    const linha = (await screen.findByRole("cell", { name: "Joinha confirma a visita" })).closest(
      "tr",
    ) as HTMLElement;
    expect(linha).toHaveTextContent("Reação (emoji): 👍 ✅");
    expect(linha).toHaveTextContent("Tocar opção: Confirmar visita");
  });

  it("falls back to a note when a tap rule is turned into a text rule", async () => {
    stubFetch({ "GET /api/admin/automacao/regras": { body: [] } });
    montar();
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Nova regra" }));
    const dialogo = screen.getByRole("dialog", { name: "Nova regra" });
    const tipo = within(dialogo).getByLabelText("Tipo de padrão");
    await user.selectOptions(tipo, "reacao");
    await user.selectOptions(within(dialogo).getByLabelText("Ação"), "tocar_opcao");
    await user.selectOptions(tipo, "palavra_chave");
    expect(within(dialogo).getByLabelText("Ação")).toHaveValue("notificar");
    expect(within(dialogo).queryByLabelText("Opção")).toBeNull();
    expect(within(dialogo).getByLabelText("Palavra ou frase")).toBeInTheDocument();
  });

  it("requires the reply text and shows the API's refusal of a pattern", async () => {
    const { chamadas } = stubFetch({
      "GET /api/admin/automacao/regras": { body: [] },
      "POST /api/admin/automacao/regras": {
        status: 422,
        body: { error: "regra_invalida", detail: "expressão regular inválida: missing )" },
      },
    });
    montar();
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Nova regra" }));
    const dialogo = screen.getByRole("dialog");
    await user.type(within(dialogo).getByLabelText("Nome"), "Quebrada");
    await user.selectOptions(within(dialogo).getByLabelText("Tipo de padrão"), "regex");
    await user.type(within(dialogo).getByLabelText("Expressão regular"), "(abc");
    await user.click(within(dialogo).getByRole("button", { name: "Criar regra" }));
    expect(within(dialogo).getByText("Escreva a resposta.")).toBeInTheDocument();
    expect(chamadas.filter((c) => c.metodo === "POST")).toHaveLength(0);
    await user.type(within(dialogo).getByLabelText("Texto da resposta"), "Oi");
    await user.click(within(dialogo).getByRole("button", { name: "Criar regra" }));
    expect(await within(dialogo).findByRole("alert")).toHaveTextContent(
      "expressão regular inválida: missing )",
    );
  });

  it("switches a rule off and on", async () => {
    let atual = regra({});
    const { chamadas } = stubFetch({
      "GET /api/admin/automacao/regras": () => ({ body: [atual] }),
      "PATCH /api/admin/automacao/regras/1": (_url, init) => {
        atual = { ...atual, ...JSON.parse(String(init.body)) };
        return { body: atual };
      },
    });
    montar();
    const user = userEvent.setup();
    const chave = await screen.findByRole("switch", { name: "Regra Horário ativa" });
    expect(chave).toHaveAttribute("aria-checked", "true");
    await user.click(chave);
    await waitFor(() => expect(chave).toHaveAttribute("aria-checked", "false"));
    expect(chave).toHaveTextContent("Desligada");
    await user.click(chave);
    await waitFor(() => expect(chave).toHaveAttribute("aria-checked", "true"));
    expect(chamadas.filter((c) => c.metodo === "PATCH").map((c) => c.corpo)).toEqual([
      { ativa: false },
      { ativa: true },
    ]);
  });

  it("deletes after a confirmation", async () => {
    let regras = [regra({})];
    const { chamadas } = stubFetch({
      "GET /api/admin/automacao/regras": () => ({ body: regras }),
      "DELETE /api/admin/automacao/regras/1": () => {
        regras = [];
        // The API answers 204; the stub's Response cannot carry a body with that status.
        return { status: 200, body: null };
      },
    });
    montar();
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Excluir Horário" }));
    const confirmar = screen.getByRole("alertdialog", { name: "Excluir a regra “Horário”?" });
    await user.click(within(confirmar).getByRole("button", { name: "Excluir" }));
    expect(await screen.findByText("Nenhuma regra cadastrada.")).toBeInTheDocument();
    expect(chamadas.filter((c) => c.metodo === "DELETE")).toHaveLength(1);
  });

  it("tests a text against the active rules", async () => {
    const { chamadas } = stubFetch({
      "GET /api/admin/automacao/regras": { body: [regra({})] },
      "POST /api/admin/automacao/testar": (_url, init) => ({
        body: {
          regras: (JSON.parse(String(init.body)) as { texto: string }).texto.includes("horario")
            ? [regra({})]
            : [],
        },
      }),
    });
    montar();
    const user = userEvent.setup();
    const caixa = await screen.findByLabelText("Texto de exemplo");
    await user.type(caixa, "Qual o horario de vocês?");
    await user.click(screen.getByRole("button", { name: "Testar" }));
    const resultado = (await screen.findByText("Dispararia 1 regra:")).closest(
      "[role=status]",
    ) as HTMLElement;
    expect(resultado).toHaveTextContent("Horário — Responder automaticamente");
    expect(chamadas.find((c) => c.url.pathname.endsWith("/testar"))?.corpo).toEqual({
      texto: "Qual o horario de vocês?",
    });
    await user.clear(caixa);
    await user.type(caixa, "bom dia");
    await user.click(screen.getByRole("button", { name: "Testar" }));
    expect(
      await screen.findByText("Nenhuma regra ativa dispararia para este texto."),
    ).toBeInTheDocument();
  });
});
