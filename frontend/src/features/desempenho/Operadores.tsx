import { lazy } from "react";
import { Carregando, ErroBox, Vazio } from "../../components/Feedback";
import { type Periodo, useTemposOperadores } from "../../lib/api/desempenho";
import type { TempoResposta, TemposOperadores } from "../../lib/types";
import { LimiteGrafico } from "../../components/LimiteGrafico";
import { dadosPorHora } from "./horas";
import { formatarMinutos } from "./metricas";

// Chart.js comes in its own chunk, after the figures are on screen.
const GraficoHoras = lazy(() => import("./GraficoHoras"));

function Geral({ geral }: { geral: TempoResposta }) {
  return (
    <dl className="info-numeros operadores-geral">
      <div>
        <dt>Respostas</dt>
        <dd>{geral.respostas}</dd>
      </div>
      <div>
        <dt>Mediana</dt>
        <dd>{formatarMinutos(geral.mediana_min)}</dd>
      </div>
      <div>
        <dt>p90</dt>
        <dd>{formatarMinutos(geral.p90_min)}</dd>
      </div>
    </dl>
  );
}

function Tempos({ dados }: { dados: TemposOperadores }) {
  const horas = dadosPorHora(dados.por_hora);
  return (
    <>
      <Geral geral={dados.geral} />
      <h3 className="operadores-subtitulo">Por operador</h3>
      {dados.por_operador.length === 0 ? (
        <Vazio>Nenhuma resposta de operador no período.</Vazio>
      ) : (
        <table className="tabela tabela-operadores">
          <thead>
            <tr>
              <th scope="col">Operador</th>
              <th scope="col" className="numero">
                Respostas
              </th>
              <th scope="col" className="numero">
                Mediana
              </th>
              <th scope="col" className="numero">
                p90
              </th>
            </tr>
          </thead>
          <tbody>
            {dados.por_operador.map((o) => (
              <tr key={o.usuario_id ?? "sem-autor"}>
                <td data-rotulo="Operador">{o.nome}</td>
                <td data-rotulo="Respostas" className="numero">
                  {o.respostas}
                </td>
                <td data-rotulo="Mediana" className="numero">
                  {formatarMinutos(o.mediana_min)}
                </td>
                <td data-rotulo="p90" className="numero">
                  {formatarMinutos(o.p90_min)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3 className="operadores-subtitulo">Mediana pela hora em que o terceirizado escreveu</h3>
      <LimiteGrafico className="desempenho-grafico">
        <GraficoHoras dados={horas} />
      </LimiteGrafico>
      <details className="desempenho-tabela-grafico">
        <summary>Ver em tabela</summary>
        <div className="rolagem-vertical">
          <table className="tabela tabela-compacta">
            <thead>
              <tr>
                <th scope="col">Hora</th>
                <th scope="col">Respostas</th>
                <th scope="col">Mediana</th>
              </tr>
            </thead>
            <tbody>
              {horas.rotulos.map((rotulo, i) => (
                <tr key={rotulo}>
                  <th scope="row">{rotulo}</th>
                  <td data-rotulo="Respostas">{horas.respostas[i]}</td>
                  <td data-rotulo="Mediana">{formatarMinutos(horas.medianas[i])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}

/** How long contractors wait for an operator's answer. Administrators only. */
export function Operadores({ periodo }: { periodo: Periodo }) {
  const tempos = useTemposOperadores(periodo);
  return (
    <section className="cartao secao-desempenho" aria-labelledby="operadores-titulo">
      <h2 id="operadores-titulo">Tempo de resposta dos operadores</h2>
      <p className="texto-suave">
        Da mensagem do terceirizado à resposta de um operador, em minutos corridos. Só
        administradores veem esta parte.
      </p>
      {tempos.isPending ? <Carregando texto="Carregando…" /> : null}
      {tempos.isError ? (
        <ErroBox erro={tempos.error} tentarDeNovo={() => tempos.refetch()} />
      ) : null}
      {tempos.data ? <Tempos dados={tempos.data} /> : null}
    </section>
  );
}
