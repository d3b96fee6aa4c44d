import { describe, expect, it } from "vitest";
import { usuario } from "../test/dados";
import { iniciarSessao } from "./session";
import { ApiError, erroDaResposta, lerJson, urlComToken } from "./http";

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

it("lerJson reads JSON, and gives null for an empty or non-JSON body", () => {
  expect(lerJson('{"a":1}')).toEqual({ a: 1 });
  expect(lerJson("")).toBeNull();
  expect(lerJson("<html>502</html>")).toBeNull();
});

it("urlComToken adds the session's token to the API's file URLs only", () => {
  expect(urlComToken("/api/midias/x.png")).toBe("/api/midias/x.png");
  iniciarSessao("tok 1", usuario, 3600);
  expect(urlComToken("/api/midias/x.png")).toBe("/api/midias/x.png?access_token=tok%201");
  expect(urlComToken("/api/midias/x.png?v=2")).toBe("/api/midias/x.png?v=2&access_token=tok%201");
  expect(urlComToken("https://cdn.example/x.png")).toBe("https://cdn.example/x.png");
});
