import { useLayoutEffect, useRef } from "react";
import { Carregando, ErroBox } from "../../components/Feedback";
import { chaveDia, rotuloDia } from "../../lib/format";
import type { ModoAoVivo } from "../../lib/live/conexao";
import type { Mensagem } from "../../lib/types";
import { Bolha } from "./Bolha";

interface MensagensProps {
  itens: Mensagem[];
  carregando: boolean;
  erro: unknown;
  tentarDeNovo: () => void;
  temAnteriores: boolean;
  carregandoAnteriores: boolean;
  carregarAnteriores: () => void;
  rodape: string;
  modoAoVivo: ModoAoVivo;
  onReenviar: (mensagem: Mensagem) => void;
  reenviandoId: number | undefined;
}

/** The scrolling history: stays at the bottom for new messages, keeps its place for older ones. */
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
}: MensagensProps) {
  const caixa = useRef<HTMLDivElement>(null);
  const noFim = useRef(true);
  const distanciaDoFim = useRef<number | null>(null);
  const ultimaId = itens.at(-1)?.id;

  useLayoutEffect(() => {
    const el = caixa.current;
    if (!el) return;
    if (distanciaDoFim.current !== null) {
      if (carregandoAnteriores) return;
      el.scrollTop = el.scrollHeight - distanciaDoFim.current;
      distanciaDoFim.current = null;
    } else if (noFim.current || (ultimaId !== undefined && ultimaId < 0)) {
      el.scrollTop = el.scrollHeight;
    }
  }, [itens.length, ultimaId, carregandoAnteriores]);

  function aoRolar() {
    const el = caixa.current;
    if (el) noFim.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
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
    <div
      className="chat-mensagens"
      ref={caixa}
      onScroll={aoRolar}
      tabIndex={0}
      aria-label="Mensagens"
    >
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
              />
            ))}
          </ol>
        </div>
      ))}
      <p className={`chat-ao-vivo ao-vivo ao-vivo-${modoAoVivo}`}>{rodape}</p>
    </div>
  );
}
