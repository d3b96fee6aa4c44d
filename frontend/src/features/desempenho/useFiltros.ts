import { useSearchParams } from "react-router";
import type { FiltrosRanking, Periodo } from "../../lib/api/desempenho";
import { PRIORIDADE_LISTA } from "../../lib/labels";
import type { Prioridade } from "../../lib/types";
import { type Ordem, ORDEM_PADRAO } from "./metricas";
import { atalhoDe, comAtalho, comDatas, hojeIso, lerPeriodo } from "./periodo";

function lerPrioridade(valor: string | null): Prioridade | undefined {
  return PRIORIDADE_LISTA.find((p) => p === valor);
}

/** `ordem=lidas` (ascending) or `ordem=-lidas` (descending); none: by name. */
function lerOrdem(valor: string | null): Ordem {
  if (!valor) return ORDEM_PADRAO;
  return valor.startsWith("-")
    ? { chave: valor.slice(1), direcao: "desc" }
    : { chave: valor, direcao: "asc" };
}

/** The query string that carries only the period (to the contractor's page and back). */
function buscaDoPeriodo(params: URLSearchParams): string {
  const periodo = new URLSearchParams();
  for (const chave of ["dias", "de", "ate"]) {
    const valor = params.get(chave);
    if (valor) periodo.set(chave, valor);
  }
  const texto = periodo.toString();
  return texto ? `?${texto}` : "";
}

/**
 * The Desempenho screens' filters, read from and written to the URL (replacing the
 * history entry: the back button leaves the screen, not the last filter).
 */
export function useFiltrosDesempenho() {
  const [params, setParams] = useSearchParams();
  const hoje = hojeIso();
  const periodo = lerPeriodo(params, hoje);
  const prioridade = lerPrioridade(params.get("prioridade"));
  const local = params.get("local")?.trim() ?? "";

  const filtros: FiltrosRanking = { ...periodo };
  if (prioridade) filtros.prioridade = prioridade;
  if (local) filtros.local = local;

  function trocar(proximo: URLSearchParams) {
    setParams(proximo, { replace: true });
  }

  function definir(nome: string, valor: string) {
    const proximo = new URLSearchParams(params);
    if (valor) proximo.set(nome, valor);
    else proximo.delete(nome);
    trocar(proximo);
  }

  return {
    hoje,
    periodo,
    atalho: atalhoDe(periodo, hoje),
    prioridade,
    local,
    filtros,
    ordem: lerOrdem(params.get("ordem")),
    busca: buscaDoPeriodo(params),
    params,
    escolherAtalho: (dias: number) => trocar(comAtalho(params, dias)),
    escolherDatas: (p: Periodo) => trocar(comDatas(params, p)),
    definir,
    ordenar: (ordem: Ordem) =>
      definir(
        "ordem",
        ordem.chave === ORDEM_PADRAO.chave && ordem.direcao === ORDEM_PADRAO.direcao
          ? ""
          : `${ordem.direcao === "desc" ? "-" : ""}${ordem.chave}`,
      ),
  };
}

export type FiltrosDaUrl = ReturnType<typeof useFiltrosDesempenho>;
