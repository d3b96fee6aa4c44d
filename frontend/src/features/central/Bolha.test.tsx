import { render, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { StatusEnvio } from "../../lib/types";
import { mensagem } from "../../test/dados";
import { Bolha } from "./Bolha";
import { formatarWhatsApp } from "./formatacao";

function renderBolha(m: ReturnType<typeof mensagem>) {
  return render(
    <ol>
      <Bolha mensagem={m} />
    </ol>,
  );
}

describe("Bolha", () => {
  it.each<[StatusEnvio, string]>([
    ["pendente", "Aguardando envio"],
    ["enfileirado", "Na fila de envio"],
    ["enviado", "Enviada"],
    ["entregue", "Entregue"],
    ["lido", "Lida"],
  ])("shows the %s tick", (status, rotulo) => {
    renderBolha(mensagem({ status_envio: status }));
    const tick = screen.getByRole("img", { name: rotulo });
    expect(tick).toHaveAttribute("data-status-envio", status);
    expect(tick).toHaveClass(`tick-${status}`);
  });

  it("marks a failure in red with the reason on hover", () => {
    renderBolha(mensagem({ status_envio: "falhou", erro: "número sem WhatsApp" }));
    const tick = screen.getByRole("img", { name: "Falhou: número sem WhatsApp" });
    expect(tick).toHaveAttribute("title", "Falhou: número sem WhatsApp");
    expect(screen.getByText(/Não enviada: número sem WhatsApp/)).toBeInTheDocument();
  });

  it("offers Reenviar on a failed outbound message", async () => {
    const onReenviar = vi.fn();
    const falha = mensagem({ id: 9, status_envio: "falhou", erro: "timeout" });
    render(
      <ol>
        <Bolha mensagem={falha} onReenviar={onReenviar} />
        <Bolha mensagem={mensagem({ id: 10 })} onReenviar={onReenviar} />
      </ol>,
    );
    const botoes = screen.getAllByRole("button", { name: "Reenviar" });
    expect(botoes).toHaveLength(1);
    botoes[0]?.click();
    expect(onReenviar).toHaveBeenCalledWith(falha);
  });

  it("puts outbound on the right and inbound on the left, ticks only on outbound", () => {
    const { container } = render(
      <ol>
        <Bolha mensagem={mensagem({ id: 1, direcao: "outbound" })} />
        <Bolha mensagem={mensagem({ id: 2, direcao: "inbound", tipo: "recebida" })} />
      </ol>,
    );
    const [saida, entrada] = container.querySelectorAll("li");
    expect(saida).toHaveClass("linha-saida");
    expect(entrada).toHaveClass("linha-entrada");
    expect(within(entrada as HTMLElement).queryByRole("img")).toBeNull();
  });

  it("renders an image inline, audio with its transcription and documents as a card", () => {
    const { container } = render(
      <ol>
        <Bolha
          mensagem={mensagem({
            id: 1,
            tipo_conteudo: "image",
            texto: null,
            url_midia: "/m/foto.jpg",
            caption: "Quadro",
          })}
        />
        <Bolha
          mensagem={mensagem({
            id: 2,
            direcao: "inbound",
            tipo_conteudo: "audio",
            texto: null,
            url_midia: "/m/audio.ogg",
            transcricao: "Chego em meia hora",
          })}
        />
        <Bolha
          mensagem={mensagem({
            id: 3,
            tipo_conteudo: "document",
            texto: null,
            url_midia: "/m/orcamento%202026.pdf",
          })}
        />
      </ol>,
    );
    expect(screen.getByRole("img", { name: "Quadro" })).toHaveAttribute("src", "/m/foto.jpg");
    expect(container.querySelector("audio")).toHaveAttribute("src", "/m/audio.ogg");
    expect(screen.getByText("Chego em meia hora")).toBeInTheDocument();
    const doc = screen.getByRole("link", { name: /orcamento 2026\.pdf/ });
    expect(doc).toHaveAttribute("href", "/m/orcamento%202026.pdf");
    expect(doc).toHaveAttribute("download");
  });

  it("labels automatic messages and keeps line breaks", () => {
    renderBolha(mensagem({ tipo: "cobranca", texto: "Olá!\nAlguma novidade?" }));
    expect(screen.getByText("Cobrança")).toBeInTheDocument();
    expect(screen.getByText(/Alguma novidade\?/).textContent).toBe("Olá!\nAlguma novidade?");
  });
});

describe("formatarWhatsApp", () => {
  it("turns *bold*, _italic_ and ~strike~ into elements, never HTML", () => {
    const { container } = render(
      <p>{formatarWhatsApp("Chamado *CH-1*: _urgente_ ~não~ <b>x</b>")}</p>,
    );
    expect(container.querySelector("strong")?.textContent).toBe("CH-1");
    expect(container.querySelector("em")?.textContent).toBe("urgente");
    expect(container.querySelector("s")?.textContent).toBe("não");
    expect(container.querySelector("b")).toBeNull();
    expect(container.textContent).toContain("<b>x</b>");
  });

  it("leaves lone marks and marks inside words alone", () => {
    const { container } = render(<p>{formatarWhatsApp("2*3*4 e snake_case_name e * solto")}</p>);
    expect(container.querySelector("strong, em")).toBeNull();
  });
});
