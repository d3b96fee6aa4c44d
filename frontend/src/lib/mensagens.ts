/**
 * A message in a few words: what a reply quotes (`MensagemOut.citada`), the text on
 * one or two lines or WhatsApp's name for a file without a caption; and a
 * conversation's last message, on one line.
 */
import type { Citacao, Conversa, Mensagem, TipoConteudo } from "./types";
import { semFormatacao } from "./whatsapp";

/** A quoted file, as WhatsApp names it above a reply. */
const MIDIA_CITADA: Record<Exclude<TipoConteudo, "text" | "interactive">, [string, string]> = {
  image: ["📷", "Foto"],
  audio: ["🎤", "Áudio"],
  video: ["🎬", "Vídeo"],
  document: ["📄", "Documento"],
};

/** The server keeps this much of a quoted text (CitacaoOut.texto). */
export const CITACAO_MAX = 200;

/** "Segue o orçamento", "📷 Foto", "📷 Quadro do bloco B", "mensagem apagada". */
export function resumoCitacao(citada: Citacao): string {
  if (citada.apagada) return "mensagem apagada";
  const texto = citada.texto ? semFormatacao(citada.texto).trim() : "";
  const tipo = citada.tipo_conteudo;
  if (tipo === "text") return texto || "Mensagem sem texto";
  if (tipo === "interactive") return texto || "Mensagem interativa";
  const [icone, nome] = MIDIA_CITADA[tipo];
  return `${icone} ${texto || nome}`;
}

/** The quote of a message on screen: the reply bar, and the bubble shown until the server has it. */
export function citacaoDe(mensagem: Mensagem): Citacao {
  const texto = mensagem.texto ?? mensagem.caption;
  return {
    id: mensagem.id,
    chamado_id: mensagem.chamado_id,
    direcao: mensagem.direcao,
    tipo_conteudo: mensagem.tipo_conteudo,
    texto: texto ? texto.slice(0, CITACAO_MAX) : null,
    apagada: mensagem.apagada_em !== null,
  };
}

/** Who a quote names: us ("Você") or the contractor. */
export function autorCitacao(citada: Citacao, nomeTerceirizado?: string): string {
  return citada.direcao === "outbound" ? "Você" : (nomeTerceirizado ?? "Terceirizado");
}

const MIDIA_PREVIA: Record<Exclude<TipoConteudo, "text">, string> = {
  image: "📷 Imagem",
  audio: "🎤 Áudio",
  video: "🎬 Vídeo",
  document: "📄 Documento",
  interactive: "Mensagem interativa",
};

/** A conversation's last message on one line: the text as read, without WhatsApp's *marks*. */
export function previaConversa(conversa: Conversa): string {
  const m = conversa.ultima_mensagem;
  if (!m) return "Sem mensagens";
  if (m.texto) return semFormatacao(m.texto);
  return m.tipo_conteudo === "text" ? "Mensagem" : MIDIA_PREVIA[m.tipo_conteudo];
}
