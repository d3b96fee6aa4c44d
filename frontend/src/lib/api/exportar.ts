/**
 * The URLs of the files the operator downloads (src/lib/baixar.ts fetches them with
 * the session's token): the ranking and the chamados list as spreadsheets, with the
 * screen's filters, and a chamado's printable transcript.
 *
 * These endpoints are not in ../openapi.yaml yet, so their paths are written here,
 * serialized like the client's queries (empty filters left out). Once the spec has
 * them, build them with `urlDaApi` (./cliente.ts) so the compiler checks them.
 */
import type { FormatoPlanilha } from "../baixar";
import type { FiltrosChamados } from "./chamados";
import { serializarQuery } from "./cliente";
import type { FiltrosRanking } from "./desempenho";

function comQuery(caminho: string, query: Record<string, unknown>): string {
  const texto = serializarQuery(query);
  return texto ? `${caminho}?${texto}` : caminho;
}

/** GET /api/desempenho/terceirizados/exportar: the ranking with the same filters. */
export function urlExportarRanking(filtros: FiltrosRanking, formato: FormatoPlanilha): string {
  return comQuery("/api/desempenho/terceirizados/exportar", { formato, ...filtros });
}

/** GET /api/chamados/exportar: the chamados list with its current filters. */
export function urlExportarChamados(filtros: FiltrosChamados, formato: FormatoPlanilha): string {
  return comQuery("/api/chamados/exportar", { formato, ...filtros });
}

/** GET /api/chamados/{id}/transcricao.pdf: the chamado's conversation, ready to print. */
export function urlTranscricao(chamadoId: number): string {
  return `/api/chamados/${chamadoId}/transcricao.pdf`;
}
