import { Link } from "react-router";
import { AtrasadoBadge, PrioridadeBadge, StatusBadge } from "../../components/Badges";
import { Carregando, ErroBox } from "../../components/Feedback";
import { useInfo } from "../../lib/api/chamados";
import {
  formatarDataHora,
  formatarDuracao,
  formatarMoeda,
  formatarTelefone,
} from "../../lib/format";
import { Historico } from "./Historico";
import { PrazosCobranca } from "./PrazosCobranca";

export function InfoPainel({ chamadoId, onFechar }: { chamadoId: number; onFechar: () => void }) {
  const info = useInfo(chamadoId);
  return (
    <aside className="info-painel" aria-label="Informações do chamado">
      <div className="info-topo">
        <h2>Dados do chamado</h2>
        <button type="button" className="btn btn-fantasma btn-pequeno" onClick={onFechar}>
          Fechar
        </button>
      </div>
      {info.isPending ? <Carregando /> : null}
      {info.isError ? <ErroBox erro={info.error} tentarDeNovo={() => info.refetch()} /> : null}
      {info.data ? (
        <div className="info-corpo">
          <p className="info-numero">{info.data.chamado.numero_chamado}</p>
          <p className="info-titulo">{info.data.chamado.titulo}</p>
          <p className="badges">
            <StatusBadge status={info.data.chamado.status} />
            <PrioridadeBadge prioridade={info.data.chamado.prioridade} />
            {info.data.estatisticas.atrasado ? <AtrasadoBadge /> : null}
          </p>
          {info.data.chamado.descricao ? (
            <p className="info-descricao">{info.data.chamado.descricao}</p>
          ) : null}
          <dl className="info-lista">
            <dt>Terceirizado</dt>
            <dd>
              {info.data.chamado.terceirizado.nome}
              {info.data.chamado.terceirizado.empresa
                ? ` · ${info.data.chamado.terceirizado.empresa}`
                : ""}
              <br />
              <span className="texto-suave">
                {formatarTelefone(info.data.chamado.terceirizado.telefone)}
              </span>
              <br />
              <Link to={`/terceirizados/${info.data.chamado.terceirizado_id}/conversas`}>
                Todas as conversas
              </Link>
            </dd>
            <dt>Prédio / local</dt>
            <dd>{info.data.chamado.local || "—"}</dd>
            <dt>Prazo combinado</dt>
            <dd>{formatarDataHora(info.data.chamado.prazo_combinado)}</dd>
            <dt>Orçamento</dt>
            <dd>{formatarMoeda(info.data.chamado.valor_orcamento)}</dd>
            <dt>Visita confirmada</dt>
            <dd>{formatarDataHora(info.data.chamado.visita_em)}</dd>
            <dt>Aberto em</dt>
            <dd>{formatarDataHora(info.data.chamado.criado_em)}</dd>
          </dl>
          <PrazosCobranca chamadoId={chamadoId} status={info.data.chamado.status} />
          <h3>Estatísticas</h3>
          <dl className="info-numeros">
            <div>
              <dt>Enviadas</dt>
              <dd>{info.data.estatisticas.mensagens_enviadas}</dd>
            </div>
            <div>
              <dt>Recebidas</dt>
              <dd>{info.data.estatisticas.mensagens_recebidas}</dd>
            </div>
            <div>
              <dt>Não lidas</dt>
              <dd>{info.data.estatisticas.nao_lidas}</dd>
            </div>
            <div>
              <dt>Cobranças</dt>
              <dd>{info.data.estatisticas.cobrancas}</dd>
            </div>
            <div>
              <dt>Falhas de envio</dt>
              <dd>{info.data.estatisticas.falhas_envio}</dd>
            </div>
          </dl>
          <dl className="info-lista">
            <dt>Último contato do terceirizado</dt>
            <dd>{formatarDataHora(info.data.estatisticas.ultimo_contato_em)}</dd>
            <dt>Última mensagem</dt>
            <dd>{formatarDataHora(info.data.estatisticas.ultima_mensagem_em)}</dd>
            <dt>Tempo até a primeira resposta</dt>
            <dd>{formatarDuracao(info.data.estatisticas.tempo_primeira_resposta_s)}</dd>
          </dl>
          <h3>Histórico</h3>
          <Historico chamadoId={chamadoId} />
          <Link to={`/chamados/${chamadoId}`} className="btn btn-secundario btn-bloco">
            Ver chamado completo
          </Link>
        </div>
      ) : null}
    </aside>
  );
}
