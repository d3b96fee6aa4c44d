import { Link, useParams } from "react-router";
import { PrioridadeBadge, StatusBadge } from "../../components/Badges";
import { CarregarMais } from "../../components/CarregarMais";
import { Carregando, ErroBox, Vazio } from "../../components/Feedback";
import { useConversasTerceirizado } from "../../lib/api/conversas";
import { itensDe } from "../../lib/api/listaInfinita";
import { useTerceirizado } from "../../lib/api/terceirizados";
import { formatarTelefone, horarioLista } from "../../lib/format";
import { chamadoAberto } from "../../lib/labels";
import { useLiveUpdates } from "../../lib/live/useLiveUpdates";
import { previaConversa } from "../../lib/mensagens";
import type { Conversa } from "../../lib/types";
import "./terceirizados.css";

function ItemConversa({ conversa }: { conversa: Conversa }) {
  const m = conversa.ultima_mensagem;
  const aberto = chamadoAberto(conversa.status);
  return (
    <li>
      <Link
        to={`/central/${conversa.id}`}
        className={`conversa-terceirizado cartao${aberto ? "" : " fechado"}${conversa.nao_lidas ? " nao-lida" : ""}`}
        data-conversa-id={conversa.id}
      >
        <span className="conversa-terceirizado-linha">
          <span className="conversa-terceirizado-titulo">
            <strong>{conversa.numero_chamado}</strong> · {conversa.titulo}
          </span>
          <span className="texto-suave conversa-terceirizado-hora">
            {horarioLista(m?.criado_em ?? conversa.ultima_atividade_em)}
          </span>
        </span>
        {conversa.local ? (
          <span className="conversa-terceirizado-local">{conversa.local}</span>
        ) : null}
        <span className="conversa-terceirizado-linha">
          <span className="conversa-terceirizado-previa">
            {m?.direcao === "outbound" ? "Você: " : ""}
            {previaConversa(conversa)}
          </span>
          {conversa.nao_lidas > 0 ? (
            <span className="nao-lidas" aria-label={`${conversa.nao_lidas} não lidas`}>
              {conversa.nao_lidas}
            </span>
          ) : null}
        </span>
        <span className="badges">
          <StatusBadge status={conversa.status} />
          {conversa.prioridade !== "normal" ? (
            <PrioridadeBadge prioridade={conversa.prioridade} />
          ) : null}
        </span>
      </Link>
    </li>
  );
}

/**
 * One contractor's chamados, each with its conversation: the open ones first, then by
 * the last activity. What they wrote without saying which chamado waits on the
 * unassigned page, filtered to them.
 */
export function ConversasTerceirizadoPage() {
  const id = Number(useParams().id);
  const valido = Number.isInteger(id) && id > 0;
  const aoVivo = useLiveUpdates();
  const terceirizado = useTerceirizado(valido ? id : 0);
  const conversas = useConversasTerceirizado(
    valido ? id : 0,
    aoVivo.intervalo("conversas"),
    valido,
  );
  const itens = itensDe(conversas.data);
  const aClassificar = conversas.data?.pages[0]?.a_classificar ?? 0;
  const nome = terceirizado.data?.nome;

  if (!valido) {
    return (
      <div className="pagina">
        <ErroBox erro={new Error("Terceirizado inválido.")} />
      </div>
    );
  }
  return (
    <div className="pagina pagina-media">
      <p className="migalha">
        <Link to="/terceirizados">Terceirizados</Link> / {nome ?? "…"}
      </p>
      <div className="pagina-topo">
        <div>
          <h1>{nome ? `Conversas de ${nome}` : "Conversas"}</h1>
          {terceirizado.data ? (
            <p className="texto-suave">
              {terceirizado.data.empresa ? `${terceirizado.data.empresa} · ` : ""}
              {formatarTelefone(terceirizado.data.telefone)}
            </p>
          ) : null}
        </div>
        <div className="acoes">
          <Link to={`/terceirizados/${id}`} className="btn btn-secundario">
            Editar cadastro
          </Link>
        </div>
      </div>
      {terceirizado.isError ? (
        <ErroBox erro={terceirizado.error} tentarDeNovo={() => terceirizado.refetch()} />
      ) : null}
      {aClassificar > 0 ? (
        <p className="aviso a-classificar">
          <Link to={`/nao-atribuidas?terceirizado=${id}`}>
            {aClassificar === 1
              ? "1 mensagem a classificar"
              : `${aClassificar} mensagens a classificar`}
          </Link>
          : escritas sem dizer sobre qual chamado. Escolha o chamado de cada uma.
        </p>
      ) : null}
      {conversas.isPending ? <Carregando texto="Carregando conversas…" /> : null}
      {conversas.isError && !conversas.data ? (
        <ErroBox erro={conversas.error} tentarDeNovo={() => conversas.refetch()} />
      ) : null}
      {conversas.data && itens.length === 0 ? (
        <Vazio>Nenhum chamado com este terceirizado ainda.</Vazio>
      ) : null}
      {itens.length > 0 ? (
        <ul className="conversas-terceirizado" aria-label="Chamados e conversas">
          {itens.map((c) => (
            <ItemConversa key={c.id} conversa={c} />
          ))}
        </ul>
      ) : null}
      <CarregarMais lista={conversas} />
      <p className={`texto-suave ao-vivo ao-vivo-${aoVivo.modo}`}>
        {aoVivo.descricao("conversas")}
      </p>
    </div>
  );
}
