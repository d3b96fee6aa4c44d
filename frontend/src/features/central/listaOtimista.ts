/**
 * The chat's optimistic list: what the operator sends shows at once as a "pending"
 * bubble, gets the server's id when POST /responder answers, and leaves when that
 * message is in the conversation's pages (the refetch, or a live event), so it never
 * shows twice. Pure functions; the state lives in useAcoesDoChat.
 */
import type { InfiniteData } from "@tanstack/react-query";
import type { Citacao, Mensagem, Page } from "../../lib/types";

export interface Pendente {
  /** Local, increasing: tells the bubbles apart (and gives them negative ids). */
  chave: number;
  texto: string;
  criado_em: string;
  /** The message it replies to: the bubble shows the quote at once. */
  citada?: Citacao;
  /** The server's id once accepted: the bubble goes when that message is in the list. */
  servidorId?: number;
}

/**
 * The conversation's pages as one list, oldest first, each message once. The pages
 * come newest first (each one oldest-to-newest); a message seen in two pages (a new
 * one pushed the cursor) counts with its newest copy.
 */
export function mensagensDasPaginas(
  dados: InfiniteData<Page<Mensagem>, unknown> | undefined,
): Mensagem[] {
  const vistos = new Map<number, Mensagem>();
  for (const pagina of [...(dados?.pages ?? [])].reverse()) {
    for (const m of pagina.items) vistos.set(m.id, m);
  }
  return [...vistos.values()];
}

/** The pending messages the conversation does not list yet. */
export function aindaPendentes(pendentes: Pendente[], ids: ReadonlySet<number>): Pendente[] {
  return pendentes.filter((p) => p.servidorId === undefined || !ids.has(p.servidorId));
}

/** A new pending message (those already listed by the server are forgotten on the way). */
export function adicionarPendente(
  pendentes: Pendente[],
  novo: Pendente,
  ids: ReadonlySet<number>,
): Pendente[] {
  return [...aindaPendentes(pendentes, ids), novo];
}

/** The server took it: from now on it waits for that id to show in the conversation. */
export function aceitarPendente(
  pendentes: Pendente[],
  chave: number,
  servidorId: number,
): Pendente[] {
  return pendentes.map((p) => (p.chave === chave ? { ...p, servidorId } : p));
}

/** The server refused it: the bubble goes (the composer keeps the text). */
export function descartarPendente(pendentes: Pendente[], chave: number): Pendente[] {
  return pendentes.filter((p) => p.chave !== chave);
}

/** The bubble of a pending message: an outbound manual reply, "pendente", id `-chave`. */
export function mensagemOtimista(p: Pendente, chamadoId: number): Mensagem {
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
    citada: p.citada ?? null,
    reacao: null,
    reagida_em: null,
    editada_em: null,
    texto_original: null,
    apagada_em: null,
    terceirizado_id: null,
  };
}

/** What the chat shows: the conversation, then the bubbles the server has not listed yet. */
export function comOtimistas(
  itens: Mensagem[],
  pendentes: Pendente[],
  chamadoId: number,
): Mensagem[] {
  const ids = new Set(itens.map((m) => m.id));
  return [...itens, ...aindaPendentes(pendentes, ids).map((p) => mensagemOtimista(p, chamadoId))];
}
