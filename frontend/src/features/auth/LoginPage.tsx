import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { Campo } from "../../components/Campo";
import { useLogin } from "../../lib/api/auth";
import { ApiError, mensagemDeErro } from "../../lib/http";
import { motivoDoFim, useSessao } from "../../lib/session";
import "./auth.css";

/** Only same-app paths: never send the user to another site after login. */
export function destinoSeguro(next: string | null): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/login")) {
    return "/central";
  }
  return next;
}

export function LoginPage() {
  const [params] = useSearchParams();
  const destino = destinoSeguro(params.get("next"));
  const sessao = useSessao();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const login = useLogin();
  const [email, setEmail] = useState("");
  const [senha, setSenha] = useState("");
  const [expirou] = useState(() => motivoDoFim() === "expirada");

  if (sessao && !login.isSuccess) return <Navigate to={destino} replace />;

  function entrar(evento: React.FormEvent) {
    evento.preventDefault();
    if (login.isPending) return;
    login.mutate(
      { email: email.trim(), senha },
      {
        onSuccess: () => {
          // Nothing cached for a previous user may show up for this one.
          qc.clear();
          void navigate(destino, { replace: true });
        },
      },
    );
  }

  const campos = login.error instanceof ApiError ? login.error.campos : {};
  const erroGeral =
    login.error && Object.keys(campos).length === 0 ? mensagemDeErro(login.error) : null;

  return (
    <div className="login-fundo">
      <form className="login-cartao" onSubmit={entrar} noValidate>
        <div className="login-marca">
          <span className="marca-logo" aria-hidden="true">
            G
          </span>
          <div>
            <h1>GMM Central de Mensagens</h1>
            <p className="texto-suave">Chamados com terceirizados pelo WhatsApp</p>
          </div>
        </div>
        {expirou && !login.error ? (
          <p className="aviso" role="status">
            Sua sessão expirou. Entre novamente para continuar de onde parou; o texto que você
            estava digitando foi guardado.
          </p>
        ) : null}
        <Campo rotulo="E-mail" erro={campos.email}>
          <input
            type="email"
            name="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
            autoFocus
          />
        </Campo>
        <Campo rotulo="Senha" erro={campos.senha}>
          <input
            type="password"
            name="senha"
            autoComplete="current-password"
            value={senha}
            onChange={(e) => setSenha(e.target.value)}
            required
          />
        </Campo>
        {erroGeral ? (
          <p className="erro-box" role="alert">
            {erroGeral}
          </p>
        ) : null}
        <button
          type="submit"
          className="btn btn-primario btn-bloco"
          disabled={login.isPending || !email || !senha}
        >
          {login.isPending ? "Entrando…" : "Entrar"}
        </button>
      </form>
    </div>
  );
}
