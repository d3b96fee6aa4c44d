import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import { RouterProvider, createMemoryRouter, type RouteObject } from "react-router";
import { vi } from "vitest";

export function novoQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { retry: false, gcTime: Infinity }, mutations: { retry: false } },
  });
}

/** Render routes in memory with a fresh query cache; answers the router to inspect. */
export function renderRotas(
  rotas: RouteObject[],
  inicial: string | { pathname: string; state?: unknown },
) {
  const router = createMemoryRouter(rotas, { initialEntries: [inicial] });
  const qc = novoQueryClient();
  const resultado = render(
    <QueryClientProvider client={qc}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { ...resultado, router, qc };
}

/** What a route of stubFetch sees of the request: `body` is its JSON text ("" for none or multipart). */
export interface PedidoStub {
  method: string;
  headers: Record<string, string>;
  body: string;
}

type Resposta =
  | { status?: number; body: unknown }
  | ((url: URL, pedido: PedidoStub) => { status?: number; body: unknown });

/** `content-type` → `Content-Type`: header names as the tests write them. */
function nomeDoCabecalho(nome: string): string {
  return nome.replace(/(^|-)([a-z])/g, (trecho) => trecho.toUpperCase());
}

/** The API client calls fetch(Request); older callers fetch(url, init). Both read the same. */
async function lerPedido(entrada: RequestInfo | URL, init?: RequestInit) {
  const pedido =
    entrada instanceof Request
      ? entrada
      : new Request(new URL(String(entrada), location.href), init);
  const headers: Record<string, string> = {};
  pedido.headers.forEach((valor, nome) => {
    headers[nomeDoCabecalho(nome)] = valor;
  });
  let body: string | FormData | undefined;
  if (pedido.body !== null) {
    body = headers["Content-Type"]?.startsWith("multipart/form-data")
      ? await pedido.clone().formData()
      : await pedido.clone().text();
  }
  return { url: new URL(pedido.url), method: pedido.method.toUpperCase(), headers, body };
}

/** A fetch stub answering by "METHOD /path"; unknown routes fail the test loudly. */
export function stubFetch(rotas: Record<string, Resposta>) {
  const chamadas: { metodo: string; url: URL; corpo: unknown; headers: Record<string, string> }[] =
    [];
  const fetchMock = vi.fn(async (entrada: RequestInfo | URL, init?: RequestInit) => {
    const { url, method, headers, body } = await lerPedido(entrada, init);
    const corpo: unknown = typeof body === "string" && body ? JSON.parse(body) : body;
    chamadas.push({ metodo: method, url, corpo, headers });
    const resposta = rotas[`${method} ${url.pathname}`];
    if (!resposta) throw new Error(`fetch inesperado: ${method} ${url.pathname}`);
    const { status = 200, body: devolver } =
      typeof resposta === "function"
        ? resposta(url, { method, headers, body: typeof body === "string" ? body : "" })
        : resposta;
    return new Response(JSON.stringify(devolver), {
      status,
      headers: { "Content-Type": "application/json" },
    });
  });
  vi.stubGlobal("fetch", fetchMock);
  return { fetchMock, chamadas };
}
