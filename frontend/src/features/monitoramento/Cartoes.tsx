import { useId } from "react";
import {
  formatarDataHora,
  formatarHaQuanto,
  formatarHora,
  formatarPercentual,
  formatarSegundos,
} from "../../lib/format";
import type { Metricas } from "../../lib/types";
import {
  BREAKER,
  ESTADO_CONEXAO,
  type Estado,
  MOTIVO_FALHA,
  STATUS_INSTANCIA,
  ROTULO_ESTADO,
  estadoBreaker,
  estadoConexao,
  estadoEntrega,
  estadoFalhas,
  estadoFila,
  estadoLimite,
  estadoWebhooks,
  estadoWorkers,
} from "./estados";

interface CartaoProps {
  titulo: string;
  estado: Estado;
  /** The card's main figure. */
  valor: React.ReactNode;
  children?: React.ReactNode;
}

/** One figure of the panel; its colour says whether it needs attention. */
function Cartao({ titulo, estado, valor, children }: CartaoProps) {
  const id = useId();
  return (
    <section
      className={`cartao-metrica estado-${estado}`}
      data-estado={estado}
      aria-labelledby={`${id}-titulo`}
    >
      <h2 id={`${id}-titulo`} className="cartao-metrica-titulo">
        {titulo}
      </h2>
      <p className="cartao-metrica-valor">
        <span className="estado-ponto" aria-hidden="true" />
        {valor}
        <span className="sr-only"> ({ROTULO_ESTADO[estado]})</span>
      </p>
      {children ? <div className="cartao-metrica-corpo">{children}</div> : null}
    </section>
  );
}

/** "14:03 (há 2 min)", or the date too when it is not today's. */
function quando(iso: string | null | undefined, agora: string): string {
  if (!iso) return "—";
  const data = new Date(iso);
  const hoje = new Date(agora).toDateString() === data.toDateString();
  return `${hoje ? formatarHora(iso) : formatarDataHora(iso)} (${formatarHaQuanto(iso, agora)})`;
}

function CartaoBreaker({ m }: { m: Metricas }) {
  const cb = m.circuit_breaker;
  const info = BREAKER[cb.status];
  return (
    <Cartao titulo="Disjuntor de envios" estado={estadoBreaker(m)} valor={info.rotulo}>
      <p>{info.descricao}</p>
      <p>
        Falhas seguidas:{" "}
        <strong>
          {cb.failure_count} de {cb.threshold}
        </strong>
      </p>
      {cb.status !== "CLOSED" && cb.opened_at ? (
        <p>Aberto desde {quando(cb.opened_at, m.gerado_em)}</p>
      ) : null}
    </Cartao>
  );
}

function CartaoLimite({ m }: { m: Metricas }) {
  const { count, max, can_send } = m.rate_limiter;
  const fracao = max > 0 ? Math.min(count / max, 1) : 0;
  return (
    <Cartao
      titulo="Envios no último minuto"
      estado={estadoLimite(m)}
      valor={
        <>
          {count} <span className="cartao-metrica-de">de {max}</span>
        </>
      }
    >
      <div
        className="barra"
        role="progressbar"
        aria-label="Envios no último minuto em relação ao limite"
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={Math.min(count, max)}
        aria-valuetext={`${count} de ${max} por minuto`}
      >
        <span className="barra-preenchida" style={{ width: `${fracao * 100}%` }} />
      </div>
      <p>
        {can_send
          ? "Há vaga para enviar agora."
          : m.circuit_breaker.status === "OPEN"
            ? "Envios pausados pelo disjuntor."
            : "Limite atingido: os envios aguardam a próxima vaga."}
      </p>
    </Cartao>
  );
}

function CartaoFila({ m }: { m: Metricas }) {
  const { queue_size, deferred, oldest_age_s, transcricoes } = m.fila;
  return (
    <Cartao
      titulo="Fila de envio"
      estado={estadoFila(m)}
      valor={
        <>
          {queue_size} <span className="cartao-metrica-de">prontas para sair</span>
        </>
      }
    >
      <p>
        Adiadas: <strong>{deferred}</strong>
      </p>
      <p>
        Mais antiga aguardando: <strong>{formatarSegundos(oldest_age_s)}</strong>
      </p>
      {transcricoes > 0 ? (
        <p>
          Áudios aguardando transcrição: <strong>{transcricoes}</strong>
        </p>
      ) : null}
    </Cartao>
  );
}

function CartaoFalhas({ m }: { m: Metricas }) {
  const motivos = Object.entries(m.failures.by_reason)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  return (
    <Cartao
      titulo="Tentativas com falha (última hora)"
      estado={estadoFalhas(m)}
      valor={m.failures.last_hour}
    >
      {/* FailuresOut counts attempts, MetricasOut.delivery counts messages: say which. */}
      <p className="texto-suave">
        Tentativas de envio que a MegaAPI recusou ou não respondeu; a mensagem é tentada de novo e
        pode ter saído depois.
      </p>
      {motivos.length > 0 ? (
        <ul className="cartao-metrica-lista" aria-label="Falhas por motivo">
          {motivos.map(([motivo, n]) => (
            <li key={motivo}>
              <span>{MOTIVO_FALHA[motivo] ?? motivo}</span> <strong>{n}</strong>
            </li>
          ))}
        </ul>
      ) : (
        <p>Nenhuma tentativa falhou.</p>
      )}
    </Cartao>
  );
}

function CartaoConexao({ m }: { m: Metricas }) {
  const c = m.connection;
  const rotulo = c.state ? (ESTADO_CONEXAO[c.state]?.rotulo ?? c.state) : "Sem informação";
  return (
    <Cartao titulo="Conexão do WhatsApp" estado={estadoConexao(m)} valor={rotulo}>
      {c.since ? <p>Desde {quando(c.since, m.gerado_em)}</p> : null}
      <p>
        Instância:{" "}
        <strong>
          {c.instance_status
            ? (STATUS_INSTANCIA[c.instance_status.toLowerCase()] ?? c.instance_status)
            : "não consultada"}
        </strong>
      </p>
      {c.instance_checked_at ? (
        <p className="texto-suave">
          Consultada {formatarHaQuanto(c.instance_checked_at, m.gerado_em)}
        </p>
      ) : null}
    </Cartao>
  );
}

function CartaoWorkers({ m }: { m: Metricas }) {
  const { alive, last_heartbeat } = m.workers;
  return (
    <Cartao
      titulo="Processos de envio"
      estado={estadoWorkers(m)}
      valor={
        <>
          {alive} <span className="cartao-metrica-de">{alive === 1 ? "ativo" : "ativos"}</span>
        </>
      }
    >
      <p>
        Último sinal: <strong>{formatarHaQuanto(last_heartbeat, m.gerado_em)}</strong>
      </p>
      {alive === 0 ? <p>Sem processo de envio, nenhuma mensagem sai da fila.</p> : null}
    </Cartao>
  );
}

function CartaoWebhooks({ m }: { m: Metricas }) {
  const { last_received_at, lag_s } = m.webhooks;
  return (
    <Cartao
      titulo="Webhooks recebidos"
      estado={estadoWebhooks(m)}
      valor={last_received_at ? formatarHaQuanto(last_received_at, m.gerado_em) : "Nenhum ainda"}
    >
      <p>
        Último recebido: <strong>{last_received_at ? formatarHora(last_received_at) : "—"}</strong>
      </p>
      <p>
        Atraso: <strong>{formatarSegundos(lag_s)}</strong>
      </p>
    </Cartao>
  );
}

function CartaoEntrega({ m }: { m: Metricas }) {
  const d = m.delivery;
  return (
    <Cartao
      titulo="Entrega e leitura (24 h)"
      estado={estadoEntrega(m)}
      valor={
        <>
          {formatarPercentual(d.failure_rate_24h)}{" "}
          <span className="cartao-metrica-de">não enviadas</span>
        </>
      }
    >
      <p className="texto-suave">
        Das mensagens das últimas 24 h, as que terminaram com falha (depois de todas as tentativas).
      </p>
      <dl className="cartao-metrica-tempos">
        <div>
          <dt>Entrega p50 / p95</dt>
          <dd>
            {formatarSegundos(d.p50_entrega_s)} / {formatarSegundos(d.p95_entrega_s)}
          </dd>
        </div>
        <div>
          <dt>Leitura p50 / p95</dt>
          <dd>
            {formatarSegundos(d.p50_leitura_s)} / {formatarSegundos(d.p95_leitura_s)}
          </dd>
        </div>
      </dl>
    </Cartao>
  );
}

/** The panel's cards, most urgent first. */
export function Cartoes({ metricas }: { metricas: Metricas }) {
  return (
    <div className="grade-metricas">
      <CartaoBreaker m={metricas} />
      <CartaoLimite m={metricas} />
      <CartaoFila m={metricas} />
      <CartaoFalhas m={metricas} />
      <CartaoConexao m={metricas} />
      <CartaoWorkers m={metricas} />
      <CartaoWebhooks m={metricas} />
      <CartaoEntrega m={metricas} />
    </div>
  );
}
