import { describe, expect, it } from "vitest";
import { semFormatacao, trechosWhatsApp } from "./whatsapp";

describe("trechosWhatsApp", () => {
  it("reads bold, italic, strike, inline and block mono in order", () => {
    expect(trechosWhatsApp("*CH-1* _já_ ~não~ `x` ```a *b*\nc```!")).toEqual([
      { texto: "CH-1", marca: "negrito" },
      { texto: " " },
      { texto: "já", marca: "italico" },
      { texto: " " },
      { texto: "não", marca: "riscado" },
      { texto: " " },
      { texto: "x", marca: "mono" },
      { texto: " " },
      { texto: "a *b*\nc", marca: "mono" },
      { texto: "!" },
    ]);
  });

  it("leaves lone marks and marks glued to words as text", () => {
    expect(trechosWhatsApp("2*3*4 e snake_case_name e * solto")).toEqual([
      { texto: "2*3*4 e snake_case_name e * solto" },
    ]);
  });
});

describe("semFormatacao", () => {
  it("drops the marks for a preview and keeps everything else", () => {
    expect(semFormatacao("Chamado *CH-2026-0001* aberto: _urgente_")).toBe(
      "Chamado CH-2026-0001 aberto: urgente",
    );
    expect(semFormatacao("```código```")).toBe("código");
    expect(semFormatacao("2*3*4 = 24")).toBe("2*3*4 = 24");
  });
});
