import { act, fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { getSessao, iniciarSessao } from "../lib/session";
import { usuario } from "../test/dados";
import { renderRotas, stubFetch } from "../test/utils";
import { Layout } from "./Layout";

const rotas = [
  {
    element: <Layout />,
    children: [
      { path: "/admin/whatsapp", element: <h1>Monitoramento do WhatsApp</h1> },
      { path: "/admin/usuarios", element: <h1>Usuários</h1> },
    ],
  },
];

describe("Layout", () => {
  it("gives operators the monitoring panel in the main navigation", () => {
    iniciarSessao("tok", usuario, 3600);
    stubFetch({ "GET /api/auth/me": { body: usuario } });
    renderRotas(rotas, "/admin/whatsapp");
    const nav = screen.getByRole("navigation", { name: "Principal" });
    expect(nav).toContainElement(screen.getByRole("link", { name: "Monitoramento" }));
    expect(screen.getByRole("link", { name: "Monitoramento" })).toHaveAttribute(
      "aria-current",
      "page",
    );
    expect(screen.queryByRole("link", { name: "Administração" })).toBeNull();
  });

  it("marks Administração only on the administrators' screens", async () => {
    const admin = { ...usuario, papel: "admin" as const };
    iniciarSessao("tok", admin, 3600);
    stubFetch({ "GET /api/auth/me": { body: admin } });
    const { router } = renderRotas(rotas, "/admin/whatsapp");
    expect(screen.getByRole("link", { name: "Administração" })).not.toHaveAttribute("aria-current");
    await act(() => router.navigate("/admin/usuarios"));
    expect(screen.getByRole("heading", { name: "Usuários" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Administração" })).toHaveAttribute(
      "aria-current",
      "page",
    );
    expect(screen.getByRole("link", { name: "Monitoramento" })).not.toHaveAttribute("aria-current");
  });
  it("ends the session on the server too when the user clicks Sair", async () => {
    iniciarSessao("tok-sair", usuario, 3600);
    const { chamadas } = stubFetch({
      "GET /api/auth/me": { body: usuario },
      "POST /api/auth/logout": { status: 204, body: undefined },
    });
    renderRotas(rotas, "/admin/whatsapp");
    fireEvent.click(screen.getByRole("button", { name: "Sair" }));
    expect(getSessao()).toBeNull();
    await waitFor(() =>
      expect(
        chamadas.some((c) => c.metodo === "POST" && c.url.pathname === "/api/auth/logout"),
      ).toBe(true),
    );
    const pedido = chamadas.find((c) => c.url.pathname === "/api/auth/logout");
    expect(pedido?.headers.Authorization).toBe("Bearer tok-sair");
  });
});
