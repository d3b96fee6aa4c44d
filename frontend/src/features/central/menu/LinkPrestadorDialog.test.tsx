import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { iniciarSessao } from "../../../lib/session";
import type { LinkPrestadorCriado } from "../../../lib/types";
import { chamado, mensagem, usuario } from "../../../test/dados";
import { novoQueryClient, stubFetch } from "../../../test/utils";
import { LinkPrestadorDialog } from "./LinkPrestadorDialog";

const criado: LinkPrestadorCriado = {
  chamado: chamado(),
  mensagem: mensagem({ tipo: "link_prestador" }),
  envio: "enfileirada",
  url: "https://gmm.example.com/p/abc.def",
  link: {
    id: 3,
    chamado_id: 7,
    criado_por: 1,
    criado_em: "2026-03-10T12:00:00Z",
    expira_em: "2026-03-13T12:00:00Z",
    revogado_em: null,
    ultimo_uso_em: null,
    status: "ativo",
    usos: 0,
    recusas: 0,
  },
};

describe("LinkPrestadorDialog", () => {
  it("creates the link with the validity chosen and shows its address once", async () => {
    iniciarSessao("tok", usuario, 3600);
    const { chamadas } = stubFetch({
      "POST /api/chamados/7/link-prestador": { status: 201, body: criado },
    });
    const onEnviado = vi.fn();
    render(
      <QueryClientProvider client={novoQueryClient()}>
        <LinkPrestadorDialog chamado={chamado()} onFechar={vi.fn()} onEnviado={onEnviado} />
      </QueryClientProvider>,
    );
    const user = userEvent.setup();
    const validade = screen.getByLabelText("Validade do link");
    expect(validade).toHaveValue("168");
    await user.selectOptions(validade, "72");
    await user.click(screen.getByRole("button", { name: "Enviar link" }));
    expect(
      await screen.findByRole("dialog", { name: "Link enviado ao prestador" }),
    ).toBeInTheDocument();
    expect(chamadas[0]?.corpo).toEqual({ validade_horas: 72 });
    expect(screen.getByLabelText("Endereço do link")).toHaveValue(criado.url);
    const concluir = screen.getByRole("button", { name: "Concluir" });
    expect(concluir).toHaveFocus();
    await user.click(concluir);
    expect(onEnviado).toHaveBeenCalledWith(criado);
  });
});
