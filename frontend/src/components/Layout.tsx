import { useQueryClient } from "@tanstack/react-query";
import { Link, NavLink, Outlet, useLocation } from "react-router";
import { logout, useMe } from "../lib/api/auth";
import { useLiveUpdates } from "../lib/live/useLiveUpdates";
import { useSessao } from "../lib/session";
import { Avisos } from "./Avisos";
import { Notificacoes } from "./Notificacoes";

export function Layout() {
  const sessao = useSessao();
  const me = useMe();
  const qc = useQueryClient();
  // The event stream stays open on every screen, so whatever is cached is kept fresh.
  useLiveUpdates();
  const nome = me.data?.nome ?? sessao?.usuario.nome ?? "";
  const admin = (me.data?.papel ?? sessao?.usuario.papel) === "admin";
  const usuarioId = me.data?.id ?? sessao?.usuario.id;
  const { pathname } = useLocation();
  // The monitoring panel lives under /admin but is everyone's: it has its own item.
  const monitorando = pathname.startsWith("/admin/whatsapp");
  const administrando = pathname.startsWith("/admin") && !monitorando;

  function sair() {
    void logout();
    qc.clear();
  }

  return (
    <div className="app">
      <header className="topo">
        <Link className="marca" to="/central">
          <span className="marca-logo" aria-hidden="true">
            G
          </span>
          <span className="marca-nome">GMM Central</span>
        </Link>
        <nav aria-label="Principal" className="nav">
          <NavLink to="/central">Central</NavLink>
          <NavLink to="/chamados">Chamados</NavLink>
          <NavLink to="/terceirizados">Terceirizados</NavLink>
          <NavLink to="/desempenho">Desempenho</NavLink>
          <NavLink to="/admin/whatsapp">Monitoramento</NavLink>
          {admin ? (
            <Link
              to="/admin"
              className={administrando ? "active" : undefined}
              aria-current={administrando ? "page" : undefined}
            >
              Administração
            </Link>
          ) : null}
        </nav>
        <div className="topo-usuario">
          {usuarioId !== undefined ? <Notificacoes key={usuarioId} usuarioId={usuarioId} /> : null}
          <span className="topo-nome" title={sessao?.usuario.email}>
            {nome}
          </span>
          <button type="button" className="btn btn-fantasma btn-pequeno" onClick={sair}>
            Sair
          </button>
        </div>
      </header>
      <main className="conteudo">
        <Outlet />
      </main>
      <Avisos />
    </div>
  );
}
