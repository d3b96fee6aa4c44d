import { Navigate, createBrowserRouter } from "react-router";
import { Carregando } from "../components/Feedback";
import { Layout } from "../components/Layout";
import { LoginPage } from "../features/auth/LoginPage";
import { CentralPage } from "../features/central/CentralPage";
import { ErroDeRota, NaoEncontrada } from "./Paginas";
import { RequireAdmin } from "./RequireAdmin";
import { RequireAuth } from "./RequireAuth";

// The central is the landing screen and ships in the first bundle; the other
// screens load on demand.
export const router = createBrowserRouter([
  { path: "/login", element: <LoginPage />, errorElement: <ErroDeRota /> },
  // The contractor's link: public (the token authenticates), outside the login guard.
  {
    path: "/p/:token",
    errorElement: <ErroDeRota />,
    hydrateFallbackElement: <Carregando />,
    lazy: async () => ({
      Component: (await import("../features/prestador/PrestadorPage")).PrestadorPage,
    }),
  },
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
            path: "terceirizados/:id/conversas",
            lazy: async () => ({
              Component: (await import("../features/terceirizados/ConversasTerceirizadoPage"))
                .ConversasTerceirizadoPage,
            }),
          },
          {
            path: "terceirizados/:id",
            lazy: async () => ({
              Component: (await import("../features/terceirizados/TerceirizadoFormPage"))
                .EditarTerceirizadoPage,
            }),
          },
          {
            path: "desempenho",
            lazy: async () => ({
              Component: (await import("../features/desempenho/DesempenhoPage")).DesempenhoPage,
            }),
          },
          {
            path: "desempenho/terceirizados/:id",
            lazy: async () => ({
              Component: (await import("../features/desempenho/TerceirizadoDesempenhoPage"))
                .TerceirizadoDesempenhoPage,
            }),
          },
          {
            path: "respostas-rapidas",
            lazy: async () => ({
              Component: (await import("../features/respostas/RespostasRapidasPage"))
                .RespostasRapidasPage,
            }),
          },
          {
            path: "nao-atribuidas",
            lazy: async () => ({
              Component: (await import("../features/mensagens/NaoAtribuidasPage"))
                .NaoAtribuidasPage,
            }),
          },
          // The operations panel is for every operator, not only administrators.
          {
            path: "admin/whatsapp",
            lazy: async () => ({
              Component: (await import("../features/monitoramento/MonitoramentoPage"))
                .MonitoramentoPage,
            }),
          },
          {
            path: "admin",
            element: <RequireAdmin />,
            children: [
              { index: true, element: <Navigate to="/admin/regras" replace /> },
              {
                path: "regras",
                lazy: async () => ({
                  Component: (await import("../features/admin/RegrasPage")).RegrasPage,
                }),
              },
              {
                path: "megaapi",
                lazy: async () => ({
                  Component: (await import("../features/admin/ConfigWhatsAppPage"))
                    .ConfigWhatsAppPage,
                }),
              },
              {
                path: "usuarios",
                lazy: async () => ({
                  Component: (await import("../features/admin/UsuariosPage")).UsuariosPage,
                }),
              },
              {
                path: "sla",
                lazy: async () => ({
                  Component: (await import("../features/admin/SlaPage")).SlaPage,
                }),
              },
            ],
          },
          { path: "*", element: <NaoEncontrada /> },
        ],
      },
    ],
  },
]);
