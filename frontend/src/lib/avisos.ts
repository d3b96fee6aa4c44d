/**
 * Discreet notes for the operator ("toasts"): what a contractor's tap, a quote or an
 * automation rule just did. They arrive as `notificacao` events; one list per app
 * (per query cache, so each test gets its own), shown by components/Avisos.
 */
import type { QueryClient } from "@tanstack/react-query";
import { useQueryClient } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";

export interface Aviso {
  id: number;
  texto: string;
  chamadoId?: number;
  numeroChamado?: string;
}

/** A toast leaves on its own after this. */
export const DURACAO_AVISO_MS = 8_000;
/** More than this at once: the oldest go first. */
export const MAX_AVISOS = 4;

export class Avisos {
  private lista: Aviso[] = [];
  private proximo = 1;
  private readonly ouvintes = new Set<() => void>();

  getLista = (): Aviso[] => this.lista;

  assinar = (ouvinte: () => void): (() => void) => {
    this.ouvintes.add(ouvinte);
    return () => this.ouvintes.delete(ouvinte);
  };

  adicionar(aviso: Omit<Aviso, "id">): number {
    const id = this.proximo++;
    this.lista = [...this.lista, { ...aviso, id }].slice(-MAX_AVISOS);
    this.avisar();
    return id;
  }

  remover(id: number): void {
    if (!this.lista.some((a) => a.id === id)) return;
    this.lista = this.lista.filter((a) => a.id !== id);
    this.avisar();
  }

  /** Drop every note about a chamado (it was finished or cancelled: they are moot). */
  removerDoChamado(chamadoId: number): void {
    if (!this.lista.some((a) => a.chamadoId === chamadoId)) return;
    this.lista = this.lista.filter((a) => a.chamadoId !== chamadoId);
    this.avisar();
  }

  private avisar(): void {
    for (const ouvinte of this.ouvintes) ouvinte();
  }
}

const porCliente = new WeakMap<QueryClient, Avisos>();

export function avisosDe(qc: QueryClient): Avisos {
  let avisos = porCliente.get(qc);
  if (!avisos) {
    avisos = new Avisos();
    porCliente.set(qc, avisos);
  }
  return avisos;
}

export function useAvisos(): { lista: Aviso[]; avisos: Avisos } {
  const avisos = avisosDe(useQueryClient());
  const lista = useSyncExternalStore(avisos.assinar, avisos.getLista, avisos.getLista);
  return { lista, avisos };
}
