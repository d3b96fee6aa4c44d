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

export function AtrasadoBadge({ texto = "Atrasado" }: { texto?: string }) {
  return <span className="badge badge-atrasado">{texto}</span>;
}

/** A deadline coming within a day: "vence em 1h20". */
export function VenceBadge({ texto }: { texto: string }) {
  return <span className="badge badge-vence">{texto}</span>;
}
