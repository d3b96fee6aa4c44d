import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { iniciarSessao } from "../../lib/session";
import type { Terceirizado } from "../../lib/types";
import { conversa, usuario } from "../../test/dados";
import { renderRotas, stubFetch } from "../../test/utils";
import { ConversasTerceirizadoPage } from "./ConversasTerceirizadoPage";
import { TerceirizadosPage } from "./TerceirizadosPage";

const carlos: Terceirizado = {
  id: 3,
  nome: "Carlos Pereira",
  empresa: "Refrigeração Polar",
  telefone: "5511987654321",
  email: null,
  especialidade: "Refrigeração",
  ativo: true,
  criado_em: "2026-01-10T12:00:00Z",
};

const aberto = conversa({
  id: 7,
  local: "Prédio 2 · sala 302",
  nao_lidas: 2,
  ultima_mensagem: {
    id: 1,
    texto: "Chego às *14h*",
    direcao: "inbound",
    tipo_conteudo: "text",
    status_envio: "entregue",
    criado_em: "2026-03-10T13:00:00Z",
  },
});
const concluido = conversa({
  id: 5,
  numero_chamado: "CH-2026-0005",
  titulo: "Troca de filtro",
  status: "concluido",
  prioridade: "normal",
  nao_lidas: 0,
  ultima_mensagem: {
    id: 2,
    texto: null,
    direcao: "outbound",
    tipo_conteudo: "document",
    status_envio: "lido",
    criado_em: "2026-02-01T10:00:00Z",
  },
});

function montar(inicial = "/terceirizados/3/conversas") {
  iniciarSessao("tok", usuario, 3600);
  return renderRotas(
    [
      { path: "/terceirizados", element: <TerceirizadosPage /> },
      { path: "/terceirizados/:id/conversas", element: <ConversasTerceirizadoPage /> },
      { path: "/central/:id", element: <p>chat aberto</p> },
      { path: "/nao-atribuidas", element: <p>mensagens a classificar</p> },
    ],
    inicial,
  );
}

describe("ConversasTerceirizadoPage", () => {
  it("lists the contractor's chamados with their conversations, each opening its chat", async () => {
    stubFetch({
      "GET /api/terceirizados/3": { body: carlos },
      "GET /api/terceirizados/3/conversas": {
        body: { items: [aberto, concluido], next_cursor: null, a_classificar: 0 },
      },
    });
    const { router } = montar();
    expect(
      await screen.findByRole("heading", { name: "Conversas de Carlos Pereira" }),
    ).toBeInTheDocument();
    expect(screen.getByText("Refrigeração Polar · +55 (11) 98765-4321")).toBeInTheDocument();
    const lista = await screen.findByRole("list", { name: "Chamados e conversas" });
    const [primeiro, segundo] = within(lista).getAllByRole("link");
    expect(primeiro).toHaveTextContent("CH-2026-0007 · Ar-condicionado não gela");
    expect(primeiro).toHaveTextContent("Prédio 2 · sala 302");
    expect(primeiro).toHaveTextContent("Chego às 14h");
    expect(within(primeiro as HTMLElement).getByLabelText("2 não lidas")).toHaveTextContent("2");
    expect(within(primeiro as HTMLElement).getByText("Aguardando")).toBeInTheDocument();
    expect(segundo).toHaveTextContent("CH-2026-0005 · Troca de filtro");
    expect(segundo).toHaveTextContent("Você: 📄 Documento");
    expect(segundo).toHaveClass("fechado");
    // Nothing waits for a chamado: no link to the unassigned messages.
    expect(screen.queryByText(/a classificar/)).toBeNull();

    await userEvent.setup().click(primeiro as HTMLElement);
    expect(router.state.location.pathname).toBe("/central/7");
  });

  it("links the messages waiting for a chamado to the unassigned page filtered to them", async () => {
    stubFetch({
      "GET /api/terceirizados/3": { body: carlos },
      "GET /api/terceirizados/3/conversas": {
        body: { items: [aberto], next_cursor: null, a_classificar: 3 },
      },
    });
    const { router } = montar();
    const link = await screen.findByRole("link", { name: "3 mensagens a classificar" });
    expect(link).toHaveAttribute("href", "/nao-atribuidas?terceirizado=3");
    await userEvent.setup().click(link);
    expect(router.state.location.search).toBe("?terceirizado=3");
    expect(screen.getByText("mensagens a classificar")).toBeInTheDocument();
  });

  it("loads more chamados a page at a time", async () => {
    const { chamadas } = stubFetch({
      "GET /api/terceirizados/3": { body: carlos },
      "GET /api/terceirizados/3/conversas": (url) =>
        url.searchParams.get("cursor") === "p2"
          ? { body: { items: [concluido], next_cursor: null, a_classificar: 0 } }
          : { body: { items: [aberto], next_cursor: "p2", a_classificar: 0 } },
    });
    montar();
    const lista = await screen.findByRole("list", { name: "Chamados e conversas" });
    expect(within(lista).getAllByRole("link")).toHaveLength(1);
    await userEvent.setup().click(screen.getByRole("button", { name: "Carregar mais" }));
    await waitFor(() => expect(within(lista).getAllByRole("link")).toHaveLength(2));
    expect(screen.queryByRole("button", { name: "Carregar mais" })).toBeNull();
    expect(
      chamadas.filter((c) => c.url.pathname === "/api/terceirizados/3/conversas"),
    ).toHaveLength(2);
  });

  it("says when the contractor has no chamado yet", async () => {
    stubFetch({
      "GET /api/terceirizados/3": { body: carlos },
      "GET /api/terceirizados/3/conversas": {
        body: { items: [], next_cursor: null, a_classificar: 0 },
      },
    });
    montar();
    expect(await screen.findByText("Nenhum chamado com este terceirizado ainda.")).toBeVisible();
  });

  it("is linked from the contractors' list", async () => {
    stubFetch({
      "GET /api/terceirizados": { body: { items: [carlos], next_cursor: null } },
      "GET /api/terceirizados/3": { body: carlos },
      "GET /api/terceirizados/3/conversas": {
        body: { items: [aberto], next_cursor: null, a_classificar: 0 },
      },
    });
    const { router } = montar("/terceirizados");
    await userEvent
      .setup()
      .click(await screen.findByRole("link", { name: "Conversas de Carlos Pereira" }));
    expect(router.state.location.pathname).toBe("/terceirizados/3/conversas");
    expect(
      await screen.findByRole("heading", { name: "Conversas de Carlos Pereira" }),
    ).toBeInTheDocument();
  });
});
