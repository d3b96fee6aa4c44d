import { act, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Outlet } from "react-router";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { aplicarEvento } from "../lib/live/eventos";
import { renderRotas } from "../test/utils";
import { Notificacoes } from "./Notificacoes";

class FakeNotification {
  static permission: NotificationPermission = "default";
  static pedidos = 0;
  static instancias: FakeNotification[] = [];
  static resposta: NotificationPermission = "granted";
  static async requestPermission(): Promise<NotificationPermission> {
    FakeNotification.pedidos += 1;
    FakeNotification.permission = FakeNotification.resposta;
    return FakeNotification.permission;
  }
  onclick: (() => void) | null = null;
  readonly close = vi.fn();
  constructor(
    readonly title: string,
    readonly options: NotificationOptions,
  ) {
    FakeNotification.instancias.push(this);
  }
}

const sons: unknown[] = [];
class FakeAudioContext {
  currentTime = 0;
  destination = {};
  constructor() {
    sons.push(this);
  }
  createOscillator() {
    const no = { frequency: { value: 0 }, connect: (d: unknown) => d, start() {}, stop() {} };
    return no;
  }
  createGain() {
    return { gain: { value: 0 }, connect: (d: unknown) => d };
  }
  close() {
    return Promise.resolve();
  }
}

const TITULO = "GMM Central de Mensagens";

function montar(usuarioId = 1, inicial = "/central") {
  return renderRotas(
    [
      {
        element: (
          <>
            <Notificacoes key={usuarioId} usuarioId={usuarioId} />
            <Outlet />
          </>
        ),
        children: [
          { path: "/central", element: <p>lista</p> },
          { path: "/central/:id", element: <p>chat</p> },
        ],
      },
    ],
    inicial,
  );
}

function chega(qc: Parameters<typeof aplicarEvento>[0], chamadoId: number, mensagemId: number) {
  act(() =>
    aplicarEvento(qc, {
      tipo: "mensagem.nova",
      dados: {
        mensagem_id: mensagemId,
        chamado_id: chamadoId,
        direcao: "inbound",
        status_envio: "entregue",
        erro: null,
      },
    }),
  );
}

describe("Notificacoes", () => {
  beforeEach(() => {
    FakeNotification.permission = "default";
    FakeNotification.resposta = "granted";
    FakeNotification.pedidos = 0;
    FakeNotification.instancias = [];
    sons.length = 0;
    vi.stubGlobal("Notification", FakeNotification);
    vi.stubGlobal("AudioContext", FakeAudioContext);
    vi.spyOn(document, "visibilityState", "get").mockReturnValue("visible");
    document.title = TITULO;
    vi.spyOn(window, "focus").mockImplementation(() => {});
  });

  it("asks permission once from the bell and notifies of messages in other conversations", async () => {
    const { qc, router } = montar(1, "/central/8");
    const sino = screen.getByRole("button", { name: "Notificações de novas mensagens" });
    expect(sino).toHaveAttribute("aria-pressed", "false");
    // Off: nothing pops up, but the tab title still counts.
    chega(qc, 9, 100);
    expect(FakeNotification.instancias).toHaveLength(0);
    expect(document.title).toBe(`(1) ${TITULO}`);

    const user = userEvent.setup();
    await user.click(sino);
    expect(FakeNotification.pedidos).toBe(1);
    expect(sino).toHaveAttribute("aria-pressed", "true");

    // The chat on screen: no notification, no count.
    chega(qc, 8, 101);
    expect(FakeNotification.instancias).toHaveLength(0);
    expect(document.title).toBe(`(1) ${TITULO}`);

    chega(qc, 9, 102);
    chega(qc, 9, 102); // replayed by the stream: once
    chega(qc, 10, 103);
    expect(FakeNotification.instancias.map((n) => n.options.tag)).toEqual([
      "chamado-9",
      "chamado-10",
    ]);
    expect(FakeNotification.instancias[0]?.title).toBe("Nova mensagem");
    expect(document.title).toBe(`(3) ${TITULO}`);
    expect(sons).toHaveLength(0);

    // Clicking a notification opens its conversation, which sees its messages.
    act(() => FakeNotification.instancias[0]?.onclick?.());
    expect(router.state.location.pathname).toBe("/central/9");
    expect(document.title).toBe(`(1) ${TITULO}`);

    // Off again: no more pop-ups; the permission is not asked again when back on.
    await user.click(sino);
    chega(qc, 10, 104);
    expect(FakeNotification.instancias).toHaveLength(2);
    await user.click(sino);
    expect(FakeNotification.pedidos).toBe(1);
  });

  it("plays the sound only when chosen, and remembers the choice per user", async () => {
    const primeiro = montar(1);
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Notificações de novas mensagens" }));
    await user.click(screen.getByRole("checkbox", { name: "Som" }));
    chega(primeiro.qc, 9, 200);
    expect(sons).toHaveLength(1);
    // Outbound messages (ours) never notify.
    act(() =>
      aplicarEvento(primeiro.qc, {
        tipo: "mensagem.nova",
        dados: {
          mensagem_id: 201,
          chamado_id: 9,
          direcao: "outbound",
          status_envio: "pendente",
          erro: null,
        },
      }),
    );
    expect(FakeNotification.instancias).toHaveLength(1);
    primeiro.unmount();
    expect(document.title).toBe(TITULO);

    // Another user on this browser starts with them off; the first finds them on.
    const segundo = montar(2);
    expect(screen.getByRole("button", { name: "Notificações de novas mensagens" })).toHaveAttribute(
      "aria-pressed",
      "false",
    );
    segundo.unmount();
    montar(1);
    expect(screen.getByRole("button", { name: "Notificações de novas mensagens" })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
    expect(screen.getByRole("checkbox", { name: "Som" })).toBeChecked();
  });

  it("stays off and says why when the browser refuses", async () => {
    FakeNotification.resposta = "denied";
    montar();
    const sino = screen.getByRole("button", { name: "Notificações de novas mensagens" });
    await userEvent.setup().click(sino);
    expect(sino).toHaveAttribute("aria-pressed", "false");
    expect(sino).toHaveAttribute("title", expect.stringContaining("bloqueadas"));
  });
});
