import { useState } from "react";
import { Campo } from "../../components/Campo";
import { Dialogo } from "../../components/Dialogo";
import { useAtualizarUsuario, useCriarUsuario } from "../../lib/api/usuarios";
import { ApiError, mensagemDeErro } from "../../lib/http";
import { PAPEL, PAPEL_LISTA } from "../../lib/labels";
import type { Papel, Usuario } from "../../lib/types";

/** As the API checks them (UsuarioCreate). */
export const SENHA_MINIMA = 10;
const SENHA_MAXIMA = 256;
const NOME_MINIMO = 2;
const NOME_MAXIMO = 120;

function validarNome(nome: string): string | undefined {
  const n = nome.trim().length;
  if (n < NOME_MINIMO) return "Informe o nome (ao menos 2 letras).";
  if (n > NOME_MAXIMO) return `No máximo ${NOME_MAXIMO} caracteres.`;
  return undefined;
}

function validarSenha(senha: string): string | undefined {
  if (senha.length < SENHA_MINIMA) return `A senha tem ao menos ${SENHA_MINIMA} caracteres.`;
  if (senha.length > SENHA_MAXIMA) return `No máximo ${SENHA_MAXIMA} caracteres.`;
  return undefined;
}

/** Errors of the whole request (a 409, no network) under the form; field errors go by their field. */
function ErroGeral({ erro }: { erro: unknown }) {
  if (!erro) return null;
  if (erro instanceof ApiError && Object.keys(erro.campos).length > 0) return null;
  return (
    <p className="erro-box" role="alert">
      {mensagemDeErro(erro)}
    </p>
  );
}

function camposDe(erro: unknown): Record<string, string> {
  return erro instanceof ApiError ? erro.campos : {};
}

export function NovoUsuarioDialog({ onFechar }: { onFechar: (criado?: Usuario) => void }) {
  const criar = useCriarUsuario();
  const [nome, setNome] = useState("");
  const [email, setEmail] = useState("");
  const [senha, setSenha] = useState("");
  const [papel, setPapel] = useState<Papel>("operador");
  const [erros, setErros] = useState<Record<string, string | undefined>>({});
  const api = camposDe(criar.error);

  function submeter(evento: React.FormEvent) {
    evento.preventDefault();
    if (criar.isPending) return;
    const e = {
      nome: validarNome(nome),
      email: /^[^\s@]+@[^\s@]+$/.test(email.trim()) ? undefined : "Informe um e-mail válido.",
      senha: validarSenha(senha),
    };
    setErros(e);
    if (Object.values(e).some(Boolean)) return;
    criar.mutate(
      { nome: nome.trim(), email: email.trim(), senha, papel },
      { onSuccess: (usuario) => onFechar(usuario) },
    );
  }

  return (
    <Dialogo
      titulo="Novo usuário"
      subtitulo="A pessoa entra com este e-mail e a senha definida aqui."
      onFechar={() => onFechar()}
    >
      <form className="formulario" onSubmit={submeter} noValidate>
        <Campo rotulo="Nome" erro={erros.nome ?? api.nome}>
          <input value={nome} onChange={(e) => setNome(e.target.value)} autoComplete="off" />
        </Campo>
        <Campo rotulo="E-mail" erro={erros.email ?? api.email}>
          <input
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            autoComplete="off"
          />
        </Campo>
        <Campo
          rotulo="Senha"
          erro={erros.senha ?? api.senha}
          ajuda={`De ${SENHA_MINIMA} a ${SENHA_MAXIMA} caracteres. Combine com a pessoa como ela a receberá.`}
        >
          <input
            type="password"
            value={senha}
            onChange={(e) => setSenha(e.target.value)}
            autoComplete="new-password"
          />
        </Campo>
        <Campo rotulo="Papel" erro={api.papel}>
          <select value={papel} onChange={(e) => setPapel(e.target.value as Papel)}>
            {PAPEL_LISTA.map((p) => (
              <option key={p} value={p}>
                {PAPEL[p]}
              </option>
            ))}
          </select>
        </Campo>
        <ErroGeral erro={criar.error} />
        <div className="modal-acoes">
          <button type="button" className="btn btn-secundario" onClick={() => onFechar()}>
            Cancelar
          </button>
          <button type="submit" className="btn btn-primario" disabled={criar.isPending}>
            {criar.isPending ? "Criando…" : "Criar usuário"}
          </button>
        </div>
      </form>
    </Dialogo>
  );
}

export function EditarUsuarioDialog({
  usuario,
  onFechar,
}: {
  usuario: Usuario;
  onFechar: () => void;
}) {
  const atualizar = useAtualizarUsuario();
  const [nome, setNome] = useState(usuario.nome);
  const [papel, setPapel] = useState<Papel>(usuario.papel);
  const [erroNome, setErroNome] = useState<string | undefined>();
  const api = camposDe(atualizar.error);

  function submeter(evento: React.FormEvent) {
    evento.preventDefault();
    if (atualizar.isPending) return;
    const erro = validarNome(nome);
    setErroNome(erro);
    if (erro) return;
    const dados = {
      ...(nome.trim() !== usuario.nome ? { nome: nome.trim() } : {}),
      ...(papel !== usuario.papel ? { papel } : {}),
    };
    if (Object.keys(dados).length === 0) {
      onFechar();
      return;
    }
    atualizar.mutate({ id: usuario.id, dados }, { onSuccess: onFechar });
  }

  return (
    <Dialogo titulo={`Editar ${usuario.nome}`} subtitulo={usuario.email} onFechar={onFechar}>
      <form className="formulario" onSubmit={submeter} noValidate>
        <Campo rotulo="Nome" erro={erroNome ?? api.nome}>
          <input value={nome} onChange={(e) => setNome(e.target.value)} />
        </Campo>
        <Campo
          rotulo="Papel"
          erro={api.papel}
          ajuda="Administradores também gerenciam usuários, regras e a configuração da MegaAPI."
        >
          <select value={papel} onChange={(e) => setPapel(e.target.value as Papel)}>
            {PAPEL_LISTA.map((p) => (
              <option key={p} value={p}>
                {PAPEL[p]}
              </option>
            ))}
          </select>
        </Campo>
        <ErroGeral erro={atualizar.error} />
        <div className="modal-acoes">
          <button type="button" className="btn btn-secundario" onClick={onFechar}>
            Cancelar
          </button>
          <button type="submit" className="btn btn-primario" disabled={atualizar.isPending}>
            {atualizar.isPending ? "Salvando…" : "Salvar"}
          </button>
        </div>
      </form>
    </Dialogo>
  );
}

export function SenhaDialog({
  usuario,
  onFechar,
}: {
  usuario: Usuario;
  onFechar: (trocada?: boolean) => void;
}) {
  const atualizar = useAtualizarUsuario();
  const [senha, setSenha] = useState("");
  const [erro, setErro] = useState<string | undefined>();
  const api = camposDe(atualizar.error);

  function submeter(evento: React.FormEvent) {
    evento.preventDefault();
    if (atualizar.isPending) return;
    const e = validarSenha(senha);
    setErro(e);
    if (e) return;
    atualizar.mutate({ id: usuario.id, dados: { senha } }, { onSuccess: () => onFechar(true) });
  }

  return (
    <Dialogo
      titulo={`Redefinir a senha de ${usuario.nome}`}
      subtitulo="A senha atual deixa de valer; passe a nova à pessoa por um canal seguro."
      onFechar={() => onFechar()}
    >
      <form className="formulario" onSubmit={submeter} noValidate>
        <Campo
          rotulo="Nova senha"
          erro={erro ?? api.senha}
          ajuda={`De ${SENHA_MINIMA} a ${SENHA_MAXIMA} caracteres.`}
        >
          <input
            type="password"
            value={senha}
            onChange={(e) => setSenha(e.target.value)}
            autoComplete="new-password"
          />
        </Campo>
        <ErroGeral erro={atualizar.error} />
        <div className="modal-acoes">
          <button type="button" className="btn btn-secundario" onClick={() => onFechar()}>
            Cancelar
          </button>
          <button type="submit" className="btn btn-primario" disabled={atualizar.isPending}>
            {atualizar.isPending ? "Salvando…" : "Redefinir senha"}
          </button>
        </div>
      </form>
    </Dialogo>
  );
}
