import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { iniciarSessao } from "../../lib/session";
import { chamado, usuario } from "../../test/dados";
import { stubDownload } from "../../test/download";
import { renderRotas, stubFetch } from "../../test/utils";
import { ChamadoPage } from "./ChamadoPage";
import { ChamadosPage } from "./ChamadosPage";

describe("chamados downloads", () => {
  it("exports the list with the filters on screen", async () => {
    iniciarSessao("tok", usuario, 3600);
    const salvos = stubDownload();
    const { chamadas } = stubFetch({
      "GET /api/chamados": { body: { items: [chamado()], next_cursor: null } },
      "GET /api/terceirizados": { body: { items: [], next_cursor: null } },
      "GET /api/chamados/exportar": { body: "numero;titulo" },
    });
    renderRotas(
      [{ path: "/chamados", element: <ChamadosPage /> }],
      "/chamados?status=aguardando&prioridade=alta&atrasados=true",
    );
    await screen.findByRole("link", { name: chamado().numero_chamado });
    await userEvent.setup().click(screen.getByRole("button", { name: "Exportar XLSX" }));
    await waitFor(() => expect(salvos).toHaveLength(1));
    const pedido = chamadas.find((c) => c.url.pathname === "/api/chamados/exportar")!;
    expect(Object.fromEntries(pedido.url.searchParams)).toEqual({
      formato: "xlsx",
      status: "aguardando",
      prioridade: "alta",
      atrasados: "true",
    });
    expect(pedido.headers.Authorization).toBe("Bearer tok");
    expect(salvos[0]!.nome).toBe("chamados.xlsx");
  });

  it("downloads a chamado's transcript, or says why it could not", async () => {
    iniciarSessao("tok", usuario, 3600);
    const salvos = stubDownload();
    let falhar = true;
    stubFetch({
      "GET /api/chamados/7": { body: chamado() },
      "GET /api/chamados/7/info": { status: 404, body: { error: "x", detail: "x" } },
      "GET /api/chamados/7/transcricao.pdf": () =>
        falhar
          ? {
              status: 404,
              body: { error: "nao_encontrado", detail: "chamado 7 não encontrado" },
            }
          : { body: "%PDF-1.7" },
    });
    renderRotas([{ path: "/chamados/:id", element: <ChamadoPage /> }], "/chamados/7");
    const botao = await screen.findByRole("button", { name: "Baixar transcrição (PDF)" });
    const user = userEvent.setup();
    await user.click(botao);
    const acoes = botao.parentElement!;
    expect(await within(acoes).findByRole("alert")).toHaveTextContent(
      "Não foi possível baixar: chamado 7 não encontrado",
    );
    expect(salvos).toEqual([]);

    falhar = false;
    await user.click(botao);
    await waitFor(() => expect(salvos).toHaveLength(1));
    expect(salvos[0]!.nome).toBe(`${chamado().numero_chamado}-transcricao.pdf`);
    expect(within(acoes).queryByRole("alert")).toBeNull();
  });
});
