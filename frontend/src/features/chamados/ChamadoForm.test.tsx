import { describe, expect, it } from "vitest";
import type { Chamado } from "../../lib/types";
import { validar, valoresDe } from "./ChamadoForm";
import { mudancas } from "./ChamadoPage";

const chamado: Chamado = {
  id: 4,
  numero_chamado: "CH-2026-0004",
  terceirizado_id: 2,
  terceirizado: { id: 2, nome: "Ana", empresa: null, telefone: "5521998765432" },
  titulo: "Troca de disjuntor",
  descricao: null,
  local: null,
  status: "aguardando",
  prioridade: "normal",
  prazo_combinado: null,
  atrasado: false,
  criado_por: 1,
  criado_em: "2026-03-01T10:00:00Z",
  atualizado_em: "2026-03-01T10:00:00Z",
  finalizado_em: null,
  ultima_atividade_em: "2026-03-01T10:00:00Z",
  valor_orcamento: null,
  visita_em: null,
};

describe("validar", () => {
  const agora = new Date(2026, 2, 10, 12, 0);
  it("requires a contractor and a title of 3+ characters for a new chamado", () => {
    const erros = validar({ ...valoresDe(), titulo: "ab" }, true, agora);
    expect(erros.terceirizado_id).toBe("Escolha o terceirizado.");
    expect(erros.titulo).toMatch(/3 caracteres/);
  });
  it("wants the deadline in the future", () => {
    const v = {
      ...valoresDe(),
      terceirizado_id: 1,
      titulo: "Vazamento",
      prazo: "2026-03-10T11:00",
    };
    expect(validar(v, true, agora).prazo_combinado).toBe("O prazo precisa estar no futuro.");
    expect(validar({ ...v, prazo: "2026-03-11T09:00" }, true, agora)).toEqual({});
  });
});

describe("the chamado's local", () => {
  it("is optional, up to 120 characters", () => {
    const v = { ...valoresDe(), terceirizado_id: 1, titulo: "Vazamento" };
    expect(validar({ ...v, local: "" }, true)).toEqual({});
    expect(validar({ ...v, local: "x".repeat(120) }, true)).toEqual({});
    expect(validar({ ...v, local: "x".repeat(121) }, true).local).toBe("No máximo 120 caracteres.");
  });

  it("is sent when it changed, trimmed, and cleared as null", () => {
    expect(mudancas(chamado, { ...valoresDe(chamado), local: "  Prédio 2  " })).toEqual({
      local: "Prédio 2",
    });
    const comLocal = { ...chamado, local: "Bloco B" };
    expect(valoresDe(comLocal).local).toBe("Bloco B");
    expect(mudancas(comLocal, { ...valoresDe(comLocal), local: " " })).toEqual({ local: null });
  });
});

describe("mudancas", () => {
  it("sends only the fields that changed, the deadline with its offset", () => {
    const v = { ...valoresDe(chamado), prioridade: "alta" as const, prazo: "2026-04-01T09:30" };
    const dados = mudancas(chamado, v);
    expect(Object.keys(dados).sort()).toEqual(["prazo_combinado", "prioridade"]);
    expect(dados.prazo_combinado).toMatch(/^2026-04-01T09:30:00[+-]\d{2}:\d{2}$/);
  });
  it("sends nothing when nothing changed", () => {
    expect(mudancas(chamado, valoresDe(chamado))).toEqual({});
  });
});
