/**
 * What each server event does to the query cache. Events carry ids and the fields
 * that changed, never whole rows: a tick is updated in place at once, and the
 * affected queries are invalidated so the screens on view refetch the rest (only
 * active queries refetch; the others are just marked stale). Events come in bursts
 * (an album of photos, three acks per message): what a burst touches is refetched
 * once, when it is over, not once per event, each cancelling the one before.
 */
import {
  type InfiniteData,
  type QueryClient,
  type QueryKey,
  matchQuery,
} from "@tanstack/react-query";
import { chamadosKeys } from "../api/chamados";
import { conversasKeys } from "../api/conversas";
import { monitoramentoKeys } from "../api/monitoramento";
import { avisosDe } from "../avisos";
import { recebidasDe } from "../notificacoes";
import type {
  AlertaEvento,
  ChamadoAtualizado,
  ConexaoEvento,
  Conversa,
  Mensagem,
  MensagemAlterada,
  MensagemNova,
  MensagemStatus,
  MensagensMovidas,
  Notificacao,
  Page,
  Reset,
} from "../types";

/** Each SSE `event:` name and its `data`: the schemas with `x-evento` in openapi.yaml. */
export interface Eventos {
  "mensagem.nova": MensagemNova;
  "mensagem.status": MensagemStatus;
  "mensagem.alterada": MensagemAlterada;
  "mensagens.movidas": MensagensMovidas;
  "chamado.atualizado": ChamadoAtualizado;
  notificacao: Notificacao;
  alerta: AlertaEvento;
  conexao: ConexaoEvento;
  reset: Reset;
}

export type Evento = { [T in keyof Eventos]: { tipo: T; dados: Eventos[T] } }[keyof Eventos];

export const TIPOS_EVENTO: (keyof Eventos)[] = [
  "mensagem.nova",
  "mensagem.status",
  "mensagem.alterada",
  "mensagens.movidas",
  "chamado.atualizado",
  "notificacao",
  "alerta",
  "conexao",
  "reset",
];

function mudarMensagens(
  dados: InfiniteData<Page<Mensagem>> | undefined,
  evento: MensagemStatus,
): InfiniteData<Page<Mensagem>> | undefined {
  if (!dados) return dados;
  return {
    ...dados,
    pages: dados.pages.map((pagina) => ({
      ...pagina,
      items: pagina.items.map((m) =>
        m.id === evento.mensagem_id
          ? { ...m, status_envio: evento.status_envio, erro: evento.erro ?? m.erro }
          : m,
      ),
    })),
  };
}

function mudarConversas(
  dados: InfiniteData<Page<Conversa>> | undefined,
  evento: MensagemStatus,
): InfiniteData<Page<Conversa>> | undefined {
  if (!dados) return dados;
  return {
    ...dados,
    pages: dados.pages.map((pagina) => ({
      ...pagina,
      items: pagina.items.map((c) =>
        c.ultima_mensagem?.id === evento.mensagem_id
          ? { ...c, ultima_mensagem: { ...c.ultima_mensagem, status_envio: evento.status_envio } }
          : c,
      ),
    })),
  };
}

/** Events within this long of the first one of a burst are refetched together. */
export const AGRUPAR_MS = 200;

const pendentes = new WeakMap<QueryClient, QueryKey[]>();

/**
 * Stale at once (a screen opened now refetches it), and refetched on the screens
 * with the rest of the burst; a refetch already under way is cancelled then, as it
 * may have read before the event.
 */
function invalidar(qc: QueryClient, queryKey: QueryKey): void {
  void qc.invalidateQueries({ queryKey, refetchType: "none" });
  const chaves = pendentes.get(qc);
  if (chaves) {
    chaves.push(queryKey);
    return;
  }
  const novas = [queryKey];
  pendentes.set(qc, novas);
  setTimeout(() => {
    pendentes.delete(qc);
    void qc.refetchQueries({
      type: "active",
      predicate: (query) => novas.some((chave) => matchQuery({ queryKey: chave }, query)),
    });
  }, AGRUPAR_MS);
}

function invalidarConversa(qc: QueryClient, chamadoId: number | null): void {
  invalidar(qc, conversasKeys.listas);
  if (chamadoId == null) return;
  invalidar(qc, conversasKeys.mensagens(chamadoId));
  invalidar(qc, chamadosKeys.info(chamadoId));
}

function invalidarChamado(qc: QueryClient, chamadoId: number): void {
  invalidar(qc, chamadosKeys.detalhe(chamadoId));
  invalidar(qc, chamadosKeys.info(chamadoId));
  invalidar(qc, chamadosKeys.historico(chamadoId));
  invalidar(qc, chamadosKeys.listas);
  invalidar(qc, conversasKeys.listas);
}

/**
 * The server keeps the panel for up to 2 s (PAINEL_CACHE_MS): a refetch right after
 * the event may still get the numbers from before it, so a second one follows once
 * that copy has expired.
 */
export const PAINEL_CACHE_MS = 2_000;

function atualizarPainel(qc: QueryClient, queryKey: readonly unknown[]): void {
  void qc.invalidateQueries({ queryKey });
  setTimeout(() => void qc.invalidateQueries({ queryKey }), PAINEL_CACHE_MS + 500);
}

/** Apply one event to the cache; only the types above are listened to (newer servers may add some). */
export function aplicarEvento(qc: QueryClient, { tipo, dados }: Evento): void {
  switch (tipo) {
    case "mensagem.nova": {
      const evento = dados;
      invalidarConversa(qc, evento.chamado_id);
      if (evento.direcao === "inbound" && evento.chamado_id != null) {
        recebidasDe(qc).informar({ chamadoId: evento.chamado_id, mensagemId: evento.mensagem_id });
      }
      // An inbound message that matched no open chamado waits to be assigned.
      if (evento.chamado_id == null) {
        invalidar(qc, conversasKeys.naoAtribuidas);
      }
      return;
    }
    case "mensagem.status": {
      const evento = dados;
      // The ticks move at once. The list shows nothing else of a status, so it is
      // not refetched (acks come three per message); the chat is, for what else
      // changed with it (a downloaded file's URL, the times).
      qc.setQueriesData<InfiniteData<Page<Conversa>>>({ queryKey: conversasKeys.listas }, (atual) =>
        mudarConversas(atual, evento),
      );
      if (evento.chamado_id == null) return;
      qc.setQueryData<InfiniteData<Page<Mensagem>>>(
        conversasKeys.mensagens(evento.chamado_id),
        (atual) => mudarMensagens(atual, evento),
      );
      invalidar(qc, conversasKeys.mensagens(evento.chamado_id));
      invalidar(qc, chamadosKeys.info(evento.chamado_id));
      return;
    }
    case "mensagem.alterada": {
      // A reaction, an edit or a delete: the chat shows it, and the list's preview
      // may be that message. Nothing new arrived, so no notification.
      invalidar(qc, conversasKeys.listas);
      if (dados.chamado_id == null) invalidar(qc, conversasKeys.naoAtribuidas);
      else invalidar(qc, conversasKeys.mensagens(dados.chamado_id));
      return;
    }
    case "mensagens.movidas": {
      // Both chats, their panels' counts and the lists (the contractor's page with them).
      invalidarConversa(qc, dados.de_chamado_id);
      invalidarConversa(qc, dados.para_chamado_id);
      return;
    }
    case "chamado.atualizado": {
      invalidarChamado(qc, dados.chamado_id);
      // "Confirme para finalizar" and the like mean nothing once it is closed.
      if (dados.status === "concluido" || dados.status === "cancelado") {
        avisosDe(qc).removerDoChamado(dados.chamado_id);
      }
      return;
    }
    case "notificacao": {
      const evento = dados;
      if (typeof evento.texto !== "string" || !evento.texto) return;
      avisosDe(qc).adicionar({
        texto: evento.texto,
        chamadoId: evento.chamado_id,
        numeroChamado: evento.numero_chamado,
      });
      // The note says the chamado changed (a status, a quote, a visit): show it so.
      if (typeof evento.chamado_id === "number") {
        invalidarChamado(qc, evento.chamado_id);
        invalidar(qc, conversasKeys.mensagens(evento.chamado_id));
      }
      return;
    }
    case "alerta": {
      // The panel (breaker, open alerts) and the history change together.
      atualizarPainel(qc, monitoramentoKeys.all);
      return;
    }
    case "conexao": {
      atualizarPainel(qc, monitoramentoKeys.metricas);
      return;
    }
    case "reset": {
      // Events were lost (the client was away too long): refetch everything on view.
      void qc.invalidateQueries();
      return;
    }
  }
}

/** When events may have been missed (a new stream, the polling fallback), refresh what they keep fresh. */
export function recuperarAposQueda(qc: QueryClient): void {
  void qc.invalidateQueries({ queryKey: conversasKeys.all });
  void qc.invalidateQueries({ queryKey: chamadosKeys.all });
  void qc.invalidateQueries({ queryKey: monitoramentoKeys.all });
}
