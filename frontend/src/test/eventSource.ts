import { vi } from "vitest";

/**
 * jsdom has no EventSource: this one records every instance and lets a test play
 * the server (open, send an event, fail) and the browser (reconnecting or giving up).
 */
export class FakeEventSource extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static instancias: FakeEventSource[] = [];

  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSED = 2;
  readonly url: string;
  readonly withCredentials = false;
  readyState = FakeEventSource.CONNECTING;
  onopen: ((evento: Event) => void) | null = null;
  onmessage: ((evento: MessageEvent) => void) | null = null;
  onerror: ((evento: Event) => void) | null = null;

  constructor(url: string | URL) {
    super();
    this.url = String(url);
    FakeEventSource.instancias.push(this);
  }

  close(): void {
    this.readyState = FakeEventSource.CLOSED;
  }

  /** The server answered 200 text/event-stream. */
  abrir(): void {
    this.readyState = FakeEventSource.OPEN;
    this.dispatchEvent(new Event("open"));
  }

  /** The server sent `id`, `event` and `data`. */
  emitir(tipo: string, dados: unknown, id = ""): void {
    this.dispatchEvent(new MessageEvent(tipo, { data: JSON.stringify(dados), lastEventId: id }));
  }

  /** The connection dropped (the browser retries) or was refused with an HTTP error (it gives up). */
  falhar({ definitivo = false } = {}): void {
    this.readyState = definitivo ? FakeEventSource.CLOSED : FakeEventSource.CONNECTING;
    this.dispatchEvent(new Event("error"));
  }

  get params(): URLSearchParams {
    return new URL(this.url, "http://teste").searchParams;
  }

  /** The instances not closed by the app. */
  static abertas(): FakeEventSource[] {
    return FakeEventSource.instancias.filter((f) => f.readyState !== FakeEventSource.CLOSED);
  }

  static ultima(): FakeEventSource {
    const fonte = FakeEventSource.instancias.at(-1);
    if (!fonte) throw new Error("nenhum EventSource foi aberto");
    return fonte;
  }
}

export function stubEventSource(): typeof FakeEventSource {
  FakeEventSource.instancias = [];
  vi.stubGlobal("EventSource", FakeEventSource);
  return FakeEventSource;
}
