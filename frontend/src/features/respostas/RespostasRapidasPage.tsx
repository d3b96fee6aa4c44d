import { useState } from "react";
import { Campo } from "../../components/Campo";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Dialogo } from "../../components/Dialogo";
import { Carregando, ErroBox, Vazio } from "../../components/Feedback";
import {
  useAtualizarResposta,
  useCriarResposta,
  useRemoverResposta,
  useRespostasRapidas,
} from "../../lib/api/respostasRapidas";
import { ApiError, mensagemDeErro } from "../../lib/http";
import { useSessao } from "../../lib/session";
import type { RespostaRapida } from "../../lib/types";
import "./respostas.css";

/** What the texts may say, filled in for the chamado when picked in the central. */
export const VARIAVEIS: [string, string][] = [
  ["{terceirizado}", "nome do terceirizado"],
  ["{chamado}", "número do chamado"],
  ["{titulo}", "título do chamado"],
  ["{prazo}", "prazo combinado"],
  ["{link_prestador}", "um link novo do prestador"],
];

function Formulario({
  resposta,
  podeCompartilhar,
  onFechar,
}: {
  resposta?: RespostaRapida;
  podeCompartilhar: boolean;
  onFechar: () => void;
}) {
  const criar = useCriarResposta();
  const atualizar = useAtualizarResposta();
  const mutacao = resposta ? atualizar : criar;
  const [titulo, setTitulo] = useState(resposta?.titulo ?? "");
  const [texto, setTexto] = useState(resposta?.texto ?? "");
  const [compartilhada, setCompartilhada] = useState(false);
  const campos = mutacao.error instanceof ApiError ? mutacao.error.campos : {};

  function salvar(evento: React.FormEvent) {
    evento.preventDefault();
    if (mutacao.isPending) return;
    if (resposta) {
      atualizar.mutate({ id: resposta.id, dados: { titulo, texto } }, { onSuccess: onFechar });
    } else {
      criar.mutate({ titulo, texto, compartilhada }, { onSuccess: onFechar });
    }
  }

  return (
    <Dialogo
      titulo={resposta ? "Editar resposta rápida" : "Nova resposta rápida"}
      onFechar={onFechar}
    >
      <form className="formulario" onSubmit={salvar}>
        <Campo rotulo="Título" erro={campos.titulo} ajuda="Como aparece ao digitar / na conversa.">
          <input value={titulo} maxLength={60} onChange={(e) => setTitulo(e.target.value)} />
        </Campo>
        <Campo
          rotulo="Texto"
          erro={campos.texto}
          ajuda={`Variáveis: ${VARIAVEIS.map(([v]) => v).join(", ")}.`}
        >
          <textarea
            rows={4}
            value={texto}
            maxLength={4096}
            onChange={(e) => setTexto(e.target.value)}
          />
        </Campo>
        {!resposta && podeCompartilhar ? (
          <label className="campo-checkbox">
            <input
              type="checkbox"
              checked={compartilhada}
              onChange={(e) => setCompartilhada(e.target.checked)}
            />
            Compartilhada com todos os operadores
          </label>
        ) : null}
        {mutacao.error && Object.keys(campos).length === 0 ? (
          <p className="texto-perigo" role="alert">
            {mensagemDeErro(mutacao.error)}
          </p>
        ) : null}
        <div className="formulario-acoes">
          <button type="button" className="btn btn-fantasma" onClick={onFechar}>
            Cancelar
          </button>
          <button type="submit" className="btn btn-primario" disabled={mutacao.isPending}>
            {mutacao.isPending ? "Salvando…" : "Salvar"}
          </button>
        </div>
      </form>
    </Dialogo>
  );
}

export function RespostasRapidasPage() {
  const sessao = useSessao();
  const respostas = useRespostasRapidas(true);
  const remover = useRemoverResposta();
  const [editando, setEditando] = useState<RespostaRapida | "nova" | null>(null);
  const [removendo, setRemovendo] = useState<RespostaRapida | null>(null);
  const lista = respostas.data ?? [];

  return (
    <div className="pagina">
      <div className="pagina-topo">
        <h1>Respostas rápidas</h1>
        <button type="button" className="btn btn-primario" onClick={() => setEditando("nova")}>
          Nova resposta
        </button>
      </div>
      <p className="texto-suave pagina-intro">
        Na conversa, digite <kbd>/</kbd> para escolher uma; o texto vem preenchido com os dados do
        chamado e pode ser editado antes de enviar.{" "}
        {VARIAVEIS.map(([v, d]) => `${v} (${d})`).join(", ")}.
      </p>
      {respostas.isPending ? <Carregando texto="Carregando respostas…" /> : null}
      {respostas.isError ? (
        <ErroBox erro={respostas.error} tentarDeNovo={() => respostas.refetch()} />
      ) : null}
      {respostas.data && lista.length === 0 ? <Vazio>Nenhuma resposta rápida ainda.</Vazio> : null}
      {lista.length > 0 ? (
        <ul className="lista-respostas">
          {lista.map((r) => (
            <li key={r.id} data-resposta-id={r.id}>
              <div className="lista-respostas-cabecalho">
                <strong>{r.titulo}</strong>
                <span className="etiqueta">{r.compartilhada ? "Compartilhada" : "Só minha"}</span>
                {r.editavel ? (
                  <span className="lista-respostas-acoes">
                    <button
                      type="button"
                      className="btn btn-fantasma btn-pequeno"
                      aria-label={`Editar ${r.titulo}`}
                      onClick={() => setEditando(r)}
                    >
                      Editar
                    </button>
                    <button
                      type="button"
                      className="btn btn-fantasma btn-pequeno texto-perigo"
                      aria-label={`Excluir ${r.titulo}`}
                      onClick={() => {
                        remover.reset();
                        setRemovendo(r);
                      }}
                    >
                      Excluir
                    </button>
                  </span>
                ) : null}
              </div>
              <p className="lista-respostas-texto">{r.texto}</p>
            </li>
          ))}
        </ul>
      ) : null}
      {editando ? (
        <Formulario
          key={editando === "nova" ? "nova" : editando.id}
          resposta={editando === "nova" ? undefined : editando}
          podeCompartilhar={sessao?.usuario.papel === "admin"}
          onFechar={() => setEditando(null)}
        />
      ) : null}
      <ConfirmDialog
        aberto={removendo !== null}
        titulo={`Excluir a resposta “${removendo?.titulo ?? ""}”?`}
        rotuloConfirmar="Excluir"
        perigo
        ocupado={remover.isPending}
        erro={remover.error ? mensagemDeErro(remover.error) : null}
        onConfirmar={() =>
          removendo && remover.mutate(removendo.id, { onSuccess: () => setRemovendo(null) })
        }
        onCancelar={() => setRemovendo(null)}
      >
        <p>Ela deixa de aparecer no seletor da conversa.</p>
      </ConfirmDialog>
    </div>
  );
}
