/**
 * The API's lists come a page at a time: `{items, next_cursor}`, where `next_cursor`
 * (absent or null on the last page) asks for the next one. Every such list is one
 * TanStack Query infinite query built here, and read with `itensDe`.
 */
import { type InfiniteData, type QueryKey, infiniteQueryOptions } from "@tanstack/react-query";
import type { Page } from "../types";

/** The cursor asked for: null for the first page. */
export type Cursor = string | null;

/**
 * The infinite query of a paged list: `buscarPagina(cursor, signal)` fetches one page
 * (the first with `cursor` null); the next page is asked while the last one had a cursor.
 * A page may carry more than `items` (the unassigned messages' `total`).
 */
export function listaInfinita<P extends Page<unknown>, K extends QueryKey>(
  queryKey: K,
  buscarPagina: (cursor: Cursor, signal: AbortSignal) => Promise<P>,
) {
  return infiniteQueryOptions<P, Error, InfiniteData<P, Cursor>, K, Cursor>({
    queryKey,
    queryFn: ({ pageParam, signal }) => buscarPagina(pageParam, signal),
    initialPageParam: null,
    getNextPageParam: (ultima) => ultima.next_cursor ?? undefined,
  });
}

/** Every item loaded so far, in the order of the pages. */
export function itensDe<T>(dados: InfiniteData<Page<T>, unknown> | undefined): T[] {
  return dados?.pages.flatMap((pagina) => pagina.items) ?? [];
}
