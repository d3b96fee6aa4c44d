import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { iniciarSessao } from "../../lib/session";
import type { Usuario } from "../../lib/types";
import { usuario } from "../../test/dados";
import { renderRotas, stubFetch } from "../../test/utils";
import { UsuariosPage } from "./UsuariosPage";

const admin: Usuario = {
  ...usuario,
  id: 1,
  nome: "Admin Beatriz",
  email: "bia@example.com",
  papel: "admin",
};
const ana: Usuario = { ...usuario, id: 2, nome: "Operadora Ana", email: "ana@example.com" };

function montar() {
  iniciarSessao("tok", admin, 3600);
  return renderRotas([{ path: "/admin/usuarios", element: <UsuariosPage /> }], "/admin/usuarios");
}

function linha(nome: string): HTMLElement {
  return screen.getByRole("row", { name: new RegExp(nome) });
}

describe("UsuariosPage", () => {
  it("lists the users, marking who is signed in", async () => {
    stubFetch({
      "GET /api/auth/me": { body: admin },
      "GET /api/admin/usuarios": { body: [admin, { ...ana, ativo: false }] },
    });
    montar();
    expect(await screen.findByRole("cell", { name: /Admin Beatriz/ })).toHaveTextContent("(você)");
    const anaLinha = linha("Operadora Ana");
    expect(within(anaLinha).getByText("Operador")).toBeInTheDocument();
    expect(within(anaLinha).getByText("Inativo")).toBeInTheDocument();
    expect(within(anaLinha).getByRole("button", { name: "Reativar Operadora Ana" })).toBeVisible();
    expect(within(linha("Admin Beatriz")).getByText("Administrador")).toBeInTheDocument();
  });

  it("creates a user, checking the password length first and showing the API's 409", async () => {
    let lista = [admin];
    let tentativas = 0;
    const { chamadas } = stubFetch({
      "GET /api/auth/me": { body: admin },
      "GET /api/admin/usuarios": () => ({ body: lista }),
      "POST /api/admin/usuarios": (_url, init) => {
        tentativas += 1;
        if (tentativas === 1) {
          return {
            status: 409,
            body: {
              error: "conflito",
              detail: "já existe um usuário com o e-mail ana@example.com",
            },
          };
        }
        const corpo = JSON.parse(String(init.body)) as Usuario;
        const novo = { ...ana, id: 3, nome: corpo.nome, email: corpo.email, papel: corpo.papel };
        lista = [admin, novo];
        return { status: 201, body: novo };
      },
    });
    montar();
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Novo usuário" }));
    const dialogo = screen.getByRole("dialog", { name: "Novo usuário" });
    await user.type(within(dialogo).getByLabelText("Nome"), "Ana Lima");
    await user.type(within(dialogo).getByLabelText("E-mail"), "ana@example.com");
    await user.type(within(dialogo).getByLabelText("Senha"), "curta");
    await user.selectOptions(within(dialogo).getByLabelText("Papel"), "admin");
    await user.click(within(dialogo).getByRole("button", { name: "Criar usuário" }));
    expect(within(dialogo).getByText("A senha tem ao menos 10 caracteres.")).toBeInTheDocument();
    expect(chamadas.filter((c) => c.metodo === "POST")).toHaveLength(0);

    await user.type(within(dialogo).getByLabelText("Senha"), "-mas-agora-longa");
    await user.click(within(dialogo).getByRole("button", { name: "Criar usuário" }));
    expect(await within(dialogo).findByRole("alert")).toHaveTextContent(
      "já existe um usuário com o e-mail ana@example.com",
    );

    await user.clear(within(dialogo).getByLabelText("E-mail"));
    await user.type(within(dialogo).getByLabelText("E-mail"), "ana.lima@example.com");
    await user.click(within(dialogo).getByRole("button", { name: "Criar usuário" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(await screen.findByText("Ana Lima foi cadastrado(a).")).toBeInTheDocument();
    expect(await screen.findByRole("row", { name: /Ana Lima/ })).toHaveTextContent("Administrador");
    expect(chamadas.filter((c) => c.metodo === "POST").map((c) => c.corpo)).toEqual([
      {
        nome: "Ana Lima",
        email: "ana@example.com",
        senha: "curta-mas-agora-longa",
        papel: "admin",
      },
      {
        nome: "Ana Lima",
        email: "ana.lima@example.com",
        senha: "curta-mas-agora-longa",
        papel: "admin",
      },
    ]);
  });

  it("shows the API's field messages under their fields", async () => {
    stubFetch({
      "GET /api/auth/me": { body: admin },
      "GET /api/admin/usuarios": { body: [admin] },
      "POST /api/admin/usuarios": {
        status: 422,
        body: {
          error: "dados_invalidos",
          detail: [
            {
              loc: ["body", "email"],
              msg: "value is not a valid email address: The domain name x.invalid does not exist.",
              type: "value_error",
            },
          ],
        },
      },
    });
    montar();
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Novo usuário" }));
    const dialogo = screen.getByRole("dialog", { name: "Novo usuário" });
    await user.type(within(dialogo).getByLabelText("Nome"), "Ana Lima");
    await user.type(within(dialogo).getByLabelText("E-mail"), "ana@x.invalid");
    await user.type(within(dialogo).getByLabelText("Senha"), "uma-senha-longa");
    await user.click(within(dialogo).getByRole("button", { name: "Criar usuário" }));
    expect(await within(dialogo).findByText(/does not exist/)).toHaveClass("campo-erro");
    expect(within(dialogo).getByLabelText("E-mail")).toHaveAttribute("aria-invalid", "true");
  });

  it("shows the 409 when the last administrator would lose access", async () => {
    const { chamadas } = stubFetch({
      "GET /api/auth/me": { body: admin },
      "GET /api/admin/usuarios": { body: [admin, ana] },
      "PATCH /api/admin/usuarios/1": {
        status: 409,
        body: {
          error: "conflito",
          detail: "você não pode remover o próprio acesso de administrador",
        },
      },
    });
    montar();
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Desativar Admin Beatriz" }));
    const confirmacao = screen.getByRole("alertdialog", { name: "Desativar Admin Beatriz?" });
    await user.click(within(confirmacao).getByRole("button", { name: "Desativar" }));
    expect(await within(confirmacao).findByRole("alert")).toHaveTextContent(
      "você não pode remover o próprio acesso de administrador",
    );
    expect(chamadas.find((c) => c.metodo === "PATCH")?.corpo).toEqual({ ativo: false });

    await user.click(within(confirmacao).getByRole("button", { name: "Voltar" }));
    await user.click(screen.getByRole("button", { name: "Editar Admin Beatriz" }));
    const edicao = screen.getByRole("dialog", { name: "Editar Admin Beatriz" });
    await user.selectOptions(within(edicao).getByLabelText("Papel"), "operador");
    await user.click(within(edicao).getByRole("button", { name: "Salvar" }));
    expect(await within(edicao).findByRole("alert")).toHaveTextContent(
      "você não pode remover o próprio acesso de administrador",
    );
    expect(chamadas.filter((c) => c.metodo === "PATCH").at(-1)?.corpo).toEqual({
      papel: "operador",
    });
  });

  it("renames, resets a password and deactivates after confirming", async () => {
    let lista = [admin, ana];
    const { chamadas } = stubFetch({
      "GET /api/auth/me": { body: admin },
      "GET /api/admin/usuarios": () => ({ body: lista }),
      "PATCH /api/admin/usuarios/2": (_url, init) => {
        const corpo = JSON.parse(String(init.body)) as Partial<Usuario> & { senha?: string };
        const { senha: _, ...mudou } = corpo;
        const novo = { ...(lista[1] as Usuario), ...mudou };
        lista = [admin, novo];
        return { body: novo };
      },
    });
    montar();
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Editar Operadora Ana" }));
    const edicao = screen.getByRole("dialog", { name: "Editar Operadora Ana" });
    await user.clear(within(edicao).getByLabelText("Nome"));
    await user.type(within(edicao).getByLabelText("Nome"), "Ana Souza");
    await user.click(within(edicao).getByRole("button", { name: "Salvar" }));
    expect(await screen.findByRole("row", { name: /Ana Souza/ })).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Redefinir a senha de Ana Souza" }));
    const senha = screen.getByRole("dialog", { name: "Redefinir a senha de Ana Souza" });
    await user.type(within(senha).getByLabelText("Nova senha"), "outra-senha-longa");
    await user.click(within(senha).getByRole("button", { name: "Redefinir senha" }));
    expect(await screen.findByText("A senha de Ana Souza foi redefinida.")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Desativar Ana Souza" }));
    const confirmacao = screen.getByRole("alertdialog", { name: "Desativar Ana Souza?" });
    await user.click(within(confirmacao).getByRole("button", { name: "Desativar" }));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
    expect(await within(linha("Ana Souza")).findByText("Inativo")).toBeInTheDocument();
    expect(chamadas.filter((c) => c.metodo === "PATCH").map((c) => c.corpo)).toEqual([
      { nome: "Ana Souza" },
      { senha: "outra-senha-longa" },
      { ativo: false },
    ]);
  });
});
