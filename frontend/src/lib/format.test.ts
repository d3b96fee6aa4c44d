import { describe, expect, it } from "vitest";
import {
  formatarDiaHora,
  formatarDuracao,
  formatarHoraOuDia,
  formatarMoeda,
  formatarPercentual,
  formatarTamanho,
  formatarTelefone,
  formatarTelefoneNacional,
  formatarTelefonesNoTexto,
  isoParaLocal,
  lerValor,
  localParaIso,
  rotuloDia,
  cronometroPrazo,
} from "./format";

describe("localParaIso", () => {
  it("keeps the wall-clock time and adds the browser's offset", () => {
    const iso = localParaIso("2026-03-12T14:30");
    expect(iso).toMatch(/^2026-03-12T14:30:00[+-]\d{2}:\d{2}$/);
    // Same instant as the browser reads the local value.
    expect(new Date(iso ?? "").getTime()).toBe(new Date("2026-03-12T14:30").getTime());
  });

  it("answers null for an empty or broken value", () => {
    expect(localParaIso("")).toBeNull();
    expect(localParaIso("amanhã")).toBeNull();
  });

  it("round-trips with isoParaLocal", () => {
    expect(isoParaLocal(localParaIso("2026-12-01T08:05"))).toBe("2026-12-01T08:05");
  });
});

describe("formatarDiaHora and formatarHoraOuDia", () => {
  const agora = new Date(2026, 2, 12, 10, 0);

  it("write the day and month with the time, in the browser's zone", () => {
    expect(formatarDiaHora(new Date(2026, 2, 9, 8, 5).toISOString())).toBe("09/03 08:05");
    expect(formatarDiaHora(new Date(2026, 11, 31, 23, 59).toISOString())).toBe("31/12 23:59");
  });

  it("leave the day out for a moment of today", () => {
    expect(formatarHoraOuDia(new Date(2026, 2, 12, 10, 32).toISOString(), agora)).toBe("10:32");
    expect(formatarHoraOuDia(new Date(2026, 2, 11, 10, 32).toISOString(), agora)).toBe(
      "11/03 10:32",
    );
  });
});

describe("rotuloDia", () => {
  const agora = new Date(2026, 2, 12, 10, 0);
  it("says Hoje and Ontem", () => {
    expect(rotuloDia(new Date(2026, 2, 12, 0, 5).toISOString(), agora)).toBe("Hoje");
    expect(rotuloDia(new Date(2026, 2, 11, 23, 59).toISOString(), agora)).toBe("Ontem");
  });
  it("names the weekday within a week, then the date", () => {
    expect(rotuloDia(new Date(2026, 2, 9, 12).toISOString(), agora)).toBe("Segunda-feira");
    expect(rotuloDia(new Date(2026, 0, 5, 12).toISOString(), agora)).toBe("5 de janeiro de 2026");
  });
});

it("formats durations and phones for people", () => {
  expect(formatarDuracao(null)).toBe("—");
  expect(formatarDuracao(42)).toBe("42 s");
  expect(formatarDuracao(125 * 60)).toBe("2 h 5 min");
  expect(formatarTelefone("5511987654321")).toBe("+55 (11) 98765-4321");
  expect(formatarTelefone("553132221100")).toBe("+55 (31) 3222-1100");
});

describe("valores", () => {
  it("reads amounts as operators type them", () => {
    expect(lerValor("1500")).toBe("1500.00");
    expect(lerValor("1.500,5")).toBe("1500.50");
    expect(lerValor("R$ 1.500,00")).toBe("1500.00");
    expect(lerValor("1.500")).toBe("1500.00");
    expect(lerValor("1500.75")).toBe("1500.75");
    expect(lerValor("0")).toBeNull();
    expect(lerValor("1,234")).toBeNull();
    expect(lerValor("dez")).toBeNull();
  });

  it("formats reais and file sizes", () => {
    expect(formatarMoeda("1500.00").replace(/\s/g, " ")).toBe("R$ 1.500,00");
    expect(formatarMoeda(null)).toBe("—");
    expect(formatarTamanho(512)).toBe("512 B");
    expect(formatarTamanho(820 * 1024)).toBe("820 KB");
    expect(formatarTamanho(4.8 * 1024 * 1024)).toBe("4,8 MB");
  });
});

describe("formatarPercentual", () => {
  it("writes a fraction as pt-BR does, one decimal and a spaced sign", () => {
    expect(formatarPercentual(0.25)).toBe("25,0 %");
    expect(formatarPercentual(0)).toBe("0,0 %");
    expect(formatarPercentual(0.025)).toBe("2,5 %");
    expect(formatarPercentual(1)).toBe("100,0 %");
  });
});

describe("formatarTelefoneNacional", () => {
  it("writes a stored number as people type it and leaves anything else alone", () => {
    expect(formatarTelefoneNacional("5511912345678")).toBe("(11) 91234-5678");
    expect(formatarTelefoneNacional("551132345678")).toBe("(11) 3234-5678");
    expect(formatarTelefoneNacional("(11) 9123")).toBe("(11) 9123");
  });

  it("rewrites the numbers inside an API message, not other digits", () => {
    expect(
      formatarTelefonesNoTexto("o telefone 5511912345678 já pertence ao terceirizado 12"),
    ).toBe("o telefone (11) 91234-5678 já pertence ao terceirizado 12");
    expect(formatarTelefonesNoTexto("pedido 155119123456789")).toBe("pedido 155119123456789");
  });
});

describe("cronometroPrazo", () => {
  const agora = new Date("2026-03-10T13:00:00Z");
  it("says how late, how soon within a day, and nothing further away", () => {
    expect(cronometroPrazo("2026-03-10T10:00:00Z", agora)).toEqual({
      texto: "atrasado 3h",
      atrasado: true,
    });
    expect(cronometroPrazo("2026-03-10T14:20:00Z", agora)).toEqual({
      texto: "vence em 1h20",
      atrasado: false,
    });
    expect(cronometroPrazo("2026-03-10T13:45:00Z", agora)?.texto).toBe("vence em 45 min");
    expect(cronometroPrazo("2026-03-08T13:00:00Z", agora)?.texto).toBe("atrasado 2 dias");
    expect(cronometroPrazo("2026-03-12T13:00:00Z", agora)).toBeNull();
    expect(cronometroPrazo(null, agora)).toBeNull();
  });
});
