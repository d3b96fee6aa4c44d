import { useState } from "react";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Carregando, ErroBox, Vazio } from "../../components/Feedback";
import { useMe } from "../../lib/api/auth";
import { useAtualizarUsuario, useUsuarios } from "../../lib/api/usuarios";
import { formatarDataHora } from "../../lib/format";
import { mensagemDeErro } from "../../lib/http";
import { PAPEL } from "../../lib/labels";
import { useSessao } from "../../lib/session";
import type { Usuario } from "../../lib/types";
import { AdminNav } from "./AdminNav";
import { EditarUsuarioDialog, NovoUsuarioDialog, SenhaDialog } from "./UsuarioDialog";
import "./admin.css";

type Dialogo =
  { tipo: "novo" } | { tipo: "editar"; usuario: Usuario } | { tipo: "senha"; usuario: Usuario };

/** Operators' and administrators' accounts: create, rename, change role, reset password, (de)activate. */
export function UsuariosPage() {
  const usuarios = useUsuarios();
  const ativar = useAtualizarUsuario();
  const me = useMe();
  const sessao = useSessao();
  const meuId = me.data?.id ?? sessao?.usuario.id;
  const [dialogo, setDialogo] = useState<Dialogo | null>(null);
  const [mudandoAtivo, setMudandoAtivo] = useState<Usuario | null>(null);
  const [aviso, setAviso] = useState<string | null>(null);
  const lista = usuarios.data ?? [];

  function abrir(novo: Dialogo) {
    setAviso(null);
    setDialogo(novo);
  }

  function confirmarAtivo() {
    if (!mudandoAtivo || ativar.isPending) return;
    const alvo = mudandoAtivo;
    ativar.mutate(
      { id: alvo.id, dados: { ativo: !alvo.ativo } },
      {
        onSuccess: () => {
          setMudandoAtivo(null);
          setAviso(
            alvo.ativo ? `${alvo.nome} foi desativado(a).` : `${alvo.nome} foi reativado(a).`,
          );
        },
      },
    );
  }

  return (
    <div className="pagina">
      <AdminNav />
      <div className="pagina-topo">
        <h1>Usuários</h1>
        <button type="button" className="btn btn-primario" onClick={() => abrir({ tipo: "novo" })}>
          Novo usuário
        </button>
      </div>
      <p className="texto-suave pagina-intro">
        Operadores usam a Central; administradores também gerenciam usuários, regras e a
        configuração da MegaAPI. Desativar corta o acesso na hora.
      </p>
      <div role="status" aria-live="polite">
        {aviso ? <p className="aviso aviso-sucesso">{aviso}</p> : null}
      </div>
      {usuarios.isPending ? <Carregando texto="Carregando usuários…" /> : null}
      {usuarios.isError ? (
        <ErroBox erro={usuarios.error} tentarDeNovo={() => usuarios.refetch()} />
      ) : null}
      {usuarios.data && lista.length === 0 ? <Vazio>Nenhum usuário cadastrado.</Vazio> : null}
      {lista.length > 0 ? (
        <table className="tabela tabela-usuarios">
          <thead>
            <tr>
              <th scope="col">Nome</th>
              <th scope="col">E-mail</th>
              <th scope="col">Papel</th>
              <th scope="col">Situação</th>
              <th scope="col">Criado em</th>
              <th scope="col">
                <span className="sr-only">Ações</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {lista.map((u) => (
              <tr key={u.id} data-usuario-id={u.id} className={u.ativo ? undefined : "inativa"}>
                <td data-rotulo="Nome">
                  {u.nome}
                  {u.id === meuId ? <span className="texto-suave"> (você)</span> : null}
                </td>
                <td data-rotulo="E-mail">{u.email}</td>
                <td data-rotulo="Papel">{PAPEL[u.papel]}</td>
                <td data-rotulo="Situação">
                  <span className={`badge ${u.ativo ? "badge-ativo" : "badge-inativo"}`}>
                    {u.ativo ? "Ativo" : "Inativo"}
                  </span>
                </td>
                <td data-rotulo="Criado em">{formatarDataHora(u.criado_em)}</td>
                <td className="tabela-acoes">
                  <button
                    type="button"
                    className="btn btn-fantasma btn-pequeno"
                    aria-label={`Editar ${u.nome}`}
                    onClick={() => abrir({ tipo: "editar", usuario: u })}
                  >
                    Editar
                  </button>
                  <button
                    type="button"
                    className="btn btn-fantasma btn-pequeno"
                    aria-label={`Redefinir a senha de ${u.nome}`}
                    onClick={() => abrir({ tipo: "senha", usuario: u })}
                  >
                    Redefinir senha
                  </button>
                  <button
                    type="button"
                    className={`btn btn-fantasma btn-pequeno${u.ativo ? " texto-perigo" : ""}`}
                    aria-label={`${u.ativo ? "Desativar" : "Reativar"} ${u.nome}`}
                    onClick={() => {
                      ativar.reset();
                      setAviso(null);
                      setMudandoAtivo(u);
                    }}
                  >
                    {u.ativo ? "Desativar" : "Reativar"}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {dialogo?.tipo === "novo" ? (
        <NovoUsuarioDialog
          onFechar={(criado) => {
            setDialogo(null);
            if (criado) setAviso(`${criado.nome} foi cadastrado(a).`);
          }}
        />
      ) : null}
      {dialogo?.tipo === "editar" ? (
        <EditarUsuarioDialog
          key={dialogo.usuario.id}
          usuario={dialogo.usuario}
          onFechar={() => setDialogo(null)}
        />
      ) : null}
      {dialogo?.tipo === "senha" ? (
        <SenhaDialog
          key={dialogo.usuario.id}
          usuario={dialogo.usuario}
          onFechar={(trocada) => {
            const nome = dialogo.usuario.nome;
            setDialogo(null);
            if (trocada) setAviso(`A senha de ${nome} foi redefinida.`);
          }}
        />
      ) : null}
      <ConfirmDialog
        aberto={mudandoAtivo !== null}
        titulo={
          mudandoAtivo?.ativo
            ? `Desativar ${mudandoAtivo.nome}?`
            : `Reativar ${mudandoAtivo?.nome ?? ""}?`
        }
        rotuloConfirmar={mudandoAtivo?.ativo ? "Desativar" : "Reativar"}
        perigo={mudandoAtivo?.ativo}
        ocupado={ativar.isPending}
        erro={ativar.error ? mensagemDeErro(ativar.error) : null}
        onConfirmar={confirmarAtivo}
        onCancelar={() => setMudandoAtivo(null)}
      >
        <p>
          {mudandoAtivo?.ativo
            ? "A pessoa perde o acesso na hora, inclusive nas sessões abertas. O histórico fica."
            : "A pessoa volta a entrar com o e-mail e a senha que já tem."}
        </p>
      </ConfirmDialog>
    </div>
  );
}
