import { act, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { chamadosKeys } from "../lib/api/chamados";
import { conversasKeys } from "../lib/api/conversas";
import { DURACAO_AVISO_MS } from "../lib/avisos";
import { useLiveUpdates } from "../lib/live/useLiveUpdates";
import { iniciarSessao } from "../lib/session";
import { usuario } from "../test/dados";
import { FakeEventSource, stubEventSource } from "../test/eventSource";
import { renderRotas } from "../test/utils";
import { Avisos } from "./Avisos";

function Tela() {
  useLiveUpdates();
  return <Avisos />;
}

function montar() {
  iniciarSessao("tok", usuario, 3600);
  stubEventSource();
  const r = renderRotas(
    [
      { path: "/", element: <Tela /> },
      { path: "/central/:id", element: <p>chat aberto</p> },
    ],
    "/",
  );
  const fonte = FakeEventSource.ultima();
  act(() => fonte.abrir());
  return { ...r, fonte };
}

const notificacao = {
  chamado_id: 7,
  numero_chamado: "CH-2026-0007",
  texto: "o terceirizado informou que o serviço foi concluído: confirme para finalizar",
};

describe("Avisos", () => {
  it("shows a notificacao event in a polite live region and refreshes that chamado", () => {
    const { fonte, qc } = montar();
    for (const chave of [
      chamadosKeys.detalhe(7),
      chamadosKeys.historico(7),
      chamadosKeys.info(7),
      conversasKeys.mensagens(7),
      chamadosKeys.detalhe(8),
    ]) {
      qc.setQueryData(chave, { id: 1 });
    }
    const regiao = screen.getByRole("status", { name: "Notificações" });
    expect(regiao).toHaveAttribute("aria-live", "polite");
    expect(within(regiao).queryAllByRole("listitem")).toHaveLength(0);
    act(() => fonte.emitir("notificacao", notificacao, "1-0"));
    expect(within(regiao).getByText(/confirme para finalizar/)).toBeInTheDocument();
    expect(within(regiao).getByText("CH-2026-0007:")).toBeInTheDocument();
    const invalidada = (chave: readonly unknown[]) => qc.getQueryState(chave)?.isInvalidated;
    expect(invalidada(chamadosKeys.detalhe(7))).toBe(true);
    expect(invalidada(chamadosKeys.historico(7))).toBe(true);
    expect(invalidada(chamadosKeys.info(7))).toBe(true);
    expect(invalidada(conversasKeys.mensagens(7))).toBe(true);
    expect(invalidada(chamadosKeys.detalhe(8))).toBe(false);
  });

  it("goes away by itself, or when dismissed, and links to the conversation", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { fonte, router } = montar();
    act(() => fonte.emitir("notificacao", notificacao));
    act(() => fonte.emitir("notificacao", { ...notificacao, texto: "orçamento aprovado" }));
    expect(screen.getAllByRole("listitem")).toHaveLength(2);
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    await user.click(screen.getAllByRole("button", { name: "Dispensar aviso" })[1] as HTMLElement);
    expect(screen.queryByText(/orçamento aprovado/)).toBeNull();
    act(() => {
      vi.advanceTimersByTime(DURACAO_AVISO_MS + 100);
    });
    expect(screen.queryAllByRole("listitem")).toHaveLength(0);

    act(() => fonte.emitir("notificacao", notificacao));
    await user.click(screen.getByRole("link", { name: "Abrir conversa" }));
    expect(router.state.location.pathname).toBe("/central/7");
  });
});
