import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { MenuAcoes } from "./MenuAcoes";

function montar(props: Partial<React.ComponentProps<typeof MenuAcoes>> = {}) {
  const onEscolher = vi.fn();
  render(
    <div>
      <MenuAcoes onEscolher={onEscolher} {...props} />
      <input aria-label="depois" />
    </div>,
  );
  return {
    onEscolher,
    user: userEvent.setup(),
    botao: screen.getByRole("button", { name: "Mais ações" }),
  };
}

describe("MenuAcoes", () => {
  it("opens from the keyboard on the first item and moves with the arrows, Home and End", async () => {
    const { user, botao } = montar();
    expect(botao).toHaveAttribute("aria-haspopup", "menu");
    expect(botao).toHaveAttribute("aria-expanded", "false");
    await user.tab();
    expect(botao).toHaveFocus();
    await user.keyboard("{Enter}");
    expect(botao).toHaveAttribute("aria-expanded", "true");
    const itens = screen.getAllByRole("menuitem");
    expect(itens.map((i) => i.getAttribute("aria-label"))).toEqual([
      "Enviar lista",
      "Enviar botões",
      "Anexar arquivo",
      "Solicitar orçamento",
      "Orçamento",
      "Confirmar visita",
      "Concluído?",
      "Enviar link ao prestador",
    ]);
    expect(itens[0]).toHaveFocus();
    await user.keyboard("{ArrowDown}{ArrowDown}");
    expect(itens[2]).toHaveFocus();
    await user.keyboard("{ArrowUp}");
    expect(itens[1]).toHaveFocus();
    await user.keyboard("{End}");
    expect(itens[7]).toHaveFocus();
    await user.keyboard("{ArrowDown}");
    expect(itens[0]).toHaveFocus();
    await user.keyboard("{ArrowUp}");
    expect(itens[7]).toHaveFocus();
    await user.keyboard("{Home}");
    expect(itens[0]).toHaveFocus();
    // A letter jumps to the next item starting with it.
    await user.keyboard("c");
    expect(itens[5]).toHaveFocus();
    await user.keyboard("c");
    expect(itens[6]).toHaveFocus();
  });

  it("Escape closes it and gives the focus back to the button", async () => {
    const { user, botao, onEscolher } = montar();
    botao.focus();
    await user.keyboard("{ArrowUp}");
    expect(screen.getAllByRole("menuitem").at(-1)).toHaveFocus();
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("menu")).toBeNull();
    expect(botao).toHaveFocus();
    expect(botao).toHaveAttribute("aria-expanded", "false");
    expect(onEscolher).not.toHaveBeenCalled();
  });

  it("Enter chooses the focused item, closes and returns the focus", async () => {
    const { user, botao, onEscolher } = montar();
    botao.focus();
    await user.keyboard("{ArrowDown}{ArrowDown}{Enter}");
    expect(onEscolher).toHaveBeenCalledWith("botoes");
    expect(screen.queryByRole("menu")).toBeNull();
    expect(botao).toHaveFocus();
  });

  it("Tab and a click outside close it", async () => {
    const { user, botao } = montar();
    await user.click(botao);
    expect(screen.getByRole("menu")).toBeInTheDocument();
    await user.tab();
    expect(screen.queryByRole("menu")).toBeNull();
    await user.click(botao);
    await user.click(document.body);
    expect(screen.queryByRole("menu")).toBeNull();
  });

  it("is disabled with a reason", async () => {
    const { botao } = montar({ desabilitado: true, motivoDesabilitado: "Chamado concluído" });
    expect(botao).toBeDisabled();
    expect(botao).toHaveAttribute("title", "Chamado concluído");
  });

  it("offers the contractor link last", async () => {
    const { user, botao, onEscolher } = montar();
    await user.click(botao);
    await user.click(screen.getByRole("menuitem", { name: "Enviar link ao prestador" }));
    expect(onEscolher).toHaveBeenCalledWith("link-prestador");
  });
});
