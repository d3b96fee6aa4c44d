import { QueryClientProvider, useInfiniteQuery } from "@tanstack/react-query";
import { act, renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { novoQueryClient } from "../../test/utils";
import type { Page } from "../types";
import { type Cursor, itensDe, listaInfinita } from "./listaInfinita";

/** Three pages: a, b | c, d | e; each answers the cursor of the next. */
const PAGINAS: Record<string, Page<string> & { total: number }> = {
  primeira: { items: ["a", "b"], next_cursor: "c2", total: 5 },
  c2: { items: ["c", "d"], next_cursor: "c3", total: 5 },
  c3: { items: ["e"], next_cursor: null, total: 5 },
};

function montar(buscar: (cursor: Cursor, signal: AbortSignal) => Promise<Page<string>>) {
  const qc = novoQueryClient();
  const { result } = renderHook(() => useInfiniteQuery(listaInfinita(["letras"], buscar)), {
    wrapper: ({ children }) => <QueryClientProvider client={qc}>{children}</QueryClientProvider>,
  });
  return result;
}

describe("listaInfinita", () => {
  it("asks the first page with a null cursor, then each next_cursor until there is none", async () => {
    const buscar = vi.fn(async (cursor: Cursor) => PAGINAS[cursor ?? "primeira"]!);
    const lista = montar(buscar);

    await waitFor(() => expect(lista.current.isSuccess).toBe(true));
    expect(buscar).toHaveBeenLastCalledWith(null, expect.any(AbortSignal));
    expect(itensDe(lista.current.data)).toEqual(["a", "b"]);
    expect(lista.current.hasNextPage).toBe(true);

    // Each page waited for as it shows: on a busy machine the render that carries it
    // may come after the fetch's promise settles.
    await act(() => lista.current.fetchNextPage());
    expect(buscar).toHaveBeenLastCalledWith("c2", expect.any(AbortSignal));
    await waitFor(() => expect(itensDe(lista.current.data)).toEqual(["a", "b", "c", "d"]));
    await act(() => lista.current.fetchNextPage());
    expect(buscar).toHaveBeenLastCalledWith("c3", expect.any(AbortSignal));

    await waitFor(() => expect(itensDe(lista.current.data)).toEqual(["a", "b", "c", "d", "e"]));
    expect(lista.current.hasNextPage).toBe(false);
    expect(buscar).toHaveBeenCalledTimes(3);
  });

  it("treats a page without next_cursor as the last", async () => {
    const lista = montar(async () => ({ items: ["só"] }));
    await waitFor(() => expect(lista.current.isSuccess).toBe(true));
    expect(lista.current.hasNextPage).toBe(false);
  });

  it("keeps the page's own fields (the unassigned messages' total)", async () => {
    const opcoes = listaInfinita(["letras"], async () => PAGINAS.primeira!);
    const qc = novoQueryClient();
    const dados = await qc.fetchInfiniteQuery(opcoes);
    expect(dados.pages[0]?.total).toBe(5);
    expect(dados.pageParams).toEqual([null]);
  });
});

it("itensDe answers nothing before the first page", () => {
  expect(itensDe(undefined)).toEqual([]);
});
