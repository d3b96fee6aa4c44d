/**
 * Files of the API the operator saves (spreadsheets, a chamado's transcript): fetched
 * with the session's Bearer token (a plain link would carry none), then handed to the
 * browser as a Blob through an <a download>. Errors read like every other call's
 * (src/lib/http.ts): the server's `detail` in pt-BR, and a 401 ends the session.
 */
import { ApiError, SEM_CONEXAO, erroDaResposta, lerJson } from "./http";
import { encerrarSessao, getToken } from "./session";

/** The spreadsheet formats the export endpoints answer. */
export type FormatoPlanilha = "csv" | "xlsx";

/**
 * The file name a Content-Disposition header gives: `filename*=UTF-8''…` (RFC 5987,
 * for names with accents) first, then `filename="…"`; `padrao` when there is none.
 */
export function nomeDoArquivo(disposicao: string | null, padrao: string): string {
  if (!disposicao) return padrao;
  const estendido = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(disposicao);
  if (estendido?.[2]) {
    try {
      return limparNome(decodeURIComponent(estendido[2].trim().replace(/^"|"$/g, "")), padrao);
    } catch {
      // A malformed escape: fall back to the plain parameter.
    }
  }
  const simples = /filename\s*=\s*("((?:\\.|[^"\\])*)"|[^;]+)/i.exec(disposicao);
  if (simples) {
    const nome = simples[2] !== undefined ? simples[2].replace(/\\(.)/g, "$1") : simples[1];
    return limparNome(nome ?? "", padrao);
  }
  return padrao;
}

/** No folders in a downloaded file's name. */
function limparNome(nome: string, padrao: string): string {
  const base = nome.trim().split(/[/\\]/).pop() ?? "";
  return base || padrao;
}

/** Give the browser a Blob to save under `nome`. */
function salvar(blob: Blob, nome: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = nome;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers read the Blob after click() returns: free it a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Download `url` (same-origin, `/api/…`) and save it. Answers the file name used
 * (from Content-Disposition, else `nomePadrao`); throws ApiError like the API client.
 */
export async function baixarArquivo(url: string, nomePadrao: string): Promise<string> {
  const headers = new Headers();
  const token = getToken();
  if (token) headers.set("Authorization", `Bearer ${token}`);
  let resposta: Response;
  try {
    // Not the typed client: the answer is a file, not JSON, and the export paths are
    // not in the generated spec yet (lib/api/exportar.ts builds their URLs).
    // eslint-disable-next-line no-restricted-globals
    resposta = await fetch(new URL(url, globalThis.location.origin), { headers });
  } catch (erro) {
    if (erro instanceof DOMException && erro.name === "AbortError") throw erro;
    throw new ApiError(0, "sem_conexao", SEM_CONEXAO);
  }
  if (!resposta.ok) {
    const corpo = lerJson(await resposta.text());
    if (resposta.status === 401) encerrarSessao("expirada");
    throw erroDaResposta(resposta.status, corpo);
  }
  const nome = nomeDoArquivo(resposta.headers.get("Content-Disposition"), nomePadrao);
  salvar(await resposta.blob(), nome);
  return nome;
}
