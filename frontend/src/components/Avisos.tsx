import { useEffect } from "react";
import { Link } from "react-router";
import { type Aviso, type Avisos as Loja, DURACAO_AVISO_MS, useAvisos } from "../lib/avisos";

function ItemAviso({ aviso, avisos }: { aviso: Aviso; avisos: Loja }) {
  useEffect(() => {
    const timer = setTimeout(() => avisos.remover(aviso.id), DURACAO_AVISO_MS);
    return () => clearTimeout(timer);
  }, [aviso.id, avisos]);
  return (
    <li className="aviso-toast">
      <p>
        {aviso.numeroChamado ? <strong>{aviso.numeroChamado}: </strong> : null}
        {aviso.texto}
      </p>
      <div className="aviso-toast-acoes">
        {aviso.chamadoId ? (
          <Link to={`/central/${aviso.chamadoId}`} onClick={() => avisos.remover(aviso.id)}>
            Abrir conversa
          </Link>
        ) : null}
        <button
          type="button"
          className="btn-icone"
          aria-label="Dispensar aviso"
          onClick={() => avisos.remover(aviso.id)}
        >
          ×
        </button>
      </div>
    </li>
  );
}

/**
 * The corner where notes from the server show for a few seconds. The region is
 * always in the page (empty when quiet) so screen readers announce what is added.
 */
export function Avisos() {
  const { lista, avisos } = useAvisos();
  return (
    <div className="avisos" role="status" aria-live="polite" aria-label="Notificações">
      <ul>
        {lista.map((aviso) => (
          <ItemAviso key={aviso.id} aviso={aviso} avisos={avisos} />
        ))}
      </ul>
    </div>
  );
}
