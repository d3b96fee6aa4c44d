/**
 * The URLs of the files the operator downloads (src/lib/baixar.ts fetches them with
 * the session's token): the ranking and the chamados list as spreadsheets, with the
 * screen's filters, and a chamado's printable transcript. Built from the API's
 * contract, so the compiler checks the paths and their parameters.
 */
import type { FormatoPlanilha } from "../baixar";
import type { FiltrosChamados } from "./chamados";
import { urlDaApi } from "./cliente";
import type { FiltrosRanking } from "./desempenho";

/** GET /api/desempenho/terceirizados/exportar: the ranking with the same filters. */
export function urlExportarRanking(filtros: FiltrosRanking, formato: FormatoPlanilha): string {
  return urlDaApi("get", "/api/desempenho/terceirizados/exportar", {
    query: { formato, ...filtros },
  });
}

/** GET /api/chamados/exportar: the chamados list with its current filters. */
export function urlExportarChamados(filtros: FiltrosChamados, formato: FormatoPlanilha): string {
  return urlDaApi("get", "/api/chamados/exportar", { query: { formato, ...filtros } });
}

/** GET /api/chamados/{id}/transcricao.pdf: the chamado's conversation, ready to print. */
export function urlTranscricao(chamadoId: number): string {
  return urlDaApi("get", "/api/chamados/{chamado_id}/transcricao.pdf", {
    path: { chamado_id: chamadoId },
  });
}
