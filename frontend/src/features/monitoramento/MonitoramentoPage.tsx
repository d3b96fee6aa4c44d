import { lazy } from "react";
import { Link } from "react-router";
import { Carregando, ErroBox, Vazio } from "../../components/Feedback";
import { LimiteGrafico } from "../../components/LimiteGrafico";
import {
  METRICAS_POLLING_MS,
  useMetricas,
  useResultadosCobranca,
} from "../../lib/api/monitoramento";
import { formatarHoraSegundos, formatarPercentual } from "../../lib/format";
import { mensagemDeErro } from "../../lib/http";
import type { ChamadoAfetado, Metricas, ResultadosCobranca, VolumeHora } from "../../lib/types";
import { AlertasAbertos, HistoricoAlertas } from "./Alertas";
import { Cartoes } from "./Cartoes";
import { SERIES, rotuloHora } from "./volume";
import "./monitoramento.css";

// Chart.js comes in its own chunk, after the figures are on screen.
const GraficoVolume = lazy(() => import("./GraficoVolume"));

function Volume({ volume }: { volume: VolumeHora[] }) {
  return (
    <>
      <LimiteGrafico className="grafico-volume">
        <GraficoVolume volume={volume} />
      </LimiteGrafico>
      <details className="volume-tabela">
        <summary>Ver em tabela</summary>
        <div className="rolagem-horizontal">
          <table className="tabela tabela-compacta">
            <thead>
              <tr>
                <th scope="col">Hora</th>
                {SERIES.map((s) => (
                  <th key={s.campo} scope="col">
                    {s.rotulo}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {volume.map((h) => (
                <tr key={h.hora}>
                  <th scope="row">{rotuloHora(h.hora)}</th>
                  {SERIES.map((s) => (
                    <td key={s.campo} data-rotulo={s.rotulo}>
                      {h[s.campo]}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}

function ChamadosAfetados({ chamados }: { chamados: ChamadoAfetado[] }) {
  if (chamados.length === 0) {
    return <Vazio>Nenhum chamado com mensagens presas na fila ou falhas nas últimas 24 h.</Vazio>;
  }
  return (
    <table className="tabela">
      <thead>
        <tr>
          <th scope="col">Chamado</th>
          <th scope="col">Título</th>
          <th scope="col">Aguardando envio</th>
          <th scope="col">Falhas (24 h)</th>
        </tr>
      </thead>
      <tbody>
        {chamados.map((c) => (
          <tr key={c.chamado_id}>
            <td data-rotulo="Chamado">
              <Link to={`/central/${c.chamado_id}`} title="Abrir a conversa na Central">
                {c.numero_chamado}
              </Link>
            </td>
            <td data-rotulo="Título">{c.titulo}</td>
            <td data-rotulo="Aguardando envio">{c.aguardando}</td>
            <td data-rotulo="Falhas (24 h)" className={c.falhas > 0 ? "texto-perigo" : undefined}>
              {c.falhas}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Painel({ m }: { m: Metricas }) {
  return (
    <>
      <section className="secao-monitoramento" aria-labelledby="alertas-abertos-titulo">
        <h2 id="alertas-abertos-titulo">Alertas abertos</h2>
        <AlertasAbertos alertas={m.alertas_abertos} agora={m.gerado_em} />
      </section>
      <Cartoes metricas={m} />
      <section className="secao-monitoramento cartao" aria-labelledby="volume-titulo">
        <h2 id="volume-titulo">Volume nas últimas 24 horas</h2>
        <Volume volume={m.volume_24h} />
      </section>
      <section className="secao-monitoramento" aria-labelledby="afetados-titulo">
        <h2 id="afetados-titulo">Chamados afetados</h2>
        <ChamadosAfetados chamados={m.chamados_afetados} />
      </section>
    </>
  );
}

const ETAPAS_COBRANCA: Record<ResultadosCobranca["etapas"][number]["etapa"], string> = {
  nao_entregue: "Não entregue (só ✓): operador avisado",
  nao_lida: "Entregue e não lida: lembrete",
  sem_resposta: "Lida e sem resposta: botões",
  prazo_1dia: "Um dia útil antes do prazo",
  prazo_2h: "Duas horas úteis antes do prazo",
  atrasado: "Prazo vencido: prioridade elevada",
};

/** Which automatic follow-up steps went out in the week, and after how many the contractor wrote back. */
function Cobrancas() {
  const resultados = useResultadosCobranca(7);
  if (resultados.isPending) return <Carregando texto="Carregando…" />;
  if (resultados.isError) {
    return <ErroBox erro={resultados.error} tentarDeNovo={() => resultados.refetch()} />;
  }
  return (
    <table className="tabela">
      <thead>
        <tr>
          <th scope="col">Etapa</th>
          <th scope="col">Dadas</th>
          <th scope="col">Com resposta depois</th>
        </tr>
      </thead>
      <tbody>
        {resultados.data.etapas.map((e) => (
          <tr key={e.etapa} data-etapa={e.etapa}>
            <td>{ETAPAS_COBRANCA[e.etapa]}</td>
            <td className="numero">{e.tomadas}</td>
            <td className="numero">
              {e.tomadas
                ? `${e.com_resposta} (${formatarPercentual(e.com_resposta / e.tomadas)})`
                : "—"}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The WhatsApp operations panel, for every operator: refreshed every 5 s and at
 * once when an incident opens or closes or the connection changes (events).
 */
export function MonitoramentoPage() {
  const metricas = useMetricas(METRICAS_POLLING_MS);
  const m = metricas.data;
  return (
    <div className="pagina monitoramento">
      <div className="pagina-topo">
        <div>
          <h1>Monitoramento do WhatsApp</h1>
          <p className="texto-suave" aria-live="off">
            {m
              ? `Atualizado às ${formatarHoraSegundos(m.gerado_em)} · atualiza a cada ${METRICAS_POLLING_MS / 1000} s`
              : "Envios, fila, conexão e alertas da integração com a MegaAPI."}
          </p>
        </div>
      </div>
      {metricas.isPending ? <Carregando texto="Carregando o painel…" /> : null}
      {metricas.isError && !m ? (
        <ErroBox erro={metricas.error} tentarDeNovo={() => metricas.refetch()} />
      ) : null}
      {metricas.isError && m ? (
        <p className="aviso aviso-desatualizado" role="alert">
          Não foi possível atualizar ({mensagemDeErro(metricas.error)}). Mostrando os números de{" "}
          {formatarHoraSegundos(m.gerado_em)}.
        </p>
      ) : null}
      {m ? <Painel m={m} /> : null}
      <section className="secao-monitoramento" aria-labelledby="cobrancas-titulo">
        <h2 id="cobrancas-titulo">Cobrança automática nos últimos 7 dias</h2>
        <Cobrancas />
      </section>
      <section className="secao-monitoramento" aria-labelledby="historico-alertas-titulo">
        <h2 id="historico-alertas-titulo">Histórico de alertas</h2>
        <HistoricoAlertas />
      </section>
    </div>
  );
}
