import { QueryClientProvider } from "@tanstack/react-query";
import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { iniciarSessao } from "../../../lib/session";
import { chamado, mensagem, usuario } from "../../../test/dados";
import { novoQueryClient, stubFetch } from "../../../test/utils";
import { BotoesDialog } from "./BotoesDialog";

function montar() {
  iniciarSessao("tok", usuario, 3600);
  const onEnviado = vi.fn();
  const onFechar = vi.fn();
  render(
    <QueryClientProvider client={novoQueryClient()}>
      <BotoesDialog chamado={chamado()} onFechar={onFechar} onEnviado={onEnviado} />
    </QueryClientProvider>,
  );
  return { onEnviado, onFechar, user: userEvent.setup() };
}

const resposta = (corpo: unknown) => ({
  status: 201,
  body: {
    chamado: chamado(),
    mensagem: mensagem({ conteudo: corpo as never }),
    envio: "enfileirada",
  },
});

describe("BotoesDialog", () => {
  it("opens with focus on the text and allows no 4th button", async () => {
    const { user } = montar();
    const dialogo = screen.getByRole("dialog", { name: "Enviar botões" });
    expect(within(dialogo).getByLabelText("Texto")).toHaveFocus();
    const adicionar = screen.getByRole("button", { name: "Adicionar botão" });
    expect(screen.getAllByLabelText(/^Botão \d$/)).toHaveLength(2);
    await user.click(adicionar);
    expect(screen.getAllByLabelText(/^Botão \d$/)).toHaveLength(3);
    expect(adicionar).toBeDisabled();
    expect(screen.getByText("O WhatsApp aceita no máximo 3 botões.")).toBeInTheDocument();
  });

  it("counts characters and refuses a 21-character title without calling the API", async () => {
    const { chamadas } = stubFetch({});
    const { user } = montar();
    await user.type(screen.getByLabelText("Texto"), "Podemos agendar?");
    const botao1 = screen.getByLabelText("Botão 1");
    await user.type(botao1, "x".repeat(21));
    expect(screen.getByText("21/20")).toHaveClass("contador-excedido");
    expect(screen.getByText("Botão 1: no máximo 20 caracteres (tem 21).")).toBeInTheDocument();
    expect(botao1).toHaveAttribute("aria-invalid", "true");
    await user.type(screen.getByLabelText("Botão 2"), "Não");
    expect(screen.getByText("3/20")).not.toHaveClass("contador-excedido");
    await user.click(screen.getByRole("button", { name: "Enviar botões" }));
    expect(chamadas).toHaveLength(0);
    expect(botao1).toHaveFocus();
  });

  it("sends ids made from the titles and disables the button while sending", async () => {
    let liberar: () => void = () => {};
    const { chamadas } = stubFetch({
      "POST /api/chamados/7/enviar-botoes": (_url, init) => {
        return resposta(JSON.parse(String(init.body)));
      },
    });
    const { user, onEnviado } = montar();
    await user.type(screen.getByLabelText("Texto"), "Podemos ir amanhã às 9h?");
    await user.type(screen.getByLabelText("Rodapé (opcional)"), "GMM");
    await user.type(screen.getByLabelText("Botão 1"), "Sim, pode vir");
    await user.type(screen.getByLabelText("Botão 2"), "Não");
    await user.click(screen.getByRole("button", { name: "Adicionar botão" }));
    await user.type(screen.getByLabelText("Botão 3"), "Outro horário");
    const pausa = new Promise<void>((r) => (liberar = r));
    const fetchOriginal = globalThis.fetch;
    vi.stubGlobal(
      "fetch",
      vi.fn(async (...args: Parameters<typeof fetch>) => {
        await pausa;
        return fetchOriginal(...args);
      }),
    );
    await user.click(screen.getByRole("button", { name: "Enviar botões" }));
    expect(screen.getByRole("button", { name: "Enviando…" })).toBeDisabled();
    await act(async () => liberar());
    await vi.waitFor(() => expect(onEnviado).toHaveBeenCalledTimes(1));
    expect(chamadas[0]?.corpo).toEqual({
      texto: "Podemos ir amanhã às 9h?",
      rodape: "GMM",
      botoes: [
        { id: "sim-pode-vir", titulo: "Sim, pode vir" },
        { id: "nao", titulo: "Não" },
        { id: "outro-horario", titulo: "Outro horário" },
      ],
    });
  });

  it("shows the API's 422 message under the field it names", async () => {
    stubFetch({
      "POST /api/chamados/7/enviar-botoes": {
        status: 422,
        body: {
          error: "dados_invalidos",
          detail: [
            {
              loc: ["body", "botoes", 1, "titulo"],
              msg: "título do botão com no máximo 20 caracteres (tem 22)",
              type: "limite_whatsapp",
            },
          ],
        },
      },
    });
    const { user, onEnviado } = montar();
    await user.type(screen.getByLabelText("Texto"), "Pode?");
    await user.type(screen.getByLabelText("Botão 1"), "Sim");
    await user.type(screen.getByLabelText("Botão 2"), "Não");
    await user.click(screen.getByRole("button", { name: "Enviar botões" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "botoes.1.titulo: título do botão com no máximo 20 caracteres (tem 22)",
    );
    expect(screen.getByLabelText("Botão 2")).toHaveAttribute("aria-invalid", "true");
    expect(onEnviado).not.toHaveBeenCalled();
  });

  it("closes with Escape", async () => {
    const { user, onFechar } = montar();
    await user.keyboard("{Escape}");
    expect(onFechar).toHaveBeenCalled();
  });
});
