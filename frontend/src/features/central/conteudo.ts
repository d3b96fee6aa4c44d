/**
 * `MensagemOut.conteudo` read defensively: it is a free-form object in the schema,
 * and old rows or newer servers may hold other keys. Anything unexpected reads as
 * absent, and the bubble falls back to the plain text.
 */
import type {
  ConteudoBotoes,
  ConteudoLista,
  LinhaLista,
  Mensagem,
  OpcaoBotao,
  RespostaToque,
  Respondida,
  SecaoLista,
} from "../../lib/types";

type Obj = Record<string, unknown>;

function obj(valor: unknown): Obj | null {
  return typeof valor === "object" && valor !== null && !Array.isArray(valor)
    ? (valor as Obj)
    : null;
}

function texto(valor: unknown): string | undefined {
  return typeof valor === "string" ? valor : undefined;
}

function opcao(valor: unknown): OpcaoBotao | null {
  const o = obj(valor);
  const id = texto(o?.id);
  const titulo = texto(o?.titulo);
  return id !== undefined && titulo !== undefined ? { id, titulo } : null;
}

function respondida(valor: unknown): Respondida | undefined {
  const o = obj(valor);
  const opcaoId = texto(o?.opcao_id);
  if (opcaoId === undefined) return undefined;
  return {
    opcao_id: opcaoId,
    mensagem_id: typeof o?.mensagem_id === "number" ? o.mensagem_id : undefined,
  };
}

export function lerBotoes(mensagem: Mensagem): ConteudoBotoes | null {
  const c = obj(mensagem.conteudo);
  if (c?.tipo !== "botoes" || !Array.isArray(c.botoes)) return null;
  const acao = obj(c.acao);
  return {
    tipo: "botoes",
    botoes: c.botoes.map(opcao).filter((b): b is OpcaoBotao => b !== null),
    rodape: texto(c.rodape),
    acao: acao && typeof acao.tipo === "string" ? (acao as ConteudoBotoes["acao"]) : undefined,
    respondida: respondida(c.respondida),
  };
}

export function lerLista(mensagem: Mensagem): ConteudoLista | null {
  const c = obj(mensagem.conteudo);
  if (c?.tipo !== "lista" || !Array.isArray(c.secoes)) return null;
  const secoes: SecaoLista[] = c.secoes.flatMap((s) => {
    const secao = obj(s);
    if (!secao || !Array.isArray(secao.linhas)) return [];
    const linhas = secao.linhas.flatMap((l): LinhaLista[] => {
      const base = opcao(l);
      return base ? [{ ...base, descricao: texto(obj(l)?.descricao) }] : [];
    });
    return [{ titulo: texto(secao.titulo) ?? "", linhas }];
  });
  return {
    tipo: "lista",
    botao: texto(c.botao) ?? "Ver opções",
    titulo: texto(c.titulo),
    descricao: texto(c.descricao),
    secoes,
    respondida: respondida(c.respondida),
  };
}

export function lerResposta(mensagem: Mensagem): RespostaToque | null {
  const r = obj(obj(mensagem.conteudo)?.resposta);
  const titulo = texto(r?.titulo);
  if (!r || titulo === undefined) return null;
  return {
    tipo: r.tipo === "lista" ? "lista" : "botao",
    id: texto(r.id) ?? "",
    titulo,
    opcao_id: texto(r.opcao_id),
    pergunta_id: typeof r.pergunta_id === "number" ? r.pergunta_id : undefined,
  };
}

export interface InfoMidia {
  nomeArquivo?: string;
  mimeType?: string;
  /** Inbound files: "baixando" until stored, then "pronta" (or "falhou"). */
  status?: string;
}

export function lerMidia(mensagem: Mensagem): InfoMidia {
  const c = obj(mensagem.conteudo);
  return {
    nomeArquivo: texto(c?.nome_arquivo),
    mimeType: texto(c?.mime_type),
    status: texto(c?.midia_status),
  };
}

/** A label for the questions the ready-made actions send. */
export const ROTULO_ACAO: Record<string, string> = {
  orcamento: "Orçamento",
  visita: "Confirmação de visita",
  conclusao: "Conclusão do serviço",
};
