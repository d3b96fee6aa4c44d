/**
 * `MensagemOut.conteudo` is a union told apart by `tipo` (openapi.yaml, generated into
 * api-types.ts): these pick the kind a bubble needs, or null when the message holds
 * another kind (or none).
 */
import type { Acao, ConteudoBotoes, ConteudoLista, Mensagem, RespostaToque } from "../../lib/types";

export function lerBotoes(mensagem: Mensagem): ConteudoBotoes | null {
  const c = mensagem.conteudo;
  return c?.tipo === "botoes" ? c : null;
}

export function lerLista(mensagem: Mensagem): ConteudoLista | null {
  const c = mensagem.conteudo;
  return c?.tipo === "lista" ? c : null;
}

export function lerResposta(mensagem: Mensagem): RespostaToque | null {
  const c = mensagem.conteudo;
  return c?.tipo === "resposta" ? c.resposta : null;
}

export interface InfoMidia {
  nomeArquivo?: string;
  mimeType?: string;
  /** Inbound files: "baixando" until stored, then "pronta" (or "falhou"). */
  status?: string;
}

export function lerMidia(mensagem: Mensagem): InfoMidia {
  const c = mensagem.conteudo;
  switch (c?.tipo) {
    case "arquivo":
      return { nomeArquivo: c.nome_arquivo, mimeType: c.mime_type };
    case "arquivo_prestador":
      return { nomeArquivo: c.nome_arquivo, mimeType: c.mime_type, status: c.midia_status };
    case "midia":
      return { nomeArquivo: c.nome_arquivo ?? undefined, status: c.midia_status };
    default:
      return {};
  }
}

/** A label for the questions the ready-made actions send. */
export const ROTULO_ACAO: Record<Acao["tipo"], string> = {
  orcamento: "Orçamento",
  visita: "Confirmação de visita",
  conclusao: "Conclusão do serviço",
  cobranca: "Cobrança automática",
};
