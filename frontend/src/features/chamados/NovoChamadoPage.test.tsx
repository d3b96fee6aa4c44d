import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { iniciarSessao } from "../../lib/session";
import type { Terceirizado } from "../../lib/types";
import { chamado, mensagem, usuario } from "../../test/dados";
import { renderRotas, stubFetch } from "../../test/utils";
import { NovoChamadoPage } from "./NovoChamadoPage";

const carlos: Terceirizado = {
  id: 3,
  nome: "Carlos Pereira",
  empresa: null,
  telefone: "5511987654321",
  email: null,
  especialidade: null,
  ativo: true,
  criado_em: "2026-01-10T12:00:00Z",
};

describe("NovoChamadoPage", () => {
  it("opens a chamado with its building or place", async () => {
    iniciarSessao("tok", usuario, 3600);
    const { chamadas } = stubFetch({
      "GET /api/terceirizados": { body: { items: [carlos], next_cursor: null } },
      "GET /api/terceirizados/3": { body: carlos },
      "POST /api/chamados": {
        status: 201,
        body: { chamado: chamado({ id: 9 }), mensagem: mensagem({ id: 1 }), envio: "enfileirada" },
      },
    });
    const { router } = renderRotas(
      [
        { path: "/chamados/novo", element: <NovoChamadoPage /> },
        { path: "/chamados/:id", element: <p>chamado aberto</p> },
      ],
      "/chamados/novo",
    );
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: /Carlos Pereira/ }));
    await user.type(screen.getByLabelText("Título"), "Vazamento no banheiro");
    const local = screen.getByLabelText("Prédio / local");
    expect(local).toHaveAttribute("maxLength", "120");
    await user.type(local, "  Prédio 2 · sala 302 ");
    await user.click(screen.getByRole("button", { name: "Abrir chamado" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/chamados/9"));
    expect(chamadas.find((c) => c.metodo === "POST")?.corpo).toMatchObject({
      terceirizado_id: 3,
      titulo: "Vazamento no banheiro",
      local: "Prédio 2 · sala 302",
    });
  });
});
