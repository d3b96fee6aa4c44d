import { PRIORIDADE, STATUS_CHAMADO } from "../lib/labels";
import type { Prioridade, StatusChamado } from "../lib/types";

export function StatusBadge({ status }: { status: StatusChamado }) {
  return <span className={`badge badge-status-${status}`}>{STATUS_CHAMADO[status]}</span>;
}

export function PrioridadeBadge({ prioridade }: { prioridade: Prioridade }) {
  return (
    <span className={`badge badge-prioridade-${prioridade}`} title="Prioridade">
      {PRIORIDADE[prioridade]}
    </span>
  );
}

export function AtrasadoBadge() {
  return <span className="badge badge-atrasado">Atrasado</span>;
}
