import { Link, useSearchParams } from "react-router";
import { BotoesExportar } from "../../components/Baixar";
import { AtrasadoBadge, PrioridadeBadge, StatusBadge } from "../../components/Badges";
import { CarregarMais } from "../../components/CarregarMais";
import { Carregando, ErroBox, Vazio } from "../../components/Feedback";
import { type FiltrosChamados, useChamados } from "../../lib/api/chamados";
import { urlExportarChamados } from "../../lib/api/exportar";
import { itensDe } from "../../lib/api/listaInfinita";
import { formatarDataHora } from "../../lib/format";
import { PRIORIDADE, PRIORIDADE_LISTA, STATUS_CHAMADO, STATUS_LISTA } from "../../lib/labels";
import type { Prioridade, StatusChamado } from "../../lib/types";
import { TerceirizadoPicker } from "./TerceirizadoPicker";
import "./chamados.css";

export function ChamadosPage() {
  const [params, setParams] = useSearchParams();
  const status = params.get("status") ?? "";
  const prioridade = params.get("prioridade") ?? "";
  const atrasados = params.get("atrasados") ?? "";
  const terceirizadoId = Number(params.get("terceirizado_id")) || null;

  const filtros: FiltrosChamados = {};
  if (status) filtros.status = status as StatusChamado;
  if (prioridade) filtros.prioridade = prioridade as Prioridade;
  if (atrasados) filtros.atrasados = atrasados === "true";
  if (terceirizadoId) filtros.terceirizado_id = terceirizadoId;
  const chamados = useChamados(filtros);
  const itens = itensDe(chamados.data);

  function filtrar(nome: string, valor: string) {
    const proximo = new URLSearchParams(params);
    if (valor) proximo.set(nome, valor);
    else proximo.delete(nome);
    setParams(proximo, { replace: true });
  }

  return (
    <div className="pagina">
      <div className="pagina-topo">
        <h1>Chamados</h1>
        <div className="acoes">
          <BotoesExportar
            url={(formato) => urlExportarChamados(filtros, formato)}
            nomeBase="chamados"
          />
          <Link to="/chamados/novo" className="btn btn-primario">
            Novo chamado
          </Link>
        </div>
      </div>
      <div className="filtros" role="search" aria-label="Filtros de chamados">
        <div className="campo">
          <label htmlFor="filtro-status">Status</label>
          <select
            id="filtro-status"
            value={status}
            onChange={(e) => filtrar("status", e.target.value)}
          >
            <option value="">Todos</option>
            {STATUS_LISTA.map((s) => (
              <option key={s} value={s}>
                {STATUS_CHAMADO[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="campo">
          <label htmlFor="filtro-prioridade">Prioridade</label>
          <select
            id="filtro-prioridade"
            value={prioridade}
            onChange={(e) => filtrar("prioridade", e.target.value)}
          >
            <option value="">Todas</option>
            {PRIORIDADE_LISTA.map((p) => (
              <option key={p} value={p}>
                {PRIORIDADE[p]}
              </option>
            ))}
          </select>
        </div>
        <div className="campo">
          <label htmlFor="filtro-atrasados">Prazo</label>
          <select
            id="filtro-atrasados"
            value={atrasados}
            onChange={(e) => filtrar("atrasados", e.target.value)}
          >
            <option value="">Todos</option>
            <option value="true">Só atrasados</option>
            <option value="false">Só em dia</option>
          </select>
        </div>
        <div className="filtro-terceirizado">
          <TerceirizadoPicker
            rotulo="Terceirizado"
            valor={terceirizadoId}
            onMudar={(id) => filtrar("terceirizado_id", id ? String(id) : "")}
            somenteAtivos={false}
            textoLimpar="Limpar"
          />
        </div>
      </div>
      {chamados.isPending ? <Carregando texto="Carregando chamados…" /> : null}
      {chamados.isError ? (
        <ErroBox erro={chamados.error} tentarDeNovo={() => chamados.refetch()} />
      ) : null}
      {chamados.data && itens.length === 0 ? <Vazio>Nenhum chamado encontrado.</Vazio> : null}
      {itens.length > 0 ? (
        <table className="tabela">
          <thead>
            <tr>
              <th scope="col">Número</th>
              <th scope="col">Título</th>
              <th scope="col">Terceirizado</th>
              <th scope="col">Status</th>
              <th scope="col">Prioridade</th>
              <th scope="col">Prazo</th>
            </tr>
          </thead>
          <tbody>
            {itens.map((c) => (
              <tr key={c.id} data-chamado-id={c.id}>
                <td data-rotulo="Número">
                  <Link to={`/chamados/${c.id}`}>{c.numero_chamado}</Link>
                </td>
                <td data-rotulo="Título">
                  {c.titulo}
                  {c.local ? <span className="tabela-local">{c.local}</span> : null}
                </td>
                <td data-rotulo="Terceirizado">{c.terceirizado.nome}</td>
                <td data-rotulo="Status">
                  <StatusBadge status={c.status} />
                </td>
                <td data-rotulo="Prioridade">
                  <PrioridadeBadge prioridade={c.prioridade} />
                </td>
                <td data-rotulo="Prazo">
                  {formatarDataHora(c.prazo_combinado)} {c.atrasado ? <AtrasadoBadge /> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <CarregarMais lista={chamados} />
    </div>
  );
}
