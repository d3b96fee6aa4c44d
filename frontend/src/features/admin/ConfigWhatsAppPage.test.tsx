import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { iniciarSessao } from "../../lib/session";
import type { ConfiguracaoWhatsApp } from "../../lib/types";
import { usuario } from "../../test/dados";
import { renderRotas, stubFetch } from "../../test/utils";
import { ConfigWhatsAppPage } from "./ConfigWhatsAppPage";

const config: ConfiguracaoWhatsApp = {
  configurado: true,
  fonte: "banco",
  base_url: "https://apistart01.megaapi.com.br",
  instance_key: "megacode-abc",
  token_mascarado: "••••9f3a",
  atualizado_em: "2026-03-10T12:00:00Z",
};

function montar() {
  iniciarSessao("tok", { ...usuario, papel: "admin" }, 3600);
  return renderRotas(
    [{ path: "/admin/megaapi", element: <ConfigWhatsAppPage /> }],
    "/admin/megaapi",
  );
}

describe("ConfigWhatsAppPage", () => {
  it("never shows the token: its mask is the placeholder, blank keeps it", async () => {
    const { chamadas } = stubFetch({
      "GET /api/admin/whatsapp/config": { body: config },
      "PUT /api/admin/whatsapp/config": (_url, init) => ({
        body: { ...config, ...JSON.parse(String(init.body)) },
      }),
    });
    montar();
    const token = await screen.findByLabelText("Token");
    expect(token).toHaveAttribute("type", "password");
    expect(token).toHaveValue("");
    expect(token).toHaveAttribute("placeholder", "••••9f3a");
    expect(screen.getByLabelText("URL base da MegaAPI")).toHaveValue(config.base_url);
    const user = userEvent.setup();
    await user.clear(screen.getByLabelText("Chave da instância"));
    await user.type(screen.getByLabelText("Chave da instância"), "megacode-xyz");
    await user.click(screen.getByRole("button", { name: "Salvar" }));
    expect(await screen.findByText(/Configuração salva/)).toBeInTheDocument();
    expect(chamadas.find((c) => c.metodo === "PUT")?.corpo).toEqual({
      base_url: config.base_url,
      instance_key: "megacode-xyz",
    });
  });

  it("sends a new token once and clears the field", async () => {
    const { chamadas } = stubFetch({
      "GET /api/admin/whatsapp/config": { body: config },
      "PUT /api/admin/whatsapp/config": { body: { ...config, token_mascarado: "••••ovo1" } },
    });
    montar();
    const user = userEvent.setup();
    const token = await screen.findByLabelText("Token");
    await user.type(token, "curto");
    await user.click(screen.getByRole("button", { name: "Salvar" }));
    expect(screen.getByText("O token tem ao menos 8 caracteres.")).toBeInTheDocument();
    await user.type(token, "-token-novo1");
    await user.click(screen.getByRole("button", { name: "Salvar" }));
    await waitFor(() => expect(token).toHaveValue(""));
    expect(token).toHaveAttribute("placeholder", "••••ovo1");
    expect(chamadas.filter((c) => c.metodo === "PUT").map((c) => c.corpo)).toEqual([
      { base_url: config.base_url, instance_key: config.instance_key, token: "curto-token-novo1" },
    ]);
  });

  it("asks for the token when none is saved here yet, and shows the API's field errors", async () => {
    stubFetch({
      "GET /api/admin/whatsapp/config": {
        body: { ...config, fonte: "ambiente", token_mascarado: "••••env1" },
      },
      "PUT /api/admin/whatsapp/config": {
        status: 422,
        body: {
          error: "dados_invalidos",
          detail: [{ loc: ["body", "base_url"], msg: "URL inválida", type: "url_parsing" }],
        },
      },
    });
    montar();
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Salvar" }));
    expect(screen.getByText("Informe o token: ainda não há um salvo aqui.")).toBeInTheDocument();
    await user.type(screen.getByLabelText("Token"), "token-de-teste");
    await user.click(screen.getByRole("button", { name: "Salvar" }));
    expect(await screen.findByText("URL inválida")).toBeInTheDocument();
    expect(screen.getByLabelText("URL base da MegaAPI")).toHaveAttribute("aria-invalid", "true");
  });
});
