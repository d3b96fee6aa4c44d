/**
 * The one way the SPA talks to the API: JSON in and out, the Bearer token, and
 * `{"error", "detail"}` bodies turned into ApiError with per-field messages.
 */
import { encerrarSessao, getToken } from "./session";

export interface ProblemaValidacao {
  loc: (string | number)[];
  msg: string;
  type?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Messages by field name, from a 422 list of problems. */
  readonly campos: Record<string, string>;

  constructor(status: number, code: string, message: string, campos: Record<string, string> = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.campos = campos;
  }
}

/** Pydantic prefixes messages raised by validators; the user needs only the reason. */
function limparMsg(msg: string): string {
  return msg.replace(/^(Value error|Assertion failed), /, "");
}

function campoDe(loc: (string | number)[]): string {
  const partes = loc.filter((parte) => parte !== "body" && parte !== "query" && parte !== "path");
  return partes.map(String).join(".") || "_";
}

export function erroDaResposta(status: number, corpo: unknown): ApiError {
  const dados = (typeof corpo === "object" && corpo !== null ? corpo : {}) as {
    error?: unknown;
    detail?: unknown;
  };
  const code = typeof dados.error === "string" ? dados.error : `http_${status}`;
  if (Array.isArray(dados.detail)) {
    const campos: Record<string, string> = {};
    const mensagens: string[] = [];
    for (const item of dados.detail as ProblemaValidacao[]) {
      const msg = limparMsg(String(item?.msg ?? "valor inválido"));
      const campo = campoDe(Array.isArray(item?.loc) ? item.loc : []);
      campos[campo] ??= msg;
      mensagens.push(campo === "_" ? msg : `${campo}: ${msg}`);
    }
    return new ApiError(status, code, mensagens.join("; ") || "Dados inválidos", campos);
  }
  if (typeof dados.detail === "string" && dados.detail) {
    return new ApiError(status, code, dados.detail);
  }
  return new ApiError(status, code, mensagemPadrao(status));
}

function mensagemPadrao(status: number): string {
  if (status === 401) return "Sessão expirada. Entre novamente.";
  if (status === 403) return "Você não tem permissão para isso.";
  if (status === 404) return "Não encontrado.";
  if (status === 429) return "Muitas tentativas. Aguarde um pouco e tente de novo.";
  if (status >= 500) return "O servidor não conseguiu atender agora. Tente de novo em instantes.";
  return `Erro inesperado (${status}).`;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface Opcoes {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  query?: Query;
  /** JSON, or a FormData sent as multipart/form-data (file uploads). */
  body?: unknown;
  /** false for the login call: its 401 means wrong credentials, not an expired session. */
  autenticado?: boolean;
  signal?: AbortSignal;
}

export function montarUrl(caminho: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [chave, valor] of Object.entries(query ?? {})) {
    if (valor === undefined || valor === null || valor === "") continue;
    params.set(chave, String(valor));
  }
  const qs = params.toString();
  return qs ? `${caminho}?${qs}` : caminho;
}

export async function api<T>(caminho: string, opcoes: Opcoes = {}): Promise<T> {
  const { method = "GET", query, body, autenticado = true, signal } = opcoes;
  const headers: Record<string, string> = { Accept: "application/json" };
  const multipart = typeof FormData !== "undefined" && body instanceof FormData;
  // The browser writes multipart's Content-Type itself (with the boundary).
  if (body !== undefined && !multipart) headers["Content-Type"] = "application/json";
  if (autenticado) {
    const token = getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
  }
  let resposta: Response;
  try {
    resposta = await fetch(montarUrl(caminho, query), {
      method,
      headers,
      body: body === undefined ? undefined : multipart ? (body as FormData) : JSON.stringify(body),
      signal,
    });
  } catch (erro) {
    if (erro instanceof DOMException && erro.name === "AbortError") throw erro;
    throw new ApiError(0, "sem_conexao", "Sem conexão com o servidor. Verifique a rede.");
  }
  const texto = await resposta.text();
  let corpo: unknown = null;
  if (texto) {
    try {
      corpo = JSON.parse(texto);
    } catch {
      corpo = null;
    }
  }
  if (!resposta.ok) {
    if (resposta.status === 401 && autenticado) encerrarSessao("expirada");
    throw erroDaResposta(resposta.status, corpo);
  }
  return corpo as T;
}

export function mensagemDeErro(erro: unknown): string {
  if (erro instanceof Error) return erro.message;
  return "Algo deu errado.";
}

/**
 * A file URL of our API for the browser to fetch by itself (<img>, <audio>, a
 * download link), which sends no Authorization header: the token goes as
 * `?access_token=`, as the API accepts for these.
 */
export function urlComToken(url: string): string {
  const token = getToken();
  if (!token || !url.startsWith("/api/")) return url;
  return `${url}${url.includes("?") ? "&" : "?"}access_token=${encodeURIComponent(token)}`;
}
