import { QueryClient } from "@tanstack/react-query";
import { ApiError } from "./http";

export function criarQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 2_000,
        // A 4xx will answer the same again; network and 5xx get two more tries.
        retry: (tentativas, erro) =>
          !(erro instanceof ApiError && erro.status >= 400 && erro.status < 500) && tentativas < 2,
      },
      mutations: { retry: false },
    },
  });
}
