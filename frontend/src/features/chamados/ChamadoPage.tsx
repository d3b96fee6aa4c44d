import { useState } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { BotaoBaixar } from "../../components/Baixar";
import { AtrasadoBadge, PrioridadeBadge, StatusBadge } from "../../components/Badges";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Carregando, ErroBox } from "../../components/Feedback";
import { useAtualizarChamado, useChamado, useInfo } from "../../lib/api/chamados";
import { urlTranscricao } from "../../lib/api/exportar";
import {
  formatarDataHora,
  formatarDuracao,
  formatarTelefone,
  localParaIso,
} from "../../lib/format";
import { mensagemDeErro } from "../../lib/http";
import { chamadoAberto } from "../../lib/labels";
import type { Chamado, ChamadoUpdate } from "../../lib/types";
import { ChamadoForm, type ValoresChamado, valoresDe } from "./ChamadoForm";
import "./chamados.css";

/** Only what changed goes to PATCH. */
export function mudancas(chamado: Chamado, v: ValoresChamado): ChamadoUpdate {
  const original = valoresDe(chamado);
  const dados: ChamadoUpdate = {};
  if (v.titulo.trim() !== original.titulo) dados.titulo = v.titulo.trim();
  if (v.descricao.trim() !== original.descricao) dados.descricao = v.descricao.trim() || null;
  if (v.local.trim() !== original.local) dados.local = v.local.trim() || null;
  if (v.prioridade !== original.prioridade) dados.prioridade = v.prioridade;
  if (v.prazo !== original.prazo) dados.prazo_combinado = localParaIso(v.prazo);
  if (v.status !== original.status && chamadoAberto(chamado.status)) dados.status = v.status;
  return dados;
}

export function ChamadoPage() {
  const { id } = useParams();
  const chamadoId = Number(id);
  const location = useLocation();
  const chamado = useChamado(chamadoId);
  const info = useInfo(chamadoId);
  const atualizar = useAtualizarChamado(chamadoId);
  const cancelar = useAtualizarChamado(chamadoId);
  const [editando, setEditando] = useState(false);
  const [confirmarCancelar, setConfirmarCancelar] = useState(false);
  const [salvo, setSalvo] = useState(false);
  const navigate = useNavigate();
  const criado = (location.state as { criado?: boolean } | null)?.criado;

  if (!Number.isInteger(chamadoId) || chamadoId <= 0) {
    return (
      <div className="pagina">
        <ErroBox erro={new Error("Chamado inválido.")} />
      </div>
    );
  }
  if (chamado.isPending) return <Carregando texto="Carregando chamado…" />;
  if (chamado.isError) {
    return (
      <div className="pagina">
        <p className="migalha">
          <Link to="/chamados">Chamados</Link>
        </p>
        <ErroBox erro={chamado.error} tentarDeNovo={() => chamado.refetch()} />
      </div>
    );
  }
  const c = chamado.data;
  const est = info.data?.estatisticas;
  const aberto = chamadoAberto(c.status);

  function salvar(v: ValoresChamado) {
    const dados = mudancas(c, v);
    if (Object.keys(dados).length === 0) {
      setEditando(false);
      return;
    }
    atualizar.mutate(dados, {
      onSuccess: () => {
        setEditando(false);
        setSalvo(true);
        // "Chamado aberto" was about the creation, now past: drop it from the history
        // entry too, so a reload does not bring it back.
        if (criado) void navigate(location.pathname, { replace: true, state: null });
      },
    });
  }

  return (
    <div className="pagina pagina-media">
      <p className="migalha">
        <Link to="/chamados">Chamados</Link> / {c.numero_chamado}
      </p>
      {salvo ? (
        <p className="aviso aviso-sucesso" role="status">
          Chamado salvo.
        </p>
      ) : criado ? (
        <p className="aviso aviso-sucesso" role="status">
          Chamado aberto. A mensagem de abertura foi enviada para a fila do WhatsApp.
        </p>
      ) : null}
      <div className="pagina-topo">
        <div>
          <h1>
            {c.numero_chamado} · {c.titulo}
          </h1>
          <p className="badges">
            <StatusBadge status={c.status} />
            <PrioridadeBadge prioridade={c.prioridade} />
            {c.atrasado ? <AtrasadoBadge /> : null}
          </p>
        </div>
        <div className="acoes">
          <Link to={`/central/${c.id}`} className="btn btn-primario">
            Abrir conversa
          </Link>
          <BotaoBaixar
            rotulo="Baixar transcrição (PDF)"
            url={urlTranscricao(c.id)}
            nomePadrao={`${c.numero_chamado}-transcricao.pdf`}
          />
          {aberto && !editando ? (
            <button
              type="button"
              className="btn btn-secundario"
              onClick={() => {
                setSalvo(false);
                setEditando(true);
              }}
            >
              Editar
            </button>
          ) : null}
          {aberto ? (
            <button
              type="button"
              className="btn btn-perigo-contorno"
              onClick={() => setConfirmarCancelar(true)}
            >
              Cancelar chamado
            </button>
          ) : null}
        </div>
      </div>

      {editando ? (
        <section className="cartao">
          <h2>Editar chamado</h2>
          <ChamadoForm
            novo={false}
            inicial={valoresDe(c)}
            enviando={atualizar.isPending}
            erroApi={atualizar.error}
            rotuloEnviar="Salvar alterações"
            onEnviar={salvar}
            onCancelar={() => {
              atualizar.reset();
              setEditando(false);
            }}
          />
        </section>
      ) : (
        <div className="grade-2">
          <section className="cartao">
            <h2>Dados</h2>
            <dl className="info-lista">
              <dt>Terceirizado</dt>
              <dd>
                {c.terceirizado.nome}
                {c.terceirizado.empresa ? ` · ${c.terceirizado.empresa}` : ""}
                <br />
                <span className="texto-suave">{formatarTelefone(c.terceirizado.telefone)}</span>
              </dd>
              <dt>Prédio / local</dt>
              <dd>{c.local || "—"}</dd>
              <dt>Descrição</dt>
              <dd className="pre">{c.descricao || "—"}</dd>
              <dt>Prazo combinado</dt>
              <dd>{formatarDataHora(c.prazo_combinado)}</dd>
              <dt>Aberto em</dt>
              <dd>{formatarDataHora(c.criado_em)}</dd>
              <dt>Atualizado em</dt>
              <dd>{formatarDataHora(c.atualizado_em)}</dd>
              {c.finalizado_em ? (
                <>
                  <dt>Finalizado em</dt>
                  <dd>{formatarDataHora(c.finalizado_em)}</dd>
                </>
              ) : null}
            </dl>
          </section>
          <section className="cartao">
            <h2>Estatísticas da conversa</h2>
            {info.isPending ? <Carregando /> : null}
            {info.isError ? (
              <ErroBox erro={info.error} tentarDeNovo={() => info.refetch()} />
            ) : null}
            {est ? (
              <>
                <dl className="info-numeros">
                  <div>
                    <dt>Enviadas</dt>
                    <dd>{est.mensagens_enviadas}</dd>
                  </div>
                  <div>
                    <dt>Recebidas</dt>
                    <dd>{est.mensagens_recebidas}</dd>
                  </div>
                  <div>
                    <dt>Não lidas</dt>
                    <dd>{est.nao_lidas}</dd>
                  </div>
                  <div>
                    <dt>Cobranças</dt>
                    <dd>{est.cobrancas}</dd>
                  </div>
                  <div>
                    <dt>Falhas de envio</dt>
                    <dd>{est.falhas_envio}</dd>
                  </div>
                </dl>
                <dl className="info-lista">
                  <dt>Último contato do terceirizado</dt>
                  <dd>{formatarDataHora(est.ultimo_contato_em)}</dd>
                  <dt>Última mensagem</dt>
                  <dd>{formatarDataHora(est.ultima_mensagem_em)}</dd>
                  <dt>Tempo até a primeira resposta</dt>
                  <dd>{formatarDuracao(est.tempo_primeira_resposta_s)}</dd>
                </dl>
              </>
            ) : null}
          </section>
        </div>
      )}
      <ConfirmDialog
        aberto={confirmarCancelar}
        titulo="Cancelar o chamado?"
        rotuloConfirmar="Cancelar chamado"
        perigo
        ocupado={cancelar.isPending}
        erro={cancelar.error ? mensagemDeErro(cancelar.error) : null}
        onConfirmar={() =>
          cancelar.mutate({ status: "cancelado" }, { onSuccess: () => setConfirmarCancelar(false) })
        }
        onCancelar={() => {
          cancelar.reset();
          setConfirmarCancelar(false);
        }}
      >
        <p>
          O chamado {c.numero_chamado} fica cancelado e não aceita mais mensagens. O histórico da
          conversa é mantido.
        </p>
      </ConfirmDialog>
    </div>
  );
}
