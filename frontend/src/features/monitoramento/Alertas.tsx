import { CarregarMais } from "../../components/CarregarMais";
import { Carregando, ErroBox, Vazio } from "../../components/Feedback";
import { itensDe } from "../../lib/api/listaInfinita";
import { useAlertas } from "../../lib/api/monitoramento";
import { formatarDataHora, formatarDuracao, formatarHaQuanto } from "../../lib/format";
import { SEVERIDADE, TIPO_ALERTA } from "../../lib/labels";
import type { Alerta } from "../../lib/types";

function SeveridadeBadge({ alerta }: { alerta: Alerta }) {
  return (
    <span className={`badge badge-severidade-${alerta.severidade}`}>
      {SEVERIDADE[alerta.severidade]}
    </span>
  );
}

/** The incidents open now (they close by themselves when the condition ends). */
export function AlertasAbertos({ alertas, agora }: { alertas: Alerta[]; agora: string }) {
  if (alertas.length === 0) {
    return <p className="alertas-nenhum">Nenhum alerta aberto.</p>;
  }
  return (
    <ul className="alertas-abertos">
      {alertas.map((a) => (
        <li key={a.id} className={`alerta alerta-${a.severidade}`} data-alerta-tipo={a.tipo}>
          <div className="alerta-topo">
            <SeveridadeBadge alerta={a} />
            <strong>{TIPO_ALERTA[a.tipo] ?? a.tipo}</strong>
            <span className="texto-suave">
              desde {formatarDataHora(a.aberto_em)} ({formatarHaQuanto(a.aberto_em, agora)})
            </span>
          </div>
          <p>{a.mensagem}</p>
        </li>
      ))}
    </ul>
  );
}

function duracao(a: Alerta): string {
  if (!a.fechado_em) return "em aberto";
  const s = (new Date(a.fechado_em).getTime() - new Date(a.aberto_em).getTime()) / 1000;
  return formatarDuracao(Math.max(s, 0));
}

/** Every incident, newest first, a page at a time. */
export function HistoricoAlertas() {
  const alertas = useAlertas({ limit: 20 });
  const itens = itensDe(alertas.data);
  return (
    <>
      {alertas.isPending ? <Carregando texto="Carregando alertas…" /> : null}
      {alertas.isError && !alertas.data ? (
        <ErroBox erro={alertas.error} tentarDeNovo={() => alertas.refetch()} />
      ) : null}
      {alertas.data && itens.length === 0 ? <Vazio>Nenhum alerta registrado.</Vazio> : null}
      {itens.length > 0 ? (
        <table className="tabela tabela-alertas">
          <thead>
            <tr>
              <th scope="col">Alerta</th>
              <th scope="col">Severidade</th>
              <th scope="col">Aberto em</th>
              <th scope="col">Duração</th>
              <th scope="col">E-mail</th>
            </tr>
          </thead>
          <tbody>
            {itens.map((a) => (
              <tr
                key={a.id}
                className={
                  a.fechado_em ? undefined : `alerta-em-aberto alerta-em-aberto-${a.severidade}`
                }
              >
                <td data-rotulo="Alerta">
                  <strong>{TIPO_ALERTA[a.tipo] ?? a.tipo}</strong>
                  <span className="alerta-mensagem">{a.mensagem}</span>
                </td>
                <td data-rotulo="Severidade">
                  <SeveridadeBadge alerta={a} />
                </td>
                <td data-rotulo="Aberto em">{formatarDataHora(a.aberto_em)}</td>
                <td data-rotulo="Duração">{duracao(a)}</td>
                <td data-rotulo="E-mail">
                  {a.email_enviado_em ? `enviado ${formatarDataHora(a.email_enviado_em)}` : "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <CarregarMais lista={alertas} pequeno />
    </>
  );
}
