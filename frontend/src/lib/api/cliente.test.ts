import { describe, expect, it, vi } from "vitest";
import { usuario } from "../../test/dados";
import { stubFetch } from "../../test/utils";
import { ApiError } from "../http";
import { getSessao, iniciarSessao, motivoDoFim } from "../session";
import { api, apiPublica, comArquivo, corpo, semCorpo, serializarQuery, urlDaApi } from "./cliente";

const PAGINA_VAZIA = { items: [], next_cursor: null };

describe("api (signed-in calls)", () => {
  it("sends the bearer token and JSON's Accept, and drops empty query values", async () => {
    iniciarSessao("tok-123", usuario, 3600);
    const { chamadas } = stubFetch({ "GET /api/conversas": { body: PAGINA_VAZIA } });
    await corpo(
      api.GET("/api/conversas", {
        params: { query: { status: "aguardando", cursor: null, busca: "" } },
      }),
    );
    expect(chamadas[0]?.headers.Authorization).toBe("Bearer tok-123");
    expect(chamadas[0]?.headers.Accept).toBe("application/json");
    expect(chamadas[0]?.url.search).toBe("?status=aguardando");
  });

  it("fills the path and sends a JSON body", async () => {
    iniciarSessao("tok", usuario, 3600);
    const { chamadas } = stubFetch({
      "POST /api/chamados/42/responder": { status: 201, body: { ok: true } },
    });
    await corpo(
      api.POST("/api/chamados/{chamado_id}/responder", {
        params: { path: { chamado_id: 42 } },
        body: { mensagem: "Bom dia" },
      }),
    );
    expect(chamadas[0]?.metodo).toBe("POST");
    expect(chamadas[0]?.headers["Content-Type"]).toBe("application/json");
    expect(chamadas[0]?.corpo).toEqual({ mensagem: "Bom dia" });
  });

  it("answers the body of a 2xx as it came", async () => {
    stubFetch({ "GET /api/auth/me": { body: usuario } });
    await expect(corpo(api.GET("/api/auth/me"))).resolves.toEqual(usuario);
  });

  it("ends the session as expired on a 401", async () => {
    iniciarSessao("velho", usuario, 3600);
    stubFetch({
      "GET /api/auth/me": {
        status: 401,
        body: { error: "nao_autenticado", detail: "token inválido ou expirado" },
      },
    });
    await expect(corpo(api.GET("/api/auth/me"))).rejects.toMatchObject({ status: 401 });
    expect(getSessao()).toBeNull();
    expect(motivoDoFim()).toBe("expirada");
  });

  it("turns an error body into ApiError with messages per field, keeping the session", async () => {
    iniciarSessao("tok", usuario, 3600);
    stubFetch({
      "POST /api/terceirizados": {
        status: 422,
        body: {
          error: "dados_invalidos",
          detail: [{ loc: ["body", "telefone"], msg: "Value error, DDD 00 não existe" }],
        },
      },
    });
    const erro: unknown = await corpo(
      api.POST("/api/terceirizados", { body: { nome: "Carlos", telefone: "00" } }),
    ).catch((e: unknown) => e);
    expect(erro).toBeInstanceOf(ApiError);
    expect(erro).toMatchObject({
      status: 422,
      code: "dados_invalidos",
      campos: { telefone: "DDD 00 não existe" },
    });
    expect(getSessao()?.token).toBe("tok");
  });

  it("falls back to a pt-BR message when the error body is not JSON", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response("<html>Bad gateway</html>", { status: 502 })),
    );
    await expect(corpo(api.GET("/api/auth/me"))).rejects.toMatchObject({
      status: 502,
      code: "http_502",
      message: "O servidor não conseguiu atender agora. Tente de novo em instantes.",
    });
  });

  it("turns a network failure into ApiError 0 sem_conexao", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => {
        throw new TypeError("Failed to fetch");
      }),
    );
    await expect(corpo(api.GET("/api/auth/me"))).rejects.toMatchObject({
      status: 0,
      code: "sem_conexao",
      message: "Sem conexão com o servidor. Verifique a rede.",
    });
  });

  it("leaves a cancelled request as an AbortError (TanStack Query cancels this way)", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => {
        throw new DOMException("The operation was aborted.", "AbortError");
      }),
    );
    await expect(corpo(api.GET("/api/auth/me"))).rejects.toMatchObject({ name: "AbortError" });
  });

  it("waits for an answer without a body (204)", async () => {
    iniciarSessao("tok", usuario, 3600);
    const { chamadas } = stubFetch({ "POST /api/auth/logout": { status: 204, body: undefined } });
    await expect(semCorpo(api.POST("/api/auth/logout"))).resolves.toBeUndefined();
    expect(chamadas[0]?.headers.Authorization).toBe("Bearer tok");
  });

  it("tells an empty 2xx where the spec promises a body", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response(null, { status: 200 })),
    );
    await expect(corpo(api.GET("/api/auth/me"))).rejects.toMatchObject({
      code: "resposta_invalida",
    });
  });
});

describe("apiPublica (no session: the login, the contractor's link)", () => {
  it("sends no token, and keeps the session when it answers 401", async () => {
    iniciarSessao("atual", usuario, 3600);
    const { chamadas } = stubFetch({
      "POST /api/auth/login": {
        status: 401,
        body: { error: "nao_autenticado", detail: "e-mail ou senha incorretos" },
      },
    });
    await expect(
      corpo(apiPublica.POST("/api/auth/login", { body: { email: "a@b.c", senha: "x" } })),
    ).rejects.toThrow("e-mail ou senha incorretos");
    expect(chamadas[0]?.headers.Authorization).toBeUndefined();
    expect(getSessao()?.token).toBe("atual");
  });

  it("encodes a path parameter", async () => {
    const { chamadas } = stubFetch({ "GET /api/prestador/a%2Fb": { body: {} } });
    await corpo(apiPublica.GET("/api/prestador/{token}", { params: { path: { token: "a/b" } } }));
    expect(chamadas).toHaveLength(1);
  });
});

describe("comArquivo", () => {
  it("sends the file with its name and the trimmed caption as multipart", async () => {
    iniciarSessao("tok", usuario, 3600);
    const { chamadas } = stubFetch({
      "POST /api/chamados/7/enviar-midia": { status: 201, body: { ok: true } },
    });
    const arquivo = new File(["%PDF"], "orcamento.pdf", { type: "application/pdf" });
    await corpo(
      api.POST("/api/chamados/{chamado_id}/enviar-midia", {
        params: { path: { chamado_id: 7 } },
        ...comArquivo(arquivo, "  Assinado  "),
      }),
    );
    const enviado = chamadas[0]?.corpo;
    expect(enviado).toBeInstanceOf(FormData);
    const formulario = enviado as FormData;
    const parte = formulario.get("arquivo") as File;
    expect(parte.name).toBe("orcamento.pdf");
    expect(await parte.text()).toBe("%PDF");
    expect(formulario.get("caption")).toBe("Assinado");
    expect(chamadas[0]?.headers["Content-Type"]).toMatch(/^multipart\/form-data; boundary=/);
  });

  it("leaves out an empty caption", () => {
    const { bodySerializer } = comArquivo(new File(["x"], "a.png"), "   ");
    const formulario = bodySerializer();
    expect(formulario.has("arquivo")).toBe(true);
    expect(formulario.has("caption")).toBe(false);
  });
});

describe("URLs the browser fetches by itself", () => {
  it("serializarQuery encodes values and leaves out empty ones", () => {
    expect(serializarQuery({ busca: "ar cond", ativo: false, status: null, cursor: "" })).toBe(
      "busca=ar+cond&ativo=false",
    );
  });

  it("urlDaApi fills the path and the query like the client", () => {
    expect(
      urlDaApi("get", "/api/eventos", { query: { access_token: "t k", last_event_id: null } }),
    ).toBe("/api/eventos?access_token=t+k");
    expect(urlDaApi("post", "/api/prestador/{token}/arquivos", { path: { token: "a/b" } })).toBe(
      "/api/prestador/a%2Fb/arquivos",
    );
  });
});
