import { act, fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { lerRascunho } from "../../lib/drafts";
import { Composer } from "./Composer";

function caixa() {
  return screen.getByLabelText<HTMLTextAreaElement>("Mensagem");
}

describe("Composer", () => {
  it("sends with Enter and breaks the line with Shift+Enter", async () => {
    const onEnviar = vi.fn().mockResolvedValue(true);
    render(<Composer chaveRascunho={7} onEnviar={onEnviar} />);
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
    render(<Composer chaveRascunho={7} onEnviar={onEnviar} />);
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
    render(<Composer chaveRascunho={7} onEnviar={onEnviar} />);
    fireEvent.change(caixa(), { target: { value: "oi" } });
    fireEvent.click(screen.getByRole("button", { name: "Enviar" }));
    expect(await screen.findByRole("button", { name: "Enviando…" })).toBeDisabled();
    await act(async () => resolver(true));
  });

  it("keeps the draft until the server accepts, and gives the text back on failure", async () => {
    let resolver: (ok: boolean) => void = () => {};
    const onEnviar = vi.fn(() => new Promise<boolean>((r) => (resolver = r)));
    render(<Composer chaveRascunho={9} onEnviar={onEnviar} />);
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
    render(<Composer chaveRascunho={5} onEnviar={onEnviar} />);
    expect(caixa().value).toBe("texto guardado");
    fireEvent.keyDown(caixa(), { key: "Enter" });
    await act(async () => {});
    expect(onEnviar).toHaveBeenCalledWith("texto guardado");
    expect(lerRascunho(5)).toBe("");
  });

  it("does not send blank text or when disabled", () => {
    const onEnviar = vi.fn().mockResolvedValue(true);
    const { rerender } = render(<Composer chaveRascunho={1} onEnviar={onEnviar} />);
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
});
