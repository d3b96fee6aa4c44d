import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { LoginPage, destinoSeguro } from "../features/auth/LoginPage";
import { encerrarSessao, getSessao, iniciarSessao } from "../lib/session";
import { usuario } from "../test/dados";
import { renderRotas, stubFetch } from "../test/utils";
import { RequireAuth } from "./RequireAuth";

const rotas = [
  { path: "/login", element: <LoginPage /> },
  {
    element: <RequireAuth />,
    children: [
      { path: "/central", element: <p>Central aberta</p> },
      { path: "/central/:id", element: <p>Conversa aberta</p> },
    ],
  },
];

describe("LoginPage", () => {
  it("shows the API's message for wrong credentials", async () => {
    stubFetch({
      "POST /api/auth/login": {
        status: 401,
        body: { error: "nao_autenticado", detail: "e-mail ou senha incorretos" },
      },
    });
    renderRotas(rotas, "/login");
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("E-mail"), "ana@example.com");
    await user.type(screen.getByLabelText("Senha"), "errada");
    await user.click(screen.getByRole("button", { name: "Entrar" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("e-mail ou senha incorretos");
    expect(getSessao()).toBeNull();
  });

  it("signs in and goes back to where the user was", async () => {
    const { chamadas } = stubFetch({
      "POST /api/auth/login": {
        body: { access_token: "tok", token_type: "bearer", expires_in: 3600, usuario },
      },
    });
    const { router } = renderRotas(rotas, "/login?next=%2Fcentral%2F12");
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("E-mail"), " ana@example.com ");
    await user.type(screen.getByLabelText("Senha"), "certa");
    await user.click(screen.getByRole("button", { name: "Entrar" }));
    expect(await screen.findByText("Conversa aberta")).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/central/12");
    expect(chamadas[0]?.corpo).toEqual({ email: "ana@example.com", senha: "certa" });
    expect(getSessao()?.token).toBe("tok");
  });

  it("tells the user the session expired", async () => {
    iniciarSessao("x", usuario, 3600);
    encerrarSessao("expirada");
    renderRotas(rotas, "/login?next=%2Fcentral");
    expect(await screen.findByText(/Sua sessão expirou/)).toBeInTheDocument();
  });
});

describe("RequireAuth", () => {
  it("sends a visitor without a session to /login, remembering the page", async () => {
    const { router } = renderRotas(rotas, "/central/12");
    expect(await screen.findByRole("button", { name: "Entrar" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/login");
    expect(router.state.location.search).toBe("?next=%2Fcentral%2F12");
  });
});

it("destinoSeguro only allows paths inside the app", () => {
  expect(destinoSeguro("/chamados/3")).toBe("/chamados/3");
  expect(destinoSeguro("//evil.example")).toBe("/central");
  expect(destinoSeguro("https://evil.example")).toBe("/central");
  expect(destinoSeguro("/login")).toBe("/central");
  expect(destinoSeguro(null)).toBe("/central");
});
