/**
 * WhatsApp's limits for what the "…" menu sends (MEGAAPI.md), checked here before
 * anything goes to the API; the API checks them again and its 422 still wins.
 * Lengths count characters as the API does: code points of the trimmed text.
 */
import { tamanho } from "../../../components/Contador";
import { formatarTamanho } from "../../../lib/format";
import type { BotoesIn, ListaIn } from "../../../lib/types";

export const LIMITES = {
  texto: 1024,
  rodape: 60,
  cabecalho: 60,
  botoes: 3,
  botaoTitulo: 20,
  listaBotao: 20,
  secoes: 10,
  linhas: 10,
  secaoTitulo: 24,
  linhaTitulo: 24,
  linhaDescricao: 72,
  legenda: 1024,
  observacao: 300,
} as const;

/** Problems by field: "texto", "botoes.1.titulo", "secoes.0.linhas.2.descricao"... */
export type Erros = Record<string, string>;

const VAZIO = "preencha este campo.";

/**
 * The errors to show: a limit passed shows at once, an empty required field only
 * after a submit was tried (an empty form is not an error yet).
 */
export function visiveis(erros: Erros, tentou: boolean): Erros {
  if (tentou) return erros;
  return Object.fromEntries(Object.entries(erros).filter(([, msg]) => !msg.endsWith(VAZIO)));
}

function checar(
  erros: Erros,
  campo: string,
  rotulo: string,
  valor: string,
  maximo: number,
  obrigatorio: boolean,
): void {
  const n = tamanho(valor);
  if (obrigatorio && n === 0) erros[campo] = `${rotulo}: ${VAZIO}`;
  else if (n > maximo) erros[campo] = `${rotulo}: no máximo ${maximo} caracteres (tem ${n}).`;
}

/**
 * An id from a title ("Aprovar orçamento" → "aprovar-orcamento"), unique among
 * `usados` (which it joins): operators never type ids.
 */
export function gerarId(titulo: string, usados: Set<string>, prefixo = "opcao"): string {
  const base =
    titulo
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40)
      .replace(/-+$/, "") || prefixo;
  let id = base;
  for (let n = 2; usados.has(id); n++) id = `${base}-${n}`;
  usados.add(id);
  return id;
}

// -- reply buttons -----------------------------------------------------------------------

export interface FormBotoes {
  texto: string;
  rodape: string;
  /** The buttons' titles, in order. */
  botoes: string[];
}

export function validarBotoes(f: FormBotoes): Erros {
  const erros: Erros = {};
  checar(erros, "texto", "Texto", f.texto, LIMITES.texto, true);
  checar(erros, "rodape", "Rodapé", f.rodape, LIMITES.rodape, false);
  if (f.botoes.length === 0) erros.botoes = `Botões: ${VAZIO}`;
  else if (f.botoes.length > LIMITES.botoes)
    erros.botoes = `No máximo ${LIMITES.botoes} botões (limite do WhatsApp).`;
  const vistos = new Map<string, number>();
  f.botoes.forEach((titulo, i) => {
    checar(erros, `botoes.${i}.titulo`, `Botão ${i + 1}`, titulo, LIMITES.botaoTitulo, true);
    const chave = titulo.trim().toLocaleLowerCase("pt-BR");
    if (!chave) return;
    const primeiro = vistos.get(chave);
    if (primeiro === undefined) vistos.set(chave, i);
    else erros[`botoes.${i}.titulo`] ??= `Botão ${i + 1}: igual ao botão ${primeiro + 1}.`;
  });
  return erros;
}

export function montarBotoes(f: FormBotoes): BotoesIn {
  const usados = new Set<string>();
  return {
    texto: f.texto.trim(),
    rodape: f.rodape.trim(),
    botoes: f.botoes.map((titulo) => ({ id: gerarId(titulo, usados), titulo: titulo.trim() })),
  };
}

// -- lists -------------------------------------------------------------------------------

export interface FormLinha {
  titulo: string;
  descricao: string;
}

export interface FormSecao {
  titulo: string;
  linhas: FormLinha[];
}

export interface FormLista {
  texto: string;
  botao: string;
  titulo: string;
  descricao: string;
  secoes: FormSecao[];
}

export function totalLinhas(f: Pick<FormLista, "secoes">): number {
  return f.secoes.reduce((n, s) => n + s.linhas.length, 0);
}

export function validarLista(f: FormLista): Erros {
  const erros: Erros = {};
  checar(erros, "texto", "Texto", f.texto, LIMITES.texto, true);
  checar(erros, "botao", "Texto do botão", f.botao, LIMITES.listaBotao, true);
  checar(erros, "titulo", "Cabeçalho", f.titulo, LIMITES.cabecalho, false);
  checar(erros, "descricao", "Rodapé", f.descricao, LIMITES.rodape, false);
  if (f.secoes.length === 0) erros.secoes = `Seções: ${VAZIO}`;
  else if (f.secoes.length > LIMITES.secoes)
    erros.secoes = `No máximo ${LIMITES.secoes} seções (limite do WhatsApp).`;
  const total = totalLinhas(f);
  if (total > LIMITES.linhas)
    erros.linhas = `No máximo ${LIMITES.linhas} linhas no total da lista (há ${total}).`;
  f.secoes.forEach((secao, s) => {
    checar(erros, `secoes.${s}.titulo`, `Seção ${s + 1}`, secao.titulo, LIMITES.secaoTitulo, true);
    if (secao.linhas.length === 0) erros[`secoes.${s}.linhas`] = `Seção ${s + 1}, linhas: ${VAZIO}`;
    secao.linhas.forEach((linha, l) => {
      const rotulo = `Seção ${s + 1}, linha ${l + 1}`;
      checar(
        erros,
        `secoes.${s}.linhas.${l}.titulo`,
        `${rotulo}, título`,
        linha.titulo,
        LIMITES.linhaTitulo,
        true,
      );
      checar(
        erros,
        `secoes.${s}.linhas.${l}.descricao`,
        `${rotulo}, descrição`,
        linha.descricao,
        LIMITES.linhaDescricao,
        false,
      );
    });
  });
  return erros;
}

export function montarLista(f: FormLista): ListaIn {
  const usados = new Set<string>();
  return {
    texto: f.texto.trim(),
    botao: f.botao.trim(),
    titulo: f.titulo.trim(),
    descricao: f.descricao.trim(),
    secoes: f.secoes.map((secao) => ({
      titulo: secao.titulo.trim(),
      linhas: secao.linhas.map((linha) => ({
        id: gerarId(linha.titulo, usados),
        titulo: linha.titulo.trim(),
        descricao: linha.descricao.trim(),
      })),
    })),
  };
}

// -- files -------------------------------------------------------------------------------

const MB = 1024 * 1024;

export interface TipoArquivo {
  categoria: "imagem" | "audio" | "video" | "documento";
  rotulo: string;
  extensoes: string[];
  mimes: string[];
  maxBytes: number;
}

/** What WhatsApp takes; documents up to 100 MB when the API serves them by URL. */
export const TIPOS_ARQUIVO: TipoArquivo[] = [
  {
    categoria: "imagem",
    rotulo: "Imagem JPEG ou PNG até 5 MB",
    extensoes: [".jpg", ".jpeg", ".png"],
    mimes: ["image/jpeg", "image/png"],
    maxBytes: 5 * MB,
  },
  {
    categoria: "audio",
    rotulo: "Áudio MP3, OGG, AAC, AMR ou M4A até 16 MB",
    extensoes: [".mp3", ".ogg", ".oga", ".opus", ".aac", ".amr", ".m4a"],
    mimes: ["audio/mpeg", "audio/ogg", "audio/aac", "audio/amr", "audio/mp4", "audio/x-m4a"],
    maxBytes: 16 * MB,
  },
  {
    categoria: "video",
    rotulo: "Vídeo MP4 ou 3GP até 16 MB",
    extensoes: [".mp4", ".3gp"],
    mimes: ["video/mp4", "video/3gpp"],
    maxBytes: 16 * MB,
  },
  {
    categoria: "documento",
    rotulo: "Documento PDF, Word, Excel, PowerPoint ou TXT até 100 MB",
    extensoes: [".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".txt"],
    mimes: [
      "application/pdf",
      "application/msword",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "application/vnd.ms-excel",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "application/vnd.ms-powerpoint",
      "application/vnd.openxmlformats-officedocument.presentationml.presentation",
      "text/plain",
    ],
    maxBytes: 100 * MB,
  },
];

/** The file input's `accept`: extensions and MIME types, so every browser offers them. */
export const ACCEPT_ARQUIVOS = TIPOS_ARQUIVO.flatMap((t) => [...t.extensoes, ...t.mimes]).join(",");

export function tipoDoArquivo(arquivo: Pick<File, "name" | "type">): TipoArquivo | null {
  const nome = arquivo.name.toLowerCase();
  const extensao = nome.includes(".") ? nome.slice(nome.lastIndexOf(".")) : "";
  return (
    TIPOS_ARQUIVO.find((t) => t.extensoes.includes(extensao)) ??
    TIPOS_ARQUIVO.find((t) => arquivo.type !== "" && t.mimes.includes(arquivo.type)) ??
    null
  );
}

/** The first problem the browser can see (type by name, size); the API checks the content. */
export function validarArquivo(arquivo: Pick<File, "name" | "type" | "size">): string | null {
  const tipo = tipoDoArquivo(arquivo);
  if (!tipo) {
    return "Tipo de arquivo não aceito pelo WhatsApp: envie imagem JPEG/PNG, áudio, vídeo MP4/3GP ou documento PDF, Word, Excel, PowerPoint ou TXT.";
  }
  if (arquivo.size === 0) return "O arquivo está vazio.";
  if (arquivo.size > tipo.maxBytes) {
    return `Arquivo grande demais (${formatarTamanho(arquivo.size)}). Aceito: ${tipo.rotulo}.`;
  }
  return null;
}
