import { useEffect, useId, useState } from "react";
import { StatusBadge } from "../../components/Badges";
import { Dialogo } from "../../components/Dialogo";
import { useAtribuirMensagem, useConversas } from "../../lib/api/conversas";
import { formatarTelefone } from "../../lib/format";
import { mensagemDeErro } from "../../lib/http";
import type { Conversa, Mensagem } from "../../lib/types";

interface Props {
  mensagem: Mensagem;
  onFechar: () => void;
  onAtribuida: (conversa: Conversa) => void;
}

/**
 * Pick the chamado an unassigned message belongs to: search by contractor, company,
 * number or title; chamados of the sender's own number come first.
 */
export function AtribuirDialog({ mensagem, onFechar, onAtribuida }: Props) {
  const id = useId();
  const atribuir = useAtribuirMensagem();
  const [texto, setTexto] = useState("");
  const [busca, setBusca] = useState("");
  const [escolhida, setEscolhida] = useState<Conversa | null>(null);

  useEffect(() => {
    const t = setTimeout(() => setBusca(texto.trim()), 300);
    return () => clearTimeout(t);
  }, [texto]);

  const conversas = useConversas(busca ? { busca } : {}, false);
  const mesmoNumero = (c: Conversa) => c.telefone === mensagem.destinatario;
  const itens = [...(conversas.data?.pages[0]?.items ?? [])].sort(
    (a, b) => Number(mesmoNumero(b)) - Number(mesmoNumero(a)),
  );

  function confirmar() {
    if (!escolhida || atribuir.isPending) return;
    atribuir.mutate(
      { mensagemId: mensagem.id, chamadoId: escolhida.id },
      { onSuccess: () => onAtribuida(escolhida) },
    );
  }

  return (
    <Dialogo
      titulo="Atribuir a um chamado"
      subtitulo={`Mensagem de ${formatarTelefone(mensagem.destinatario)}: ela passa a aparecer na conversa do chamado escolhido.`}
      onFechar={onFechar}
      largura="larga"
    >
      <div className="formulario">
        <div className="campo">
          <label htmlFor={`${id}-busca`}>Buscar chamado</label>
          <input
            id={`${id}-busca`}
            type="search"
            placeholder="Prestador, telefone, número ou título"
            value={texto}
            onChange={(e) => setTexto(e.target.value)}
            autoComplete="off"
          />
        </div>
        <div className="escolha-chamado" role="radiogroup" aria-label="Chamados encontrados">
          {conversas.isPending ? <p className="texto-suave">Buscando…</p> : null}
          {conversas.isError ? (
            <p className="campo-erro">Não foi possível buscar: {mensagemDeErro(conversas.error)}</p>
          ) : null}
          {conversas.data && itens.length === 0 ? (
            <p className="texto-suave">Nenhum chamado encontrado.</p>
          ) : null}
          {itens.map((c) => (
            <button
              key={c.id}
              type="button"
              role="radio"
              aria-checked={escolhida?.id === c.id}
              className="opcao-chamado"
              onClick={() => setEscolhida(c)}
            >
              <span className="opcao-chamado-linha">
                <strong>{c.numero_chamado}</strong> · {c.titulo}
              </span>
              <span className="opcao-chamado-linha texto-suave">
                {c.prestador}
                {c.empresa ? ` · ${c.empresa}` : ""} · {formatarTelefone(c.telefone)}
                {mesmoNumero(c) ? <span className="badge badge-ativo">mesmo número</span> : null}
              </span>
              <StatusBadge status={c.status} />
            </button>
          ))}
        </div>
        {atribuir.error ? (
          <p className="erro-box" role="alert">
            {mensagemDeErro(atribuir.error)}
          </p>
        ) : null}
        <div className="modal-acoes">
          <button type="button" className="btn btn-secundario" onClick={onFechar}>
            Cancelar
          </button>
          <button
            type="button"
            className="btn btn-primario"
            disabled={!escolhida || atribuir.isPending}
            onClick={confirmar}
          >
            {atribuir.isPending
              ? "Atribuindo…"
              : escolhida
                ? `Atribuir a ${escolhida.numero_chamado}`
                : "Atribuir"}
          </button>
        </div>
      </div>
    </Dialogo>
  );
}
