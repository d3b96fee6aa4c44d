import { describe, expect, it } from "vitest";
import { mensagem } from "../test/dados";
import { CITACAO_MAX, autorCitacao, citacaoDe, resumoCitacao } from "./mensagens";
import type { Citacao } from "./types";

const citada = (parcial: Partial<Citacao>): Citacao => ({
  id: 3,
  chamado_id: 7,
  direcao: "inbound",
  tipo_conteudo: "text",
  texto: "Segue o orçamento",
  apagada: false,
  ...parcial,
});

describe("resumoCitacao", () => {
  it("reads the text without WhatsApp's marks, and names a file by its kind", () => {
    expect(resumoCitacao(citada({ texto: "Segue o *orçamento*" }))).toBe("Segue o orçamento");
    expect(resumoCitacao(citada({ tipo_conteudo: "image", texto: null }))).toBe("📷 Foto");
    expect(resumoCitacao(citada({ tipo_conteudo: "image", texto: "Quadro" }))).toBe("📷 Quadro");
    expect(resumoCitacao(citada({ tipo_conteudo: "audio", texto: null }))).toBe("🎤 Áudio");
    expect(resumoCitacao(citada({ tipo_conteudo: "video", texto: null }))).toBe("🎬 Vídeo");
    expect(resumoCitacao(citada({ tipo_conteudo: "document", texto: null }))).toBe("📄 Documento");
    expect(resumoCitacao(citada({ apagada: true }))).toBe("mensagem apagada");
  });
});

describe("citacaoDe", () => {
  it("quotes a message on screen as the server would, its text cut to the limit", () => {
    const longa = "a".repeat(CITACAO_MAX + 50);
    expect(citacaoDe(mensagem({ id: 5, texto: longa }))).toEqual({
      id: 5,
      chamado_id: 7,
      direcao: "outbound",
      tipo_conteudo: "text",
      texto: "a".repeat(CITACAO_MAX),
      apagada: false,
    });
    const foto = mensagem({ tipo_conteudo: "image", texto: null, caption: "Quadro" });
    expect(citacaoDe(foto).texto).toBe("Quadro");
    expect(citacaoDe(mensagem({ apagada_em: "2026-03-10T13:00:00Z" })).apagada).toBe(true);
  });

  it("names us 'Você' and the contractor by name", () => {
    expect(autorCitacao(citada({ direcao: "outbound" }), "Carlos")).toBe("Você");
    expect(autorCitacao(citada({}), "Carlos")).toBe("Carlos");
    expect(autorCitacao(citada({}))).toBe("Terceirizado");
  });
});
