import { lazy, useId } from "react";
import { Link, useParams } from "react-router";
import { Carregando, ErroBox } from "../../components/Feedback";
import { useDesempenhoTerceirizado } from "../../lib/api/desempenho";
import type { DetalheDesempenho, Metrica, PlacarTerceirizado } from "../../lib/types";
import { SeletorPeriodo } from "./Filtros";
import { InfoMetrica } from "./InfoMetrica";
import { LimiteGrafico } from "../../components/LimiteGrafico";
import { formatarValor, valorDe } from "./metricas";
import { formatarDia, textoPeriodo } from "./periodo";
import { dadosDaSerie } from "./serie";
import { type FiltrosDaUrl, useFiltrosDesempenho } from "./useFiltros";
import "./desempenho.css";

// Chart.js comes in its own chunk, after the figures are on screen.
const GraficoSerie = lazy(() => import("./GraficoSerie"));

/** The figure the chart opens with: the first answer, what operators look at first. */
const MEDIDA_PADRAO = "resposta_mediana_min";

function CartaoMetrica({ metrica, placar }: { metrica: Metrica; placar: PlacarTerceirizado }) {
  const id = useId();
  return (
    <section className="cartao-desempenho" aria-labelledby={id} data-chave={metrica.chave}>
      <h3 className="cartao-desempenho-titulo">
        <span id={id}>{metrica.nome}</span>
        <InfoMetrica nome={metrica.nome} descricao={metrica.descricao} />
      </h3>
      <p className="cartao-desempenho-valor">
        {formatarValor(valorDe(placar, metrica.chave), metrica.unidade)}
      </p>
      {metrica.chave === "chamados" && placar.sem_resposta > 0 ? (
        <p className="texto-suave">{placar.sem_resposta} sem resposta</p>
      ) : null}
    </section>
  );
}

function Tendencia({ detalhe, f }: { detalhe: DetalheDesempenho; f: FiltrosDaUrl }) {
  const escolhida = f.params.get("medida") ?? MEDIDA_PADRAO;
  const metrica =
    detalhe.metricas.find((m) => m.chave === escolhida) ??
    detalhe.metricas.find((m) => m.chave === MEDIDA_PADRAO) ??
    detalhe.metricas[0];
  if (!metrica) return null;
  const dados = dadosDaSerie(detalhe.serie, metrica, detalhe.ate);

  return (
    <section className="cartao secao-desempenho" aria-labelledby="tendencia-titulo">
      <h2 id="tendencia-titulo">Semana a semana</h2>
      <p className="texto-suave">
        Os chamados abertos em cada semana (de segunda a domingo) nos 90 dias até{" "}
        {formatarDia(detalhe.ate)}.
      </p>
      <div className="campo tendencia-medida">
        <label htmlFor="tendencia-medida">Medida</label>
        <select
          id="tendencia-medida"
          value={metrica.chave}
          onChange={(e) =>
            f.definir("medida", e.target.value === MEDIDA_PADRAO ? "" : e.target.value)
          }
        >
          {detalhe.metricas.map((m) => (
            <option key={m.chave} value={m.chave}>
              {m.nome}
            </option>
          ))}
        </select>
      </div>
      <p className="texto-suave tendencia-descricao">{metrica.descricao}</p>
      <LimiteGrafico className="desempenho-grafico">
        <GraficoSerie dados={dados} metrica={metrica} />
      </LimiteGrafico>
      <details className="desempenho-tabela-grafico">
        <summary>Ver em tabela</summary>
        <div className="rolagem-vertical">
          <table className="tabela tabela-compacta">
            <thead>
              <tr>
                <th scope="col">Semana de</th>
                <th scope="col">{metrica.nome}</th>
              </tr>
            </thead>
            <tbody>
              {dados.rotulos.map((rotulo, i) => {
                const valor = dados.valores[i] ?? null;
                return (
                  <tr key={rotulo}>
                    <th scope="row">{rotulo}</th>
                    <td data-rotulo={metrica.nome}>
                      {formatarValor(
                        valor !== null && metrica.unidade === "fracao" ? valor / 100 : valor,
                        metrica.unidade,
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}

/**
 * One contractor: the scorecard of the period (each figure with how it is computed)
 * and the trend of any figure week by week over 90 days.
 */
export function TerceirizadoDesempenhoPage() {
  const { id } = useParams();
  const terceirizadoId = Number(id);
  const valido = Number.isInteger(terceirizadoId) && terceirizadoId > 0;
  const f = useFiltrosDesempenho();
  const detalhe = useDesempenhoTerceirizado(valido ? terceirizadoId : 0, f.periodo);
  const voltar = `/desempenho${f.busca}`;
  const d = detalhe.data;

  return (
    <div className="pagina desempenho">
      <p className="migalha">
        <Link to={voltar}>Desempenho</Link>
        {d ? ` / ${d.placar.nome}` : null}
      </p>
      {!valido ? <ErroBox erro={new Error("Terceirizado inválido.")} /> : null}
      {valido && detalhe.isPending ? <Carregando texto="Carregando o desempenho…" /> : null}
      {detalhe.isError ? (
        <ErroBox erro={detalhe.error} tentarDeNovo={() => detalhe.refetch()} />
      ) : null}
      {d && !detalhe.isError ? (
        <>
          <div className="pagina-topo">
            <div>
              <h1>{d.placar.nome}</h1>
              <p className="texto-suave">
                {d.placar.empresa ? `${d.placar.empresa} · ` : null}
                Chamados abertos {textoPeriodo(d)}
              </p>
            </div>
            <Link to={`/terceirizados/${terceirizadoId}/conversas`} className="btn btn-secundario">
              Ver conversas
            </Link>
          </div>
          <div className="filtros filtros-desempenho" role="group" aria-label="Período do placar">
            <SeletorPeriodo f={f} />
          </div>
          <div className="grade-desempenho" aria-busy={detalhe.isFetching}>
            {d.metricas.map((m) => (
              <CartaoMetrica key={m.chave} metrica={m} placar={d.placar} />
            ))}
          </div>
          <Tendencia detalhe={d} f={f} />
        </>
      ) : null}
    </div>
  );
}
