import { useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { CarregarMais } from "../../components/CarregarMais";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Carregando, ErroBox, Vazio } from "../../components/Feedback";
import {
  type FiltrosTerceirizados,
  useDesativarTerceirizado,
  useReativarTerceirizado,
  useTerceirizados,
} from "../../lib/api/terceirizados";
import { itensDe } from "../../lib/api/listaInfinita";
import { formatarTelefone } from "../../lib/format";
import { mensagemDeErro } from "../../lib/http";
import type { Terceirizado } from "../../lib/types";

export function TerceirizadosPage() {
  const [params, setParams] = useSearchParams();
  const ativo = params.get("ativo") ?? "true";
  const buscaUrl = params.get("busca") ?? "";
  const [texto, setTexto] = useState(buscaUrl);
  const [desativando, setDesativando] = useState<Terceirizado | null>(null);
  const desativar = useDesativarTerceirizado();
  const reativar = useReativarTerceirizado();

  useEffect(() => {
    const t = setTimeout(() => {
      if (texto.trim() === buscaUrl) return;
      const proximo = new URLSearchParams(params);
      if (texto.trim()) proximo.set("busca", texto.trim());
      else proximo.delete("busca");
      setParams(proximo, { replace: true });
    }, 300);
    return () => clearTimeout(t);
  }, [texto, buscaUrl, params, setParams]);

  const filtros: FiltrosTerceirizados = {};
  if (buscaUrl) filtros.busca = buscaUrl;
  if (ativo !== "todos") filtros.ativo = ativo === "true";
  const lista = useTerceirizados(filtros);
  const itens = itensDe(lista.data);

  function mudarAtivo(valor: string) {
    const proximo = new URLSearchParams(params);
    proximo.set("ativo", valor);
    setParams(proximo, { replace: true });
  }

  return (
    <div className="pagina">
      <div className="pagina-topo">
        <h1>Terceirizados</h1>
        <Link to="/terceirizados/novo" className="btn btn-primario">
          Novo terceirizado
        </Link>
      </div>
      <div className="filtros" role="search" aria-label="Filtros de terceirizados">
        <div className="campo campo-largo">
          <label htmlFor="busca-terceirizados">Buscar</label>
          <input
            id="busca-terceirizados"
            type="search"
            placeholder="Nome, empresa ou telefone"
            value={texto}
            onChange={(e) => setTexto(e.target.value)}
          />
        </div>
        <div className="campo">
          <label htmlFor="filtro-ativo">Situação</label>
          <select id="filtro-ativo" value={ativo} onChange={(e) => mudarAtivo(e.target.value)}>
            <option value="true">Ativos</option>
            <option value="false">Inativos</option>
            <option value="todos">Todos</option>
          </select>
        </div>
      </div>
      {reativar.error ? <ErroBox erro={reativar.error} /> : null}
      {lista.isPending ? <Carregando texto="Carregando terceirizados…" /> : null}
      {lista.isError ? <ErroBox erro={lista.error} tentarDeNovo={() => lista.refetch()} /> : null}
      {lista.data && itens.length === 0 ? <Vazio>Nenhum terceirizado encontrado.</Vazio> : null}
      {itens.length > 0 ? (
        <table className="tabela">
          <thead>
            <tr>
              <th scope="col">Nome</th>
              <th scope="col">Empresa</th>
              <th scope="col">Telefone</th>
              <th scope="col">Especialidade</th>
              <th scope="col">Situação</th>
              <th scope="col">
                <span className="sr-only">Ações</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {itens.map((t) => (
              <tr key={t.id} data-terceirizado-id={t.id}>
                <td data-rotulo="Nome">
                  <Link to={`/terceirizados/${t.id}`}>{t.nome}</Link>
                </td>
                <td data-rotulo="Empresa">{t.empresa || "—"}</td>
                <td data-rotulo="Telefone">{formatarTelefone(t.telefone)}</td>
                <td data-rotulo="Especialidade">{t.especialidade || "—"}</td>
                <td data-rotulo="Situação">
                  <span className={`badge ${t.ativo ? "badge-ativo" : "badge-inativo"}`}>
                    {t.ativo ? "Ativo" : "Inativo"}
                  </span>
                </td>
                <td className="tabela-acoes">
                  <Link
                    to={`/terceirizados/${t.id}/conversas`}
                    className="btn btn-fantasma btn-pequeno"
                    aria-label={`Conversas de ${t.nome}`}
                  >
                    Conversas
                  </Link>
                  <Link to={`/terceirizados/${t.id}`} className="btn btn-fantasma btn-pequeno">
                    Editar
                  </Link>
                  {t.ativo ? (
                    <button
                      type="button"
                      className="btn btn-fantasma btn-pequeno texto-perigo"
                      onClick={() => {
                        desativar.reset();
                        setDesativando(t);
                      }}
                    >
                      Desativar
                    </button>
                  ) : (
                    <button
                      type="button"
                      className="btn btn-fantasma btn-pequeno"
                      disabled={reativar.isPending && reativar.variables === t.id}
                      onClick={() => reativar.mutate(t.id)}
                    >
                      Reativar
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <CarregarMais lista={lista} />
      <ConfirmDialog
        aberto={desativando !== null}
        titulo={`Desativar ${desativando?.nome ?? ""}?`}
        rotuloConfirmar="Desativar"
        perigo
        ocupado={desativar.isPending}
        erro={desativar.error ? mensagemDeErro(desativar.error) : null}
        onConfirmar={() =>
          desativando && desativar.mutate(desativando.id, { onSuccess: () => setDesativando(null) })
        }
        onCancelar={() => setDesativando(null)}
      >
        <p>
          Ele deixa de aparecer na escolha de novos chamados. O histórico dos chamados e das
          conversas continua disponível, e você pode reativá-lo depois.
        </p>
      </ConfirmDialog>
    </div>
  );
}
