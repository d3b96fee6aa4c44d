import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { iniciarSessao } from "../../../lib/session";
import { chamado, mensagem, usuario } from "../../../test/dados";
import { novoQueryClient, stubFetch } from "../../../test/utils";
import { ArquivoDialog } from "./ArquivoDialog";

function montar() {
  iniciarSessao("tok", usuario, 3600);
  const onEnviado = vi.fn();
  render(
    <QueryClientProvider client={novoQueryClient()}>
      <ArquivoDialog chamado={chamado()} onFechar={vi.fn()} onEnviado={onEnviado} />
    </QueryClientProvider>,
  );
  return { onEnviado, user: userEvent.setup({ applyAccept: false }) };
}

function arquivo(nome: string, tipo: string, tamanho?: number): File {
  const file = new File(["conteúdo"], nome, { type: tipo });
  if (tamanho !== undefined) Object.defineProperty(file, "size", { value: tamanho });
  return file;
}

describe("ArquivoDialog", () => {
  it("offers only WhatsApp's types and says the size limits", () => {
    montar();
    const entrada = screen.getByLabelText("Arquivo");
    const accept = entrada.getAttribute("accept")?.split(",") ?? [];
    expect(accept).toEqual(
      expect.arrayContaining([".jpg", ".png", ".pdf", ".docx", ".m4a", ".3gp"]),
    );
    expect(screen.getByText("Imagem JPEG ou PNG até 5 MB")).toBeInTheDocument();
    expect(
      screen.getByText("Documento PDF, Word, Excel, PowerPoint ou TXT até 100 MB"),
    ).toBeInTheDocument();
  });

  it("refuses a type or a size WhatsApp does not take, before uploading", async () => {
    const { chamadas } = stubFetch({});
    const { user } = montar();
    await user.upload(
      screen.getByLabelText("Arquivo"),
      arquivo("setup.exe", "application/x-msdownload"),
    );
    expect(screen.getByText(/Tipo de arquivo não aceito pelo WhatsApp/)).toBeInTheDocument();
    await user.upload(
      screen.getByLabelText("Arquivo"),
      arquivo("foto.jpg", "image/jpeg", 6 * 1024 * 1024),
    );
    expect(
      screen.getByText("Arquivo grande demais (6 MB). Aceito: Imagem JPEG ou PNG até 5 MB."),
    ).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Enviar arquivo" }));
    expect(chamadas).toHaveLength(0);
  });

  it("uploads as multipart with the caption, and shows the API's refusal", async () => {
    const { chamadas } = stubFetch({
      "POST /api/chamados/7/enviar-midia": {
        status: 422,
        body: {
          error: "arquivo_invalido",
          detail: "o conteúdo não é de um tipo aceito pelo WhatsApp (detectado: application/zip)",
        },
      },
    });
    const { user, onEnviado } = montar();
    await user.upload(
      screen.getByLabelText("Arquivo"),
      arquivo("orcamento.pdf", "application/pdf"),
    );
    expect(screen.getByText("orcamento.pdf")).toBeInTheDocument();
    await user.type(screen.getByLabelText("Legenda (opcional)"), "Orçamento assinado");
    await user.click(screen.getByRole("button", { name: "Enviar arquivo" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Não foi possível enviar: o conteúdo não é de um tipo aceito pelo WhatsApp (detectado: application/zip)",
    );
    expect(onEnviado).not.toHaveBeenCalled();
    const pedido = chamadas[0];
    const corpo = pedido?.corpo as FormData;
    expect(corpo).toBeInstanceOf(FormData);
    expect((corpo.get("arquivo") as File).name).toBe("orcamento.pdf");
    expect(corpo.get("caption")).toBe("Orçamento assinado");
    // The browser sets multipart's Content-Type (with its boundary) by itself, not JSON's.
    expect(pedido?.headers["Content-Type"]).toMatch(/^multipart\/form-data; boundary=/);
  });

  it("calls back when the API takes the file", async () => {
    stubFetch({
      "POST /api/chamados/7/enviar-midia": {
        status: 201,
        body: { chamado: chamado(), mensagem: mensagem(), envio: "enfileirada" },
      },
    });
    const { user, onEnviado } = montar();
    await user.upload(screen.getByLabelText("Arquivo"), arquivo("foto.png", "image/png"));
    await user.click(screen.getByRole("button", { name: "Enviar arquivo" }));
    await waitFor(() => expect(onEnviado).toHaveBeenCalled());
  });
});
