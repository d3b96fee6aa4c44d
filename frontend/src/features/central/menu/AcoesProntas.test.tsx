import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { iniciarSessao } from "../../../lib/session";
import type { ChamadoComMensagem } from "../../../lib/types";
import { chamado, mensagem, usuario } from "../../../test/dados";
import { novoQueryClient, stubFetch } from "../../../test/utils";
import type { PropsDialogo } from "./comum";
import {
  ConcluidoDialog,
  OrcamentoDialog,
  SolicitarOrcamentoDialog,
  VisitaDialog,
} from "./AcoesProntas";

const ok: ChamadoComMensagem = { chamado: chamado(), mensagem: mensagem(), envio: "enfileirada" };

function montar(Dialogo: React.ComponentType<PropsDialogo>) {
  iniciarSessao("tok", usuario, 3600);
  const onEnviado = vi.fn();
  render(
    <QueryClientProvider client={novoQueryClient()}>
      <Dialogo chamado={chamado()} onFechar={vi.fn()} onEnviado={onEnviado} />
    </QueryClientProvider>,
  );
  return { onEnviado, user: userEvent.setup() };
}

describe("ready-made actions", () => {
  it("Concluído? sends the question at once, focus on the send button", async () => {
    const { chamadas } = stubFetch({
      "POST /api/chamados/7/acoes/concluido": { status: 201, body: ok },
    });
    const { user, onEnviado } = montar(ConcluidoDialog);
    expect(screen.getByRole("dialog", { name: "Perguntar se concluiu" })).toHaveTextContent(
      "Carlos Pereira receberá a pergunta “o serviço foi concluído?” com os botões Sim e Ainda não.",
    );
    const enviar = screen.getByRole("button", { name: "Enviar pergunta" });
    expect(enviar).toHaveFocus();
    await user.keyboard("{Enter}");
    await waitFor(() => expect(onEnviado).toHaveBeenCalledWith(ok));
    expect(chamadas.map((c) => `${c.metodo} ${c.url.pathname}`)).toEqual([
      "POST /api/chamados/7/acoes/concluido",
    ]);
  });

  it("Solicitar orçamento shows the API's 409", async () => {
    stubFetch({
      "POST /api/chamados/7/acoes/solicitar-orcamento": {
        status: 409,
        body: { error: "conflito", detail: "o chamado CH-2026-0007 já está concluido" },
      },
    });
    const { user } = montar(SolicitarOrcamentoDialog);
    await user.click(screen.getByRole("button", { name: "Pedir orçamento" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Não foi possível enviar: o chamado CH-2026-0007 já está concluido",
    );
  });

  it("Orçamento reads a pt-BR amount and sends it as a decimal", async () => {
    const { chamadas } = stubFetch({
      "POST /api/chamados/7/acoes/orcamento": { status: 201, body: ok },
    });
    const { user, onEnviado } = montar(OrcamentoDialog);
    const valor = screen.getByLabelText("Valor (R$)");
    await user.type(valor, "abc");
    expect(screen.getByText("Informe um valor maior que zero, como 1.500,00.")).toBeInTheDocument();
    await user.clear(valor);
    await user.type(valor, "1.500,5");
    expect(screen.getByText("Será enviado como R$ 1.500,50.")).toBeInTheDocument();
    await user.type(screen.getByLabelText("Observação (opcional)"), "Inclui peças");
    expect(screen.getByText("12/300")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Enviar orçamento" }));
    await waitFor(() => expect(onEnviado).toHaveBeenCalled());
    expect(chamadas[0]?.corpo).toEqual({ valor: "1500.50", observacao: "Inclui peças" });
  });

  it("Confirmar visita takes a date and a time in the future, sent with the offset", async () => {
    const { chamadas } = stubFetch({
      "POST /api/chamados/7/acoes/confirmar-visita": { status: 201, body: ok },
    });
    const { user, onEnviado } = montar(VisitaDialog);
    const data = screen.getByLabelText("Data da visita");
    expect(data).toHaveAttribute("type", "date");
    expect(screen.getByLabelText("Hora")).toHaveAttribute("type", "time");
    await user.click(screen.getByRole("button", { name: "Enviar pergunta" }));
    expect(screen.getByText("Escolha a data.")).toBeInTheDocument();
    expect(chamadas).toHaveLength(0);

    await user.type(data, "2020-01-10");
    await user.type(screen.getByLabelText("Hora"), "09:30");
    expect(screen.getByText("A visita precisa ser no futuro.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Enviar pergunta" }));
    expect(chamadas).toHaveLength(0);

    await user.clear(data);
    await user.type(data, "2099-05-10");
    await user.click(screen.getByRole("button", { name: "Enviar pergunta" }));
    await waitFor(() => expect(onEnviado).toHaveBeenCalled());
    const enviado = (chamadas[0]?.corpo as { data_hora: string }).data_hora;
    expect(enviado).toMatch(/^2099-05-10T09:30:00[+-]\d\d:\d\d$/);
    expect(new Date(enviado).getTime()).toBe(new Date(2099, 4, 10, 9, 30).getTime());
  });
});
