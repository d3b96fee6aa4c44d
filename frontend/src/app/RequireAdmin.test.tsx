import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { Layout } from "../components/Layout";
import { iniciarSessao } from "../lib/session";
import { usuario } from "../test/dados";
import { renderRotas, stubFetch } from "../test/utils";
import { RequireAdmin } from "./RequireAdmin";

const rotas = [
  {
    element: <Layout />,
    children: [
      {
        path: "/admin",
        element: <RequireAdmin />,
        children: [{ path: "regras", element: <h1>Regras de automação</h1> }],
      },
    ],
  },
];

describe("RequireAdmin", () => {
  it("shows the admin screens and the nav link to administrators", async () => {
    iniciarSessao("tok", { ...usuario, papel: "admin" }, 3600);
    stubFetch({ "GET /api/auth/me": { body: { ...usuario, papel: "admin" } } });
    renderRotas(rotas, "/admin/regras");
    expect(screen.getByRole("heading", { name: "Regras de automação" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Administração" })).toHaveAttribute("href", "/admin");
  });

  it("tells an operator there is no permission, with no nav link", async () => {
    iniciarSessao("tok", usuario, 3600);
    stubFetch({ "GET /api/auth/me": { body: usuario } });
    renderRotas(rotas, "/admin/regras");
    expect(screen.getByRole("heading", { name: "Sem permissão" })).toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "Regras de automação" })).toBeNull();
    expect(screen.queryByRole("link", { name: "Administração" })).toBeNull();
  });
});
