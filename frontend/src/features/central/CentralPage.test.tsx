import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { avisosDe } from "../../lib/avisos";
import { iniciarSessao } from "../../lib/session";
import type { Chamado } from "../../lib/types";
import { conversa, mensagem, usuario } from "../../test/dados";
import { FakeEventSource, stubEventSource } from "../../test/eventSource";
import { renderRotas, stubFetch } from "../../test/utils";
import { CentralPage } from "./CentralPage";

const chamado: Chamado = {
  id: 7,
  numero_chamado: "CH-2026-0007",
  terceirizado_id: 3,
  terceirizado: { id: 3, nome: "Carlos Pereira", empresa: "Polar", telefone: "5511987654321" },
  titulo: "Ar-condicionado não gela",
  descricao: null,
  local: null,
  status: "aguardando",
  prioridade: "alta",
  prazo_combinado: null,
  atrasado: true,
  criado_por: 1,
  criado_em: "2026-03-10T12:00:00Z",
  atualizado_em: "2026-03-10T12:00:00Z",
  finalizado_em: null,
  ultima_atividade_em: "2026-03-10T13:00:00Z",
  valor_orcamento: null,
  visita_em: null,
};

const rotas = [
  { path: "/central", element: <CentralPage /> },
  { path: "/central/:id", element: <CentralPage /> },
];

describe("CentralPage", () => {
  it("says how many messages wait for a chamado, asking for one message only", async () => {
    iniciarSessao("tok", usuario, 3600);
    stubEventSource();
    const { chamadas } = stubFetch({
      "GET /api/conversas": { body: { items: [conversa()], next_cursor: null } },
      "GET /api/mensagens/nao-atribuidas": {
        body: { items: [mensagem({ chamado_id: null })], next_cursor: "c", total: 73 },
      },
    });
    renderRotas(rotas, "/central");
    const link = await screen.findByRole("link", { name: "73 mensagens sem chamado" });
    expect(link).toHaveAttribute("href", "/nao-atribuidas");
    const pedido = chamadas.find((c) => c.url.pathname === "/api/mensagens/nao-atribuidas");
    expect(pedido?.url.searchParams.get("limit")).toBe("1");
  });

  it("shows the last message's words without WhatsApp's formatting marks", async () => {
    iniciarSessao("tok", usuario, 3600);
    const ultima = { ...conversa().ultima_mensagem!, texto: "Chamado *CH-2026-0001* _aberto_" };
    stubFetch({
      "GET /api/conversas": {
        body: { items: [conversa({ ultima_mensagem: ultima })], next_cursor: null },
      },
    });
    renderRotas(rotas, "/central");
    const item = await screen.findByRole("link", { name: /Carlos Pereira/ });
    expect(within(item).getByText("Chamado CH-2026-0001 aberto")).toBeInTheDocument();
    expect(item.textContent).not.toContain("*");
  });

  it("lists conversations with unread badge, status, priority and overdue marker", async () => {
    iniciarSessao("tok", usuario, 3600);
    stubFetch({
      "GET /api/conversas": {
        body: { items: [conversa({ atrasado: true })], next_cursor: null },
      },
    });
    renderRotas(rotas, "/central");
    const item = await screen.findByRole("link", { name: /Carlos Pereira/ });
    expect(within(item).getByLabelText("2 não lidas")).toHaveTextContent("2");
    expect(within(item).getByText("Aguardando")).toBeInTheDocument();
    expect(within(item).getByText("Alta")).toBeInTheDocument();
    expect(within(item).getByText("Atrasado")).toBeInTheDocument();
    expect(within(item).getByText("Chego às 14h")).toBeInTheDocument();
    // jsdom has no EventSource: the list polls and says so.
    expect(screen.getByText("sem conexão ao vivo — atualizando a cada 30s")).toBeInTheDocument();
  });

  it("opens a chat, marks it read, and shows a sent message once", async () => {
    iniciarSessao("tok", usuario, 3600);
    const recebida = mensagem({
      id: 1,
      direcao: "inbound",
      tipo: "recebida",
      texto: "Chego às 14h",
    });
    const enviada = mensagem({ id: 2, texto: "Combinado!", status_envio: "pendente" });
    let servidor = [recebida];
    let lista = [conversa()];
    const { chamadas } = stubFetch({
      "GET /api/conversas": () => ({ body: { items: lista, next_cursor: null } }),
      "GET /api/chamados/7": { body: chamado },
      "GET /api/conversas/7/mensagens": () => ({ body: { items: servidor, next_cursor: null } }),
      "POST /api/conversas/7/lidas": () => {
        lista = [conversa({ nao_lidas: 0 })];
        return { body: { marcadas: 2 } };
      },
      "POST /api/chamados/7/responder": () => {
        servidor = [recebida, enviada];
        return { status: 201, body: { chamado, mensagem: enviada } };
      },
    });
    renderRotas(rotas, "/central/7");
    expect(await screen.findByRole("heading", { name: "Carlos Pereira" })).toBeInTheDocument();
    expect(
      await screen.findByText("Chego às 14h", { selector: ".bolha-texto" }),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        chamadas.some((c) => c.metodo === "POST" && c.url.pathname === "/api/conversas/7/lidas"),
      ).toBe(true),
    );
    await waitFor(() => expect(screen.queryByLabelText("2 não lidas")).toBeNull());

    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Mensagem"), "Combinado!{Enter}");
    await waitFor(() =>
      expect(screen.getAllByText("Combinado!", { selector: ".bolha-texto" })).toHaveLength(1),
    );
    await waitFor(() =>
      expect(
        document.querySelector('[data-mensagem-id="2"] [data-status-envio="pendente"]'),
      ).not.toBeNull(),
    );
    expect(screen.getAllByText("Combinado!", { selector: ".bolha-texto" })).toHaveLength(1);
    expect(chamadas.filter((c) => c.url.pathname === "/api/chamados/7/responder")).toHaveLength(1);
    expect(chamadas.find((c) => c.url.pathname === "/api/chamados/7/responder")?.corpo).toEqual({
      mensagem: "Combinado!",
    });
  });

  it("shows a new message and a tick change as the events arrive", async () => {
    iniciarSessao("tok", usuario, 3600);
    stubEventSource();
    const enviada = mensagem({ id: 1, texto: "Pode vir às 14h?", status_envio: "enviado" });
    const resposta = mensagem({ id: 2, direcao: "inbound", tipo: "recebida", texto: "Chego já" });
    let servidor = [enviada];
    const { chamadas } = stubFetch({
      "GET /api/conversas": { body: { items: [conversa({ nao_lidas: 0 })], next_cursor: null } },
      "GET /api/chamados/7": { body: chamado },
      "GET /api/conversas/7/mensagens": () => ({ body: { items: servidor, next_cursor: null } }),
      "POST /api/conversas/7/lidas": { body: { marcadas: 0 } },
    });
    renderRotas(rotas, "/central/7");
    expect(await screen.findByText("Pode vir às 14h?")).toBeInTheDocument();
    // The list and the chat share one stream.
    expect(FakeEventSource.abertas()).toHaveLength(1);
    const fonte = FakeEventSource.ultima();
    act(() => fonte.abrir());
    expect(await screen.findAllByText("ao vivo")).toHaveLength(2);

    // Events are published after the commit: the server already has the change.
    servidor = [{ ...enviada, status_envio: "lido" }];
    act(() =>
      fonte.emitir("mensagem.status", {
        mensagem_id: 1,
        chamado_id: 7,
        status_envio: "lido",
        erro: null,
      }),
    );
    await waitFor(() =>
      expect(
        document.querySelector('[data-mensagem-id="1"] [data-status-envio="lido"]'),
      ).not.toBeNull(),
    );

    servidor = [{ ...enviada, status_envio: "lido" }, resposta];
    const antes = chamadas.filter((c) => c.url.pathname === "/api/conversas/7/mensagens").length;
    act(() =>
      fonte.emitir("mensagem.nova", {
        chamado_id: 7,
        mensagem_id: 2,
        direcao: "inbound",
        status_envio: "entregue",
      }),
    );
    expect(await screen.findByText("Chego já")).toBeInTheDocument();
    expect(
      chamadas.filter((c) => c.url.pathname === "/api/conversas/7/mensagens").length,
    ).toBeGreaterThan(antes);
  });

  it("shows the 409 message when finishing fails", async () => {
    iniciarSessao("tok", usuario, 3600);
    stubFetch({
      "GET /api/conversas": { body: { items: [conversa()], next_cursor: null } },
      "GET /api/chamados/7": { body: chamado },
      "GET /api/conversas/7/mensagens": { body: { items: [], next_cursor: null } },
      "POST /api/conversas/7/lidas": { body: { marcadas: 0 } },
      "POST /api/chamados/7/finalizar": {
        status: 409,
        body: { error: "conflito", detail: "o chamado CH-2026-0007 já está concluido" },
      },
    });
    renderRotas(rotas, "/central/7");
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Finalizar" }));
    const dialogo = screen.getByRole("alertdialog", { name: "Finalizar o chamado?" });
    await user.click(within(dialogo).getByRole("button", { name: "Finalizar" }));
    expect(await within(dialogo).findByRole("alert")).toHaveTextContent("já está concluido");
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("alertdialog")).toBeNull();
  });

  it("sends a ready-made question from the composer's menu, loading its dialog on demand", async () => {
    iniciarSessao("tok", usuario, 3600);
    const pergunta = mensagem({
      id: 5,
      tipo: "botoes",
      tipo_conteudo: "interactive",
      texto: "O serviço do chamado CH-2026-0007 foi concluído?",
      status_envio: "pendente",
      conteudo: {
        tipo: "botoes",
        rodape: null,
        respondida: null,
        botoes: [
          { id: "conclusao:sim", titulo: "Sim", descricao: null },
          { id: "conclusao:nao", titulo: "Ainda não", descricao: null },
        ],
        acao: { tipo: "conclusao", valor: null, data_hora: null },
      },
    });
    let servidor: ReturnType<typeof mensagem>[] = [];
    stubFetch({
      "GET /api/conversas": { body: { items: [conversa()], next_cursor: null } },
      "GET /api/chamados/7": { body: chamado },
      "GET /api/conversas/7/mensagens": () => ({ body: { items: servidor, next_cursor: null } }),
      "POST /api/conversas/7/lidas": { body: { marcadas: 0 } },
      "POST /api/chamados/7/acoes/concluido": () => {
        servidor = [pergunta];
        return { status: 201, body: { chamado, mensagem: pergunta, envio: "enfileirada" } };
      },
    });
    renderRotas(rotas, "/central/7");
    const user = userEvent.setup();
    const menu = await screen.findByRole("button", { name: "Mais ações" });
    await waitFor(() => expect(menu).toBeEnabled());
    await user.click(menu);
    await user.click(screen.getByRole("menuitem", { name: "Concluído?" }));
    const dialogo = await screen.findByRole("dialog", { name: "Perguntar se concluiu" });
    await user.click(within(dialogo).getByRole("button", { name: "Enviar pergunta" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(menu).toHaveFocus();
    const bolha = await screen.findByText("O serviço do chamado CH-2026-0007 foi concluído?");
    const linha = bolha.closest("li") as HTMLElement;
    expect(within(linha).getByText("Conclusão do serviço")).toBeInTheDocument();
    expect(within(linha).getByText("Sim")).toBeInTheDocument();
    expect(within(linha).getByText("Ainda não")).toBeInTheDocument();
  });

  it("asks to confirm the conclusion when the contractor said it is done", async () => {
    iniciarSessao("tok", usuario, 3600);
    stubFetch({
      "GET /api/conversas": { body: { items: [conversa()], next_cursor: null } },
      "GET /api/chamados/7": { body: { ...chamado, status: "aguardando_confirmacao" } },
      "GET /api/conversas/7/mensagens": { body: { items: [], next_cursor: null } },
      "POST /api/conversas/7/lidas": { body: { marcadas: 0 } },
    });
    renderRotas(rotas, "/central/7");
    const topo = (await screen.findByRole("heading", { name: "Carlos Pereira" })).closest(
      "header",
    ) as HTMLElement;
    expect(await within(topo).findByText("Aguardando confirmação")).toBeInTheDocument();
    const confirmar = within(topo).getByRole("button", { name: "Confirmar conclusão" });
    expect(confirmar).toHaveClass("btn-destaque");
    expect(within(topo).queryByRole("button", { name: "Finalizar" })).toBeNull();
    expect(screen.getByText(/informou que o serviço foi concluído/)).toBeInTheDocument();
    await userEvent.setup().click(confirmar);
    expect(screen.getByRole("alertdialog", { name: "Confirmar a conclusão?" })).toBeInTheDocument();
  });

  it("takes down the chamado's 'confirme' note once the operator finishes it", async () => {
    iniciarSessao("tok", usuario, 3600);
    const concluido = { ...chamado, status: "concluido" as const };
    let atual: Chamado = { ...chamado, status: "aguardando_confirmacao" };
    stubFetch({
      "GET /api/conversas": { body: { items: [conversa()], next_cursor: null } },
      "GET /api/chamados/7": () => ({ body: atual }),
      "GET /api/conversas/7/mensagens": { body: { items: [], next_cursor: null } },
      "POST /api/conversas/7/lidas": { body: { marcadas: 0 } },
      "POST /api/chamados/7/finalizar": () => {
        atual = concluido;
        return { body: { chamado: concluido, mensagem: mensagem({ id: 9, tipo: "finalizacao" }) } };
      },
    });
    const { qc } = renderRotas(rotas, "/central/7");
    const avisos = avisosDe(qc);
    act(() => {
      avisos.adicionar({ texto: "Confirme para finalizar", chamadoId: 7, numeroChamado: "CH-7" });
      avisos.adicionar({ texto: "Orçamento recebido", chamadoId: 8, numeroChamado: "CH-8" });
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Confirmar conclusão" }));
    const dialogo = screen.getByRole("alertdialog", { name: "Confirmar a conclusão?" });
    await user.click(within(dialogo).getByRole("button", { name: "Confirmar conclusão" }));
    expect(await screen.findByText("Concluído", { selector: ".chat-topo .badge" })).toBeVisible();
    await waitFor(() =>
      expect(avisos.getLista().map((a) => a.texto)).toEqual(["Orçamento recebido"]),
    );
  });

  it("says once that a chat does not exist, with no composer", async () => {
    iniciarSessao("tok", usuario, 3600);
    const naoExiste = {
      status: 404,
      body: { error: "nao_encontrado", detail: "Chamado não encontrado" },
    };
    stubFetch({
      "GET /api/conversas": { body: { items: [conversa()], next_cursor: null } },
      "GET /api/chamados/999999": naoExiste,
      "GET /api/conversas/999999/mensagens": naoExiste,
    });
    renderRotas(rotas, "/central/999999");
    expect(
      await screen.findByRole("heading", { name: "Conversa não encontrada" }),
    ).toBeInTheDocument();
    const chat = screen.getByRole("region", { name: "Conversa" });
    expect(within(chat).getAllByRole("alert")).toHaveLength(1);
    expect(within(chat).getByRole("alert")).toHaveTextContent("não existe ou foi removido");
    expect(within(chat).queryByLabelText("Mensagem")).toBeNull();
    expect(within(chat).queryByRole("button", { name: "Enviar" })).toBeNull();
    expect(within(chat).queryByRole("button", { name: "Finalizar" })).toBeNull();
    expect(within(chat).queryByRole("button", { name: "Informações do chamado" })).toBeNull();
  });

  it("puts the keyboard in the composer after opening a chat with Enter", async () => {
    iniciarSessao("tok", usuario, 3600);
    stubFetch({
      "GET /api/conversas": { body: { items: [conversa()], next_cursor: null } },
      "GET /api/chamados/7": { body: chamado },
      "GET /api/conversas/7/mensagens": { body: { items: [], next_cursor: null } },
      "POST /api/conversas/7/lidas": { body: { marcadas: 0 } },
    });
    const { router } = renderRotas(rotas, "/central");
    const item = await screen.findByRole("link", { name: /Carlos Pereira/ });
    item.focus();
    await userEvent.setup().keyboard("{Enter}");
    await waitFor(() => expect(router.state.location.pathname).toBe("/central/7"));
    await waitFor(() => expect(screen.getByLabelText("Mensagem")).toHaveFocus());
  });

  it("leaves the focus alone after opening a chat with a click", async () => {
    iniciarSessao("tok", usuario, 3600);
    stubFetch({
      "GET /api/conversas": { body: { items: [conversa()], next_cursor: null } },
      "GET /api/chamados/7": { body: chamado },
      "GET /api/conversas/7/mensagens": { body: { items: [], next_cursor: null } },
      "POST /api/conversas/7/lidas": { body: { marcadas: 0 } },
    });
    const { router } = renderRotas(rotas, "/central");
    await userEvent.setup().click(await screen.findByRole("link", { name: /Carlos Pereira/ }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/central/7"));
    await screen.findByRole("heading", { name: "Carlos Pereira" });
    expect(screen.getByLabelText("Mensagem")).not.toHaveFocus();
  });

  it("turns the menu off on a finished chamado", async () => {
    iniciarSessao("tok", usuario, 3600);
    stubFetch({
      "GET /api/conversas": { body: { items: [conversa()], next_cursor: null } },
      "GET /api/chamados/7": { body: { ...chamado, status: "concluido" } },
      "GET /api/conversas/7/mensagens": { body: { items: [], next_cursor: null } },
      "POST /api/conversas/7/lidas": { body: { marcadas: 0 } },
    });
    renderRotas(rotas, "/central/7");
    expect(await screen.findByText("Concluído", { selector: ".chat-topo .badge" })).toBeVisible();
    expect(screen.getByRole("button", { name: "Mais ações" })).toBeDisabled();
  });

  it("finds a message by its words and opens its chat scrolled to it, highlighted", async () => {
    iniciarSessao("tok", usuario, 3600);
    const rolar = vi.fn();
    Element.prototype.scrollIntoView = rolar;
    const recentes = [10, 11, 12].map((id) => mensagem({ id, texto: `Mensagem ${id}` }));
    const antiga = mensagem({
      id: 3,
      direcao: "inbound",
      tipo: "recebida",
      texto: "Segue o orçamento",
    });
    const { chamadas } = stubFetch({
      "GET /api/conversas": { body: { items: [conversa()], next_cursor: null } },
      "GET /api/mensagens/nao-atribuidas": { body: { items: [], next_cursor: null, total: 0 } },
      "GET /api/mensagens/busca": {
        body: {
          items: [
            {
              mensagem_id: 3,
              chamado_id: 7,
              numero_chamado: "CH-2026-0007",
              titulo: "Ar-condicionado não gela",
              prestador: "Carlos Pereira",
              direcao: "inbound",
              criado_em: "2026-03-10T12:00:00Z",
              // WhatsApp's marks around the match are read with it, then dropped.
              trecho: [
                { texto: "Segue o *", destaque: false },
                { texto: "orçamento", destaque: true },
                { texto: "* da bomba", destaque: false },
              ],
            },
          ],
          next_cursor: null,
        },
      },
      "GET /api/chamados/7": { body: chamado },
      // The newest page does not hold it: the chat loads older ones until it does.
      "GET /api/conversas/7/mensagens": (url) =>
        url.searchParams.get("cursor") === "antes"
          ? { body: { items: [antiga], next_cursor: null } }
          : { body: { items: recentes, next_cursor: "antes" } },
      "POST /api/conversas/7/lidas": { body: { marcadas: 0 } },
    });
    const { router } = renderRotas(rotas, "/central");
    const user = userEvent.setup();
    await user.type(await screen.findByPlaceholderText("Buscar conversa"), "orcamento");

    const achadas = await screen.findByRole("region", { name: "Mensagens encontradas" });
    const resultado = within(achadas).getByRole("link", { name: /Carlos Pereira/ });
    expect(within(resultado).getByText("orçamento").tagName).toBe("MARK");
    expect(resultado.querySelector(".resultado-trecho")).toHaveTextContent(
      /^Segue o orçamento da bomba$/,
    );
    expect(resultado).toHaveAttribute("href", "/central/7?mensagem=3");
    const busca = chamadas.find((c) => c.url.pathname === "/api/mensagens/busca");
    expect(busca?.url.searchParams.get("q")).toBe("orcamento");

    await user.click(resultado);
    expect(router.state.location.search).toBe("?mensagem=3");
    await waitFor(() =>
      expect(document.querySelector('[data-mensagem-id="3"]')).toHaveClass("mensagem-alvo"),
    );
    expect(rolar).toHaveBeenCalledTimes(1);
    expect(rolar.mock.contexts[0]).toBe(document.querySelector('[data-mensagem-id="3"]'));
    expect(document.querySelector('[data-mensagem-id="10"]')).not.toHaveClass("mensagem-alvo");
  });

  it("shows the deadline as a timer and filters by it", async () => {
    iniciarSessao("tok", usuario, 3600);
    const agora = Date.now();
    const vencido = conversa({
      id: 7,
      prazo: new Date(agora - 3 * 3_600_000).toISOString(),
      atrasado: true,
    });
    const hoje = conversa({
      id: 8,
      numero_chamado: "CH-2026-0008",
      prazo: new Date(agora + 80 * 60_000 + 30_000).toISOString(),
    });
    const { chamadas } = stubFetch({
      "GET /api/conversas": (url) => ({
        body: {
          items: url.searchParams.get("situacao") === "atrasados" ? [vencido] : [vencido, hoje],
          next_cursor: null,
        },
      }),
      "GET /api/mensagens/nao-atribuidas": { body: { items: [], next_cursor: null, total: 0 } },
    });
    renderRotas(rotas, "/central");
    const item = (id: number) => document.querySelector(`[data-conversa-id="${id}"]`);
    await waitFor(() => expect(item(8)).not.toBeNull());
    expect(item(7)).toHaveTextContent("atrasado 3h");
    expect(item(8)).toHaveTextContent("vence em 1h20");

    const user = userEvent.setup();
    const filtros = screen.getByRole("group", { name: "Filtrar por prazo" });
    await user.click(within(filtros).getByRole("button", { name: "Atrasados" }));
    expect(within(filtros).getByRole("button", { name: "Atrasados" })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
    await waitFor(() => expect(item(8)).toBeNull());
    expect(item(7)).not.toBeNull();
    const pedido = chamadas.filter((c) => c.url.pathname === "/api/conversas").at(-1);
    expect(pedido?.url.searchParams.get("situacao")).toBe("atrasados");
  });
});
