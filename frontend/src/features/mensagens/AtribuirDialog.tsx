import { useEffect, useId, useState } from "react";
import { StatusBadge } from "../../components/Badges";
import { CarregarMais } from "../../components/CarregarMais";
import { Dialogo } from "../../components/Dialogo";
import {
  useAtribuirMensagem,
  useConversas,
  useConversasTerceirizado,
} from "../../lib/api/conversas";
import { itensDe } from "../../lib/api/listaInfinita";
import { useTerceirizado } from "../../lib/api/terceirizados";
import { formatarTelefone } from "../../lib/format";
import { mensagemDeErro } from "../../lib/http";
import { chamadoAberto } from "../../lib/labels";
import type { Conversa, Mensagem } from "../../lib/types";

interface Props {
  mensagem: Mensagem;
  onFechar: () => void;
  onAtribuida: (conversa: Conversa) => void;
}

interface EscolhaProps {
  escolhida: Conversa | null;
  onEscolher: (conversa: Conversa) => void;
}

function OpcaoChamado({
  conversa: c,
  escolhida,
  onEscolher,
  detalhe,
}: EscolhaProps & { conversa: Conversa; detalhe: React.ReactNode }) {
  return (
    <button
      type="button"
      role="radio"
      aria-checked={escolhida?.id === c.id}
      className="opcao-chamado"
      onClick={() => onEscolher(c)}
    >
      <span className="opcao-chamado-linha">
        <strong>{c.numero_chamado}</strong> · {c.titulo}
      </span>
      {detalhe ? <span className="opcao-chamado-linha texto-suave">{detalhe}</span> : null}
      <StatusBadge status={c.status} />
    </button>
  );
}

/**
 * A known contractor who did not say which chamado: only their chamados can take
 * the message (the server refuses others), the open ones first.
 */
function ChamadosDoTerceirizado({
  terceirizadoId,
  nome,
  ...escolha
}: EscolhaProps & { terceirizadoId: number; nome: string }) {
  const conversas = useConversasTerceirizado(terceirizadoId);
  const itens = itensDe(conversas.data);
  const abertos = [...itens].sort(
    (a, b) => Number(chamadoAberto(b.status)) - Number(chamadoAberto(a.status)),
  );
  return (
    <div className="escolha-chamado" role="radiogroup" aria-label={`Chamados de ${nome}`}>
      {conversas.isPending ? <p className="texto-suave">Carregando os chamados…</p> : null}
      {conversas.isError ? (
        <p className="campo-erro">
          Não foi possível carregar os chamados: {mensagemDeErro(conversas.error)}
        </p>
      ) : null}
      {conversas.data && itens.length === 0 ? (
        <p className="texto-suave">{nome} não tem chamados.</p>
      ) : null}
      {abertos.map((c) => (
        <OpcaoChamado key={c.id} conversa={c} {...escolha} detalhe={c.local} />
      ))}
      <CarregarMais lista={conversas} pequeno />
    </div>
  );
}

/** An unknown number: search any chamado; those of the sender's own number come first. */
function BuscaDeChamados({ mensagem, ...escolha }: EscolhaProps & { mensagem: Mensagem }) {
  const id = useId();
  const [texto, setTexto] = useState("");
  const [busca, setBusca] = useState("");

  useEffect(() => {
    const t = setTimeout(() => setBusca(texto.trim()), 300);
    return () => clearTimeout(t);
  }, [texto]);

  const conversas = useConversas(busca ? { busca } : {}, false);
  const mesmoNumero = (c: Conversa) => c.telefone === mensagem.destinatario;
  const itens = [...(conversas.data?.pages[0]?.items ?? [])].sort(
    (a, b) => Number(mesmoNumero(b)) - Number(mesmoNumero(a)),
  );
  return (
    <>
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
          <OpcaoChamado
            key={c.id}
            conversa={c}
            {...escolha}
            detalhe={
              <>
                {c.prestador}
                {c.empresa ? ` · ${c.empresa}` : ""} · {formatarTelefone(c.telefone)}
                {mesmoNumero(c) ? <span className="badge badge-ativo">mesmo número</span> : null}
              </>
            }
          />
        ))}
      </div>
    </>
  );
}

/** Pick the chamado an unassigned message belongs to. */
export function AtribuirDialog({ mensagem, onFechar, onAtribuida }: Props) {
  const atribuir = useAtribuirMensagem();
  const [escolhida, setEscolhida] = useState<Conversa | null>(null);
  const [reconhecer, setReconhecer] = useState(false);
  const terceirizadoId = mensagem.terceirizado_id;
  const terceirizado = useTerceirizado(terceirizadoId ?? 0, terceirizadoId !== null);
  const nome = terceirizado.data?.nome ?? "o terceirizado";

  function confirmar() {
    if (!escolhida || atribuir.isPending) return;
    atribuir.mutate(
      { mensagemId: mensagem.id, chamadoId: escolhida.id, reconhecer },
      { onSuccess: () => onAtribuida(escolhida) },
    );
  }

  return (
    <Dialogo
      titulo="Atribuir a um chamado"
      subtitulo={
        terceirizadoId !== null
          ? `Mensagem de ${nome}, que tem mais de um chamado aberto: escolha sobre qual ela é.`
          : `Mensagem de ${formatarTelefone(mensagem.destinatario)}: ela passa a aparecer na conversa do chamado escolhido.`
      }
      onFechar={onFechar}
      largura="larga"
    >
      <div className="formulario">
        {terceirizadoId !== null ? (
          <ChamadosDoTerceirizado
            terceirizadoId={terceirizadoId}
            nome={nome}
            escolhida={escolhida}
            onEscolher={setEscolhida}
          />
        ) : (
          <>
            <BuscaDeChamados mensagem={mensagem} escolhida={escolhida} onEscolher={setEscolhida} />
            <label className="checkbox">
              <input
                type="checkbox"
                checked={reconhecer}
                onChange={(e) => setReconhecer(e.target.checked)}
              />
              Reconhecer este remetente como o terceirizado do chamado (as próximas mensagens dele
              vão direto)
            </label>
          </>
        )}
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
