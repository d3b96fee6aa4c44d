import { describe, expect, it } from "vitest";
import { METRICAS, detalhe } from "./dadosDeTeste";
import {
  atalhoDe,
  comAtalho,
  comDatas,
  lerPeriodo,
  periodoDeDias,
  somarDias,
  textoPeriodo,
} from "./periodo";
import { dadosDaSerie, semanasAte } from "./serie";

const HOJE = "2026-03-30";
const ler = (busca: string) => lerPeriodo(new URLSearchParams(busca), HOJE);

describe("period in the URL", () => {
  it("defaults to the 30 days to today, like the API", () => {
    expect(ler("")).toEqual({ de: "2026-03-01", ate: HOJE });
    expect(atalhoDe(ler(""), HOJE)).toBe(30);
  });

  it("reads the chips as days relative to today", () => {
    expect(ler("dias=7")).toEqual({ de: "2026-03-24", ate: HOJE });
    expect(ler("dias=90")).toEqual({ de: "2025-12-31", ate: HOJE });
    expect(ler("dias=12")).toEqual(ler(""));
    expect(atalhoDe(ler("dias=90"), HOJE)).toBe(90);
  });

  it("reads fixed dates before the chips, and ignores malformed ones", () => {
    expect(ler("dias=7&de=2026-01-01&ate=2026-01-31")).toEqual({
      de: "2026-01-01",
      ate: "2026-01-31",
    });
    expect(atalhoDe(ler("de=2026-01-01&ate=2026-01-31"), HOJE)).toBeNull();
    expect(ler("ate=2026-02-28")).toEqual({ de: "2026-01-30", ate: "2026-02-28" });
    expect(ler("de=2026-02-30")).toEqual(ler(""));
    expect(ler("de=ontem&ate=31/01/2026")).toEqual(ler(""));
  });

  it("writes a chip as relative days and dates as both ends, keeping the other filters", () => {
    const params = new URLSearchParams("de=2026-01-01&ate=2026-01-31&prioridade=alta");
    expect(comAtalho(params, 7).toString()).toBe("prioridade=alta&dias=7");
    expect(comAtalho(params, 30).toString()).toBe("prioridade=alta");
    expect(
      comDatas(new URLSearchParams("dias=7&local=B"), {
        de: "2026-03-02",
        ate: "2026-03-09",
      }).toString(),
    ).toBe("local=B&de=2026-03-02&ate=2026-03-09");
  });

  it("counts days across months and years", () => {
    expect(somarDias("2026-03-01", -1)).toBe("2026-02-28");
    expect(somarDias("2025-12-31", 1)).toBe("2026-01-01");
    expect(periodoDeDias(7, "2026-01-03")).toEqual({ de: "2025-12-28", ate: "2026-01-03" });
    expect(textoPeriodo({ de: "2026-03-01", ate: HOJE })).toBe("de 01/03/2026 a 30/03/2026");
  });
});

describe("the detail's weekly chart", () => {
  const metrica = (chave: string) => METRICAS.find((m) => m.chave === chave)!;

  it("spans every week of the 90 days to `ate`, Mondays first", () => {
    const semanas = semanasAte(HOJE);
    expect(semanas[0]).toBe("2025-12-29");
    expect(semanas.at(-1)).toBe(HOJE);
    expect(semanas).toHaveLength(14);
    expect(new Set(semanas.map((s) => new Date(`${s}T12:00`).getDay()))).toEqual(new Set([1]));
  });

  it("plots the chosen figure, weeks with no chamado as gaps (or 0 for counts)", () => {
    const d = detalhe();
    const tempo = dadosDaSerie(d.serie, metrica("resposta_mediana_min"), d.ate);
    expect(tempo.rotulos).toHaveLength(14);
    expect(tempo.rotulos.slice(0, 3)).toEqual(["29/12", "05/01", "12/01"]);
    expect(tempo.valores[1]).toBe(30);
    expect(tempo.valores[7]).toBe(50);
    // 23/03 had chamados but no answer: a gap, like the weeks with no chamado.
    expect(tempo.valores[12]).toBeNull();
    expect(tempo.valores.filter((v) => v !== null)).toEqual([30, 50]);

    const chamados = dadosDaSerie(d.serie, metrica("chamados"), d.ate);
    expect(chamados.valores).toEqual([0, 3, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 4, 0]);
  });

  it("plots fractions as percent", () => {
    const d = detalhe();
    const lidas = dadosDaSerie(d.serie, metrica("lidas"), d.ate);
    expect(lidas.valores.filter((v) => v !== null)).toEqual([100, 80, 75.5]);
  });
});
