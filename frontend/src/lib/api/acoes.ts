/**
 * What the message center's "…" menu sends: native lists and reply buttons, files,
 * and the ready-made actions (questions whose answers move the chamado). Each
 * answers the chamado and the queued message, like responder/cobrar.
 */
import { useMutation } from "@tanstack/react-query";
import { api, comArquivo, corpo } from "./cliente";
import type {
  BotoesIn,
  ChamadoComMensagem,
  ConfirmarVisitaIn,
  LinkPrestadorCriado,
  LinkPrestadorIn,
  ListaIn,
  OrcamentoIn,
} from "../types";
import { useAoMudarChamado } from "./chamados";

const doChamado = (chamadoId: number) => ({ path: { chamado_id: chamadoId } });

export function enviarLista(chamadoId: number, dados: ListaIn): Promise<ChamadoComMensagem> {
  return corpo(
    api.POST("/api/chamados/{chamado_id}/enviar-lista", {
      params: doChamado(chamadoId),
      body: dados,
    }),
  );
}

export function enviarBotoes(chamadoId: number, dados: BotoesIn): Promise<ChamadoComMensagem> {
  return corpo(
    api.POST("/api/chamados/{chamado_id}/enviar-botoes", {
      params: doChamado(chamadoId),
      body: dados,
    }),
  );
}

export interface MidiaIn {
  arquivo: File;
  caption?: string;
}

export function enviarMidia(chamadoId: number, dados: MidiaIn): Promise<ChamadoComMensagem> {
  return corpo(
    api.POST("/api/chamados/{chamado_id}/enviar-midia", {
      params: doChamado(chamadoId),
      ...comArquivo(dados.arquivo, dados.caption),
    }),
  );
}

export function solicitarOrcamento(chamadoId: number): Promise<ChamadoComMensagem> {
  return corpo(
    api.POST("/api/chamados/{chamado_id}/acoes/solicitar-orcamento", {
      params: doChamado(chamadoId),
    }),
  );
}

export function enviarOrcamento(
  chamadoId: number,
  dados: OrcamentoIn,
): Promise<ChamadoComMensagem> {
  return corpo(
    api.POST("/api/chamados/{chamado_id}/acoes/orcamento", {
      params: doChamado(chamadoId),
      body: dados,
    }),
  );
}

export function confirmarVisita(
  chamadoId: number,
  dados: ConfirmarVisitaIn,
): Promise<ChamadoComMensagem> {
  return corpo(
    api.POST("/api/chamados/{chamado_id}/acoes/confirmar-visita", {
      params: doChamado(chamadoId),
      body: dados,
    }),
  );
}

export function perguntarConclusao(chamadoId: number): Promise<ChamadoComMensagem> {
  return corpo(
    api.POST("/api/chamados/{chamado_id}/acoes/concluido", { params: doChamado(chamadoId) }),
  );
}

/** One mutation per send; on success every view of the chamado refreshes. */
function useEnvio<T>(enviar: (dados: T) => Promise<ChamadoComMensagem>) {
  const aoMudar = useAoMudarChamado();
  return useMutation({
    mutationFn: enviar,
    onSuccess: (r) => aoMudar(r.chamado, r.mensagem),
  });
}

export function useEnviarLista(chamadoId: number) {
  return useEnvio((dados: ListaIn) => enviarLista(chamadoId, dados));
}

export function useEnviarBotoes(chamadoId: number) {
  return useEnvio((dados: BotoesIn) => enviarBotoes(chamadoId, dados));
}

export function useEnviarMidia(chamadoId: number) {
  return useEnvio((dados: MidiaIn) => enviarMidia(chamadoId, dados));
}

export function useSolicitarOrcamento(chamadoId: number) {
  return useEnvio((_: void) => solicitarOrcamento(chamadoId));
}

export function useEnviarOrcamento(chamadoId: number) {
  return useEnvio((dados: OrcamentoIn) => enviarOrcamento(chamadoId, dados));
}

export function useConfirmarVisita(chamadoId: number) {
  return useEnvio((dados: ConfirmarVisitaIn) => confirmarVisita(chamadoId, dados));
}

export function usePerguntarConclusao(chamadoId: number) {
  return useEnvio((_: void) => perguntarConclusao(chamadoId));
}

/** A signed link for the contractor to see the chamado, send photos and finish it, sent by WhatsApp. */
export function criarLinkPrestador(
  chamadoId: number,
  dados: LinkPrestadorIn,
): Promise<LinkPrestadorCriado> {
  return corpo(
    api.POST("/api/chamados/{chamado_id}/link-prestador", {
      params: doChamado(chamadoId),
      body: dados,
    }),
  );
}

export function useCriarLinkPrestador(chamadoId: number) {
  const aoMudar = useAoMudarChamado();
  return useMutation({
    mutationFn: (dados: LinkPrestadorIn) => criarLinkPrestador(chamadoId, dados),
    onSuccess: (r) => aoMudar(r.chamado, r.mensagem),
  });
}
