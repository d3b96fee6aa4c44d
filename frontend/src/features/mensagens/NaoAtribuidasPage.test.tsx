import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { useLiveUpdates } from "../../lib/live/useLiveUpdates";
import { iniciarSessao } from "../../lib/session";
import type { Mensagem, Terceirizado } from "../../lib/types";
import { conversa, mensagem, usuario } from "../../test/dados";
import { FakeEventSource, stubEventSource } from "../../test/eventSource";
import { renderRotas, stubFetch } from "../../test/utils";
import { NaoAtribuidasPage } from "./NaoAtribuidasPage";

const TELEFONE = "5511912345678";

function recebida(parcial: Partial<Mensagem>): Mensagem {
  return mensagem({
    chamado_id: null,
    direcao: "inbound",
    tipo: "recebida",
    destinatario: TELEFONE,
    status_envio: "entregue",
    terceirizado_id: null,
    ...parcial,
  });
}

const doMesmoNumero = conversa({
  id: 9,
  numero_chamado: "CH-2026-0009",
  titulo: "Vazamento no banheiro",
  prestador: "Marcos Dias",
  telefone: TELEFONE,
  status: "concluido",
});
const outra = conversa();

function Tela() {
  useLiveUpdates();
  return <NaoAtribuidasPage />;
}

function montar(inicial = "/nao-atribuidas") {
  iniciarSessao("tok", usuario, 3600);
  return renderRotas(
    [
      { path: "/nao-atribuidas", element: <Tela /> },
      { path: "/central/:id", element: <p>chat aberto</p> },
    ],
    inicial,
  );
}

const carlos: Terceirizado = {
  id: 3,
  nome: "Carlos Pereira",
  empresa: "Refrigeração Polar",
  telefone: "5511987654321",
  email: null,
  especialidade: null,
  ativo: true,
  criado_em: "2026-01-10T12:00:00Z",
};

describe("NaoAtribuidasPage", () => {
  it("assigns a message to the chamado picked, the sender's own first", async () => {
    let pendentes = [
      recebida({ id: 31, texto: "Bom dia, terminei o serviço do banheiro" }),
      recebida({
        id: 30,
        texto: null,
        tipo_conteudo: "image",
        caption: "Foto do registro",
        url_midia: "/api/midias/abc.png",
      }),
    ];
    const { chamadas } = stubFetch({
      "GET /api/mensagens/nao-atribuidas": () => ({
        body: { items: pendentes, next_cursor: null },
      }),
      "GET /api/conversas": { body: { items: [outra, doMesmoNumero], next_cursor: null } },
      "POST /api/mensagens/31/atribuir": () => {
        const [primeira, ...resto] = pendentes;
        pendentes = resto;
        return { body: { ...primeira, chamado_id: 9 } };
      },
    });
    montar();
    const lista = await screen.findByRole("list", { name: "Mensagens sem chamado" });
    const itens = within(lista).getAllByRole("listitem");
    expect(itens).toHaveLength(2);
    expect(itens[0]).toHaveTextContent("+55 (11) 91234-5678");
    expect(itens[0]).toHaveTextContent("Bom dia, terminei o serviço do banheiro");
    expect(itens[1]).toHaveTextContent("📷 Imagem");
    expect(itens[1]).toHaveTextContent("Foto do registro");
    expect(
      within(itens[1] as HTMLElement).getByRole("link", { name: "Abrir arquivo" }),
    ).toHaveAttribute("href", "/api/midias/abc.png?access_token=tok");

    const user = userEvent.setup();
    await user.click(
      within(itens[0] as HTMLElement).getByRole("button", { name: "Atribuir a um chamado" }),
    );
    const dialogo = screen.getByRole("dialog", { name: "Atribuir a um chamado" });
    expect(within(dialogo).getByLabelText("Buscar chamado")).toHaveFocus();
    const opcoes = await within(dialogo).findAllByRole("radio");
    expect(opcoes[0]).toHaveTextContent("CH-2026-0009");
    expect(opcoes[0]).toHaveTextContent("mesmo número");
    const atribuir = within(dialogo).getByRole("button", { name: "Atribuir" });
    expect(atribuir).toBeDisabled();

    await user.type(within(dialogo).getByLabelText("Buscar chamado"), "banheiro");
    await waitFor(() =>
      expect(
        chamadas.some(
          (c) =>
            c.url.pathname === "/api/conversas" && c.url.searchParams.get("busca") === "banheiro",
        ),
      ).toBe(true),
    );
    await user.click(within(dialogo).getByRole("radio", { name: /CH-2026-0009/ }));
    expect(within(dialogo).getByRole("radio", { name: /CH-2026-0009/ })).toHaveAttribute(
      "aria-checked",
      "true",
    );
    // An unknown number can be vouched for as the chamado's contractor.
    await user.click(within(dialogo).getByRole("checkbox", { name: /Reconhecer este remetente/ }));
    await user.click(within(dialogo).getByRole("button", { name: "Atribuir a CH-2026-0009" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(screen.getByText(/Mensagem atribuída ao chamado CH-2026-0009/)).toBeInTheDocument();
    await waitFor(() => expect(within(lista).getAllByRole("listitem")).toHaveLength(1));
    expect(chamadas.find((c) => c.metodo === "POST")?.corpo).toEqual({
      chamado_id: 9,
      reconhecer_remetente: true,
    });

    await user.click(screen.getByRole("link", { name: "Abrir a conversa" }));
    expect(screen.getByText("chat aberto")).toBeInTheDocument();
  });

  it("shows the API's refusal in the dialog", async () => {
    stubFetch({
      "GET /api/mensagens/nao-atribuidas": {
        body: { items: [recebida({ id: 31, texto: "Oi" })], next_cursor: null },
      },
      "GET /api/conversas": { body: { items: [outra], next_cursor: null } },
      "POST /api/mensagens/31/atribuir": {
        status: 409,
        body: { error: "conflito", detail: "a mensagem 31 já pertence ao chamado 7" },
      },
    });
    montar();
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Atribuir a um chamado" }));
    const dialogo = screen.getByRole("dialog", { name: "Atribuir a um chamado" });
    await user.click(await within(dialogo).findByRole("radio", { name: /CH-2026-0007/ }));
    await user.click(within(dialogo).getByRole("button", { name: "Atribuir a CH-2026-0007" }));
    expect(await within(dialogo).findByRole("alert")).toHaveTextContent(
      "a mensagem 31 já pertence ao chamado 7",
    );
  });

  it("says when there is nothing to assign, and shows new ones as they arrive", async () => {
    stubEventSource();
    let pendentes: Mensagem[] = [];
    stubFetch({
      "GET /api/mensagens/nao-atribuidas": () => ({
        body: { items: pendentes, next_cursor: null },
      }),
    });
    montar();
    expect(await screen.findByText(/Nenhuma mensagem sem chamado/)).toBeInTheDocument();
    const fonte = FakeEventSource.ultima();
    act(() => fonte.abrir());
    pendentes = [recebida({ id: 40, texto: "Quem fala?" })];
    act(() =>
      fonte.emitir("mensagem.nova", {
        chamado_id: null,
        mensagem_id: 40,
        direcao: "inbound",
        status_envio: "entregue",
      }),
    );
    expect(await screen.findByText("Quem fala?")).toBeInTheDocument();
  });

  it("shows the text without WhatsApp's formatting marks", async () => {
    stubFetch({
      "GET /api/mensagens/nao-atribuidas": {
        body: {
          items: [recebida({ id: 41, texto: "Sobre o *CH-2026-0001*: ~amanhã~ _hoje_" })],
          next_cursor: null,
        },
      },
    });
    montar();
    expect(await screen.findByText("Sobre o CH-2026-0001: amanhã hoje")).toBeInTheDocument();
  });

  it("says what went wrong instead of a blank screen", async () => {
    stubFetch({
      "GET /api/mensagens/nao-atribuidas": {
        status: 500,
        body: { error: "erro_interno", detail: "erro interno" },
      },
    });
    montar();
    expect(await screen.findByRole("alert")).toHaveTextContent("erro interno");
    expect(screen.getByRole("button", { name: "Tentar de novo" })).toBeVisible();
  });

  describe("a classificar: a known contractor who did not say which chamado", () => {
    const doCarlos = (parcial: Partial<Mensagem>) =>
      recebida({ destinatario: carlos.telefone, terceirizado_id: 3, ...parcial });
    const abertoA = conversa({ id: 7, local: "Prédio 2", status: "em_andamento" });
    const abertoB = conversa({ id: 8, numero_chamado: "CH-2026-0008", titulo: "Bomba d'água" });
    const fechado = conversa({
      id: 5,
      numero_chamado: "CH-2026-0005",
      titulo: "Filtro",
      status: "concluido",
    });

    it("names the contractor and offers only their chamados, the open ones first", async () => {
      let pendentes = [doCarlos({ id: 50, texto: "Terminei" }), recebida({ id: 49, texto: "Oi" })];
      const { chamadas } = stubFetch({
        "GET /api/mensagens/nao-atribuidas": () => ({
          body: { items: pendentes, next_cursor: null, total: pendentes.length },
        }),
        "GET /api/terceirizados/3": { body: carlos },
        "GET /api/terceirizados/3/conversas": {
          body: { items: [fechado, abertoA, abertoB], next_cursor: null, a_classificar: 1 },
        },
        "POST /api/mensagens/50/atribuir": () => {
          pendentes = pendentes.slice(1);
          return { body: { ...doCarlos({ id: 50 }), chamado_id: 8 } };
        },
      });
      montar();
      const lista = await screen.findByRole("list", { name: "Mensagens sem chamado" });
      const [deCarlos, desconhecida] = within(lista).getAllByRole("listitem");
      expect(await within(deCarlos!).findByText("A classificar · Carlos Pereira")).toBeVisible();
      expect(within(desconhecida!).getByText("Sem chamado")).toBeVisible();

      const user = userEvent.setup();
      await user.click(within(deCarlos!).getByRole("button", { name: "Atribuir a um chamado" }));
      const dialogo = screen.getByRole("dialog", { name: "Atribuir a um chamado" });
      expect(dialogo).toHaveTextContent("Mensagem de Carlos Pereira");
      expect(within(dialogo).queryByLabelText("Buscar chamado")).toBeNull();
      const grupo = within(dialogo).getByRole("radiogroup", { name: "Chamados de Carlos Pereira" });
      await waitFor(() => expect(within(grupo).getAllByRole("radio")).toHaveLength(3));
      expect(
        within(grupo)
          .getAllByRole("radio")
          .map((r) => r.querySelector("strong")?.textContent),
      ).toEqual(["CH-2026-0007", "CH-2026-0008", "CH-2026-0005"]);
      expect(within(grupo).getAllByRole("radio")[0]).toHaveTextContent("Prédio 2");
      expect(chamadas.some((c) => c.url.pathname === "/api/conversas")).toBe(false);

      await user.click(within(grupo).getByRole("radio", { name: /CH-2026-0008/ }));
      await user.click(within(dialogo).getByRole("button", { name: "Atribuir a CH-2026-0008" }));
      await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
      expect(chamadas.find((c) => c.metodo === "POST")?.corpo).toEqual({
        chamado_id: 8,
        reconhecer_remetente: false,
      });
      await waitFor(() => expect(within(lista).getAllByRole("listitem")).toHaveLength(1));
    });

    it("filters by the contractor from the URL", async () => {
      const { chamadas } = stubFetch({
        "GET /api/mensagens/nao-atribuidas": (url) => ({
          body: {
            items: url.searchParams.get("terceirizado_id") === "3" ? [doCarlos({ id: 50 })] : [],
            next_cursor: null,
            total: 1,
          },
        }),
        "GET /api/terceirizados/3": { body: carlos },
      });
      montar("/nao-atribuidas?terceirizado=3");
      expect(await screen.findByText("A classificar · Carlos Pereira")).toBeVisible();
      expect(screen.getByText(/Só as mensagens de/)).toHaveTextContent(
        "Só as mensagens de Carlos Pereira · Ver todas",
      );
      expect(screen.getByRole("link", { name: "Ver todas" })).toHaveAttribute(
        "href",
        "/nao-atribuidas",
      );
      const pedido = chamadas.find((c) => c.url.pathname === "/api/mensagens/nao-atribuidas");
      expect(pedido?.url.searchParams.get("terceirizado_id")).toBe("3");
    });

    it("shows a quote, an edit and a deleted message as the chat does", async () => {
      stubFetch({
        "GET /api/mensagens/nao-atribuidas": {
          body: {
            items: [
              doCarlos({
                id: 52,
                texto: "Chego às 15h",
                texto_original: "Chego às 14h",
                editada_em: "2026-03-10T13:05:00Z",
                citada: {
                  id: 40,
                  chamado_id: 7,
                  direcao: "outbound",
                  tipo_conteudo: "text",
                  texto: "Que horas chega?",
                  apagada: false,
                },
              }),
              doCarlos({ id: 51, texto: "Valor: R$ 3.000", apagada_em: "2026-03-10T13:06:00Z" }),
            ],
            next_cursor: null,
            total: 2,
          },
        },
        "GET /api/terceirizados/3": { body: carlos },
      });
      const { router } = montar();
      const lista = await screen.findByRole("list", { name: "Mensagens sem chamado" });
      const [editada, apagada] = within(lista).getAllByRole("listitem");
      expect(within(editada!).getByText("Chego às 15h", { exact: false })).toBeVisible();
      expect(
        within(editada!).getByRole("button", { name: "editada: ver o texto original" }),
      ).toHaveAttribute("title", "Original: Chego às 14h");
      expect(within(apagada!).getByText("🚫 Mensagem apagada pelo terceirizado")).toBeVisible();
      expect(within(apagada!).queryByText("Valor: R$ 3.000")).toBeNull();
      const user = userEvent.setup();
      await user.click(within(apagada!).getByRole("button", { name: "ver original" }));
      expect(within(apagada!).getByText("Valor: R$ 3.000")).toBeVisible();

      await user.click(
        within(editada!).getByRole("button", { name: "Citação de Você: Que horas chega?" }),
      );
      expect(router.state.location.pathname).toBe("/central/7");
      expect(router.state.location.search).toBe("?mensagem=40");
    });
  });
});
