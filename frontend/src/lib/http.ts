/**
 * The API's errors as the screens show them: `{"error", "detail"}` bodies turned into
 * ApiError with a pt-BR message and per-field messages. The calls themselves go
 * through the typed client (src/lib/api/cliente.ts), whose middleware throws these.
 */
import { getToken } from "./session";

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

/** A body read as JSON: null when it is empty or not JSON. */
export function lerJson(texto: string): unknown {
  if (!texto) return null;
  try {
    const valor: unknown = JSON.parse(texto);
    return valor;
  } catch {
    return null;
  }
}

export const SEM_CONEXAO = "Sem conexão com o servidor. Verifique a rede.";
export const RESPOSTA_INVALIDA = "O servidor deu uma resposta inesperada. Tente de novo.";

/** A property of a JSON value of unknown shape (undefined when it is not an object). */
function propriedade(valor: unknown, nome: string): unknown {
  if (typeof valor !== "object" || valor === null) return undefined;
  const encontrada: unknown = Reflect.get(valor, nome);
  return encontrada;
}

/** The ApiError for an answer that is not 2xx, from its JSON body (when there is one). */
export function erroDaResposta(status: number, corpo: unknown): ApiError {
  const error = propriedade(corpo, "error");
  const detail = propriedade(corpo, "detail");
  const code = typeof error === "string" ? error : `http_${status}`;
  if (Array.isArray(detail)) {
    const problemas: unknown[] = detail;
    const campos: Record<string, string> = {};
    const mensagens: string[] = [];
    for (const item of problemas) {
      const msgBruta = propriedade(item, "msg");
      const loc = propriedade(item, "loc");
      const msg = limparMsg(typeof msgBruta === "string" ? msgBruta : "valor inválido");
      const campo = campoDe(Array.isArray(loc) ? loc.filter(ehParteDoLoc) : []);
      campos[campo] ??= msg;
      mensagens.push(campo === "_" ? msg : `${campo}: ${msg}`);
    }
    return new ApiError(status, code, mensagens.join("; ") || "Dados inválidos", campos);
  }
  if (typeof detail === "string" && detail) {
    return new ApiError(status, code, detail);
  }
  return new ApiError(status, code, mensagemPadrao(status));
}

function ehParteDoLoc(parte: unknown): parte is string | number {
  return typeof parte === "string" || typeof parte === "number";
}

function mensagemPadrao(status: number): string {
  if (status === 401) return "Sessão expirada. Entre novamente.";
  if (status === 403) return "Você não tem permissão para isso.";
  if (status === 404) return "Não encontrado.";
  if (status === 429) return "Muitas tentativas. Aguarde um pouco e tente de novo.";
  if (status >= 500) return "O servidor não conseguiu atender agora. Tente de novo em instantes.";
  return `Erro inesperado (${status}).`;
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
