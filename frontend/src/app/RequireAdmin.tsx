import { Outlet } from "react-router";
import { useMe } from "../lib/api/auth";
import { useSessao } from "../lib/session";
import { SemPermissao } from "./Paginas";

/** Administrators only; the role comes from /me, or from the login answer meanwhile. */
export function RequireAdmin() {
  const sessao = useSessao();
  const me = useMe();
  const papel = me.data?.papel ?? sessao?.usuario.papel;
  return papel === "admin" ? <Outlet /> : <SemPermissao />;
}
