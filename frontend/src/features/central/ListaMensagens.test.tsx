import { fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Mensagem } from "../../lib/types";
import { mensagem } from "../../test/dados";
import { ListaMensagens } from "./ListaMensagens";

const imagem = mensagem({
  id: 1,
  direcao: "inbound",
  tipo: "recebida",
  tipo_conteudo: "image",
  texto: null,
  url_midia: "/api/midia/1",
});

function lista(itens: Mensagem[]) {
  return (
    <ListaMensagens
      itens={itens}
      carregando={false}
      erro={null}
      tentarDeNovo={vi.fn()}
      temAnteriores={false}
      carregandoAnteriores={false}
      carregarAnteriores={vi.fn()}
      rodape="ao vivo"
      modoAoVivo="sse"
      onReenviar={vi.fn()}
      reenviandoId={undefined}
    />
  );
}

/** jsdom lays nothing out: the box reports the sizes a browser would. */
function medidas(caixa: HTMLElement, tamanho: { altura: number }) {
  Object.defineProperty(caixa, "scrollHeight", { configurable: true, get: () => tamanho.altura });
  Object.defineProperty(caixa, "clientHeight", { configurable: true, get: () => 400 });
}

describe("ListaMensagens", () => {
  it("stays at the bottom when an image loads after the chat opened", () => {
    const tamanho = { altura: 1000 };
    const { rerender } = render(lista([imagem]));
    const caixa = screen.getByLabelText("Mensagens");
    medidas(caixa, tamanho);
    rerender(lista([imagem, mensagem({ id: 2, texto: "Foto da peça" })]));
    expect(caixa.scrollTop).toBe(1000);

    // The image decodes: the history grows 321 px with no scroll event.
    tamanho.altura = 1321;
    fireEvent.load(caixa.querySelector("img")!);
    expect(caixa.scrollTop).toBe(1321);
  });

  it("keeps the place of an operator who scrolled up and offers the new messages", async () => {
    const tamanho = { altura: 1000 };
    const { rerender } = render(lista([imagem]));
    const caixa = screen.getByLabelText("Mensagens");
    medidas(caixa, tamanho);
    caixa.scrollTop = 100;
    fireEvent.scroll(caixa);
    expect(screen.queryByRole("button", { name: /Novas mensagens/ })).not.toBeInTheDocument();

    tamanho.altura = 1300;
    fireEvent.load(caixa.querySelector("img")!);
    rerender(lista([imagem, mensagem({ id: 2, direcao: "inbound", texto: "Chegou?" })]));
    expect(caixa.scrollTop).toBe(100);

    await userEvent.click(screen.getByRole("button", { name: "Novas mensagens ↓" }));
    expect(caixa.scrollTop).toBe(1300);
    expect(screen.queryByRole("button", { name: /Novas mensagens/ })).not.toBeInTheDocument();
  });

  it("follows the operator's own message even when scrolled up", () => {
    const tamanho = { altura: 1000 };
    const { rerender } = render(lista([imagem]));
    const caixa = screen.getByLabelText("Mensagens");
    medidas(caixa, tamanho);
    caixa.scrollTop = 100;
    fireEvent.scroll(caixa);
    tamanho.altura = 1100;
    rerender(lista([imagem, mensagem({ id: -1, texto: "Enviando" })]));
    expect(caixa.scrollTop).toBe(1100);
  });
});
