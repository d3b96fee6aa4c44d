import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { iniciarSessao } from "../../../lib/session";
import { chamado, mensagem, usuario } from "../../../test/dados";
import { novoQueryClient, stubFetch } from "../../../test/utils";
import { ListaDialog } from "./ListaDialog";

function montar() {
  iniciarSessao("tok", usuario, 3600);
  const onEnviado = vi.fn();
  render(
    <QueryClientProvider client={novoQueryClient()}>
      <ListaDialog chamado={chamado()} onFechar={vi.fn()} onEnviado={onEnviado} />
    </QueryClientProvider>,
  );
  return { onEnviado, user: userEvent.setup() };
}

describe("ListaDialog", () => {
  it("stops adding rows at 10 in total, across sections", async () => {
    const { user } = montar();
    for (let i = 0; i < 5; i++) {
      await user.click(screen.getByRole("button", { name: "Adicionar linha à seção 1" }));
    }
    await user.click(screen.getByRole("button", { name: "Adicionar seção" }));
    for (let i = 0; i < 3; i++) {
      await user.click(screen.getByRole("button", { name: "Adicionar linha à seção 2" }));
    }
    expect(screen.getByText("Linhas no total: 10/10 · seções: 2/10")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Adicionar linha à seção 1" })).toBeDisabled();
    expect(screen.getByRole("button", { name: "Adicionar linha à seção 2" })).toBeDisabled();
    expect(screen.getByRole("button", { name: "Adicionar seção" })).toBeDisabled();
    expect(screen.getByText("O WhatsApp aceita no máximo 10 linhas no total.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Remover linha 2.4" }));
    expect(screen.getByRole("button", { name: "Adicionar linha à seção 2" })).toBeEnabled();
  });

  it("shows counters and refuses a 25-character row title and a 73-character description", async () => {
    const { chamadas } = stubFetch({});
    const { user } = montar();
    await user.type(screen.getByLabelText("Texto"), "Escolha um horário");
    await user.type(screen.getByLabelText("Título da seção 1"), "Manhã");
    await user.type(screen.getByLabelText("Linha 1.1"), "l".repeat(25));
    await user.type(screen.getByLabelText("Descrição da linha 1.1 (opcional)"), "d".repeat(73));
    expect(screen.getByText("25/24")).toHaveClass("contador-excedido");
    expect(screen.getByText("73/72")).toHaveClass("contador-excedido");
    expect(screen.getByText("10/20")).toBeInTheDocument(); // "Ver opções"
    expect(
      screen.getByText("Seção 1, linha 1, título: no máximo 24 caracteres (tem 25)."),
    ).toBeInTheDocument();
    expect(
      screen.getByText("Seção 1, linha 1, descrição: no máximo 72 caracteres (tem 73)."),
    ).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Enviar lista" }));
    expect(chamadas).toHaveLength(0);
  });

  it("sends sections with generated, unique row ids", async () => {
    const { chamadas } = stubFetch({
      "POST /api/chamados/7/enviar-lista": {
        status: 201,
        body: { chamado: chamado(), mensagem: mensagem(), envio: "enfileirada" },
      },
    });
    const { user, onEnviado } = montar();
    await user.type(screen.getByLabelText("Texto"), "Quando pode vir?");
    await user.type(screen.getByLabelText("Título da seção 1"), "Sábado");
    await user.type(screen.getByLabelText("Linha 1.1"), "Manhã");
    await user.type(screen.getByLabelText("Descrição da linha 1.1 (opcional)"), "8h às 12h");
    await user.click(screen.getByRole("button", { name: "Adicionar seção" }));
    await user.type(screen.getByLabelText("Título da seção 2"), "Domingo");
    await user.type(screen.getByLabelText("Linha 2.1"), "Manhã");
    await user.click(screen.getByRole("button", { name: "Enviar lista" }));
    await waitFor(() => expect(onEnviado).toHaveBeenCalled());
    expect(chamadas[0]?.corpo).toEqual({
      texto: "Quando pode vir?",
      botao: "Ver opções",
      titulo: "",
      descricao: "",
      secoes: [
        { titulo: "Sábado", linhas: [{ id: "manha", titulo: "Manhã", descricao: "8h às 12h" }] },
        { titulo: "Domingo", linhas: [{ id: "manha-2", titulo: "Manhã", descricao: "" }] },
      ],
    });
  });

  it("asks for the empty required fields only when sending", async () => {
    const { user } = montar();
    expect(screen.queryByText(/preencha este campo/)).toBeNull();
    await user.click(screen.getByRole("button", { name: "Enviar lista" }));
    expect(screen.getByText("Texto: preencha este campo.")).toBeInTheDocument();
    expect(screen.getByText("Seção 1: preencha este campo.")).toBeInTheDocument();
    expect(screen.getByLabelText("Texto")).toHaveFocus();
  });
});
