/**
 * What the chat does to the chamado and its messages: reply (with the optimistic
 * list, quoting a message or not), charge the contractor or finish the chamado (after
 * a confirmation), send a failed message again, and mark the conversation read. The
 * five mutations live here; Chat.tsx only lays the pieces out.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { useCobrarChamado, useFinalizarChamado, useResponderChamado } from "../../lib/api/chamados";
import { useMarcarLidas, useReenviarMensagem } from "../../lib/api/conversas";
import { avisosDe } from "../../lib/avisos";
import { ApiError, mensagemDeErro } from "../../lib/http";
import { citacaoDe } from "../../lib/mensagens";
import type { ChamadoComMensagem, Mensagem } from "../../lib/types";
import {
  type Pendente,
  aceitarPendente,
  adicionarPendente,
  comOtimistas,
  descartarPendente,
} from "./listaOtimista";

/** The header's actions, each asked for confirmation first. */
export type AcaoDoChamado = "cobrar" | "finalizar";

/**
 * `itens`: the conversation as loaded (oldest first); `carregou`: whether its first
 * page has arrived (only then is it marked read).
 */
export function useAcoesDoChat(chamadoId: number, itens: Mensagem[], carregou: boolean) {
  const responder = useResponderChamado(chamadoId);
  const cobrar = useCobrarChamado();
  const finalizar = useFinalizarChamado();
  const lidas = useMarcarLidas();
  const reenviar = useReenviarMensagem(chamadoId);
  const qc = useQueryClient();

  const [pendentes, setPendentes] = useState<Pendente[]>([]);
  const [erroEnvio, setErroEnvio] = useState<string | null>(null);
  const [acao, setAcao] = useState<AcaoDoChamado | null>(null);
  // The message the next reply quotes ("Respondendo a …" over the composer).
  const [respondendo, setRespondendo] = useState<Mensagem | null>(null);
  const sequencia = useRef(0);
  const ids = useMemo(() => new Set(itens.map((m) => m.id)), [itens]);

  // Opening the chat, and every new message from the contractor, marks them read.
  const ultimaRecebida = useMemo(
    () => itens.filter((m) => m.direcao === "inbound").at(-1)?.id ?? 0,
    [itens],
  );
  const marcar = lidas.mutate;
  useEffect(() => {
    if (carregou) marcar(chamadoId);
  }, [chamadoId, carregou, ultimaRecebida, marcar]);

  /**
   * Sends a reply, quoting the message chosen with "Responder" if any; true when the
   * server took it (the composer then clears). The quote bar goes with the text, and
   * comes back with it when the server refuses.
   */
  async function enviar(texto: string): Promise<boolean> {
    const chave = ++sequencia.current;
    const citada = respondendo;
    setErroEnvio(null);
    setRespondendo(null);
    setPendentes((atual) =>
      adicionarPendente(
        atual,
        {
          chave,
          texto,
          criado_em: new Date().toISOString(),
          ...(citada ? { citada: citacaoDe(citada) } : {}),
        },
        ids,
      ),
    );
    try {
      const resposta = await responder.mutateAsync(
        citada ? { mensagem: texto, citada_id: citada.id } : { mensagem: texto },
      );
      setPendentes((atual) => aceitarPendente(atual, chave, resposta.mensagem.id));
      return true;
    } catch (erro) {
      setPendentes((atual) => descartarPendente(atual, chave));
      if (citada) setRespondendo((atual) => atual ?? citada);
      // A 401 already sends the user to the login; nothing to say here.
      if (!(erro instanceof ApiError && erro.status === 401)) setErroEnvio(mensagemDeErro(erro));
      return false;
    }
  }

  function reenviarMensagem(mensagem: Mensagem) {
    setErroEnvio(null);
    reenviar.mutate(mensagem.id, {
      onError: (erro) => setErroEnvio(mensagemDeErro(erro)),
    });
  }

  const mutacaoAcao = acao === "cobrar" ? cobrar : acao === "finalizar" ? finalizar : null;

  function abrirAcao(nova: AcaoDoChamado) {
    cobrar.reset();
    finalizar.reset();
    setAcao(nova);
  }

  function confirmarAcao() {
    if (!mutacaoAcao || mutacaoAcao.isPending) return;
    mutacaoAcao.mutate(chamadoId, { onSuccess: () => setAcao(null) });
  }

  /** After a send from the "…" menu: a duplicate (same text within 30 s) was not sent. */
  function avisarSeDuplicada(resposta: ChamadoComMensagem) {
    if (resposta.envio === "duplicada") {
      avisosDe(qc).adicionar({
        texto: "Igual a uma mensagem enviada há menos de 30 s: não foi enviada de novo.",
      });
    }
  }

  return {
    /** The conversation plus the replies the server has not listed yet. */
    mensagens: comOtimistas(itens, pendentes, chamadoId),
    enviar,
    erroEnvio,
    respondendo,
    responderA: setRespondendo,
    cancelarResposta: () => setRespondendo(null),
    reenviarMensagem,
    reenviandoId: reenviar.isPending ? reenviar.variables : undefined,
    acao,
    abrirAcao,
    confirmarAcao,
    cancelarAcao: () => setAcao(null),
    acaoOcupada: mutacaoAcao?.isPending ?? false,
    erroAcao: mutacaoAcao?.error ? mensagemDeErro(mutacaoAcao.error) : null,
    avisarSeDuplicada,
  };
}
