import { describe, expect, it } from "vitest";
import { stubFetch } from "../test/utils";
import { usuario } from "../test/dados";
import { ApiError, api, erroDaResposta, montarUrl } from "./http";
import { getSessao, iniciarSessao, motivoDoFim } from "./session";

describe("erroDaResposta", () => {
  it("maps a 422 list to messages per field, without pydantic's prefix", () => {
    const erro = erroDaResposta(422, {
      error: "dados_invalidos",
      detail: [
        { loc: ["body", "telefone"], msg: "Value error, DDD 00 não existe", type: "value_error" },
        { loc: ["body", "nome"], msg: "String should have at least 1 character", type: "x" },
      ],
    });
    expect(erro).toBeInstanceOf(ApiError);
    expect(erro.status).toBe(422);
    expect(erro.campos).toEqual({
      telefone: "DDD 00 não existe",
      nome: "String should have at least 1 character",
    });
    expect(erro.message).toContain("telefone: DDD 00 não existe");
  });

  it("uses a string detail as the message", () => {
    const erro = erroDaResposta(409, {
      error: "conflito",
      detail: "o chamado CH-1 já está concluido",
    });
    expect(erro.code).toBe("conflito");
    expect(erro.message).toBe("o chamado CH-1 já está concluido");
  });

  it("falls back to a pt-BR message when the body is not ours", () => {
    expect(erroDaResposta(502, null).message).toMatch(/servidor/);
  });
});

describe("api", () => {
  it("sends the bearer token and drops empty query values", async () => {
    iniciarSessao("tok-123", usuario, 3600);
    const { chamadas } = stubFetch({
      "GET /api/chamados": { body: { items: [], next_cursor: null } },
    });
    await api("/api/chamados", { query: { status: "aguardando", cursor: null, busca: "" } });
    expect(chamadas[0]?.headers.Authorization).toBe("Bearer tok-123");
    expect(chamadas[0]?.url.search).toBe("?status=aguardando");
  });

  it("ends the session as expired on a 401", async () => {
    iniciarSessao("velho", usuario, 3600);
    stubFetch({
      "GET /api/auth/me": {
        status: 401,
        body: { error: "nao_autenticado", detail: "token inválido ou expirado" },
      },
    });
    await expect(api("/api/auth/me")).rejects.toMatchObject({ status: 401 });
    expect(getSessao()).toBeNull();
    expect(motivoDoFim()).toBe("expirada");
  });

  it("keeps the session when the login itself answers 401", async () => {
    iniciarSessao("atual", usuario, 3600);
    stubFetch({
      "POST /api/auth/login": {
        status: 401,
        body: { error: "nao_autenticado", detail: "e-mail ou senha incorretos" },
      },
    });
    await expect(
      api("/api/auth/login", { method: "POST", body: {}, autenticado: false }),
    ).rejects.toThrow("e-mail ou senha incorretos");
    expect(getSessao()?.token).toBe("atual");
  });
});

it("montarUrl encodes values", () => {
  expect(montarUrl("/api/conversas", { busca: "ar cond", ativo: false })).toBe(
    "/api/conversas?busca=ar+cond&ativo=false",
  );
});
