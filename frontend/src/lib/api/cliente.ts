/**
 * The one way the SPA talks to the API: openapi-fetch over the paths generated from
 * ../openapi.yaml (src/lib/api-types.ts), so every path, its parameters, its body and
 * its answer are checked by the compiler: no path is written by hand, no answer cast.
 *
 * What every call needs is middleware:
 * - the Bearer token of the session (`api`; `apiPublica` sends none: the login, and
 *   the contractor's link, where the token in the path is the credential);
 * - an answer that is not 2xx becomes ApiError (src/lib/http.ts), `{"error", "detail"}`
 *   read into a pt-BR message and per-field messages; a 401 of `api` ends the session
 *   as expired (the router then goes to /login?next=…), a 401 of `apiPublica` does not
 *   (wrong password, bad link);
 * - no answer at all (network down) becomes ApiError 0 `sem_conexao`; an aborted
 *   request (TanStack Query cancelling) stays an AbortError.
 *
 * Read an answer with `corpo()` (or `semCorpo()` for a 204).
 */
import createClient, {
  type Middleware,
  createFinalURL,
  defaultPathSerializer,
} from "openapi-fetch";
import type { paths } from "../api-types";
import { ApiError, RESPOSTA_INVALIDA, SEM_CONEXAO, erroDaResposta, lerJson } from "../http";
import { encerrarSessao, getToken } from "../session";

/**
 * Query strings as the SPA always wrote them: empty values (`undefined`, `null`, `""`:
 * a filter not chosen, an empty search box) are left out; the rest as URLSearchParams
 * encodes them (`busca=ar+cond`).
 */
export function serializarQuery(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [chave, valor] of Object.entries(query)) {
    if (typeof valor === "string" || typeof valor === "number" || typeof valor === "boolean") {
      if (valor !== "") params.set(chave, String(valor));
    }
  }
  return params.toString();
}

/** The operator's session: its token on every request. */
export const bearer: Middleware = {
  onRequest({ request }) {
    const token = getToken();
    if (token) request.headers.set("Authorization", `Bearer ${token}`);
    return request;
  },
};

/**
 * Errors as ApiError. `encerraSessao`: whether a 401 means the session expired (true
 * for `api`; false where the caller has no session to lose).
 */
export function erros(encerraSessao: boolean): Middleware {
  return {
    async onResponse({ response }) {
      if (response.ok) return undefined;
      const conteudo = lerJson(await response.clone().text());
      if (response.status === 401 && encerraSessao) encerrarSessao("expirada");
      throw erroDaResposta(response.status, conteudo);
    },
    onError({ error }) {
      if (error instanceof DOMException && error.name === "AbortError") return undefined;
      return new ApiError(0, "sem_conexao", SEM_CONEXAO);
    },
  };
}

function novoCliente(...middleware: Middleware[]) {
  const cliente = createClient<paths>({
    // A full URL: the same origin as the page, and what Request needs outside a browser.
    baseUrl: globalThis.location?.origin ?? "",
    headers: { Accept: "application/json" },
    querySerializer: serializarQuery,
    // Looked up at each call (tests replace the global fetch).
    fetch: (pedido) => globalThis.fetch(pedido),
  });
  cliente.use(...middleware);
  return cliente;
}

/** Signed-in calls. */
export const api = novoCliente(bearer, erros(true));

/** Calls without the operator's session: the login, the contractor's link. */
export const apiPublica = novoCliente(erros(false));

/** What openapi-fetch answers: `data` (2xx) or `error`, and the Response. */
interface Resultado<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * The body of a 2xx answer, typed by the spec. Errors were already thrown by the
 * middleware; an answer with no body where the spec promises one is an error too.
 */
export async function corpo<T>(pedido: Promise<Resultado<T>>): Promise<T> {
  const { data, error, response } = await pedido;
  if (error !== undefined) throw erroDaResposta(response.status, error);
  if (data === undefined) {
    throw new ApiError(response.status, "resposta_invalida", RESPOSTA_INVALIDA);
  }
  return data;
}

/** For an answer with no body (204): waits for it; errors were thrown by the middleware. */
export async function semCorpo(pedido: Promise<{ response: Response }>): Promise<void> {
  await pedido;
}

/**
 * A multipart/form-data body with one file and its caption. The spec types a file part
 * as `string` (format: binary), so the typed body names the parts (and carries the
 * file's name), and the serializer sends the File itself; the browser writes the
 * Content-Type with its boundary. An empty caption is not sent.
 */
export function comArquivo(arquivo: File, caption = "") {
  const legenda = caption.trim();
  return {
    body: { arquivo: arquivo.name, caption: legenda },
    bodySerializer: () => {
      const formulario = new FormData();
      formulario.append("arquivo", arquivo, arquivo.name);
      if (legenda) formulario.append("caption", legenda);
      return formulario;
    },
  };
}

// -- URLs the browser fetches by itself ------------------------------------------------

type Metodo = "get" | "post" | "put" | "patch" | "delete";

/** The paths that have this method. */
type CaminhoCom<M extends Metodo> = {
  [P in keyof paths]: paths[P] extends Record<M, { parameters: unknown }> ? P : never;
}[keyof paths];

type ParametrosDe<P extends keyof paths, M extends Metodo> = paths[P][M] extends {
  parameters: infer X;
}
  ? Pick<X, Extract<keyof X, "path" | "query">>
  : never;

/**
 * A same-origin URL of the API for what cannot go through the client: an EventSource,
 * an upload that reports its progress (XMLHttpRequest). Typed like the client's calls
 * (the path and its parameters come from the spec), serialized like them.
 */
export function urlDaApi<M extends Metodo, P extends CaminhoCom<M>>(
  _metodo: M,
  caminho: P,
  params: ParametrosDe<P, M>,
): string {
  return createFinalURL(caminho, {
    baseUrl: "",
    params,
    querySerializer: serializarQuery,
    pathSerializer: defaultPathSerializer,
  });
}
