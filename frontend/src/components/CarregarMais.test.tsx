import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, it, vi } from "vitest";
import { CarregarMais } from "./CarregarMais";

it("shows nothing on the last page", () => {
  const { container } = render(
    <CarregarMais
      lista={{ hasNextPage: false, isFetchingNextPage: false, fetchNextPage: vi.fn() }}
    />,
  );
  expect(container).toBeEmptyDOMElement();
});

it("asks the next page, and waits while it loads", async () => {
  const fetchNextPage = vi.fn();
  const { rerender } = render(
    <CarregarMais
      lista={{ hasNextPage: true, isFetchingNextPage: false, fetchNextPage }}
      pequeno
    />,
  );
  const botao = screen.getByRole("button", { name: "Carregar mais" });
  expect(botao).toHaveClass("btn", "btn-secundario", "btn-pequeno");
  await userEvent.setup().click(botao);
  expect(fetchNextPage).toHaveBeenCalledTimes(1);

  rerender(<CarregarMais lista={{ hasNextPage: true, isFetchingNextPage: true, fetchNextPage }} />);
  expect(screen.getByRole("button", { name: "Carregando…" })).toBeDisabled();
  expect(screen.getByRole("button")).not.toHaveClass("btn-pequeno");
});
