import { Link, isRouteErrorResponse, useRouteError } from "react-router";

export function NaoEncontrada() {
  return (
    <div className="pagina pagina-estreita">
      <h1>Página não encontrada</h1>
      <p>
        O endereço não existe. <Link to="/central">Ir para a Central de Mensagens</Link>
      </p>
    </div>
  );
}

/** A screen for administrators reached by someone else. */
export function SemPermissao() {
  return (
    <div className="pagina pagina-estreita">
      <h1>Sem permissão</h1>
      <p>Esta área é só para administradores. Se precisar dela, peça acesso a um administrador.</p>
      <p>
        <Link to="/central">Voltar à Central</Link>
      </p>
    </div>
  );
}

/** Shown instead of a blank screen when a route fails to load or render. */
export function ErroDeRota() {
  const erro = useRouteError();
  const detalhe = isRouteErrorResponse(erro)
    ? `${erro.status} ${erro.statusText}`
    : erro instanceof Error
      ? erro.message
      : "erro desconhecido";
  return (
    <div className="pagina pagina-estreita" role="alert">
      <h1>Algo deu errado nesta tela</h1>
      <p className="texto-suave">{detalhe}</p>
      <p>
        <button type="button" className="btn btn-primario" onClick={() => window.location.reload()}>
          Recarregar
        </button>{" "}
        <Link to="/central">Voltar à Central</Link>
      </p>
    </div>
  );
}
