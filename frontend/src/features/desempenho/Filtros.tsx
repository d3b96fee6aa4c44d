import { useEffect, useEffectEvent, useState } from "react";
import { PRIORIDADE, PRIORIDADE_LISTA } from "../../lib/labels";
import { ATALHOS, DIAS_PADRAO, somarDias } from "./periodo";
import type { FiltrosDaUrl } from "./useFiltros";

/** The typed place goes to the URL (and the request) once the operator stops typing. */
export const ESPERA_DIGITACAO_MS = 300;

/** The chips "7 dias", "30 dias", "90 dias" and the two dates. */
export function SeletorPeriodo({ f }: { f: FiltrosDaUrl }) {
  const { periodo, hoje } = f;

  // An emptied date falls back to the default for its end.
  function mudarDe(valor: string) {
    f.escolherDatas({ de: valor || somarDias(periodo.ate, -(DIAS_PADRAO - 1)), ate: periodo.ate });
  }

  function mudarAte(valor: string) {
    f.escolherDatas({ de: periodo.de, ate: valor || hoje });
  }

  return (
    <>
      <div className="campo campo-periodo">
        <span className="rotulo" id="periodo-rotulo">
          Período
        </span>
        <div className="atalhos" role="group" aria-labelledby="periodo-rotulo">
          {ATALHOS.map((dias) => (
            <button
              key={dias}
              type="button"
              className="atalho"
              aria-pressed={f.atalho === dias}
              onClick={() => f.escolherAtalho(dias)}
            >
              {dias} dias
            </button>
          ))}
        </div>
      </div>
      <div className="campo campo-data">
        <label htmlFor="filtro-de">De</label>
        <input
          id="filtro-de"
          type="date"
          value={periodo.de}
          max={periodo.ate}
          onChange={(e) => mudarDe(e.target.value)}
        />
      </div>
      <div className="campo campo-data">
        <label htmlFor="filtro-ate">Até</label>
        <input
          id="filtro-ate"
          type="date"
          value={periodo.ate}
          min={periodo.de}
          max={hoje}
          onChange={(e) => mudarAte(e.target.value)}
        />
      </div>
    </>
  );
}

/** The ranking's filters: the period, the priority and part of the building / place. */
export function FiltrosDesempenho({ f }: { f: FiltrosDaUrl }) {
  const [texto, setTexto] = useState(f.local);
  const { definir } = f;
  const aplicarLocal = useEffectEvent((valor: string) => {
    if (valor !== f.local) definir("local", valor);
  });

  useEffect(() => {
    const t = setTimeout(() => aplicarLocal(texto.trim()), ESPERA_DIGITACAO_MS);
    return () => clearTimeout(t);
  }, [texto]);

  return (
    <div className="filtros filtros-desempenho" role="search" aria-label="Filtros de desempenho">
      <SeletorPeriodo f={f} />
      <div className="campo">
        <label htmlFor="filtro-prioridade">Prioridade</label>
        <select
          id="filtro-prioridade"
          value={f.prioridade ?? ""}
          onChange={(e) => definir("prioridade", e.target.value)}
        >
          <option value="">Todas</option>
          {PRIORIDADE_LISTA.map((p) => (
            <option key={p} value={p}>
              {PRIORIDADE[p]}
            </option>
          ))}
        </select>
      </div>
      <div className="campo">
        <label htmlFor="filtro-local">Prédio / local</label>
        <input
          id="filtro-local"
          type="search"
          placeholder="Ex.: Bloco B"
          value={texto}
          onChange={(e) => setTexto(e.target.value)}
        />
      </div>
    </div>
  );
}
