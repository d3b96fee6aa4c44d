import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { StatusEnvio } from "../../lib/types";
import { iniciarSessao } from "../../lib/session";
import { mensagem, usuario } from "../../test/dados";
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

  it("draws outbound buttons under the text and marks the one tapped", () => {
    renderBolha(
      mensagem({
        tipo: "botoes",
        tipo_conteudo: "interactive",
        texto: "Orçamento de R$ 1.500,00. Aprova?",
        conteudo: {
          tipo: "botoes",
          rodape: "GMM Manutenção",
          botoes: [
            { id: "orcamento:aprovar", titulo: "Aprovar", descricao: null },
            { id: "orcamento:rejeitar", titulo: "Rejeitar", descricao: null },
          ],
          acao: { tipo: "orcamento", valor: "1500.00", data_hora: null },
          respondida: { opcao_id: "orcamento:aprovar", mensagem_id: 9, reacao: null },
        },
      }),
    );
    expect(screen.getByText("Orçamento", { selector: ".bolha-rotulo" })).toBeInTheDocument();
    expect(screen.getByText("Orçamento de R$ 1.500,00. Aprova?")).toBeInTheDocument();
    expect(screen.getByText("GMM Manutenção")).toHaveClass("bolha-rodape-texto");
    const botoes = within(screen.getByRole("list", { name: "Botões" })).getAllByRole("listitem");
    expect(botoes.map((b) => b.textContent)).toEqual(["Aprovar ✓ escolhido", "Rejeitar"]);
    expect(botoes[0]).toHaveAttribute("data-escolhido", "true");
    expect(botoes[1]).not.toHaveAttribute("data-escolhido");
  });

  it("draws a list as its button, opening the sections with the chosen row", async () => {
    const { container } = renderBolha(
      mensagem({
        tipo: "lista_interativa",
        tipo_conteudo: "interactive",
        texto: "Quando pode vir?",
        conteudo: {
          tipo: "lista",
          botao: "Ver horários",
          titulo: "Agenda",
          descricao: "",
          rodape: null,
          acao: null,
          secoes: [
            {
              titulo: "Sábado",
              linhas: [
                { id: "sab-manha", titulo: "Manhã", descricao: "8h às 12h" },
                { id: "sab-tarde", titulo: "Tarde", descricao: "" },
              ],
            },
          ],
          respondida: { opcao_id: "sab-tarde", mensagem_id: 12, reacao: null },
        },
      }),
    );
    expect(screen.getByText("Agenda")).toHaveClass("bolha-cabecalho");
    const detalhes = container.querySelector("details") as HTMLDetailsElement;
    expect(detalhes.open).toBe(false);
    await userEvent.setup().click(screen.getByText("Ver horários"));
    expect(detalhes.open).toBe(true);
    expect(screen.getByText("8h às 12h")).toBeInTheDocument();
    const escolhida = container.querySelector('[data-escolhido="true"]');
    expect(escolhida).toHaveTextContent("Tarde ✓ escolhida");
  });

  it("shows an inbound tap as a reply with the option's title", () => {
    renderBolha(
      mensagem({
        direcao: "inbound",
        tipo: "recebida",
        tipo_conteudo: "interactive",
        texto: "Aprovar",
        conteudo: {
          tipo: "resposta",
          push_name: null,
          resposta: {
            tipo: "botao",
            id: "0",
            titulo: "Aprovar",
            em_resposta_a: null,
            opcao_id: "orcamento:aprovar",
            pergunta_id: 8,
          },
        },
      }),
    );
    const toque = screen.getByText("Aprovar").closest(".bolha-toque");
    expect(toque).toHaveTextContent("Tocou no botão: ↩ Aprovar");
    expect(toque).toHaveAttribute("title", "Tocou no botão");
  });

  it("shows a voice note's transcription under the player", () => {
    const { container } = renderBolha(
      mensagem({
        direcao: "inbound",
        tipo: "recebida",
        tipo_conteudo: "audio",
        texto: null,
        url_midia: "/api/midias/abc.ogg",
        transcricao: "Chego às três",
      }),
    );
    expect(container.querySelector(".bolha-transcricao")).toHaveTextContent(
      "Transcrição: Chego às três",
    );
  });

  it("names a document by its file name and passes the token to the browser's download", () => {
    iniciarSessao("tok 1", usuario, 3600);
    renderBolha(
      mensagem({
        tipo: "midia",
        tipo_conteudo: "document",
        texto: null,
        url_midia: "/api/midias/9f2c.pdf",
        conteudo: {
          tipo: "arquivo",
          nome_arquivo: "Orçamento março.pdf",
          mime_type: "application/pdf",
          arquivo: "9f2c.pdf",
          tamanho: 2048,
          caption: null,
          transcricao_status: null,
          transcricao_erro: null,
        },
      }),
    );
    const doc = screen.getByRole("link", { name: /Orçamento março\.pdf/ });
    expect(doc).toHaveAttribute("href", "/api/midias/9f2c.pdf?access_token=tok%201");
    expect(doc).toHaveAttribute("download", "Orçamento março.pdf");
  });

  it("names a contractor's document by its own name and shows its caption once", () => {
    iniciarSessao("tok", usuario, 3600);
    renderBolha(
      mensagem({
        direcao: "inbound",
        tipo: "recebida",
        tipo_conteudo: "document",
        texto: "Nota fiscal",
        caption: "Nota fiscal",
        url_midia: "/api/midias/4b1d.pdf",
        conteudo: {
          tipo: "midia",
          push_name: "Carlos",
          nome_arquivo: "nota-fiscal-1234.pdf",
          midia_status: "pronta",
          transcricao_status: null,
          transcricao_erro: null,
        },
      }),
    );
    const doc = screen.getByRole("link", { name: /nota-fiscal-1234\.pdf/ });
    expect(doc).toHaveAttribute("download", "nota-fiscal-1234.pdf");
    expect(screen.getAllByText("Nota fiscal")).toHaveLength(1);
  });

  it("says when an inbound file is still downloading", () => {
    renderBolha(
      mensagem({
        direcao: "inbound",
        tipo_conteudo: "image",
        texto: null,
        url_midia: null,
        conteudo: {
          tipo: "midia",
          push_name: "Carlos",
          nome_arquivo: null,
          midia_status: "baixando",
          transcricao_status: null,
          transcricao_erro: null,
        },
      }),
    );
    expect(screen.getByText("Recebendo imagem…")).toBeInTheDocument();
  });

  it("labels automatic messages and keeps line breaks", () => {
    renderBolha(mensagem({ tipo: "cobranca", texto: "Olá!\nAlguma novidade?" }));
    expect(screen.getByText("Cobrança")).toBeInTheDocument();
    expect(screen.getByText(/Alguma novidade\?/).textContent).toBe("Olá!\nAlguma novidade?");
  });
});

describe("Bolha: replies, reactions, edits and deletes", () => {
  const citadaDoTerceirizado = {
    id: 3,
    chamado_id: 7,
    direcao: "inbound" as const,
    tipo_conteudo: "text" as const,
    texto: "Segue o *orçamento* da troca do compressor, com a mão de obra e as peças incluídas",
    apagada: false,
  };

  it("shows the quote of a reply at the top, naming the contractor, and goes to it", async () => {
    const onIrParaCitada = vi.fn();
    render(
      <ol>
        <Bolha
          mensagem={mensagem({ id: 9, texto: "Aprovado!", citada: citadaDoTerceirizado })}
          nomeTerceirizado="Carlos Pereira"
          acoes={{ onIrParaCitada }}
        />
      </ol>,
    );
    const citacao = screen.getByRole("button", { name: /^Citação de Carlos Pereira: / });
    expect(citacao).toHaveTextContent(
      "Segue o orçamento da troca do compressor, com a mão de obra e as peças incluídas",
    );
    expect(citacao.querySelector(".citacao-texto")).not.toBeNull();
    // Above the reply's own text.
    const bolha = citacao.closest(".bolha") as HTMLElement;
    expect(bolha.firstElementChild).toBe(citacao);
    await userEvent.setup().click(citacao);
    expect(onIrParaCitada).toHaveBeenCalledWith(citadaDoTerceirizado);
  });

  it("names our own quoted messages 'Você', files by their kind and a deleted one as such", () => {
    render(
      <ol>
        <Bolha
          mensagem={mensagem({
            id: 1,
            direcao: "inbound",
            citada: { ...citadaDoTerceirizado, direcao: "outbound", texto: "Pode vir às 14h?" },
          })}
        />
        <Bolha
          mensagem={mensagem({
            id: 2,
            direcao: "inbound",
            citada: { ...citadaDoTerceirizado, tipo_conteudo: "image", texto: null },
          })}
          nomeTerceirizado="Carlos Pereira"
        />
        <Bolha
          mensagem={mensagem({
            id: 3,
            citada: { ...citadaDoTerceirizado, tipo_conteudo: "audio", texto: null },
          })}
        />
        <Bolha
          mensagem={mensagem({
            id: 4,
            citada: { ...citadaDoTerceirizado, tipo_conteudo: "image", texto: "Quadro *B*" },
          })}
        />
        <Bolha mensagem={mensagem({ id: 5, citada: { ...citadaDoTerceirizado, apagada: true } })} />
      </ol>,
    );
    const textos = [...document.querySelectorAll(".citacao")].map((c) => c.textContent);
    expect(textos).toEqual([
      "Citação de Você: Pode vir às 14h?",
      "Citação de Carlos Pereira: 📷 Foto",
      "Citação de Terceirizado: 🎤 Áudio",
      "Citação de Terceirizado: 📷 Quadro B",
      "Citação de Terceirizado: mensagem apagada",
    ]);
    expect(document.querySelector(".citacao-apagada")).toHaveTextContent("mensagem apagada");
    // Without somewhere to go, a quote is not a button.
    expect(screen.queryByRole("button", { name: /Citação/ })).toBeNull();
  });

  it("puts the contractor's reaction on the bubble's corner", () => {
    renderBolha(mensagem({ texto: "Confirma a visita amanhã?", reacao: "👍" }));
    const reacao = screen.getByRole("img", { name: "Reação do terceirizado: 👍" });
    expect(reacao).toHaveAttribute("title", "Reação do terceirizado");
    expect(reacao).toHaveTextContent("👍");
    expect(reacao.parentElement).toHaveClass("bolha", "bolha-com-reacao");
  });

  it("marks an edited message and shows its first text on hover and on click", async () => {
    renderBolha(
      mensagem({
        direcao: "inbound",
        tipo: "recebida",
        texto: "Chego às 15h",
        texto_original: "Chego às 14h",
        editada_em: "2026-03-10T13:05:00Z",
      }),
    );
    expect(screen.getByText("Chego às 15h")).toHaveClass("bolha-texto");
    const marca = screen.getByRole("button", { name: "editada: ver o texto original" });
    expect(marca).toHaveTextContent("editada");
    expect(marca).toHaveAttribute("title", "Original: Chego às 14h");
    expect(screen.queryByText("Chego às 14h")).toBeNull();
    const user = userEvent.setup();
    await user.click(marca);
    expect(marca).toHaveAttribute("aria-expanded", "true");
    expect(document.querySelector(".texto-original")).toHaveTextContent("Original: Chego às 14h");
    await user.click(marca);
    expect(document.querySelector(".texto-original")).toBeNull();
  });

  it("says a message was deleted by the contractor, and shows what it said on demand", async () => {
    renderBolha(
      mensagem({
        direcao: "inbound",
        tipo: "recebida",
        texto: "O valor é R$ 3.000",
        apagada_em: "2026-03-10T13:06:00Z",
      }),
    );
    const linha = screen.getByRole("listitem");
    expect(linha).toHaveAttribute("data-apagada", "true");
    expect(within(linha).getByText("🚫 Mensagem apagada pelo terceirizado").tagName).toBe("EM");
    expect(within(linha).queryByText("O valor é R$ 3.000")).toBeNull();
    const user = userEvent.setup();
    await user.click(within(linha).getByRole("button", { name: "ver original" }));
    expect(within(linha).getByText("O valor é R$ 3.000")).toBeInTheDocument();
    await user.click(within(linha).getByRole("button", { name: "ocultar original" }));
    expect(within(linha).queryByText("O valor é R$ 3.000")).toBeNull();
  });

  it("offers Responder and Mover beside a message, none on one still being sent", async () => {
    const onResponder = vi.fn();
    const onMover = vi.fn();
    const recebida = mensagem({ id: 4, direcao: "inbound", tipo: "recebida", texto: "Oi" });
    render(
      <ol>
        <Bolha mensagem={recebida} acoes={{ onResponder, onMover }} />
        <Bolha mensagem={mensagem({ id: -1 })} otimista acoes={{ onResponder, onMover }} />
      </ol>,
    );
    const [linha, otimista] = screen.getAllByRole("listitem") as [HTMLElement, HTMLElement];
    expect(within(otimista).queryByRole("button")).toBeNull();
    const user = userEvent.setup();
    await user.click(within(linha).getByRole("button", { name: "Responder" }));
    expect(onResponder).toHaveBeenCalledWith(recebida);
    await user.click(within(linha).getByRole("button", { name: "Opções da mensagem" }));
    expect(screen.getAllByRole("menuitem").map((i) => i.textContent)).toEqual([
      "Responder",
      "Mover para outro chamado…",
    ]);
    await user.click(screen.getByRole("menuitem", { name: "Mover para outro chamado…" }));
    expect(onMover).toHaveBeenCalledWith(recebida);
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

  it("shows ```mono``` as code, marks and line breaks inside kept as typed", () => {
    const { container } = render(<p>{formatarWhatsApp("Use ```ls *.txt\ncd``` agora")}</p>);
    expect(container.querySelector("code")?.textContent).toBe("ls *.txt\ncd");
    expect(container.querySelector("strong")).toBeNull();
    expect(container.textContent).toBe("Use ls *.txt\ncd agora");
  });

  it("formats an image's caption as WhatsApp does", () => {
    renderBolha(
      mensagem({
        tipo_conteudo: "image",
        texto: null,
        caption: "Quadro do *bloco B*",
        url_midia: "/api/midias/q.png",
      }),
    );
    expect(screen.getByText("bloco B").tagName).toBe("STRONG");
    // A screen reader reads the words, not the marks.
    expect(screen.getByRole("img", { name: "Quadro do bloco B" })).toBeInTheDocument();
  });

  it("leaves lone marks and marks inside words alone", () => {
    const { container } = render(<p>{formatarWhatsApp("2*3*4 e snake_case_name e * solto")}</p>);
    expect(container.querySelector("strong, em")).toBeNull();
  });
});
