import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { iniciarSessao } from "../../lib/session";
import type { RespostaRapida } from "../../lib/types";
import { usuario } from "../../test/dados";
import { renderRotas, stubFetch } from "../../test/utils";
import { RespostasRapidasPage } from "./RespostasRapidasPage";

function resposta(parcial: Partial<RespostaRapida>): RespostaRapida {
  return {
    id: 1,
    titulo: "Confirmar visita",
    texto: "Confirma a visita, {terceirizado}?",
    compartilhada: true,
    editavel: false,
    atualizado_em: "2026-12-01T10:00:00Z",
    ...parcial,
  };
}

function montar(lista: () => RespostaRapida[], papel: "admin" | "operador" = "operador") {
  iniciarSessao("tok", { ...usuario, papel }, 3600);
  const criadas: unknown[] = [];
  const fetch = stubFetch({
    "GET /api/respostas-rapidas": () => ({ body: lista() }),
    "POST /api/respostas-rapidas": (_url, pedido) => {
      const corpo = JSON.parse(pedido.body) as { texto: string };
      if (corpo.texto.includes("{cliente}")) {
        return {
          status: 422,
          body: {
            error: "dados_invalidos",
            detail: [
              {
                loc: ["body", "texto"],
                msg: "Variável desconhecida: {cliente}",
                type: "value_error",
              },
            ],
          },
        };
      }
      criadas.push(corpo);
      return { status: 201, body: resposta({ id: 9, ...corpo, editavel: true }) };
    },
    "PATCH /api/respostas-rapidas/2": { body: resposta({ id: 2, editavel: true }) },
    // The API answers 204; the stub's Response cannot carry a body with that status.
    "DELETE /api/respostas-rapidas/2": { status: 200, body: null },
  });
  renderRotas(
    [{ path: "/respostas-rapidas", element: <RespostasRapidasPage /> }],
    "/respostas-rapidas",
  );
  return { ...fetch, criadas };
}

describe("RespostasRapidasPage", () => {
  it("lists the shared ones and the operator's own, editing only what is theirs", async () => {
    montar(() => [
      resposta({}),
      resposta({ id: 2, titulo: "Pedir fotos", compartilhada: false, editavel: true }),
    ]);
    const compartilhada = (await screen.findByText("Confirmar visita")).closest("li")!;
    expect(within(compartilhada).getByText("Compartilhada")).toBeInTheDocument();
    expect(within(compartilhada).queryByRole("button", { name: /Editar/ })).toBeNull();
    expect(screen.getByRole("button", { name: "Editar Pedir fotos" })).toBeInTheDocument();
  });

  it("creates one, showing the server's word for a bad variable first", async () => {
    let lista: RespostaRapida[] = [];
    const { criadas } = montar(() => lista);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Nova resposta" }));
    // An operator keeps their own; sharing is for administrators.
    expect(screen.queryByLabelText("Compartilhada com todos os operadores")).toBeNull();
    await user.type(screen.getByLabelText("Título"), "Saudação");
    await user.type(screen.getByLabelText("Texto"), "Olá {{cliente}");
    await user.click(screen.getByRole("button", { name: "Salvar" }));
    expect(await screen.findByText("Variável desconhecida: {cliente}")).toBeInTheDocument();
    await user.clear(screen.getByLabelText("Texto"));
    await user.type(screen.getByLabelText("Texto"), "Olá {{terceirizado}!");
    lista = [resposta({ id: 9, titulo: "Saudação", texto: "Olá {terceirizado}!", editavel: true })];
    await user.click(screen.getByRole("button", { name: "Salvar" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(criadas).toEqual([
      { titulo: "Saudação", texto: "Olá {terceirizado}!", compartilhada: false },
    ]);
    expect(await screen.findByText("Olá {terceirizado}!")).toBeInTheDocument();
  });

  it("lets an administrator share a new one with every operator", async () => {
    const { criadas } = montar(() => [], "admin");
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Nova resposta" }));
    await user.type(screen.getByLabelText("Título"), "Bom dia");
    await user.type(screen.getByLabelText("Texto"), "Bom dia!");
    await user.click(screen.getByLabelText("Compartilhada com todos os operadores"));
    await user.click(screen.getByRole("button", { name: "Salvar" }));
    await waitFor(() =>
      expect(criadas).toEqual([{ titulo: "Bom dia", texto: "Bom dia!", compartilhada: true }]),
    );
  });

  it("deletes one after confirming", async () => {
    let lista = [resposta({ id: 2, titulo: "Pedir fotos", compartilhada: false, editavel: true })];
    const { chamadas } = montar(() => lista);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Excluir Pedir fotos" }));
    lista = [];
    const confirmar = screen.getByRole("alertdialog", {
      name: "Excluir a resposta “Pedir fotos”?",
    });
    await user.click(within(confirmar).getByRole("button", { name: "Excluir" }));
    expect(await screen.findByText("Nenhuma resposta rápida ainda.")).toBeInTheDocument();
    expect(chamadas.filter((c) => c.metodo === "DELETE")).toHaveLength(1);
  });
});
