import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { iniciarSessao } from "../../lib/session";
import type { Chamado } from "../../lib/types";
import { chamado, usuario } from "../../test/dados";
import { renderRotas, stubFetch } from "../../test/utils";
import { ChamadoPage } from "./ChamadoPage";

describe("ChamadoPage", () => {
  it("confirms a saved edit and drops the 'Chamado aberto' note of its creation", async () => {
    iniciarSessao("tok", usuario, 3600);
    let atual: Chamado = chamado({ status: "aguardando" });
    const { chamadas } = stubFetch({
      "GET /api/chamados/7": () => ({ body: atual }),
      "GET /api/chamados/7/info": { status: 404, body: { error: "x", detail: "x" } },
      "PATCH /api/chamados/7": () => {
        atual = { ...atual, titulo: "Ar-condicionado da sala 302" };
        return { body: atual };
      },
    });
    const { router } = renderRotas([{ path: "/chamados/:id", element: <ChamadoPage /> }], {
      pathname: "/chamados/7",
      state: { criado: true },
    });
    expect(await screen.findByText(/Chamado aberto\./)).toBeInTheDocument();

    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Editar" }));
    const titulo = screen.getByLabelText("Título");
    await user.clear(titulo);
    await user.type(titulo, "Ar-condicionado da sala 302");
    await user.click(screen.getByRole("button", { name: "Salvar alterações" }));

    expect(await screen.findByRole("status")).toHaveTextContent("Chamado salvo.");
    expect(screen.queryByText(/Chamado aberto\./)).toBeNull();
    expect(router.state.location.state).toBeNull();
    expect(chamadas.find((c) => c.metodo === "PATCH")?.corpo).toEqual({
      titulo: "Ar-condicionado da sala 302",
    });
  });

  it("shows the chamado's local and changes it", async () => {
    iniciarSessao("tok", usuario, 3600);
    let atual: Chamado = chamado({ status: "aguardando", local: "Prédio 2 · sala 302" });
    const { chamadas } = stubFetch({
      "GET /api/chamados/7": () => ({ body: atual }),
      "GET /api/chamados/7/info": { status: 404, body: { error: "x", detail: "x" } },
      "PATCH /api/chamados/7": (_url, pedido) => {
        atual = { ...atual, ...JSON.parse(pedido.body) };
        return { body: atual };
      },
    });
    renderRotas([{ path: "/chamados/:id", element: <ChamadoPage /> }], "/chamados/7");
    const rotulo = await screen.findByText("Prédio / local");
    expect(rotulo.nextElementSibling).toHaveTextContent("Prédio 2 · sala 302");

    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Editar" }));
    const local = screen.getByLabelText("Prédio / local");
    expect(local).toHaveValue("Prédio 2 · sala 302");
    await user.clear(local);
    await user.type(local, "Bloco B");
    await user.click(screen.getByRole("button", { name: "Salvar alterações" }));
    expect(await screen.findByRole("status")).toHaveTextContent("Chamado salvo.");
    expect(chamadas.find((c) => c.metodo === "PATCH")?.corpo).toEqual({ local: "Bloco B" });
    expect(screen.getByText("Prédio / local").nextElementSibling).toHaveTextContent("Bloco B");
  });
});
