import { NavLink } from "react-router";

/** The administration screens' tabs. */
export function AdminNav() {
  return (
    <nav className="abas" aria-label="Administração">
      <NavLink to="/admin/regras">Regras de automação</NavLink>
      <NavLink to="/admin/megaapi">Configuração MegaAPI</NavLink>
      <NavLink to="/admin/usuarios">Usuários</NavLink>
      <NavLink to="/admin/sla">Prazos e cobranças</NavLink>
    </nav>
  );
}
