/**
 * New inbound messages for the operator's attention while they look elsewhere:
 * eventos.ts reports each `mensagem.nova` from a contractor here; the header's
 * bell (components/Notificacoes) turns them into a browser notification, a sound
 * and a count in the tab title. One stream of reports per app (per query cache,
 * so each test gets its own); the on/off choice is per user, in localStorage.
 */
import type { QueryClient } from "@tanstack/react-query";

export interface MensagemRecebida {
  chamadoId: number;
  mensagemId: number;
}

export class Recebidas {
  private readonly ouvintes = new Set<(m: MensagemRecebida) => void>();
  // The stream may replay an event after a reconnect: one report per message.
  private readonly vistas = new Set<number>();

  assinar = (ouvinte: (m: MensagemRecebida) => void): (() => void) => {
    this.ouvintes.add(ouvinte);
    return () => this.ouvintes.delete(ouvinte);
  };

  informar(mensagem: MensagemRecebida): void {
    if (this.vistas.has(mensagem.mensagemId)) return;
    this.vistas.add(mensagem.mensagemId);
    for (const ouvinte of this.ouvintes) ouvinte(mensagem);
  }
}

const porCliente = new WeakMap<QueryClient, Recebidas>();

export function recebidasDe(qc: QueryClient): Recebidas {
  let recebidas = porCliente.get(qc);
  if (!recebidas) {
    recebidas = new Recebidas();
    porCliente.set(qc, recebidas);
  }
  return recebidas;
}

export interface PreferenciaNotificacoes {
  /** Browser notifications for new messages. */
  ativas: boolean;
  /** A short sound with each one. */
  som: boolean;
}

const PADRAO: PreferenciaNotificacoes = { ativas: false, som: false };

function chave(usuarioId: number): string {
  return `gmm:notificacoes:${usuarioId}`;
}

export function lerPreferencia(usuarioId: number): PreferenciaNotificacoes {
  try {
    const valor: unknown = JSON.parse(localStorage.getItem(chave(usuarioId)) ?? "null");
    if (typeof valor !== "object" || valor === null) return PADRAO;
    return {
      ativas: Reflect.get(valor, "ativas") === true,
      som: Reflect.get(valor, "som") === true,
    };
  } catch {
    return PADRAO;
  }
}

export function salvarPreferencia(usuarioId: number, preferencia: PreferenciaNotificacoes): void {
  try {
    localStorage.setItem(chave(usuarioId), JSON.stringify(preferencia));
  } catch {
    // Private mode or a full storage: the choice lasts this page only.
  }
}

/** "(3) GMM Central de Mensagens": the unread count first, as the tab shows little. */
export function tituloComContagem(base: string, naoLidas: number): string {
  return naoLidas > 0 ? `(${naoLidas}) ${base}` : base;
}
