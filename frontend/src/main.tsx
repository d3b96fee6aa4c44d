// The global base first: each feature's stylesheet, imported by its pages, comes after it.
import "./styles.css";
import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router";
import { router } from "./app/router";
import { criarQueryClient } from "./lib/queryClient";

const queryClient = criarQueryClient();
const raiz = document.getElementById("root");
if (!raiz) throw new Error("#root ausente em index.html");

createRoot(raiz).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
