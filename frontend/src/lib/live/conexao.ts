/**
 * One EventSource per signed-in app, shared by every screen that wants live data.
 *
 * States: "conectando" (opening), "sse" (open, or the browser reconnecting by
 * itself for a few seconds: events keep the cache fresh, no polling) and
 * "polling" (no stream for a while: the screens poll). The browser's EventSource
 * reconnects on its own after a network error, sending Last-Event-ID, and the
 * server replays what was missed; an HTTP error (401, 503) closes it for good, so
 * a new one is opened later, with the last id seen as `?last_event_id=`.
 *
 * The first stream of a session has no id to resume from, and the screens read
 * their data before it opens: it asks the server to start as far back as the
 * session's first reads (`?recuar_ms=`), so what changed in between comes as
 * events, instead of every screen reading everything twice.
 */
import type { QueryClient } from "@tanstack/react-query";
import { urlDaApi } from "../api/cliente";
import { TIPOS_EVENTO, aplicarEvento, recuperarAposQueda, type Evento } from "./eventos";

export type ModoAoVivo = "conectando" | "sse" | "polling";

/** Without an open stream this long, the screens poll. */
export const ESPERA_ABRIR_MS = 5_000;
/** A closed stream is opened again after this, doubling up to the maximum. */
export const NOVA_TENTATIVA_MS = 5_000;
export const NOVA_TENTATIVA_MAX_MS = 60_000;
/**
 * How far back the first stream starts, beyond the time since the session began: a
 * request reaches the server later than it leaves, and the screens' first reads may
 * start a moment before this connection learns its token (their effects run first).
 */
export const MARGEM_RECUO_MS = 2_000;
/** The server keeps ten minutes of events; a session older than that without a
 * stream refetches what it shows instead. */
export const RECUO_MAX_MS = 10 * 60 * 1000;

export class ConexaoAoVivo {
  private modo: ModoAoVivo = "conectando";
  private fonte: EventSource | null = null;
  private token: string | null = null;
  private ultimoId: string | null = null;
  /** When this session's token arrived (performance.now()): its screens read after it. */
  private desde = 0;
  private esperaAbrir: ReturnType<typeof setTimeout> | undefined;
  private novaTentativa: ReturnType<typeof setTimeout> | undefined;
  private atraso = NOVA_TENTATIVA_MS;
  private usuarios = 0;
  private readonly ouvintes = new Set<() => void>();
  private readonly qc: QueryClient;

  constructor(qc: QueryClient) {
    this.qc = qc;
  }

  getModo = (): ModoAoVivo => this.modo;

  assinar = (ouvinte: () => void): (() => void) => {
    this.ouvintes.add(ouvinte);
    return () => this.ouvintes.delete(ouvinte);
  };

  /** A screen needs live data with this token; answers the release. */
  usar(token: string | null): () => void {
    this.usuarios += 1;
    if (token !== this.token) {
      this.token = token;
      this.ultimoId = null;
      this.desde = performance.now();
      this.abrir();
    }
    return () => {
      this.usuarios -= 1;
      // React re-runs effects (StrictMode, a chat switching): close only if
      // nobody took it back in the meantime.
      queueMicrotask(() => {
        if (this.usuarios === 0) {
          this.token = null;
          this.parar();
          this.mudar("conectando");
        }
      });
    };
  }

  private mudar(modo: ModoAoVivo): void {
    if (modo === this.modo) return;
    this.modo = modo;
    for (const ouvinte of this.ouvintes) ouvinte();
  }

  private parar(): void {
    clearTimeout(this.esperaAbrir);
    clearTimeout(this.novaTentativa);
    this.fonte?.close();
    this.fonte = null;
  }

  private abrir(): void {
    this.parar();
    if (!this.token || typeof EventSource === "undefined") {
      this.mudar("polling");
      return;
    }
    const recuo = Math.ceil(performance.now() - this.desde) + MARGEM_RECUO_MS;
    const recuar = this.ultimoId === null && recuo <= RECUO_MAX_MS ? recuo : null;
    // EventSource sends no headers: the token goes in the query, as the API accepts here.
    const fonte = new EventSource(
      urlDaApi("get", "/api/eventos", {
        query: { access_token: this.token, last_event_id: this.ultimoId, recuar_ms: recuar },
      }),
    );
    this.fonte = fonte;
    // With no point to resume from, the server starts at its end of the stream when
    // the request arrives: whatever changed since the screens' first reads would
    // never come as an event (an inbound message landing during page load).
    let semRetomada = this.ultimoId === null && recuar === null;
    this.aguardarAbertura();

    fonte.addEventListener("open", () => {
      if (this.fonte !== fonte) return;
      clearTimeout(this.esperaAbrir);
      this.atraso = NOVA_TENTATIVA_MS;
      // Everything else resumes: the server replays what was missed (or says
      // `reset` when it no longer can), so nothing is read twice.
      if (semRetomada) recuperarAposQueda(this.qc);
      semRetomada = false;
      this.mudar("sse");
    });
    fonte.addEventListener("error", () => {
      if (this.fonte !== fonte) return;
      if (fonte.readyState === EventSource.CLOSED) {
        // An HTTP error (401, 503): the browser gives up; poll and try again later.
        this.mudar("polling");
        this.fonte = null;
        clearTimeout(this.esperaAbrir);
        this.novaTentativa = setTimeout(() => this.abrir(), this.atraso);
        this.atraso = Math.min(this.atraso * 2, NOVA_TENTATIVA_MAX_MS);
      } else if (this.modo === "sse") {
        // The browser is reconnecting by itself (it resumes from Last-Event-ID, and
        // the server ends each stream every few minutes): still "ao vivo" unless
        // that takes long.
        this.aguardarAbertura();
      }
    });
    for (const tipo of TIPOS_EVENTO) {
      fonte.addEventListener(tipo, (evento) => {
        if (this.fonte !== fonte) return;
        const mensagem = evento as MessageEvent<string>;
        if (mensagem.lastEventId) this.ultimoId = mensagem.lastEventId;
        let dados: unknown;
        try {
          dados = JSON.parse(mensagem.data);
        } catch {
          return;
        }
        // The data of this event name is its schema in openapi.yaml (x-evento): the
        // server's contract, taken at its word here, at the edge.
        aplicarEvento(this.qc, { tipo, dados } as Evento);
      });
    }
  }

  private aguardarAbertura(): void {
    clearTimeout(this.esperaAbrir);
    this.esperaAbrir = setTimeout(() => {
      if (this.fonte?.readyState !== EventSource.OPEN) this.mudar("polling");
    }, ESPERA_ABRIR_MS);
  }
}

const conexoes = new WeakMap<QueryClient, ConexaoAoVivo>();

/** The connection of this query cache (one per app; tests get one per client). */
export function conexaoDe(qc: QueryClient): ConexaoAoVivo {
  let conexao = conexoes.get(qc);
  if (!conexao) {
    conexao = new ConexaoAoVivo(qc);
    conexoes.set(qc, conexao);
  }
  return conexao;
}
