import { describe, expect, it } from "vitest";
import {
  ACCEPT_ARQUIVOS,
  gerarId,
  montarBotoes,
  montarLista,
  tipoDoArquivo,
  validarArquivo,
  validarBotoes,
  validarLista,
  visiveis,
} from "./limites";

const MB = 1024 * 1024;

describe("gerarId", () => {
  it("makes ids from titles, without accents, unique", () => {
    const usados = new Set<string>();
    expect(gerarId("Aprovar orçamento", usados)).toBe("aprovar-orcamento");
    expect(gerarId("Aprovar Orçamento!", usados)).toBe("aprovar-orcamento-2");
    expect(gerarId("  ", usados)).toBe("opcao");
    expect(gerarId("🙂", usados)).toBe("opcao-2");
    expect(gerarId("x".repeat(80), usados)).toHaveLength(40);
  });
});

describe("validarBotoes", () => {
  const base = { texto: "Podemos agendar?", rodape: "", botoes: ["Sim", "Não"] };

  it("accepts up to 3 buttons and refuses a 4th", () => {
    expect(validarBotoes({ ...base, botoes: ["A", "B", "C"] })).toEqual({});
    expect(validarBotoes({ ...base, botoes: ["A", "B", "C", "D"] }).botoes).toBe(
      "No máximo 3 botões (limite do WhatsApp).",
    );
  });

  it("refuses a 21-character title, counting characters as the API does", () => {
    expect(validarBotoes({ ...base, botoes: ["x".repeat(20)] })).toEqual({});
    expect(validarBotoes({ ...base, botoes: ["x".repeat(21)] })["botoes.0.titulo"]).toBe(
      "Botão 1: no máximo 20 caracteres (tem 21).",
    );
    // An emoji is one character for WhatsApp, two UTF-16 units for JavaScript.
    expect(validarBotoes({ ...base, botoes: ["👍".repeat(20)] })).toEqual({});
    // Spaces around are trimmed, as the API does.
    expect(validarBotoes({ ...base, botoes: [` ${"x".repeat(20)} `] })).toEqual({});
  });

  it("checks the body and footer limits and repeated titles", () => {
    const erros = validarBotoes({
      texto: "t".repeat(1025),
      rodape: "r".repeat(61),
      botoes: ["Sim", "sim "],
    });
    expect(erros.texto).toBe("Texto: no máximo 1024 caracteres (tem 1025).");
    expect(erros.rodape).toBe("Rodapé: no máximo 60 caracteres (tem 61).");
    expect(erros["botoes.1.titulo"]).toBe("Botão 2: igual ao botão 1.");
  });

  it("hides empty-field errors until a submit was tried", () => {
    const erros = validarBotoes({ texto: "", rodape: "", botoes: ["", "x".repeat(21)] });
    expect(Object.keys(visiveis(erros, false))).toEqual(["botoes.1.titulo"]);
    expect(Object.keys(visiveis(erros, true)).sort()).toEqual([
      "botoes.0.titulo",
      "botoes.1.titulo",
      "texto",
    ]);
  });

  it("builds the request with ids made from the titles", () => {
    expect(montarBotoes({ texto: " Pode? ", rodape: "", botoes: ["Sim, hoje", "Não"] })).toEqual({
      texto: "Pode?",
      rodape: "",
      botoes: [
        { id: "sim-hoje", titulo: "Sim, hoje" },
        { id: "nao", titulo: "Não" },
      ],
    });
  });
});

describe("validarLista", () => {
  const linha = (titulo: string, descricao = "") => ({ titulo, descricao });
  const base = {
    texto: "Escolha o horário",
    botao: "Ver horários",
    titulo: "",
    descricao: "",
    secoes: [{ titulo: "Manhã", linhas: [linha("8h"), linha("10h")] }],
  };

  it("accepts a valid list", () => {
    expect(validarLista(base)).toEqual({});
  });

  it("refuses more than 10 rows in total and more than 10 sections", () => {
    const onze = {
      ...base,
      secoes: [
        { titulo: "A", linhas: Array.from({ length: 6 }, (_, i) => linha(`a${i}`)) },
        { titulo: "B", linhas: Array.from({ length: 5 }, (_, i) => linha(`b${i}`)) },
      ],
    };
    expect(validarLista(onze).linhas).toBe("No máximo 10 linhas no total da lista (há 11).");
    const secoes = Array.from({ length: 11 }, (_, i) => ({ titulo: `S${i}`, linhas: [] }));
    expect(validarLista({ ...base, secoes }).secoes).toBe(
      "No máximo 10 seções (limite do WhatsApp).",
    );
  });

  it("checks row title 24, row description 72, section title 24, button 20, header 60", () => {
    const erros = validarLista({
      texto: "ok",
      botao: "b".repeat(21),
      titulo: "h".repeat(61),
      descricao: "",
      secoes: [{ titulo: "s".repeat(25), linhas: [linha("l".repeat(25), "d".repeat(73))] }],
    });
    expect(erros.botao).toBe("Texto do botão: no máximo 20 caracteres (tem 21).");
    expect(erros.titulo).toBe("Cabeçalho: no máximo 60 caracteres (tem 61).");
    expect(erros["secoes.0.titulo"]).toBe("Seção 1: no máximo 24 caracteres (tem 25).");
    expect(erros["secoes.0.linhas.0.titulo"]).toBe(
      "Seção 1, linha 1, título: no máximo 24 caracteres (tem 25).",
    );
    expect(erros["secoes.0.linhas.0.descricao"]).toBe(
      "Seção 1, linha 1, descrição: no máximo 72 caracteres (tem 73).",
    );
  });

  it("gives rows unique ids across sections", () => {
    const lista = montarLista({
      ...base,
      secoes: [
        { titulo: "Manhã", linhas: [linha("Sábado", "8h às 12h")] },
        { titulo: "Tarde", linhas: [linha("Sábado")] },
      ],
    });
    expect(lista.secoes.flatMap((s) => s.linhas.map((l) => l.id))).toEqual(["sabado", "sabado-2"]);
    expect(lista.secoes[0]?.linhas[0]).toEqual({
      id: "sabado",
      titulo: "Sábado",
      descricao: "8h às 12h",
    });
  });
});

describe("arquivos", () => {
  it("accepts WhatsApp's types in the file picker", () => {
    for (const tipo of [".jpg", ".png", ".mp3", ".ogg", ".aac", ".amr", ".m4a", ".mp4", ".3gp"]) {
      expect(ACCEPT_ARQUIVOS.split(",")).toContain(tipo);
    }
    for (const tipo of [".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".txt"]) {
      expect(ACCEPT_ARQUIVOS.split(",")).toContain(tipo);
    }
  });

  it("refuses other types, empty files and files over the limit of their type", () => {
    expect(validarArquivo({ name: "foto.png", type: "image/png", size: 5 * MB })).toBeNull();
    expect(validarArquivo({ name: "foto.png", type: "image/png", size: 5 * MB + 1 })).toBe(
      "Arquivo grande demais (5 MB). Aceito: Imagem JPEG ou PNG até 5 MB.",
    );
    expect(validarArquivo({ name: "nota.pdf", type: "", size: 90 * MB })).toBeNull();
    expect(validarArquivo({ name: "video.mp4", type: "video/mp4", size: 17 * MB })).toMatch(
      /grande demais/,
    );
    expect(
      validarArquivo({ name: "setup.exe", type: "application/x-msdownload", size: 10 }),
    ).toMatch(/não aceito/);
    expect(validarArquivo({ name: "vazio.txt", type: "text/plain", size: 0 })).toBe(
      "O arquivo está vazio.",
    );
    expect(tipoDoArquivo({ name: "AUDIO.M4A", type: "" })?.categoria).toBe("audio");
  });
});
