import { beforeEach, describe, expect, it, vi } from "vitest";
import { usuario } from "../test/dados";
import { type ArquivoSalvo, stubDownload } from "../test/download";
import { baixarArquivo, nomeDoArquivo } from "./baixar";
import { ApiError, SEM_CONEXAO } from "./http";
import { getSessao, iniciarSessao, motivoDoFim } from "./session";

describe("nomeDoArquivo", () => {
  it.each<[string | null, string]>([
    [null, "padrao.csv"],
    ["attachment", "padrao.csv"],
    ['attachment; filename="chamados-2026-03-30-1405.csv"', "chamados-2026-03-30-1405.csv"],
    ["attachment; filename=desempenho.xlsx", "desempenho.xlsx"],
    // The encoded name (accents) wins over the plain one, whatever the order.
    [
      "attachment; filename=\"transcricao.pdf\"; filename*=UTF-8''transcri%C3%A7%C3%A3o%20CH-7.pdf",
      "transcrição CH-7.pdf",
    ],
    ["attachment; filename*=utf-8''relat%C3%B3rio.csv", "relatório.csv"],
    ['attachment; filename="a \\"b\\".csv"', 'a "b".csv'],
    // No folders: only the name.
    ['attachment; filename="../../etc/passwd"', "passwd"],
    ['attachment; filename=""', "padrao.csv"],
    ["attachment; filename*=UTF-8''%E0%A4%A.csv; filename=plano-b.csv", "plano-b.csv"],
  ])("%s → %s", (disposicao, nome) => {
    expect(nomeDoArquivo(disposicao, "padrao.csv")).toBe(nome);
  });
});

describe("baixarArquivo", () => {
  let salvos: ArquivoSalvo[];

  beforeEach(() => {
    salvos = stubDownload();
  });

  function stub(resposta: () => Response) {
    const fetchMock = vi.fn(async (_entrada: RequestInfo | URL, _init?: RequestInit) => resposta());
    vi.stubGlobal("fetch", fetchMock);
    return fetchMock;
  }

  it("fetches with the session's token and saves the blob under the server's name", async () => {
    iniciarSessao("tok-123", usuario, 3600);
    const fetchMock = stub(
      () =>
        new Response("numero;titulo\nCH-1;Ar\n", {
          headers: {
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": 'attachment; filename="chamados-2026-03-30.csv"',
          },
        }),
    );
    const nome = await baixarArquivo(
      "/api/chamados/exportar?formato=csv&status=aguardando",
      "x.csv",
    );

    expect(nome).toBe("chamados-2026-03-30.csv");
    const [url, init] = fetchMock.mock.calls[0]!;
    const pedida = new URL(url instanceof Request ? url.url : url);
    expect(pedida.origin).toBe(location.origin);
    expect(pedida.pathname + pedida.search).toBe(
      "/api/chamados/exportar?formato=csv&status=aguardando",
    );
    expect(new Headers(init?.headers).get("Authorization")).toBe("Bearer tok-123");
    expect(salvos.map((s) => s.nome)).toEqual(["chamados-2026-03-30.csv"]);
    expect(await salvos[0]!.blob.text()).toBe("numero;titulo\nCH-1;Ar\n");
    expect(salvos[0]!.blob.type).toMatch(/^text\/csv/);
    // The link does not stay in the page.
    expect(document.querySelector("a[download]")).toBeNull();
  });

  it("uses the given name when the server names none", async () => {
    iniciarSessao("tok", usuario, 3600);
    stub(
      () =>
        new Response(new Uint8Array([37, 80, 68, 70]), {
          headers: { "Content-Type": "application/pdf" },
        }),
    );
    expect(await baixarArquivo("/api/chamados/7/transcricao.pdf", "CH-7-transcricao.pdf")).toBe(
      "CH-7-transcricao.pdf",
    );
    expect(salvos.map((s) => s.nome)).toEqual(["CH-7-transcricao.pdf"]);
  });

  it("shows the server's detail on a 4xx, and saves nothing", async () => {
    iniciarSessao("tok", usuario, 3600);
    stub(
      () =>
        new Response(
          JSON.stringify({ error: "periodo_invalido", detail: "o período tem no máximo 366 dias" }),
          { status: 422, headers: { "Content-Type": "application/json" } },
        ),
    );
    const erro = await baixarArquivo("/api/desempenho/terceirizados/exportar", "x.csv").catch(
      (e: unknown) => e,
    );
    expect(erro).toBeInstanceOf(ApiError);
    expect(erro).toMatchObject({ status: 422, code: "periodo_invalido" });
    expect((erro as ApiError).message).toBe("o período tem no máximo 366 dias");
    expect(salvos).toEqual([]);
    expect(getSessao()).not.toBeNull();
  });

  it("ends the session on a 401, like every other call", async () => {
    iniciarSessao("tok-velho", usuario, 3600);
    stub(
      () =>
        new Response(JSON.stringify({ error: "nao_autenticado", detail: "token expirado" }), {
          status: 401,
        }),
    );
    await expect(baixarArquivo("/api/chamados/exportar", "x.csv")).rejects.toMatchObject({
      status: 401,
    });
    expect(getSessao()).toBeNull();
    expect(motivoDoFim()).toBe("expirada");
  });

  it("says the server is out of reach when there is no answer, and a 5xx without detail in words", async () => {
    iniciarSessao("tok", usuario, 3600);
    stub(() => {
      throw new TypeError("Failed to fetch");
    });
    await expect(baixarArquivo("/api/chamados/exportar", "x.csv")).rejects.toMatchObject({
      status: 0,
      message: SEM_CONEXAO,
    });
    stub(() => new Response("<html>Bad gateway</html>", { status: 502 }));
    await expect(baixarArquivo("/api/chamados/exportar", "x.csv")).rejects.toMatchObject({
      status: 502,
      message: "O servidor não conseguiu atender agora. Tente de novo em instantes.",
    });
  });
});
