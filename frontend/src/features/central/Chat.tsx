import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router";
import { AtrasadoBadge, PrioridadeBadge, StatusBadge } from "../../components/Badges";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErroBox } from "../../components/Feedback";
import { IconeInfo, IconeVoltar } from "../../components/Icones";
import { useChamado } from "../../lib/api/chamados";
import { useMensagens } from "../../lib/api/conversas";
import { avisosDe } from "../../lib/avisos";
import { ApiError } from "../../lib/http";
import { chamadoAberto } from "../../lib/labels";
import { useLiveUpdates } from "../../lib/live/useLiveUpdates";
import { citacaoDe } from "../../lib/mensagens";
import type { ChamadoComMensagem, Citacao, Mensagem } from "../../lib/types";
import { Composer } from "./Composer";
import { FaixaBreaker } from "./FaixaBreaker";
import { InfoPainel } from "./InfoPainel";
import { ListaMensagens } from "./ListaMensagens";
import { MoverDialog } from "./MoverDialog";
import { PARAMETRO_MENSAGEM } from "./ResultadosBusca";
import { mensagensDasPaginas } from "./listaOtimista";
import { DialogoDaAcao } from "./menu/DialogoDaAcao";
import { type AcaoMenu, MenuAcoes } from "./menu/MenuAcoes";
import { useAcoesDoChat } from "./useAcoesDoChat";

/** The list's navigation state (ListaConversas): `{focarComposer: true}` after Enter. */
function pedeFoco(estado: unknown): boolean {
  return (
    typeof estado === "object" && estado !== null && Reflect.get(estado, "focarComposer") === true
  );
}

/**
 * The open conversation: the chamado's header and actions, the messages, the composer
 * and the "…" menu. What each action does lives in useAcoesDoChat.
 */
export function Chat({ chamadoId }: { chamadoId: number }) {
  const aoVivo = useLiveUpdates();
  const intervalo = aoVivo.intervalo("conversa");
  const chamado = useChamado(chamadoId, intervalo);
  const mensagens = useMensagens(chamadoId, intervalo);
  const itens = useMemo(() => mensagensDasPaginas(mensagens.data), [mensagens.data]);
  const acoes = useAcoesDoChat(chamadoId, itens, mensagens.data !== undefined);
  const [infoAberta, setInfoAberta] = useState(false);
  const [dialogo, setDialogo] = useState<AcaoMenu | null>(null);
  const [movendo, setMovendo] = useState<Mensagem | null>(null);

  function aoEnviarDoMenu(resposta: ChamadoComMensagem) {
    setDialogo(null);
    acoes.avisarSeDuplicada(resposta);
  }

  const dados = chamado.data;
  // No chamado to show (it does not exist, or the request failed): one message,
  // nothing to read and no composer to type into.
  const indisponivel = chamado.isError && !dados;
  const naoExiste =
    indisponivel && chamado.error instanceof ApiError && chamado.error.status === 404;
  const location = useLocation();
  const navigate = useNavigate();
  // Opened with Enter from the list (ListaConversas): the keyboard goes on typing.
  const focarComposer = pedeFoco(location.state);
  // Opened from a search result or a quote: that message is scrolled to and highlighted.
  const alvo = Number(useSearchParams()[0].get(PARAMETRO_MENSAGEM)) || null;
  const aberto = dados ? chamadoAberto(dados.status) : false;
  const confirmarConclusao = dados?.status === "aguardando_confirmacao";
  const acao = acoes.acao;
  const podeEnviar = dados !== undefined && dados.status !== "cancelado";

  /** A quote's original: here (scrolled to), or in the chat of the chamado it is in. */
  function irParaCitada(citada: Citacao) {
    if (citada.chamado_id === null) return;
    const busca = `?${PARAMETRO_MENSAGEM}=${citada.id}`;
    if (citada.chamado_id === chamadoId) void navigate({ search: busca }, { replace: true });
    else void navigate(`/central/${citada.chamado_id}${busca}`);
  }

  // Closed here (by this operator, or seen by polling with no event stream): the
  // chamado's notes ("confirme para finalizar") are moot, take them down.
  const qc = useQueryClient();
  const statusAnterior = useRef(dados?.status);
  useEffect(() => {
    const status = dados?.status;
    if (status && statusAnterior.current && status !== statusAnterior.current && !aberto) {
      avisosDe(qc).removerDoChamado(chamadoId);
    }
    statusAnterior.current = status;
  }, [dados?.status, aberto, chamadoId, qc]);

  return (
    <section className={`chat${infoAberta ? " chat-com-info" : ""}`} aria-label="Conversa">
      <div className="chat-coluna">
        <header className="chat-topo">
          <Link to="/central" className="btn-icone chat-voltar" aria-label="Voltar às conversas">
            <IconeVoltar width={20} height={20} />
          </Link>
          <div className="chat-titulo">
            {dados ? (
              <>
                <h2>{dados.terceirizado.nome}</h2>
                <p>
                  <span className="chat-numero">{dados.numero_chamado}</span> · {dados.titulo}
                  {dados.local ? <span className="chat-local"> · {dados.local}</span> : null}
                </p>
              </>
            ) : indisponivel ? (
              <h2>{naoExiste ? "Conversa não encontrada" : "Conversa indisponível"}</h2>
            ) : (
              <h2>Carregando…</h2>
            )}
          </div>
          {dados ? (
            <div className="chat-badges">
              <StatusBadge status={dados.status} />
              <PrioridadeBadge prioridade={dados.prioridade} />
              {dados.atrasado ? <AtrasadoBadge /> : null}
            </div>
          ) : null}
          {/* Nothing to act on in a chat that cannot be shown. */}
          {indisponivel ? null : (
            <div className="chat-acoes">
              {aberto ? (
                <>
                  <button
                    type="button"
                    className="btn btn-secundario btn-pequeno"
                    onClick={() => acoes.abrirAcao("cobrar")}
                  >
                    Cobrar
                  </button>
                  <button
                    type="button"
                    className={`btn btn-primario btn-pequeno${confirmarConclusao ? " btn-destaque" : ""}`}
                    onClick={() => acoes.abrirAcao("finalizar")}
                  >
                    {confirmarConclusao ? "Confirmar conclusão" : "Finalizar"}
                  </button>
                </>
              ) : null}
              <button
                type="button"
                className={`btn-icone${infoAberta ? " ativo" : ""}`}
                aria-pressed={infoAberta}
                aria-label="Informações do chamado"
                title="Informações do chamado"
                onClick={() => setInfoAberta((v) => !v)}
              >
                <IconeInfo width={20} height={20} />
              </button>
            </div>
          )}
        </header>
        {indisponivel ? (
          <div className="chat-indisponivel">
            {naoExiste ? (
              <p role="alert">
                O chamado desta conversa não existe ou foi removido.{" "}
                <Link to="/central">Voltar às conversas</Link>
              </p>
            ) : (
              <ErroBox erro={chamado.error} tentarDeNovo={() => chamado.refetch()} />
            )}
          </div>
        ) : (
          <>
            {chamado.isError ? (
              <ErroBox erro={chamado.error} tentarDeNovo={() => chamado.refetch()} />
            ) : null}
            <FaixaBreaker />
            {confirmarConclusao ? (
              <p className="chat-faixa-confirmacao">
                {dados.terceirizado.nome} informou que o serviço foi concluído. Confirme a conclusão
                para finalizar o chamado.
              </p>
            ) : null}
            <ListaMensagens
              itens={acoes.mensagens}
              carregando={mensagens.isPending}
              erro={mensagens.isError ? mensagens.error : null}
              tentarDeNovo={() => mensagens.refetch()}
              temAnteriores={mensagens.hasNextPage}
              carregandoAnteriores={mensagens.isFetchingNextPage}
              carregarAnteriores={() => mensagens.fetchNextPage()}
              rodape={aoVivo.descricao("conversa")}
              modoAoVivo={aoVivo.modo}
              onReenviar={acoes.reenviarMensagem}
              reenviandoId={acoes.reenviandoId}
              alvo={alvo}
              chaveAlvo={location.key}
              nomeTerceirizado={dados?.terceirizado.nome}
              acoes={{
                onResponder: podeEnviar ? acoes.responderA : undefined,
                onMover: dados ? setMovendo : undefined,
                onIrParaCitada: irParaCitada,
              }}
            />
            {acoes.erroEnvio ? (
              <p className="chat-erro-envio" role="alert">
                Não foi possível enviar: {acoes.erroEnvio}
              </p>
            ) : null}
            <Composer
              key={chamadoId}
              chaveRascunho={chamadoId}
              chamadoId={chamadoId}
              focar={focarComposer}
              onEnviar={acoes.enviar}
              respondendo={acoes.respondendo ? citacaoDe(acoes.respondendo) : null}
              nomeTerceirizado={dados?.terceirizado.nome}
              onCancelarResposta={acoes.cancelarResposta}
              desabilitado={dados?.status === "cancelado"}
              motivoDesabilitado="Chamado cancelado: não é possível enviar mensagens."
              menu={
                <MenuAcoes
                  onEscolher={setDialogo}
                  desabilitado={!aberto}
                  motivoDesabilitado="Disponível só com o chamado aberto."
                />
              }
            />
          </>
        )}
      </div>
      {infoAberta ? (
        <InfoPainel chamadoId={chamadoId} onFechar={() => setInfoAberta(false)} />
      ) : null}
      {movendo && dados ? (
        <MoverDialog
          mensagem={movendo}
          chamado={dados}
          onFechar={() => setMovendo(null)}
          onMovidas={(movidas) => {
            // A reply cannot quote a message that is no longer in this chamado.
            const citada = acoes.respondendo?.id;
            if (citada !== undefined && movidas.mensagem_ids.includes(citada)) {
              acoes.cancelarResposta();
            }
          }}
        />
      ) : null}
      {dialogo && dados ? (
        <DialogoDaAcao
          acao={dialogo}
          chamado={dados}
          onFechar={() => setDialogo(null)}
          onEnviado={aoEnviarDoMenu}
        />
      ) : null}
      <ConfirmDialog
        aberto={acao !== null}
        titulo={
          acao === "cobrar"
            ? "Enviar cobrança?"
            : confirmarConclusao
              ? "Confirmar a conclusão?"
              : "Finalizar o chamado?"
        }
        rotuloConfirmar={
          acao === "cobrar"
            ? "Enviar cobrança"
            : confirmarConclusao
              ? "Confirmar conclusão"
              : "Finalizar"
        }
        ocupado={acoes.acaoOcupada}
        erro={acoes.erroAcao}
        onConfirmar={acoes.confirmarAcao}
        onCancelar={acoes.cancelarAcao}
      >
        {acao === "cobrar" ? (
          <p>
            {dados?.terceirizado.nome ?? "O terceirizado"} receberá uma cobrança de retorno pelo
            WhatsApp.
          </p>
        ) : (
          <p>
            O chamado {dados?.numero_chamado} será concluído e{" "}
            {dados?.terceirizado.nome ?? "o terceirizado"} será avisado pelo WhatsApp.
          </p>
        )}
      </ConfirmDialog>
    </section>
  );
}
