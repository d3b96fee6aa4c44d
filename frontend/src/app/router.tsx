import { Navigate, createBrowserRouter } from "react-router";
import { Carregando } from "../components/Feedback";
import { Layout } from "../components/Layout";
import { LoginPage } from "../features/auth/LoginPage";
import { CentralPage } from "../features/central/CentralPage";
import { ErroDeRota, NaoEncontrada } from "./Paginas";
import { RequireAuth } from "./RequireAuth";

// The central is the landing screen and ships in the first bundle; the other
// screens load on demand.
export const router = createBrowserRouter([
  { path: "/login", element: <LoginPage />, errorElement: <ErroDeRota /> },
  {
    element: <RequireAuth />,
    errorElement: <ErroDeRota />,
    hydrateFallbackElement: <Carregando />,
    children: [
      {
        element: <Layout />,
        errorElement: <ErroDeRota />,
        children: [
          { index: true, element: <Navigate to="/central" replace /> },
          { path: "central", element: <CentralPage /> },
          { path: "central/:id", element: <CentralPage /> },
          {
            path: "chamados",
            lazy: async () => ({
              Component: (await import("../features/chamados/ChamadosPage")).ChamadosPage,
            }),
          },
          {
            path: "chamados/novo",
            lazy: async () => ({
              Component: (await import("../features/chamados/NovoChamadoPage")).NovoChamadoPage,
            }),
          },
          {
            path: "chamados/:id",
            lazy: async () => ({
              Component: (await import("../features/chamados/ChamadoPage")).ChamadoPage,
            }),
          },
          {
            path: "terceirizados",
            lazy: async () => ({
              Component: (await import("../features/terceirizados/TerceirizadosPage"))
                .TerceirizadosPage,
            }),
          },
          {
            path: "terceirizados/novo",
            lazy: async () => ({
              Component: (await import("../features/terceirizados/TerceirizadoFormPage"))
                .NovoTerceirizadoPage,
            }),
          },
          {
            path: "terceirizados/:id",
            lazy: async () => ({
              Component: (await import("../features/terceirizados/TerceirizadoFormPage"))
                .EditarTerceirizadoPage,
            }),
          },
          { path: "*", element: <NaoEncontrada /> },
        ],
      },
    ],
  },
]);
