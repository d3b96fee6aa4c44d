import { describe, expect, it } from "vitest";
import { mensagem } from "../../test/dados";
import {
  type Pendente,
  aceitarPendente,
  adicionarPendente,
  aindaPendentes,
  comOtimistas,
  descartarPendente,
  mensagemOtimista,
  mensagensDasPaginas,
} from "./listaOtimista";

const AGORA = "2026-06-03T12:00:00.000Z";
const pendente = (chave: number, servidorId?: number): Pendente => ({
  chave,
  texto: `resposta ${chave}`,
  criado_em: AGORA,
  ...(servidorId === undefined ? {} : { servidorId }),
});

describe("mensagensDasPaginas", () => {
  it("joins the pages oldest first, each message once (its newest copy)", () => {
    const recente = {
      items: [mensagem({ id: 3, texto: "três" }), mensagem({ id: 4, texto: "quatro" })],
      next_cursor: "c",
    };
    const antiga = {
      items: [mensagem({ id: 1 }), mensagem({ id: 2 }), mensagem({ id: 3, texto: "velha" })],
      next_cursor: null,
    };
    const itens = mensagensDasPaginas({ pages: [recente, antiga], pageParams: [null, "c"] });
    expect(itens.map((m) => m.id)).toEqual([1, 2, 3, 4]);
    expect(itens[2]?.texto).toBe("três");
  });

  it("is empty before the first page", () => {
    expect(mensagensDasPaginas(undefined)).toEqual([]);
  });
});

describe("the pending messages", () => {
  it("a sent reply is a pending outbound bubble with a negative id", () => {
    const bolha = mensagemOtimista(pendente(5), 7);
    expect(bolha).toMatchObject({
      id: -5,
      chamado_id: 7,
      direcao: "outbound",
      tipo: "resposta_manual",
      tipo_conteudo: "text",
      texto: "resposta 5",
      status_envio: "pendente",
      criado_em: AGORA,
    });
  });

  it("a reply quoting a message shows the quote at once", () => {
    const citada = {
      id: 3,
      chamado_id: 7,
      direcao: "inbound" as const,
      tipo_conteudo: "text" as const,
      texto: "Segue o orçamento",
      apagada: false,
    };
    expect(mensagemOtimista({ ...pendente(6), citada }, 7).citada).toEqual(citada);
    expect(mensagemOtimista(pendente(7), 7).citada).toBeNull();
  });

  it("shows after the conversation until the server lists it", () => {
    const itens = [mensagem({ id: 10 }), mensagem({ id: 11 })];
    let pendentes = adicionarPendente([], pendente(1), new Set([10, 11]));
    pendentes = adicionarPendente(pendentes, pendente(2), new Set([10, 11]));
    expect(comOtimistas(itens, pendentes, 7).map((m) => m.id)).toEqual([10, 11, -1, -2]);

    // The server took the first as message 12; until it is listed, the bubble stays.
    pendentes = aceitarPendente(pendentes, 1, 12);
    expect(comOtimistas(itens, pendentes, 7).map((m) => m.id)).toEqual([10, 11, -1, -2]);

    // Listed: the server's message replaces the bubble, never both.
    const depois = [...itens, mensagem({ id: 12, status_envio: "pendente" })];
    expect(comOtimistas(depois, pendentes, 7).map((m) => m.id)).toEqual([10, 11, 12, -2]);
  });

  it("a refused reply leaves", () => {
    const pendentes = descartarPendente([pendente(1), pendente(2)], 1);
    expect(pendentes.map((p) => p.chave)).toEqual([2]);
  });

  it("forgets, when a new one is added, those the conversation already lists", () => {
    const antes = [pendente(1, 12), pendente(2, 13), pendente(3)];
    expect(aindaPendentes(antes, new Set([12])).map((p) => p.chave)).toEqual([2, 3]);
    const depois = adicionarPendente(antes, pendente(4), new Set([12, 13]));
    expect(depois.map((p) => p.chave)).toEqual([3, 4]);
  });
});
