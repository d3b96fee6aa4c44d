import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { iniciarSessao } from "../../lib/session";
import type { Terceirizado } from "../../lib/types";
import { usuario } from "../../test/dados";
import { renderRotas, stubFetch } from "../../test/utils";
import { EditarTerceirizadoPage, NovoTerceirizadoPage } from "./TerceirizadoFormPage";

describe("NovoTerceirizadoPage", () => {
  it("shows the API's phone message under the phone field", async () => {
    iniciarSessao("tok", usuario, 3600);
    const { chamadas } = stubFetch({
      "POST /api/terceirizados": {
        status: 422,
        body: {
          error: "dados_invalidos",
          detail: [
            {
              loc: ["body", "telefone"],
              msg: "Value error, DDD 00 não existe",
              type: "value_error",
            },
          ],
        },
      },
    });
    renderRotas(
      [
        { path: "/terceirizados/novo", element: <NovoTerceirizadoPage /> },
        { path: "/terceirizados", element: <p>Lista</p> },
      ],
      "/terceirizados/novo",
    );
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Nome"), "Maria Silva");
    await user.type(screen.getByLabelText("Telefone (WhatsApp)"), "(00) 91234-5678");
    await user.click(screen.getByRole("button", { name: "Cadastrar" }));
    const telefone = screen.getByLabelText("Telefone (WhatsApp)");
    expect(await screen.findByText("DDD 00 não existe")).toBeInTheDocument();
    expect(telefone).toHaveAttribute("aria-invalid", "true");
    expect(telefone.getAttribute("aria-describedby")).toContain(
      screen.getByText("DDD 00 não existe").id,
    );
    expect(chamadas[0]?.corpo).toEqual({
      nome: "Maria Silva",
      telefone: "(00) 91234-5678",
      empresa: null,
      email: null,
      especialidade: null,
    });
  });

  it("asks for the required fields before calling the API", async () => {
    const { fetchMock } = stubFetch({});
    renderRotas([{ path: "/t", element: <NovoTerceirizadoPage /> }], "/t");
    await userEvent.setup().click(screen.getByRole("button", { name: "Cadastrar" }));
    expect(screen.getByText("Informe o nome.")).toBeInTheDocument();
    expect(screen.getByText("Informe o telefone com DDD.")).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });
});

describe("EditarTerceirizadoPage", () => {
  const maria: Terceirizado = {
    id: 5,
    nome: "Maria Silva",
    telefone: "5511912345678",
    empresa: null,
    email: null,
    especialidade: null,
    ativo: true,
    criado_em: "2026-01-10T12:00:00Z",
  };

  it("shows the phone as typed, sends it only when changed, and the conflict readable", async () => {
    iniciarSessao("tok", usuario, 3600);
    const { chamadas } = stubFetch({
      "GET /api/terceirizados/5": { body: maria },
      "PATCH /api/terceirizados/5": {
        status: 409,
        body: {
          error: "conflito",
          detail: "O telefone 5511987654321 já pertence ao terceirizado Carlos Pereira",
        },
      },
    });
    renderRotas(
      [
        { path: "/terceirizados/:id", element: <EditarTerceirizadoPage /> },
        { path: "/terceirizados", element: <p>Lista</p> },
      ],
      "/terceirizados/5",
    );
    const telefone = await screen.findByLabelText("Telefone (WhatsApp)");
    expect(telefone).toHaveValue("(11) 91234-5678");

    const user = userEvent.setup();
    await user.clear(telefone);
    await user.type(telefone, "11987654321");
    await user.click(screen.getByRole("button", { name: "Salvar alterações" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "O telefone (11) 98765-4321 já pertence ao terceirizado Carlos Pereira",
    );
    expect(screen.queryByText(/5511987654321/)).toBeNull();
    expect(chamadas.find((c) => c.metodo === "PATCH")?.corpo).toEqual({ telefone: "11987654321" });
  });
});
