import { QueryClientProvider } from "@tanstack/react-query";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";
import { describe, expect, it, vi } from "vitest";
import { lerRascunho } from "../../lib/drafts";
import { iniciarSessao } from "../../lib/session";
import type { RespostaRapida } from "../../lib/types";
import { usuario } from "../../test/dados";
import { novoQueryClient, stubFetch } from "../../test/utils";
import { Composer } from "./Composer";

/** The composer with the query cache the app gives it (quick replies are a query). */
function montar(ui: React.ReactElement) {
  const qc = novoQueryClient();
  return render(ui, {
    // A router too: the picker links to the quick replies' screen.
    wrapper: ({ children }) => (
      <MemoryRouter>
        <QueryClientProvider client={qc}>{children}</QueryClientProvider>
      </MemoryRouter>
    ),
  });
}

function caixa() {
  return screen.getByLabelText<HTMLTextAreaElement>("Mensagem");
}

describe("Composer", () => {
  it("sends with Enter and breaks the line with Shift+Enter", async () => {
    const onEnviar = vi.fn().mockResolvedValue(true);
    montar(<Composer chaveRascunho={7} onEnviar={onEnviar} />);
    const user = userEvent.setup();
    await user.type(caixa(), "linha 1{Shift>}{Enter}{/Shift}linha 2");
    expect(caixa().value).toBe("linha 1\nlinha 2");
    expect(onEnviar).not.toHaveBeenCalled();
    await user.keyboard("{Enter}");
    expect(onEnviar).toHaveBeenCalledTimes(1);
    expect(onEnviar).toHaveBeenCalledWith("linha 1\nlinha 2");
    expect(caixa().value).toBe("");
  });

  it("ignores a second send within 2 s, even with new text", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const onEnviar = vi.fn().mockResolvedValue(true);
    montar(<Composer chaveRascunho={7} onEnviar={onEnviar} />);
    fireEvent.change(caixa(), { target: { value: "oi" } });
    fireEvent.keyDown(caixa(), { key: "Enter" });
    fireEvent.keyDown(caixa(), { key: "Enter" });
    await act(async () => {});
    fireEvent.change(caixa(), { target: { value: "de novo" } });
    fireEvent.keyDown(caixa(), { key: "Enter" });
    await act(async () => {});
    expect(onEnviar).toHaveBeenCalledTimes(1);
    expect(screen.getByRole("button", { name: "Enviar" })).toBeDisabled();
    await act(async () => {
      vi.advanceTimersByTime(2_100);
    });
    expect(screen.getByRole("button", { name: "Enviar" })).toBeEnabled();
    fireEvent.keyDown(caixa(), { key: "Enter" });
    await act(async () => {});
    expect(onEnviar).toHaveBeenCalledTimes(2);
    expect(onEnviar).toHaveBeenLastCalledWith("de novo");
  });

  it("disables the button while the server has not answered", async () => {
    let resolver: (ok: boolean) => void = () => {};
    const onEnviar = vi.fn(() => new Promise<boolean>((r) => (resolver = r)));
    montar(<Composer chaveRascunho={7} onEnviar={onEnviar} />);
    fireEvent.change(caixa(), { target: { value: "oi" } });
    fireEvent.click(screen.getByRole("button", { name: "Enviar" }));
    expect(await screen.findByRole("button", { name: "Enviando…" })).toBeDisabled();
    await act(async () => resolver(true));
  });

  it("keeps the draft until the server accepts, and gives the text back on failure", async () => {
    let resolver: (ok: boolean) => void = () => {};
    const onEnviar = vi.fn(() => new Promise<boolean>((r) => (resolver = r)));
    montar(<Composer chaveRascunho={9} onEnviar={onEnviar} />);
    fireEvent.change(caixa(), { target: { value: "orçamento amanhã" } });
    fireEvent.keyDown(caixa(), { key: "Enter" });
    // In flight: the box is empty but the draft survives a trip to /login.
    expect(caixa().value).toBe("");
    expect(lerRascunho(9)).toBe("orçamento amanhã");
    await act(async () => resolver(false));
    expect(caixa().value).toBe("orçamento amanhã");
    expect(lerRascunho(9)).toBe("orçamento amanhã");
  });

  it("clears the draft once sent and restores a saved one on mount", async () => {
    sessionStorage.setItem("gmm:rascunho:5", "texto guardado");
    const onEnviar = vi.fn().mockResolvedValue(true);
    montar(<Composer chaveRascunho={5} onEnviar={onEnviar} />);
    expect(caixa().value).toBe("texto guardado");
    fireEvent.keyDown(caixa(), { key: "Enter" });
    await act(async () => {});
    expect(onEnviar).toHaveBeenCalledWith("texto guardado");
    expect(lerRascunho(5)).toBe("");
  });

  it("does not send blank text or when disabled", () => {
    const onEnviar = vi.fn().mockResolvedValue(true);
    const { rerender } = montar(<Composer chaveRascunho={1} onEnviar={onEnviar} />);
    fireEvent.change(caixa(), { target: { value: "   " } });
    fireEvent.keyDown(caixa(), { key: "Enter" });
    rerender(
      <Composer
        chaveRascunho={1}
        onEnviar={onEnviar}
        desabilitado
        motivoDesabilitado="cancelado"
      />,
    );
    fireEvent.keyDown(caixa(), { key: "Enter" });
    expect(onEnviar).not.toHaveBeenCalled();
    expect(caixa()).toBeDisabled();
  });

  describe("replying to a message", () => {
    const citada = {
      id: 3,
      chamado_id: 7,
      direcao: "inbound" as const,
      tipo_conteudo: "text" as const,
      texto: "Segue o orçamento",
      apagada: false,
    };

    it("shows what it replies to over the box, takes the focus, and ✕ drops it", async () => {
      const onCancelarResposta = vi.fn();
      montar(
        <Composer
          chaveRascunho={7}
          onEnviar={vi.fn().mockResolvedValue(true)}
          respondendo={citada}
          nomeTerceirizado="Carlos Pereira"
          onCancelarResposta={onCancelarResposta}
        />,
      );
      const barra = screen.getByRole("group", { name: "Respondendo a Carlos Pereira" });
      expect(barra).toHaveTextContent("Carlos Pereira");
      expect(barra).toHaveTextContent("Segue o orçamento");
      expect(caixa()).toHaveFocus();
      await userEvent.setup().click(screen.getByRole("button", { name: "Cancelar resposta" }));
      expect(onCancelarResposta).toHaveBeenCalledTimes(1);
      expect(caixa()).toHaveFocus();
    });

    it("Esc drops the reply, and the text stays", async () => {
      const onCancelarResposta = vi.fn();
      montar(
        <Composer
          chaveRascunho={7}
          onEnviar={vi.fn().mockResolvedValue(true)}
          respondendo={{ ...citada, direcao: "outbound", texto: "Pode vir amanhã?" }}
          onCancelarResposta={onCancelarResposta}
        />,
      );
      expect(screen.getByRole("group", { name: "Respondendo a Você" })).toHaveTextContent(
        "Pode vir amanhã?",
      );
      const user = userEvent.setup();
      await user.type(caixa(), "Sim");
      await user.keyboard("{Escape}");
      expect(onCancelarResposta).toHaveBeenCalledTimes(1);
      expect(caixa().value).toBe("Sim");
    });

    it("without a reply there is no bar", () => {
      montar(<Composer chaveRascunho={7} onEnviar={vi.fn().mockResolvedValue(true)} />);
      expect(screen.queryByRole("group", { name: /Respondendo/ })).toBeNull();
    });
  });

  describe("quick replies", () => {
    const respostas: RespostaRapida[] = [
      {
        id: 1,
        titulo: "Confirmar visita",
        texto: "Confirma a visita, {terceirizado}?",
        compartilhada: true,
        editavel: false,
        atualizado_em: "2026-12-01T10:00:00Z",
      },
      {
        id: 2,
        titulo: "Pedir fotos",
        texto: "Pode mandar fotos do chamado {chamado}?",
        compartilhada: false,
        editavel: true,
        atualizado_em: "2026-12-01T10:00:00Z",
      },
    ];

    it("opens with /, filters by title, and Enter puts the filled text in the box", async () => {
      iniciarSessao("tok", usuario, 3600);
      const fetch = stubFetch({
        "GET /api/respostas-rapidas": { body: respostas },
        "POST /api/respostas-rapidas/2/preencher": (url) => ({
          body: { texto: `Pode mandar fotos do chamado CH-2026-0007? (${url.search})` },
        }),
      });
      const onEnviar = vi.fn().mockResolvedValue(true);
      montar(<Composer chaveRascunho={7} chamadoId={7} onEnviar={onEnviar} />);
      const user = userEvent.setup();
      await user.type(caixa(), "/");
      const lista = await screen.findByRole("listbox", { name: "Respostas rápidas" });
      expect(lista.querySelectorAll("[role=option]")).toHaveLength(2);
      await user.type(caixa(), "FOTO");
      await waitFor(() => expect(lista.querySelectorAll("[role=option]")).toHaveLength(1));
      expect(screen.getByRole("option", { name: /Pedir fotos/ })).toHaveAttribute(
        "aria-selected",
        "true",
      );
      await user.keyboard("{Enter}");
      await waitFor(() =>
        expect(caixa().value).toBe("Pode mandar fotos do chamado CH-2026-0007? (?chamado_id=7)"),
      );
      // Picking is not sending: the operator reviews the text, and Enter then sends it.
      expect(onEnviar).not.toHaveBeenCalled();
      expect(screen.queryByRole("listbox")).toBeNull();
      await user.keyboard("{Enter}");
      expect(onEnviar).toHaveBeenCalledWith(
        "Pode mandar fotos do chamado CH-2026-0007? (?chamado_id=7)",
      );
      expect(
        fetch.chamadas.filter((c) => c.url.pathname === "/api/respostas-rapidas"),
      ).toHaveLength(1);
    });

    it("arrows move, Esc closes and a text starting with / can still be sent", async () => {
      iniciarSessao("tok", usuario, 3600);
      stubFetch({ "GET /api/respostas-rapidas": { body: respostas } });
      const onEnviar = vi.fn().mockResolvedValue(true);
      montar(<Composer chaveRascunho={8} chamadoId={8} onEnviar={onEnviar} />);
      const user = userEvent.setup();
      await user.type(caixa(), "/");
      await screen.findByRole("listbox");
      await user.keyboard("{ArrowDown}");
      expect(screen.getByRole("option", { name: /Pedir fotos/ })).toHaveAttribute(
        "aria-selected",
        "true",
      );
      await user.keyboard("{Escape}");
      expect(screen.queryByRole("listbox")).toBeNull();
      await user.keyboard("{Enter}");
      expect(onEnviar).toHaveBeenCalledWith("/");
    });

    it("without a chamado there is no picker", async () => {
      const onEnviar = vi.fn().mockResolvedValue(true);
      montar(<Composer chaveRascunho={9} onEnviar={onEnviar} />);
      await userEvent.setup().type(caixa(), "/oi");
      expect(screen.queryByRole("listbox")).toBeNull();
    });
  });
});
