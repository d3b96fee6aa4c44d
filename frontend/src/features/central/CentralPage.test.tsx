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
        body: { items: [conversa({ atrasado: true, local: "Bloco B" })], next_cursor: null },
      },
    });
    renderRotas(rotas, "/central");
    const item = await screen.findByRole("link", { name: /Carlos Pereira/ });
    expect(within(item).getByText("Bloco B")).toHaveClass("conversa-local");
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

  describe("replies, quotes and moving messages", () => {
    const pergunta = mensagem({
      id: 3,
      direcao: "inbound",
      tipo: "recebida",
      texto: "Segue o orçamento da bomba",
    });
    const outro = conversa({
      id: 8,
      numero_chamado: "CH-2026-0008",
      titulo: "Bomba d'água",
      local: "Bloco B",
      status: "em_andamento",
    });

    function linhaDe(id: number): HTMLElement {
      return document.querySelector(`[data-mensagem-id="${id}"]`) as HTMLElement;
    }

    it("replies quoting a message: the bar, the body sent and the quote in the bubble", async () => {
      iniciarSessao("tok", usuario, 3600);
      let servidor = [pergunta];
      const { chamadas } = stubFetch({
        "GET /api/conversas": { body: { items: [conversa()], next_cursor: null } },
        "GET /api/chamados/7": { body: { ...chamado, local: "Prédio 2 · sala 302" } },
        "GET /api/conversas/7/mensagens": () => ({ body: { items: servidor, next_cursor: null } }),
        "POST /api/conversas/7/lidas": { body: { marcadas: 0 } },
        "POST /api/chamados/7/responder": (_url, pedido) => {
          const { mensagem: texto, citada_id } = JSON.parse(pedido.body);
          const enviada = mensagem({
            id: 4,
            texto,
            status_envio: "pendente",
            citada: {
              id: citada_id,
              chamado_id: 7,
              direcao: "inbound",
              tipo_conteudo: "text",
              texto: pergunta.texto,
              apagada: false,
            },
          });
          servidor = [pergunta, enviada];
          return { status: 201, body: { chamado, mensagem: enviada } };
        },
      });
      renderRotas(rotas, "/central/7");
      const topo = (await screen.findByRole("heading", { name: "Carlos Pereira" })).closest(
        "header",
      ) as HTMLElement;
      expect(await within(topo).findByText("· Prédio 2 · sala 302")).toHaveClass("chat-local");
      await screen.findByText("Segue o orçamento da bomba");
      const user = userEvent.setup();
      await user.click(within(linhaDe(3)).getByRole("button", { name: "Responder" }));
      const barra = screen.getByRole("group", { name: "Respondendo a Carlos Pereira" });
      expect(barra).toHaveTextContent("Segue o orçamento da bomba");
      expect(screen.getByLabelText("Mensagem")).toHaveFocus();

      await user.keyboard("Aprovado, pode seguir{Enter}");
      expect(screen.queryByRole("group", { name: /Respondendo/ })).toBeNull();
      await waitFor(() => expect(linhaDe(4)).not.toBeNull());
      expect(chamadas.find((c) => c.url.pathname === "/api/chamados/7/responder")?.corpo).toEqual({
        mensagem: "Aprovado, pode seguir",
        citada_id: 3,
      });
      const citacao = within(linhaDe(4)).getByRole("button", { name: /^Citação de Carlos/ });
      expect(citacao).toHaveTextContent("Segue o orçamento da bomba");
      expect(screen.getAllByText("Aprovado, pode seguir")).toHaveLength(1);
    });

    it("Esc takes the reply back, and then the text goes without a quote", async () => {
      iniciarSessao("tok", usuario, 3600);
      const { chamadas } = stubFetch({
        "GET /api/conversas": { body: { items: [conversa()], next_cursor: null } },
        "GET /api/chamados/7": { body: chamado },
        "GET /api/conversas/7/mensagens": { body: { items: [pergunta], next_cursor: null } },
        "POST /api/conversas/7/lidas": { body: { marcadas: 0 } },
        "POST /api/chamados/7/responder": {
          status: 201,
          body: { chamado, mensagem: mensagem({ id: 4, texto: "Ok" }) },
        },
      });
      renderRotas(rotas, "/central/7");
      await screen.findByText("Segue o orçamento da bomba");
      const user = userEvent.setup();
      await user.click(within(linhaDe(3)).getByRole("button", { name: "Responder" }));
      await user.keyboard("Ok{Escape}");
      expect(screen.queryByRole("group", { name: /Respondendo/ })).toBeNull();
      await user.keyboard("{Enter}");
      await waitFor(() =>
        expect(chamadas.find((c) => c.url.pathname === "/api/chamados/7/responder")?.corpo).toEqual(
          { mensagem: "Ok" },
        ),
      );
    });

    it("a quote of a message in this chat scrolls to it, again on every click", async () => {
      iniciarSessao("tok", usuario, 3600);
      const resposta = mensagem({
        id: 9,
        texto: "Recebi, obrigado",
        citada: {
          id: 3,
          chamado_id: 7,
          direcao: "inbound",
          tipo_conteudo: "text",
          texto: pergunta.texto,
          apagada: false,
        },
      });
      stubFetch({
        "GET /api/conversas": { body: { items: [conversa()], next_cursor: null } },
        "GET /api/chamados/7": { body: chamado },
        "GET /api/conversas/7/mensagens": {
          body: { items: [pergunta, resposta], next_cursor: null },
        },
        "POST /api/conversas/7/lidas": { body: { marcadas: 0 } },
      });
      const rolar = vi.fn();
      Element.prototype.scrollIntoView = rolar;
      const { router } = renderRotas(rotas, "/central/7");
      const citacao = await screen.findByRole("button", {
        name: "Citação de Carlos Pereira: Segue o orçamento da bomba",
      });
      const user = userEvent.setup();
      await user.click(citacao);
      expect(router.state.location.search).toBe("?mensagem=3");
      await waitFor(() => expect(linhaDe(3)).toHaveClass("mensagem-alvo"));
      expect(rolar.mock.contexts).toEqual([linhaDe(3)]);
      await user.click(citacao);
      await waitFor(() => expect(rolar).toHaveBeenCalledTimes(2));
      expect(router.state.location.pathname).toBe("/central/7");
    });

    it("a quote of a message in another chamado opens that chat at it", async () => {
      iniciarSessao("tok", usuario, 3600);
      const resposta = mensagem({
        id: 9,
        direcao: "inbound",
        tipo: "recebida",
        texto: "Já mandei",
        citada: {
          id: 5,
          chamado_id: 8,
          direcao: "outbound",
          tipo_conteudo: "text",
          texto: "Pode mandar o orçamento?",
          apagada: false,
        },
      });
      stubFetch({
        "GET /api/conversas": { body: { items: [conversa(), outro], next_cursor: null } },
        "GET /api/chamados/7": { body: chamado },
        "GET /api/chamados/8": { body: { ...chamado, id: 8, numero_chamado: "CH-2026-0008" } },
        "GET /api/conversas/7/mensagens": { body: { items: [resposta], next_cursor: null } },
        "GET /api/conversas/8/mensagens": {
          body: {
            items: [mensagem({ id: 5, chamado_id: 8, texto: "Pode mandar o orçamento?" })],
            next_cursor: null,
          },
        },
        "POST /api/conversas/7/lidas": { body: { marcadas: 0 } },
        "POST /api/conversas/8/lidas": { body: { marcadas: 0 } },
      });
      Element.prototype.scrollIntoView = vi.fn();
      const { router } = renderRotas(rotas, "/central/7");
      const citacao = await screen.findByRole("button", {
        name: "Citação de Você: Pode mandar o orçamento?",
      });
      await userEvent.setup().click(citacao);
      expect(router.state.location.pathname).toBe("/central/8");
      expect(router.state.location.search).toBe("?mensagem=5");
      await waitFor(() => expect(linhaDe(5)).toHaveClass("mensagem-alvo"));
    });

    it("moves a message and the ones after it to another chamado of the contractor", async () => {
      iniciarSessao("tok", usuario, 3600);
      let servidor = [pergunta, mensagem({ id: 4, texto: "Recebido" })];
      const { chamadas } = stubFetch({
        "GET /api/conversas": { body: { items: [conversa(), outro], next_cursor: null } },
        "GET /api/chamados/7": { body: chamado },
        "GET /api/conversas/7/mensagens": () => ({ body: { items: servidor, next_cursor: null } }),
        "POST /api/conversas/7/lidas": { body: { marcadas: 0 } },
        "GET /api/terceirizados/3/conversas": {
          body: { items: [conversa(), outro], next_cursor: null, a_classificar: 0 },
        },
        "POST /api/mensagens/3/mover": () => {
          servidor = [];
          return { body: { de_chamado_id: 7, para_chamado_id: 8, mensagem_ids: [3, 4] } };
        },
      });
      const { qc } = renderRotas(rotas, "/central/7");
      await screen.findByText("Segue o orçamento da bomba");
      const user = userEvent.setup();
      await user.click(within(linhaDe(4)).getByRole("button", { name: "Responder" }));
      expect(screen.getByRole("group", { name: "Respondendo a Você" })).toBeVisible();
      await user.click(within(linhaDe(3)).getByRole("button", { name: "Opções da mensagem" }));
      await user.click(screen.getByRole("menuitem", { name: "Mover para outro chamado…" }));
      const dialogo = screen.getByRole("dialog", { name: "Mover para outro chamado" });
      // The message itself, and only the contractor's other chamados.
      expect(dialogo.querySelector(".citacao")).toHaveTextContent("Segue o orçamento da bomba");
      const opcoes = await within(dialogo).findAllByRole("radio");
      expect(opcoes).toHaveLength(1);
      expect(opcoes[0]).toHaveTextContent("CH-2026-0008 · Bomba d'água");
      expect(opcoes[0]).toHaveTextContent("Bloco B");
      expect(within(dialogo).getByRole("button", { name: "Mover" })).toBeDisabled();
      await user.click(opcoes[0] as HTMLElement);
      await user.click(within(dialogo).getByLabelText("Mover também as mensagens seguintes"));
      await user.click(within(dialogo).getByRole("button", { name: "Mover para CH-2026-0008" }));

      await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
      expect(chamadas.find((c) => c.url.pathname === "/api/mensagens/3/mover")?.corpo).toEqual({
        chamado_id: 8,
        com_seguintes: true,
      });
      expect(avisosDe(qc).getLista()).toMatchObject([
        { texto: "2 mensagens movidas para CH-2026-0008.", chamadoId: 8 },
      ]);
      // The reply was to a message that left with it.
      expect(screen.queryByRole("group", { name: /Respondendo/ })).toBeNull();
      // Gone from this chat: it now belongs to CH-2026-0008's.
      await waitFor(() => expect(screen.queryByText("Segue o orçamento da bomba")).toBeNull());
    });

    it("shows why the server would not move it", async () => {
      iniciarSessao("tok", usuario, 3600);
      stubFetch({
        "GET /api/conversas": { body: { items: [conversa()], next_cursor: null } },
        "GET /api/chamados/7": { body: chamado },
        "GET /api/conversas/7/mensagens": { body: { items: [pergunta], next_cursor: null } },
        "POST /api/conversas/7/lidas": { body: { marcadas: 0 } },
        "GET /api/terceirizados/3/conversas": {
          body: { items: [outro], next_cursor: null, a_classificar: 0 },
        },
        "POST /api/mensagens/3/mover": {
          status: 409,
          body: {
            error: "em_envio",
            detail: "a mensagem 4 ainda está esperando o envio; tente de novo em instantes",
          },
        },
      });
      const { qc } = renderRotas(rotas, "/central/7");
      await screen.findByText("Segue o orçamento da bomba");
      const user = userEvent.setup();
      await user.click(within(linhaDe(3)).getByRole("button", { name: "Opções da mensagem" }));
      await user.click(screen.getByRole("menuitem", { name: "Mover para outro chamado…" }));
      const dialogo = screen.getByRole("dialog", { name: "Mover para outro chamado" });
      await user.click(await within(dialogo).findByRole("radio", { name: /CH-2026-0008/ }));
      await user.click(within(dialogo).getByRole("button", { name: "Mover para CH-2026-0008" }));
      expect(await within(dialogo).findByRole("alert")).toHaveTextContent(
        "a mensagem 4 ainda está esperando o envio; tente de novo em instantes",
      );
      expect(avisosDe(qc).getLista()).toEqual([]);
    });
  });
});
