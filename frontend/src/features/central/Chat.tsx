import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { Link } from "react-router";
import { AtrasadoBadge, PrioridadeBadge, StatusBadge } from "../../components/Badges";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Carregando, ErroBox } from "../../components/Feedback";
import { IconeInfo, IconeVoltar } from "../../components/Icones";
import {
  useChamado,
  useCobrarChamado,
  useFinalizarChamado,
  useResponderChamado,
} from "../../lib/api/chamados";
import { useMarcarLidas, useMensagens, useReenviarMensagem } from "../../lib/api/conversas";
import { chaveDia, rotuloDia } from "../../lib/format";
import { ApiError, mensagemDeErro } from "../../lib/http";
import { chamadoAberto } from "../../lib/labels";
import type { ModoAoVivo } from "../../lib/live/conexao";
import { useLiveUpdates } from "../../lib/live/useLiveUpdates";
import { avisosDe } from "../../lib/avisos";
import type { ChamadoComMensagem, Mensagem } from "../../lib/types";
import { Bolha } from "./Bolha";
import { Composer } from "./Composer";
import { FaixaBreaker } from "./FaixaBreaker";
import { InfoPainel } from "./InfoPainel";
import { DialogoDaAcao } from "./menu/DialogoDaAcao";
import { type AcaoMenu, MenuAcoes } from "./menu/MenuAcoes";

interface Pendente {
  chave: number;
  texto: string;
  criado_em: string;
  /** The server's id once accepted: the bubble goes when that message is in the list. */
  servidorId?: number;
}

type Acao = "cobrar" | "finalizar";

function mensagemOtimista(p: Pendente, chamadoId: number): Mensagem {
  return {
    id: -p.chave,
    chamado_id: chamadoId,
    direcao: "outbound",
    tipo: "resposta_manual",
    tipo_conteudo: "text",
    texto: p.texto,
    conteudo: null,
    destinatario: "",
    url_midia: null,
    caption: null,
    transcricao: null,
    status_envio: "pendente",
    erro: null,
    megaapi_id: null,
    prioridade: "normal",
    tentativas: 0,
    lida_em: null,
    criado_em: p.criado_em,
    enviado_em: null,
    entregue_em: null,
    lido_em: null,
  };
}

export function Chat({ chamadoId }: { chamadoId: number }) {
  const aoVivo = useLiveUpdates();
  const intervalo = aoVivo.intervalo("conversa");
  const chamado = useChamado(chamadoId, intervalo);
  const mensagens = useMensagens(chamadoId, intervalo);
  const responder = useResponderChamado(chamadoId);
  const cobrar = useCobrarChamado();
  const finalizar = useFinalizarChamado();
  const lidas = useMarcarLidas();
  const reenviar = useReenviarMensagem(chamadoId);
  const [pendentes, setPendentes] = useState<Pendente[]>([]);
  const [erroEnvio, setErroEnvio] = useState<string | null>(null);
  const [acao, setAcao] = useState<Acao | null>(null);
  const [infoAberta, setInfoAberta] = useState(false);
  const [dialogo, setDialogo] = useState<AcaoMenu | null>(null);
  const qc = useQueryClient();
  const sequencia = useRef(0);

  const itens = useMemo(() => {
    const vistos = new Map<number, Mensagem>();
    for (const pagina of [...(mensagens.data?.pages ?? [])].reverse()) {
      for (const m of pagina.items) vistos.set(m.id, m);
    }
    return [...vistos.values()];
  }, [mensagens.data]);

  // Opening the chat, and every new message from the contractor, marks them read.
  const carregou = mensagens.data !== undefined;
  const ultimaRecebida = useMemo(
    () => itens.filter((m) => m.direcao === "inbound").at(-1)?.id ?? 0,
    [itens],
  );
  const marcar = lidas.mutate;
  useEffect(() => {
    if (carregou) marcar(chamadoId);
  }, [chamadoId, carregou, ultimaRecebida, marcar]);

  async function enviar(texto: string): Promise<boolean> {
    const chave = ++sequencia.current;
    setErroEnvio(null);
    setPendentes((atual) => [...atual, { chave, texto, criado_em: new Date().toISOString() }]);
    try {
      const resposta = await responder.mutateAsync(texto);
      setPendentes((atual) =>
        atual.map((p) => (p.chave === chave ? { ...p, servidorId: resposta.mensagem.id } : p)),
      );
      return true;
    } catch (erro) {
      setPendentes((atual) => atual.filter((p) => p.chave !== chave));
      if (!(erro instanceof ApiError && erro.status === 401)) setErroEnvio(mensagemDeErro(erro));
      return false;
    }
  }

  // Forget optimistic bubbles whose server message has arrived.
  const ids = useMemo(() => new Set(itens.map((m) => m.id)), [itens]);
  useEffect(() => {
    if (pendentes.some((p) => p.servidorId !== undefined && ids.has(p.servidorId))) {
      setPendentes((atual) =>
        atual.filter((p) => p.servidorId === undefined || !ids.has(p.servidorId)),
      );
    }
  }, [ids, pendentes]);

  function reenviarMensagem(mensagem: Mensagem) {
    setErroEnvio(null);
    reenviar.mutate(mensagem.id, {
      onError: (erro) => setErroEnvio(mensagemDeErro(erro)),
    });
  }

  const mutacaoAcao = acao === "cobrar" ? cobrar : acao === "finalizar" ? finalizar : null;
  function confirmarAcao() {
    if (!mutacaoAcao || mutacaoAcao.isPending) return;
    mutacaoAcao.mutate(chamadoId, { onSuccess: () => setAcao(null) });
  }
  function abrirAcao(nova: Acao) {
    cobrar.reset();
    finalizar.reset();
    setAcao(nova);
  }

  function aoEnviarAcao(resposta: ChamadoComMensagem) {
    setDialogo(null);
    if (resposta.envio === "duplicada") {
      avisosDe(qc).adicionar({
        texto: "Igual a uma mensagem enviada há menos de 30 s: não foi enviada de novo.",
      });
    }
  }

  const dados = chamado.data;
  const aberto = dados ? chamadoAberto(dados.status) : false;
  const confirmarConclusao = dados?.status === "aguardando_confirmacao";
  const todas = [
    ...itens,
    ...pendentes
      .filter((p) => p.servidorId === undefined || !ids.has(p.servidorId))
      .map((p) => mensagemOtimista(p, chamadoId)),
  ];

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
                </p>
              </>
            ) : chamado.isError ? (
              <h2>Conversa indisponível</h2>
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
          <div className="chat-acoes">
            {aberto ? (
              <>
                <button
                  type="button"
                  className="btn btn-secundario btn-pequeno"
                  onClick={() => abrirAcao("cobrar")}
                >
                  Cobrar
                </button>
                <button
                  type="button"
                  className={`btn btn-primario btn-pequeno${confirmarConclusao ? " btn-destaque" : ""}`}
                  onClick={() => abrirAcao("finalizar")}
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
        </header>
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
        <Mensagens
          itens={todas}
          carregando={mensagens.isPending}
          erro={mensagens.isError ? mensagens.error : null}
          tentarDeNovo={() => mensagens.refetch()}
          temAnteriores={mensagens.hasNextPage}
          carregandoAnteriores={mensagens.isFetchingNextPage}
          carregarAnteriores={() => mensagens.fetchNextPage()}
          rodape={aoVivo.descricao("conversa")}
          modoAoVivo={aoVivo.modo}
          onReenviar={reenviarMensagem}
          reenviandoId={reenviar.isPending ? reenviar.variables : undefined}
        />
        {erroEnvio ? (
          <p className="chat-erro-envio" role="alert">
            Não foi possível enviar: {erroEnvio}
          </p>
        ) : null}
        <Composer
          key={chamadoId}
          chaveRascunho={chamadoId}
          onEnviar={enviar}
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
      </div>
      {infoAberta ? (
        <InfoPainel chamadoId={chamadoId} onFechar={() => setInfoAberta(false)} />
      ) : null}
      {dialogo && dados ? (
        <DialogoDaAcao
          acao={dialogo}
          chamado={dados}
          onFechar={() => setDialogo(null)}
          onEnviado={aoEnviarAcao}
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
        ocupado={mutacaoAcao?.isPending}
        erro={mutacaoAcao?.error ? mensagemDeErro(mutacaoAcao.error) : null}
        onConfirmar={confirmarAcao}
        onCancelar={() => setAcao(null)}
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

interface MensagensProps {
  itens: Mensagem[];
  carregando: boolean;
  erro: unknown;
  tentarDeNovo: () => void;
  temAnteriores: boolean;
  carregandoAnteriores: boolean;
  carregarAnteriores: () => void;
  rodape: string;
  modoAoVivo: ModoAoVivo;
  onReenviar: (mensagem: Mensagem) => void;
  reenviandoId: number | undefined;
}

/** The scrolling history: stays at the bottom for new messages, keeps its place for older ones. */
function Mensagens({
  itens,
  carregando,
  erro,
  tentarDeNovo,
  temAnteriores,
  carregandoAnteriores,
  carregarAnteriores,
  rodape,
  modoAoVivo,
  onReenviar,
  reenviandoId,
}: MensagensProps) {
  const caixa = useRef<HTMLDivElement>(null);
  const noFim = useRef(true);
  const distanciaDoFim = useRef<number | null>(null);
  const ultimaId = itens.at(-1)?.id;

  useLayoutEffect(() => {
    const el = caixa.current;
    if (!el) return;
    if (distanciaDoFim.current !== null) {
      if (carregandoAnteriores) return;
      el.scrollTop = el.scrollHeight - distanciaDoFim.current;
      distanciaDoFim.current = null;
    } else if (noFim.current || (ultimaId !== undefined && ultimaId < 0)) {
      el.scrollTop = el.scrollHeight;
    }
  }, [itens.length, ultimaId, carregandoAnteriores]);

  function aoRolar() {
    const el = caixa.current;
    if (el) noFim.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
  }

  function anteriores() {
    const el = caixa.current;
    if (el) distanciaDoFim.current = el.scrollHeight - el.scrollTop;
    carregarAnteriores();
  }

  const grupos: { chave: string; rotulo: string; mensagens: Mensagem[] }[] = [];
  for (const m of itens) {
    const chave = chaveDia(m.criado_em);
    const ultimo = grupos.at(-1);
    if (ultimo && ultimo.chave === chave) ultimo.mensagens.push(m);
    else grupos.push({ chave, rotulo: rotuloDia(m.criado_em), mensagens: [m] });
  }

  return (
    <div
      className="chat-mensagens"
      ref={caixa}
      onScroll={aoRolar}
      tabIndex={0}
      aria-label="Mensagens"
    >
      {temAnteriores ? (
        <div className="chat-anteriores">
          <button
            type="button"
            className="btn btn-secundario btn-pequeno"
            onClick={anteriores}
            disabled={carregandoAnteriores}
          >
            {carregandoAnteriores ? "Carregando…" : "Carregar anteriores"}
          </button>
        </div>
      ) : null}
      {carregando ? <Carregando texto="Carregando mensagens…" /> : null}
      {erro ? <ErroBox erro={erro} tentarDeNovo={tentarDeNovo} /> : null}
      {!carregando && !erro && itens.length === 0 ? (
        <p className="chat-vazio">Nenhuma mensagem nesta conversa ainda.</p>
      ) : null}
      {grupos.map((grupo) => (
        <div key={grupo.chave} className="chat-dia">
          <div className="separador-dia">
            <span>{grupo.rotulo}</span>
          </div>
          <ol className="lista-bolhas">
            {grupo.mensagens.map((m) => (
              <Bolha
                key={m.id}
                mensagem={m}
                otimista={m.id < 0}
                onReenviar={onReenviar}
                reenviando={reenviandoId === m.id}
              />
            ))}
          </ol>
        </div>
      ))}
      <p className={`chat-ao-vivo ao-vivo ao-vivo-${modoAoVivo}`}>{rodape}</p>
    </div>
  );
}
