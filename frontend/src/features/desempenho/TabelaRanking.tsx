import { Link, useNavigate } from "react-router";
import type { Metrica, PlacarTerceirizado } from "../../lib/types";
import { InfoMetrica } from "./InfoMetrica";
import { type Ordem, ORDEM_NOME, formatarValor, ordenar, proximaOrdem, valorDe } from "./metricas";

interface Props {
  metricas: Metrica[];
  itens: PlacarTerceirizado[];
  ordem: Ordem;
  onOrdenar: (ordem: Ordem) => void;
  /** The period's query string ("?dias=7"), carried to the contractor's page. */
  busca: string;
  /** Read by screen readers before the table: what it shows. */
  legenda: string;
}

function ariaSort(ordem: Ordem, chave: string) {
  if (ordem.chave !== chave) return undefined;
  return ordem.direcao === "asc" ? "ascending" : "descending";
}

function SetaOrdem({ ordem, chave }: { ordem: Ordem; chave: string }) {
  const seta = ordem.chave !== chave ? "↕" : ordem.direcao === "asc" ? "↑" : "↓";
  return (
    <span className={`ranking-seta${ordem.chave === chave ? " ativa" : ""}`} aria-hidden="true">
      {seta}
    </span>
  );
}

/**
 * One row per contractor, one column per figure (the API's `metricas`, in its order).
 * A header sorts by its column (the best first, then the other way); its ⓘ says how the
 * figure is computed. The table scrolls sideways on narrow screens, the name column
 * staying in sight.
 */
export function TabelaRanking({ metricas, itens, ordem, onOrdenar, busca, legenda }: Props) {
  const navigate = useNavigate();
  const linhas = ordenar(itens, ordem);
  const destino = (id: number) => `/desempenho/terceirizados/${id}${busca}`;

  return (
    <div
      className="ranking-rolagem"
      role="region"
      aria-label="Ranking dos terceirizados"
      tabIndex={0}
    >
      <table className="tabela tabela-rolavel ranking">
        <caption className="sr-only">{legenda}</caption>
        <thead>
          <tr>
            <th
              scope="col"
              className="ranking-nome"
              aria-label="Terceirizado"
              aria-sort={ariaSort(ordem, ORDEM_NOME)}
            >
              <button
                type="button"
                className="ranking-ordenar"
                onClick={() => onOrdenar(proximaOrdem(ordem, ORDEM_NOME))}
              >
                Terceirizado
                <SetaOrdem ordem={ordem} chave={ORDEM_NOME} />
              </button>
            </th>
            {metricas.map((m) => (
              <th
                key={m.chave}
                scope="col"
                className="numero"
                // The figure's name alone: screen readers repeat it at every cell.
                aria-label={m.nome}
                aria-sort={ariaSort(ordem, m.chave)}
                data-chave={m.chave}
              >
                <span className="ranking-cabecalho">
                  <button
                    type="button"
                    className="ranking-ordenar"
                    onClick={() => onOrdenar(proximaOrdem(ordem, m.chave, m))}
                  >
                    {m.nome}
                    <SetaOrdem ordem={ordem} chave={m.chave} />
                  </button>
                  <InfoMetrica nome={m.nome} descricao={m.descricao} />
                </span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {linhas.map((p) => (
            <tr
              key={p.terceirizado_id}
              className="ranking-linha"
              data-terceirizado-id={p.terceirizado_id}
              onClick={(e) => {
                // The name is the link (keyboard, new tab); the rest of the row is a shortcut.
                if (e.target instanceof Element && e.target.closest("a, button")) return;
                void navigate(destino(p.terceirizado_id));
              }}
            >
              <th scope="row" className="ranking-nome">
                <Link to={destino(p.terceirizado_id)}>{p.nome}</Link>
                {p.empresa ? <span className="ranking-sub">{p.empresa}</span> : null}
              </th>
              {metricas.map((m) => (
                <td key={m.chave} className="numero" data-chave={m.chave}>
                  {formatarValor(valorDe(p, m.chave), m.unidade)}
                  {m.chave === "chamados" && p.sem_resposta > 0 ? (
                    <span className="ranking-sub">{p.sem_resposta} sem resposta</span>
                  ) : null}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
