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
export function renderRotas(rotas: RouteObject[], inicial: string) {
  const router = createMemoryRouter(rotas, { initialEntries: [inicial] });
  const qc = novoQueryClient();
  const resultado = render(
    <QueryClientProvider client={qc}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { ...resultado, router, qc };
}

type Resposta =
  | { status?: number; body: unknown }
  | ((url: URL, init: RequestInit) => { status?: number; body: unknown });

/** A fetch stub answering by "METHOD /path"; unknown routes fail the test loudly. */
export function stubFetch(rotas: Record<string, Resposta>) {
  const chamadas: { metodo: string; url: URL; corpo: unknown; headers: Record<string, string> }[] =
    [];
  const fetchMock = vi.fn(async (entrada: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(entrada), "http://teste");
    const metodo = (init.method ?? "GET").toUpperCase();
    const corpo = typeof init.body === "string" ? JSON.parse(init.body) : undefined;
    chamadas.push({ metodo, url, corpo, headers: (init.headers ?? {}) as Record<string, string> });
    const resposta = rotas[`${metodo} ${url.pathname}`];
    if (!resposta) throw new Error(`fetch inesperado: ${metodo} ${url.pathname}`);
    const { status = 200, body } = typeof resposta === "function" ? resposta(url, init) : resposta;
    return new Response(JSON.stringify(body), {
      status,
      headers: { "Content-Type": "application/json" },
    });
  });
  vi.stubGlobal("fetch", fetchMock);
  return { fetchMock, chamadas };
}
