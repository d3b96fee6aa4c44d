import { IconeAlerta } from "../../components/Icones";
import { useMetricas } from "../../lib/api/monitoramento";

export const TEXTO_FAIXA_BREAKER =
  "A API do WhatsApp está instável: as mensagens serão enviadas quando a API estabilizar";

/**
 * A discreet line over the chat while the circuit breaker holds the sends back
 * (OPEN, or HALF_OPEN while one probe tests the gateway). It reads the shared
 * monitoring query, polled while the central is on screen and refetched at once
 * by `alerta` events; nothing shows while the panel is loading or unavailable.
 */
export function FaixaBreaker() {
  const metricas = useMetricas();
  const status = metricas.data?.circuit_breaker.status;
  const instavel = status === "OPEN" || status === "HALF_OPEN";
  return (
    <div role="status" className={instavel ? "faixa-breaker" : "sr-only"}>
      {instavel ? (
        <>
          <IconeAlerta width={16} height={16} />
          <span>{TEXTO_FAIXA_BREAKER}</span>
        </>
      ) : null}
    </div>
  );
}
