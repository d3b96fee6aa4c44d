import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { StatusBadge } from "../../components/Badges";
import { CarregarMais } from "../../components/CarregarMais";
import { Dialogo } from "../../components/Dialogo";
import { Citacao } from "../../components/PartesMensagem";
import { useConversasTerceirizado, useMoverMensagem } from "../../lib/api/conversas";
import { itensDe } from "../../lib/api/listaInfinita";
import { avisosDe } from "../../lib/avisos";
import { mensagemDeErro } from "../../lib/http";
import { citacaoDe } from "../../lib/mensagens";
import type { Chamado, Conversa, Mensagem, Movidas } from "../../lib/types";

/** "1 mensagem movida para CH-2026-0008.", "3 mensagens movidas para …". */
export function textoMovidas(n: number, numeroChamado: string): string {
  return `${n} ${n === 1 ? "mensagem movida" : "mensagens movidas"} para ${numeroChamado}.`;
}

interface Props {
  mensagem: Mensagem;
  /** The chamado the message is in now. */
  chamado: Chamado;
  onFechar: () => void;
  /** The server moved them: which, from where, to where. */
  onMovidas?: (movidas: Movidas) => void;
}

/**
 * A message written about another of the contractor's chamados goes to that chamado's
 * conversation, alone or with every message after it. Only the same contractor's
 * chamados can take it (the server refuses others, 422).
 */
export function MoverDialog({ mensagem, chamado, onFechar, onMovidas }: Props) {
  const qc = useQueryClient();
  const mover = useMoverMensagem();
  const conversas = useConversasTerceirizado(chamado.terceirizado_id);
  const [destino, setDestino] = useState<Conversa | null>(null);
  const [comSeguintes, setComSeguintes] = useState(false);
  const outros = itensDe(conversas.data).filter((c) => c.id !== chamado.id);
  const nome = chamado.terceirizado.nome;

  function confirmar() {
    if (!destino || mover.isPending) return;
    mover.mutate(
      { mensagemId: mensagem.id, chamado_id: destino.id, com_seguintes: comSeguintes },
      {
        onSuccess: (movidas) => {
          avisosDe(qc).adicionar({
            texto: textoMovidas(movidas.mensagem_ids.length, destino.numero_chamado),
            chamadoId: destino.id,
          });
          onMovidas?.(movidas);
          onFechar();
        },
      },
    );
  }

  return (
    <Dialogo
      titulo="Mover para outro chamado"
      subtitulo={`A mensagem sai da conversa de ${chamado.numero_chamado} e entra na do chamado de ${nome} escolhido.`}
      onFechar={onFechar}
      largura="larga"
    >
      <div className="formulario">
        <div className="mover-mensagem">
          <Citacao citada={citacaoDe(mensagem)} nomeTerceirizado={nome} />
        </div>
        <div
          className="escolha-chamado"
          role="radiogroup"
          aria-label={`Outros chamados de ${nome}`}
        >
          {conversas.isPending ? <p className="texto-suave">Carregando os chamados…</p> : null}
          {conversas.isError ? (
            <p className="campo-erro">
              Não foi possível carregar os chamados: {mensagemDeErro(conversas.error)}
            </p>
          ) : null}
          {conversas.data && outros.length === 0 && !conversas.hasNextPage ? (
            <p className="texto-suave">{nome} não tem outro chamado.</p>
          ) : null}
          {outros.map((c) => (
            <button
              key={c.id}
              type="button"
              role="radio"
              aria-checked={destino?.id === c.id}
              className="opcao-chamado"
              onClick={() => setDestino(c)}
            >
              <span className="opcao-chamado-linha">
                <strong>{c.numero_chamado}</strong> · {c.titulo}
              </span>
              {c.local ? <span className="opcao-chamado-linha texto-suave">{c.local}</span> : null}
              <StatusBadge status={c.status} />
            </button>
          ))}
          <CarregarMais lista={conversas} pequeno />
        </div>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={comSeguintes}
            onChange={(e) => setComSeguintes(e.target.checked)}
          />
          Mover também as mensagens seguintes
        </label>
        {mover.error ? (
          <p className="erro-box" role="alert">
            {mensagemDeErro(mover.error)}
          </p>
        ) : null}
        <div className="modal-acoes">
          <button type="button" className="btn btn-secundario" onClick={onFechar}>
            Cancelar
          </button>
          <button
            type="button"
            className="btn btn-primario"
            disabled={!destino || mover.isPending}
            onClick={confirmar}
          >
            {mover.isPending
              ? "Movendo…"
              : destino
                ? `Mover para ${destino.numero_chamado}`
                : "Mover"}
          </button>
        </div>
      </div>
    </Dialogo>
  );
}
