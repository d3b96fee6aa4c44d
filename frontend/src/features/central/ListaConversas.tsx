import { useEffect, useState } from "react";
import { Link, NavLink, useNavigate } from "react-router";
import { AtrasadoBadge, PrioridadeBadge, StatusBadge, VenceBadge } from "../../components/Badges";
import { CarregarMais } from "../../components/CarregarMais";
import { Carregando, ErroBox, Vazio } from "../../components/Feedback";
import { IconeBusca } from "../../components/Icones";
import {
  type FiltrosConversas,
  type Situacao,
  useConversas,
  useTotalNaoAtribuidas,
} from "../../lib/api/conversas";
import { itensDe } from "../../lib/api/listaInfinita";
import { cronometroPrazo, horarioLista } from "../../lib/format";
import { STATUS_CHAMADO, STATUS_LISTA } from "../../lib/labels";
import { useLiveUpdates } from "../../lib/live/useLiveUpdates";
import { previaConversa } from "../../lib/mensagens";
import type { Conversa, StatusChamado } from "../../lib/types";
import { ResultadosBusca } from "./ResultadosBusca";
import { Ticks } from "./Ticks";

function iniciais(nome: string): string {
  const partes = nome.trim().split(/\s+/);
  return (
    (partes[0]?.[0] ?? "") + (partes.length > 1 ? (partes.at(-1)?.[0] ?? "") : "")
  ).toUpperCase();
}

/** The deadline as a timer: "atrasado 3h", "vence em 1h20" (the chat has the date). */
function Cronometro({ conversa }: { conversa: Conversa }) {
  const cronometro = cronometroPrazo(conversa.status === "concluido" ? null : conversa.prazo);
  if (conversa.atrasado) return <AtrasadoBadge texto={cronometro?.texto ?? "Atrasado"} />;
  if (cronometro && !cronometro.atrasado) return <VenceBadge texto={cronometro.texto} />;
  return null;
}

const SITUACOES: { valor: Situacao | ""; rotulo: string }[] = [
  { valor: "", rotulo: "Todas" },
  { valor: "vencendo_hoje", rotulo: "Vencendo hoje" },
  { valor: "sem_resposta", rotulo: "Sem resposta" },
  { valor: "atrasados", rotulo: "Atrasados" },
];

function ItemConversa({ conversa }: { conversa: Conversa }) {
  const m = conversa.ultima_mensagem;
  const naoLidas = conversa.nao_lidas;
  const navigate = useNavigate();
  const destino = `/central/${conversa.id}`;
  return (
    <li>
      <NavLink
        to={destino}
        onKeyDown={(evento) => {
          // From the keyboard, the next thing is typing: the chat focuses its composer
          // (Chat reads the state). A click does not, so a phone's keyboard stays down.
          if (evento.key !== "Enter" || evento.altKey || evento.ctrlKey || evento.metaKey) return;
          if (evento.shiftKey) return;
          evento.preventDefault();
          void navigate(destino, { state: { focarComposer: true } });
        }}
        className={({ isActive }) =>
          `conversa${isActive ? " ativa" : ""}${naoLidas ? " nao-lida" : ""}`
        }
        data-conversa-id={conversa.id}
      >
        <span className="avatar" aria-hidden="true">
          {iniciais(conversa.prestador)}
        </span>
        <span className="conversa-corpo">
          <span className="conversa-linha">
            <span className="conversa-prestador">{conversa.prestador}</span>
            <span className="conversa-hora">
              {horarioLista(m?.criado_em ?? conversa.ultima_atividade_em)}
            </span>
          </span>
          <span className="conversa-chamado">
            <strong>{conversa.numero_chamado}</strong> · {conversa.titulo}
          </span>
          {conversa.local ? <span className="conversa-local">{conversa.local}</span> : null}
          <span className="conversa-linha">
            <span className="conversa-previa">
              {m?.direcao === "outbound" ? <Ticks status={m.status_envio} /> : null}
              <span className="conversa-previa-texto">{previaConversa(conversa)}</span>
            </span>
            {naoLidas > 0 ? (
              <span className="nao-lidas" aria-label={`${naoLidas} não lidas`}>
                {naoLidas}
              </span>
            ) : null}
          </span>
          <span className="badges">
            <StatusBadge status={conversa.status} />
            {conversa.prioridade !== "normal" ? (
              <PrioridadeBadge prioridade={conversa.prioridade} />
            ) : null}
            <Cronometro conversa={conversa} />
          </span>
        </span>
      </NavLink>
    </li>
  );
}

/** Inbound messages that matched no chamado wait on their own screen: say when there are some. */
function LinkNaoAtribuidas({ intervalo }: { intervalo: number | false }) {
  const n = useTotalNaoAtribuidas(intervalo).data ?? 0;
  if (n === 0) return null;
  return (
    <Link to="/nao-atribuidas" className="link-nao-atribuidas">
      {n} {n === 1 ? "mensagem sem chamado" : "mensagens sem chamado"}
    </Link>
  );
}

export function ListaConversas() {
  const aoVivo = useLiveUpdates();
  const [texto, setTexto] = useState("");
  const [busca, setBusca] = useState("");
  const [status, setStatus] = useState<StatusChamado | "">("");
  const [situacao, setSituacao] = useState<Situacao | "">("");

  // Search as the user types, without a request per key.
  useEffect(() => {
    const t = setTimeout(() => setBusca(texto.trim()), 300);
    return () => clearTimeout(t);
  }, [texto]);

  const filtros: FiltrosConversas = {};
  if (busca) filtros.busca = busca;
  if (status) filtros.status = status;
  if (situacao) filtros.situacao = situacao;
  const conversas = useConversas(filtros, aoVivo.intervalo("conversas"));
  const itens = itensDe(conversas.data);

  return (
    <section className="lista-conversas" aria-label="Conversas">
      <div className="lista-topo">
        <div className="lista-titulo">
          <h1>Conversas</h1>
          <LinkNaoAtribuidas intervalo={aoVivo.intervalo("conversas")} />
        </div>
        <div className="lista-filtros">
          <label className="busca">
            <IconeBusca width={16} height={16} />
            <span className="sr-only">Buscar conversas</span>
            <input
              type="search"
              placeholder="Buscar conversa"
              title="Prestador, empresa, telefone, número do chamado, título ou texto de mensagem"
              value={texto}
              onChange={(e) => setTexto(e.target.value)}
            />
          </label>
          <label>
            <span className="sr-only">Filtrar por status</span>
            <select
              value={status}
              onChange={(e) => setStatus(e.target.value as StatusChamado | "")}
            >
              <option value="">Todos</option>
              {STATUS_LISTA.map((s) => (
                <option key={s} value={s}>
                  {STATUS_CHAMADO[s]}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
      <div className="lista-situacoes" role="group" aria-label="Filtrar por prazo">
        {SITUACOES.map(({ valor, rotulo }) => (
          <button
            key={rotulo}
            type="button"
            className="chip"
            aria-pressed={situacao === valor}
            onClick={() => setSituacao(valor)}
          >
            {rotulo}
          </button>
        ))}
      </div>
      <div className="lista-rolagem">
        {conversas.isPending ? <Carregando texto="Carregando conversas…" /> : null}
        {conversas.isError && !conversas.data ? (
          <ErroBox erro={conversas.error} tentarDeNovo={() => conversas.refetch()} />
        ) : null}
        {conversas.data && itens.length === 0 ? (
          <Vazio>
            {busca || status || situacao
              ? "Nenhuma conversa com esses filtros."
              : "Nenhuma conversa ainda."}
          </Vazio>
        ) : null}
        <ul className="conversas">
          {itens.map((c) => (
            <ItemConversa key={c.id} conversa={c} />
          ))}
        </ul>
        <CarregarMais lista={conversas} pequeno />
        <ResultadosBusca busca={busca} />
      </div>
      <p className={`lista-rodape ao-vivo ao-vivo-${aoVivo.modo}`}>
        {conversas.isError && conversas.data ? "Sem conexão: tentando de novo · " : ""}
        {aoVivo.descricao("conversas")}
      </p>
    </section>
  );
}
