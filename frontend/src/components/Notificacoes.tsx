import type { InfiniteData, QueryClient } from "@tanstack/react-query";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore } from "react";
import { useLocation, useNavigate } from "react-router";
import { chamadosKeys } from "../lib/api/chamados";
import { conversasKeys } from "../lib/api/conversas";
import {
  type MensagemRecebida,
  type PreferenciaNotificacoes,
  lerPreferencia,
  recebidasDe,
  salvarPreferencia,
  tituloComContagem,
} from "../lib/notificacoes";
import type { Chamado, Conversa, Page } from "../lib/types";
import { IconeSino, IconeSinoDesligado } from "./Icones";

function assinarVisibilidade(ouvinte: () => void): () => void {
  document.addEventListener("visibilitychange", ouvinte);
  return () => document.removeEventListener("visibilitychange", ouvinte);
}

function visivel(): boolean {
  return document.visibilityState === "visible";
}

/** The chamado whose chat is open at this path (/central/7), if any. */
function chamadoDaTela(pathname: string): number | null {
  const achado = /^\/central\/(\d+)$/.exec(pathname);
  return achado ? Number(achado[1]) : null;
}

/** Who wrote and about what, from whatever the cache already has (no request for it). */
function descrever(qc: QueryClient, chamadoId: number): { titulo: string; corpo: string } {
  for (const [, dados] of qc.getQueriesData<InfiniteData<Page<Conversa>>>({
    queryKey: conversasKeys.listas,
  })) {
    for (const pagina of dados?.pages ?? []) {
      const c = pagina.items.find((item) => item.id === chamadoId);
      if (c)
        return {
          titulo: `Nova mensagem de ${c.prestador}`,
          corpo: `${c.numero_chamado} · ${c.titulo}`,
        };
    }
  }
  const chamado = qc.getQueryData<Chamado>(chamadosKeys.detalhe(chamadoId));
  if (chamado) {
    return {
      titulo: `Nova mensagem de ${chamado.terceirizado.nome}`,
      corpo: `${chamado.numero_chamado} · ${chamado.titulo}`,
    };
  }
  return { titulo: "Nova mensagem", corpo: "Um terceirizado respondeu." };
}

function notificacoesDoNavegador(): boolean {
  return typeof Notification !== "undefined";
}

/** A short, quiet beep, made on the spot: no sound file to download. */
function tocarSom(): void {
  if (typeof AudioContext === "undefined") return;
  try {
    const contexto = new AudioContext();
    const oscilador = contexto.createOscillator();
    const volume = contexto.createGain();
    oscilador.frequency.value = 880;
    volume.gain.value = 0.08;
    oscilador.connect(volume).connect(contexto.destination);
    oscilador.onended = () => void contexto.close();
    oscilador.start();
    oscilador.stop(contexto.currentTime + 0.15);
  } catch {
    // No audio output (or autoplay refused): the notification still shows.
  }
}

/**
 * The header's bell: per-user on/off for browser notifications (and their sound)
 * about new messages from contractors in conversations not on screen, and the
 * count of those messages in the tab title. Permission is asked once, from the
 * bell's own click, as browsers want.
 */
export function Notificacoes({ usuarioId }: { usuarioId: number }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const naTela = chamadoDaTela(useLocation().pathname);
  const aVista = useSyncExternalStore(assinarVisibilidade, visivel, () => true);
  const [preferencia, setPreferencia] = useState(() => lerPreferencia(usuarioId));
  const [bloqueadas, setBloqueadas] = useState(
    () => notificacoesDoNavegador() && Notification.permission === "denied",
  );
  // Messages not seen yet, by chamado: a chat on screen in a visible tab is seen.
  const [naoVistas, setNaoVistas] = useState<ReadonlyMap<number, number>>(new Map());

  // The subscription reads the latest screen and choice without re-subscribing.
  // Updated as the render commits (a layout effect), not after the paint: a message
  // arriving in between must already see the bell just turned on.
  const atual = useRef({ naTela, aVista, preferencia });
  useLayoutEffect(() => {
    atual.current = { naTela, aVista, preferencia };
  });

  useEffect(() => {
    return recebidasDe(qc).assinar((m: MensagemRecebida) => {
      const { naTela, aVista, preferencia } = atual.current;
      if (aVista && naTela === m.chamadoId) return;
      setNaoVistas((antes) => new Map(antes).set(m.chamadoId, (antes.get(m.chamadoId) ?? 0) + 1));
      if (!preferencia.ativas) return;
      if (notificacoesDoNavegador() && Notification.permission === "granted") {
        const { titulo, corpo } = descrever(qc, m.chamadoId);
        try {
          const aviso = new Notification(titulo, { body: corpo, tag: `chamado-${m.chamadoId}` });
          aviso.onclick = () => {
            window.focus();
            void navigate(`/central/${m.chamadoId}`);
            aviso.close();
          };
        } catch {
          // Chrome on Android only notifies through a service worker (the constructor
          // throws): the tab title and the sound still tell.
        }
      }
      if (preferencia.som) tocarSom();
    });
  }, [qc, navigate]);

  // Looking at a conversation sees its messages.
  if (aVista && naTela !== null && naoVistas.has(naTela)) {
    const restantes = new Map(naoVistas);
    restantes.delete(naTela);
    setNaoVistas(restantes);
  }

  let total = 0;
  for (const n of naoVistas.values()) total += n;
  const tituloBase = useRef(document.title);
  useEffect(() => {
    document.title = tituloComContagem(tituloBase.current, total);
  }, [total]);
  useEffect(() => {
    const base = tituloBase.current;
    return () => {
      document.title = base;
    };
  }, []);

  function mudar(nova: PreferenciaNotificacoes) {
    setPreferencia(nova);
    salvarPreferencia(usuarioId, nova);
  }

  async function alternar() {
    if (preferencia.ativas) {
      mudar({ ...preferencia, ativas: false });
      return;
    }
    if (notificacoesDoNavegador() && Notification.permission === "default") {
      await Notification.requestPermission();
    }
    const negadas = notificacoesDoNavegador() && Notification.permission === "denied";
    setBloqueadas(negadas);
    // Denied: the count in the title still works, but there is nothing to turn on.
    if (!negadas) mudar({ ...preferencia, ativas: true });
  }

  const rotulo = bloqueadas
    ? "Notificações bloqueadas no navegador: libere-as nas configurações do site"
    : "Notificações de novas mensagens";
  return (
    <div className="notificacoes">
      <button
        type="button"
        className={`btn-icone${preferencia.ativas ? " ativo" : ""}`}
        aria-pressed={preferencia.ativas}
        aria-label="Notificações de novas mensagens"
        title={rotulo}
        onClick={() => void alternar()}
      >
        {preferencia.ativas ? (
          <IconeSino width={20} height={20} />
        ) : (
          <IconeSinoDesligado width={20} height={20} />
        )}
      </button>
      {preferencia.ativas ? (
        <label className="notificacoes-som" title="Tocar um som a cada nova mensagem">
          <input
            type="checkbox"
            checked={preferencia.som}
            onChange={(e) => mudar({ ...preferencia, som: e.target.checked })}
          />
          Som
        </label>
      ) : null}
    </div>
  );
}
