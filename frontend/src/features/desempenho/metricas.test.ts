import { describe, expect, it } from "vitest";
import { placar } from "./dadosDeTeste";
import {
  ORDEM_PADRAO,
  formatarMinutos,
  formatarValor,
  ordenar,
  passoMinutos,
  proximaOrdem,
  valorDe,
} from "./metricas";
import { METRICAS } from "./dadosDeTeste";

describe("formatarMinutos", () => {
  it.each<[number | null, string]>([
    [null, "—"],
    [0.4, "< 1 min"],
    [1, "1 min"],
    [44.6, "45 min"],
    [59.4, "59 min"],
    [60, "1h"],
    [80, "1h 20min"],
    [1440, "24h"],
    [3000.2, "50h"],
    [61_000, "1.016h 40min"],
  ])("%s min reads %s", (minutos, texto) => {
    expect(formatarMinutos(minutos)).toBe(texto);
  });
});

describe("formatarValor", () => {
  it("writes each unit the pt-BR way, and no figure as a dash", () => {
    expect(formatarValor(0.75, "fracao")).toBe("75,0 %");
    expect(formatarValor(0, "fracao")).toBe("0,0 %");
    expect(formatarValor(1.25, "por_chamado")).toBe("1,3");
    expect(formatarValor(0, "por_chamado")).toBe("0,0");
    expect(formatarValor(1234, "numero")).toBe("1.234");
    expect(formatarValor(80, "min")).toBe("1h 20min");
    for (const unidade of ["fracao", "por_chamado", "numero", "min"] as const) {
      expect(formatarValor(null, unidade)).toBe("—");
    }
  });
});

describe("ordenar", () => {
  const itens = [
    placar({ terceirizado_id: 1, nome: "Zeta", resposta_mediana_min: 30 }),
    placar({ terceirizado_id: 2, nome: "alfa", resposta_mediana_min: null }),
    placar({ terceirizado_id: 3, nome: "Beta", resposta_mediana_min: 10 }),
    placar({ terceirizado_id: 4, nome: "Ácido", resposta_mediana_min: 30 }),
  ];
  const nomes = (lista: typeof itens) => lista.map((p) => p.nome);

  it("sorts by name by default, ignoring case and accents", () => {
    expect(nomes(ordenar(itens, ORDEM_PADRAO))).toEqual(["Ácido", "alfa", "Beta", "Zeta"]);
    expect(nomes(ordenar(itens, { chave: "nome", direcao: "desc" }))).toEqual([
      "Zeta",
      "Beta",
      "alfa",
      "Ácido",
    ]);
  });

  it("keeps the figures it cannot tell last both ways, ties by name", () => {
    const chave = "resposta_mediana_min";
    expect(nomes(ordenar(itens, { chave, direcao: "asc" }))).toEqual([
      "Beta",
      "Ácido",
      "Zeta",
      "alfa",
    ]);
    expect(nomes(ordenar(itens, { chave, direcao: "desc" }))).toEqual([
      "Ácido",
      "Zeta",
      "Beta",
      "alfa",
    ]);
  });

  it("does not touch the list it was given", () => {
    const copia = [...itens];
    ordenar(itens, { chave: "resposta_mediana_min", direcao: "asc" });
    expect(itens).toEqual(copia);
  });
});

describe("proximaOrdem", () => {
  const metrica = (chave: string) => METRICAS.find((m) => m.chave === chave);

  it("puts the best first on the first click, then turns it around", () => {
    const tempo = proximaOrdem(
      ORDEM_PADRAO,
      "resposta_mediana_min",
      metrica("resposta_mediana_min"),
    );
    expect(tempo).toEqual({ chave: "resposta_mediana_min", direcao: "asc" });
    expect(proximaOrdem(tempo, "resposta_mediana_min")).toEqual({
      chave: "resposta_mediana_min",
      direcao: "desc",
    });
    expect(proximaOrdem(tempo, "lidas", metrica("lidas"))).toEqual({
      chave: "lidas",
      direcao: "desc",
    });
    expect(proximaOrdem(ORDEM_PADRAO, "nome")).toEqual({ chave: "nome", direcao: "desc" });
  });
});

describe("valorDe", () => {
  it("reads a figure by the API's key; anything else is no figure", () => {
    expect(valorDe(placar(), "lidas")).toBe(0.9);
    expect(valorDe(placar(), "aprovacao_orcamentos")).toBeNull();
    expect(valorDe(placar(), "nome")).toBeNull();
    expect(valorDe(placar(), "nao_existe")).toBeNull();
  });
});

describe("passoMinutos", () => {
  it("steps a minutes axis by round times, about six ticks", () => {
    expect(passoMinutos(0)).toBe(1);
    expect(passoMinutos(28)).toBe(5);
    expect(passoMinutos(35)).toBe(10);
    expect(passoMinutos(300)).toBe(60);
    expect(passoMinutos(1000)).toBe(240);
    expect(passoMinutos(50_000)).toBe(8640);
  });
});
