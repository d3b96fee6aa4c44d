import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { Carregando, ErroBox } from "../../components/Feedback";
import { chaveDia, rotuloDia } from "../../lib/format";
import type { AoVivo } from "../../lib/live/useLiveUpdates";
import type { Mensagem } from "../../lib/types";
import { type AcoesDaBolha, Bolha } from "./Bolha";

interface MensagensProps {
  itens: Mensagem[];
  carregando: boolean;
  erro: unknown;
  tentarDeNovo: () => void;
  temAnteriores: boolean;
  carregandoAnteriores: boolean;
  carregarAnteriores: () => void;
  rodape: string;
  modoAoVivo: AoVivo["modo"];
  onReenviar: (mensagem: Mensagem) => void;
  reenviandoId: number | undefined;
  /** A message to show (a search result): older pages load until it is there. */
  alvo?: number | null;
  /**
   * Tells one visit to the target from the next (the location's key): going to the
   * same quoted message again scrolls to it again.
   */
  chaveAlvo?: string;
  /** The contractor's name, for the quotes of their messages. */
  nomeTerceirizado?: string;
  /** What the operator may do from each bubble (reply, move, go to a quote). */
  acoes?: AcoesDaBolha;
}

/** Closer than this to the bottom counts as "at the bottom". */
const PERTO_DO_FIM_PX = 80;

/**
 * The scrolling history: stays at the bottom for new messages (and while images,
 * documents and audio players load and grow), keeps its place for older ones, and
 * when the operator has scrolled up offers a jump to what arrived below. Given an
 * `alvo`, it loads older pages until that message is there, then scrolls to it and
 * highlights it once.
 */
export function ListaMensagens({
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
  alvo = null,
  chaveAlvo = "",
  nomeTerceirizado,
  acoes,
}: MensagensProps) {
  const caixa = useRef<HTMLDivElement>(null);
  const conteudo = useRef<HTMLDivElement>(null);
  const noFim = useRef(true);
  const distanciaDoFim = useRef<number | null>(null);
  const ultimaId = itens.at(-1)?.id;
  const ultimaVista = useRef(ultimaId);
  const [novas, setNovas] = useState(false);
  // The target already looked for (scrolled to, or not in this chat): once per visit.
  const alvoVisto = useRef<string | null>(null);
  const visita = alvo === null ? null : `${alvo}@${chaveAlvo}`;

  function irParaOFim() {
    const el = caixa.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    noFim.current = true;
    setNovas(false);
  }

  useLayoutEffect(() => {
    const el = caixa.current;
    if (!el) return;
    if (distanciaDoFim.current !== null) {
      if (carregandoAnteriores) return;
      el.scrollTop = el.scrollHeight - distanciaDoFim.current;
      distanciaDoFim.current = null;
    } else if (noFim.current || (ultimaId !== undefined && ultimaId < 0)) {
      // At the bottom, or the operator just sent (an optimistic bubble): follow.
      irParaOFim();
    } else if (ultimaId !== ultimaVista.current) {
      setNovas(true);
    }
    ultimaVista.current = ultimaId;
  }, [itens.length, ultimaId, carregandoAnteriores]);

  // Media grows the history after it was laid out (an image decodes, an audio
  // player gets its controls): the bottom moves away with no scroll event, so
  // follow it while the operator is there. ResizeObserver sees every growth; the
  // load events are for browsers (and jsdom) without it.
  useEffect(() => {
    const el = caixa.current;
    const dentro = conteudo.current;
    if (!el || !dentro) return;
    function seguir() {
      if (noFim.current && distanciaDoFim.current === null && el) {
        el.scrollTop = el.scrollHeight;
      }
    }
    el.addEventListener("load", seguir, true);
    el.addEventListener("loadedmetadata", seguir, true);
    const observador = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(seguir);
    observador?.observe(dentro);
    return () => {
      el.removeEventListener("load", seguir, true);
      el.removeEventListener("loadedmetadata", seguir, true);
      observador?.disconnect();
    };
  }, []);

  useEffect(() => {
    if (visita === null || alvoVisto.current === visita || carregando || carregandoAnteriores) {
      return;
    }
    const linha = caixa.current?.querySelector(`[data-mensagem-id="${alvo}"]`);
    if (linha) {
      // Stay there: new messages below offer the jump instead of pulling the view.
      noFim.current = false;
      linha.scrollIntoView({ block: "center" });
      alvoVisto.current = visita;
    } else if (temAnteriores) {
      carregarAnteriores();
    } else {
      alvoVisto.current = visita; // not in this conversation (moved, or a wrong link)
    }
  }, [alvo, visita, itens, carregando, carregandoAnteriores, temAnteriores, carregarAnteriores]);

  function aoRolar() {
    const el = caixa.current;
    if (!el) return;
    noFim.current = el.scrollHeight - el.scrollTop - el.clientHeight < PERTO_DO_FIM_PX;
    if (noFim.current) setNovas(false);
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
    <div className="chat-mensagens-area">
      <div
        className="chat-mensagens"
        ref={caixa}
        onScroll={aoRolar}
        tabIndex={0}
        aria-label="Mensagens"
      >
        <div ref={conteudo}>
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
                    alvo={m.id === alvo}
                    nomeTerceirizado={nomeTerceirizado}
                    acoes={acoes}
                  />
                ))}
              </ol>
            </div>
          ))}
          <p className={`chat-ao-vivo ao-vivo ao-vivo-${modoAoVivo}`}>{rodape}</p>
        </div>
      </div>
      {novas ? (
        <button
          type="button"
          className="chat-novas btn btn-secundario btn-pequeno"
          onClick={irParaOFim}
        >
          Novas mensagens ↓
        </button>
      ) : null}
    </div>
  );
}
