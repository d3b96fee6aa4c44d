import { Navigate, Outlet, useLocation } from "react-router";
import { useSessao } from "../lib/session";

/** Without a session, go to /login and remember where to come back to. */
export function RequireAuth() {
  const sessao = useSessao();
  const location = useLocation();
  if (!sessao) {
    const volta = location.pathname + location.search;
    return <Navigate to={`/login?next=${encodeURIComponent(volta)}`} replace />;
  }
  return <Outlet />;
}
