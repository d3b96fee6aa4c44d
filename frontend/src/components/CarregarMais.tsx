/** What the button needs of an infinite query (TanStack Query's useInfiniteQuery result). */
interface ListaPaginada {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

/** "Carregar mais" under a paged list, while the list has a next page. */
export function CarregarMais({
  lista,
  pequeno = false,
}: {
  lista: ListaPaginada;
  pequeno?: boolean;
}) {
  if (!lista.hasNextPage) return null;
  return (
    <div className="lista-mais">
      <button
        type="button"
        className={`btn btn-secundario${pequeno ? " btn-pequeno" : ""}`}
        onClick={() => void lista.fetchNextPage()}
        disabled={lista.isFetchingNextPage}
      >
        {lista.isFetchingNextPage ? "Carregando…" : "Carregar mais"}
      </button>
    </div>
  );
}
