import { Carregando, ErroBox } from "../../components/Feedback";
import { useHistorico } from "../../lib/api/chamados";
import { formatarDataHora } from "../../lib/format";
import { ORIGEM_HISTORICO, STATUS_CHAMADO } from "../../lib/labels";

/** What happened to the chamado, newest first: who did it, and the status it moved to. */
export function Historico({ chamadoId }: { chamadoId: number }) {
  const historico = useHistorico(chamadoId);
  if (historico.isPending) return <Carregando texto="Carregando histórico…" />;
  if (historico.isError) {
    return <ErroBox erro={historico.error} tentarDeNovo={() => historico.refetch()} />;
  }
  if (historico.data.length === 0) return <p className="texto-suave">Nada registrado ainda.</p>;
  const itens = [...historico.data].reverse();
  return (
    <ol className="historico" aria-label="Histórico do chamado">
      {itens.map((item) => (
        <li key={item.id} className={`historico-item historico-${item.origem}`}>
          <div className="historico-topo">
            <span className="historico-origem">{ORIGEM_HISTORICO[item.origem]}</span>
            <time dateTime={item.criado_em}>{formatarDataHora(item.criado_em)}</time>
          </div>
          {item.status_novo && item.status_novo !== item.status_anterior ? (
            <p className="historico-status">
              {item.status_anterior ? `${STATUS_CHAMADO[item.status_anterior]} → ` : ""}
              <strong>{STATUS_CHAMADO[item.status_novo]}</strong>
            </p>
          ) : null}
          <p className="historico-descricao">{item.descricao}</p>
        </li>
      ))}
    </ol>
  );
}
