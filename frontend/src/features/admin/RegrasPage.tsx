import { useState } from "react";
import { Campo } from "../../components/Campo";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Carregando, ErroBox, Vazio } from "../../components/Feedback";
import {
  useAtualizarRegra,
  useRegras,
  useRemoverRegra,
  useTestarRegras,
} from "../../lib/api/admin";
import { mensagemDeErro } from "../../lib/http";
import {
  ACAO_REGRA,
  OPCAO_TOQUE,
  type OpcaoToque,
  PRIORIDADE,
  STATUS_CHAMADO,
  TIPO_PADRAO,
} from "../../lib/labels";
import type { Prioridade, Regra, StatusChamado } from "../../lib/types";
import { AdminNav } from "./AdminNav";
import { RegraDialog } from "./RegraDialog";
import "./admin.css";

/** "Responder: “Atendemos das 8h às 18h”", "Mudar o status: Em andamento", "Tocar opção: Confirmar visita"... */
export function resumoAcao(regra: Regra): string {
  const p = regra.parametro;
  switch (regra.acao) {
    case "mudar_status":
      return `${ACAO_REGRA.mudar_status}: ${STATUS_CHAMADO[p as StatusChamado] ?? p}`;
    case "definir_prioridade":
      return `${ACAO_REGRA.definir_prioridade}: ${PRIORIDADE[p as Prioridade] ?? p}`;
    case "responder":
      return `${ACAO_REGRA.responder}: “${p}”`;
    case "notificar":
      return p ? `${ACAO_REGRA.notificar}: “${p}”` : ACAO_REGRA.notificar;
    case "tocar_opcao":
      return `${ACAO_REGRA.tocar_opcao}: ${OPCAO_TOQUE[p as OpcaoToque] ?? p}`;
  }
}

function ordenar(regras: Regra[]): Regra[] {
  return [...regras].sort((a, b) => a.ordem - b.ordem || a.id - b.id);
}

/** Which active rules a sample text fires, as the API would run them (nothing is sent). */
function TestarTexto() {
  const testar = useTestarRegras();
  const [texto, setTexto] = useState("");

  function submeter(evento: React.FormEvent) {
    evento.preventDefault();
    if (texto.trim() && !testar.isPending) testar.mutate(texto);
  }

  const regras = testar.data?.regras;
  return (
    <section className="cartao testar-texto" aria-labelledby="testar-titulo">
      <h2 id="testar-titulo">Testar texto</h2>
      <form className="formulario" onSubmit={submeter}>
        <Campo
          rotulo="Texto de exemplo"
          ajuda="Como se o terceirizado escrevesse isto: nada é enviado nem alterado."
        >
          <textarea rows={2} value={texto} onChange={(e) => setTexto(e.target.value)} />
        </Campo>
        <div className="formulario-acoes">
          <button
            type="submit"
            className="btn btn-secundario"
            disabled={!texto.trim() || testar.isPending}
          >
            {testar.isPending ? "Testando…" : "Testar"}
          </button>
        </div>
      </form>
      <div role="status" aria-live="polite" className="testar-resultado">
        {testar.error ? <p className="texto-perigo">{mensagemDeErro(testar.error)}</p> : null}
        {regras && regras.length === 0 ? (
          <p>Nenhuma regra ativa dispararia para este texto.</p>
        ) : null}
        {regras && regras.length > 0 ? (
          <>
            <p>
              {regras.length === 1 ? "Dispararia 1 regra:" : `Disparariam ${regras.length} regras:`}
            </p>
            <ol>
              {regras.map((r) => (
                <li key={r.id}>
                  <strong>{r.nome}</strong> — {resumoAcao(r)}
                </li>
              ))}
            </ol>
          </>
        ) : null}
      </div>
    </section>
  );
}

export function RegrasPage() {
  const regras = useRegras();
  const atualizar = useAtualizarRegra();
  const remover = useRemoverRegra();
  const [editando, setEditando] = useState<Regra | "nova" | null>(null);
  const [removendo, setRemovendo] = useState<Regra | null>(null);
  const lista = ordenar(regras.data ?? []);
  const proximaOrdem = lista.length ? (lista.at(-1)?.ordem ?? 0) + 10 : 10;

  return (
    <div className="pagina">
      <AdminNav />
      <div className="pagina-topo">
        <h1>Regras de automação</h1>
        <button type="button" className="btn btn-primario" onClick={() => setEditando("nova")}>
          Nova regra
        </button>
      </div>
      <p className="texto-suave pagina-intro">
        A cada texto (ou reação com emoji) de um terceirizado num chamado aberto, as regras ativas
        que o reconhecem disparam, na ordem abaixo.
      </p>
      {atualizar.error ? <ErroBox erro={atualizar.error} /> : null}
      {regras.isPending ? <Carregando texto="Carregando regras…" /> : null}
      {regras.isError ? (
        <ErroBox erro={regras.error} tentarDeNovo={() => regras.refetch()} />
      ) : null}
      {regras.data && lista.length === 0 ? <Vazio>Nenhuma regra cadastrada.</Vazio> : null}
      {lista.length > 0 ? (
        <table className="tabela tabela-regras">
          <thead>
            <tr>
              <th scope="col">Ordem</th>
              <th scope="col">Nome</th>
              <th scope="col">Quando a mensagem tem</th>
              <th scope="col">Ação</th>
              <th scope="col">Ativa</th>
              <th scope="col">
                <span className="sr-only">Ações</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {lista.map((r) => {
              const mudando = atualizar.isPending && atualizar.variables?.id === r.id;
              return (
                <tr key={r.id} data-regra-id={r.id} className={r.ativa ? undefined : "inativa"}>
                  <td data-rotulo="Ordem">{r.ordem}</td>
                  <td data-rotulo="Nome">{r.nome}</td>
                  <td data-rotulo="Quando a mensagem tem">
                    <span className="texto-suave">{TIPO_PADRAO[r.tipo_padrao]}: </span>
                    <code>{r.padrao}</code>
                  </td>
                  <td data-rotulo="Ação">{resumoAcao(r)}</td>
                  <td data-rotulo="Ativa">
                    <button
                      type="button"
                      role="switch"
                      aria-checked={r.ativa}
                      aria-label={`Regra ${r.nome} ativa`}
                      className="switch"
                      disabled={mudando}
                      onClick={() => atualizar.mutate({ id: r.id, dados: { ativa: !r.ativa } })}
                    >
                      <span className="switch-trilho" aria-hidden="true" />
                      <span className="switch-texto">{r.ativa ? "Ligada" : "Desligada"}</span>
                    </button>
                  </td>
                  <td className="tabela-acoes">
                    <button
                      type="button"
                      className="btn btn-fantasma btn-pequeno"
                      aria-label={`Editar ${r.nome}`}
                      onClick={() => {
                        atualizar.reset();
                        setEditando(r);
                      }}
                    >
                      Editar
                    </button>
                    <button
                      type="button"
                      className="btn btn-fantasma btn-pequeno texto-perigo"
                      aria-label={`Excluir ${r.nome}`}
                      onClick={() => {
                        remover.reset();
                        setRemovendo(r);
                      }}
                    >
                      Excluir
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      <TestarTexto />
      {editando ? (
        <RegraDialog
          key={editando === "nova" ? "nova" : editando.id}
          regra={editando === "nova" ? undefined : editando}
          proximaOrdem={proximaOrdem}
          onFechar={() => setEditando(null)}
        />
      ) : null}
      <ConfirmDialog
        aberto={removendo !== null}
        titulo={`Excluir a regra “${removendo?.nome ?? ""}”?`}
        rotuloConfirmar="Excluir"
        perigo
        ocupado={remover.isPending}
        erro={remover.error ? mensagemDeErro(remover.error) : null}
        onConfirmar={() =>
          removendo && remover.mutate(removendo.id, { onSuccess: () => setRemovendo(null) })
        }
        onCancelar={() => setRemovendo(null)}
      >
        <p>Ela deixa de valer para as próximas mensagens. Para só pausá-la, desligue-a.</p>
      </ConfirmDialog>
    </div>
  );
}
