/**
 * The signed-in session (token + user), kept in localStorage so a reload keeps it.
 * A 401 from the API ends it with reason "expirada": the router then sends the
 * user to /login and back to where they were after signing in again.
 */
import { useSyncExternalStore } from "react";
import type { Usuario } from "./types";

const KEY = "gmm:sessao";

export interface Sessao {
  token: string;
  usuario: Usuario;
  expiraEm: number;
}

export type MotivoFim = "saiu" | "expirada";

let atual: Sessao | null = ler();
let ultimoMotivo: MotivoFim | null = null;
const ouvintes = new Set<() => void>();

function ler(): Sessao | null {
  try {
    const bruto = localStorage.getItem(KEY);
    if (!bruto) return null;
    const sessao = JSON.parse(bruto) as Sessao;
    if (typeof sessao.token !== "string" || sessao.expiraEm <= Date.now()) return null;
    return sessao;
  } catch {
    return null;
  }
}

function avisar(): void {
  for (const ouvinte of ouvintes) ouvinte();
}

export function getSessao(): Sessao | null {
  if (atual && atual.expiraEm <= Date.now()) {
    encerrarSessao("expirada");
  }
  return atual;
}

export function getToken(): string | null {
  return getSessao()?.token ?? null;
}

export function iniciarSessao(token: string, usuario: Usuario, expiresIn: number): void {
  atual = { token, usuario, expiraEm: Date.now() + expiresIn * 1000 };
  ultimoMotivo = null;
  localStorage.setItem(KEY, JSON.stringify(atual));
  avisar();
}

export function encerrarSessao(motivo: MotivoFim): void {
  if (!atual) return;
  atual = null;
  ultimoMotivo = motivo;
  localStorage.removeItem(KEY);
  avisar();
}

/** Why the last session ended (to tell "sua sessão expirou" from a logout). */
export function motivoDoFim(): MotivoFim | null {
  return ultimoMotivo;
}

export function assinarSessao(ouvinte: () => void): () => void {
  ouvintes.add(ouvinte);
  return () => ouvintes.delete(ouvinte);
}

export function useSessao(): Sessao | null {
  return useSyncExternalStore(
    assinarSessao,
    () => atual,
    () => atual,
  );
}

/** Test helper: forget everything in memory. */
export function _resetSessao(): void {
  atual = ler();
  ultimoMotivo = null;
}
