import { IconeAlerta } from "../../components/Icones";
import { useMetricas } from "../../lib/api/monitoramento";

export const TEXTO_FAIXA_BREAKER =
  "A API do WhatsApp está instável: as mensagens serão enviadas quando a API estabilizar";
export const TEXTO_FAIXA_DESCONECTADO =
  "WhatsApp desconectado — as mensagens ficam na fila até reconectar";

/**
 * A discreet line over the chat while sends are held back: WhatsApp disconnected
 * (the stronger reason, so it wins), or the circuit breaker OPEN (or HALF_OPEN while
 * one probe tests the gateway). It reads the shared monitoring query, polled while
 * the central is on screen and refetched at once by `alerta` and `conexao` events;
 * nothing shows while the panel is loading or unavailable.
 */
export function FaixaBreaker() {
  const metricas = useMetricas();
  const status = metricas.data?.circuit_breaker.status;
  const texto =
    metricas.data?.connection.connected === false
      ? TEXTO_FAIXA_DESCONECTADO
      : status === "OPEN" || status === "HALF_OPEN"
        ? TEXTO_FAIXA_BREAKER
        : null;
  return (
    <div role="status" className={texto ? "faixa-breaker" : "sr-only"}>
      {texto ? (
        <>
          <IconeAlerta width={16} height={16} />
          <span>{texto}</span>
        </>
      ) : null}
    </div>
  );
}
