import type { ReactNode } from "react";
import { type MarcaWhatsApp, trechosWhatsApp } from "../../lib/whatsapp";

const TAGS: Record<MarcaWhatsApp, "strong" | "em" | "s" | "code"> = {
  negrito: "strong",
  italico: "em",
  riscado: "s",
  mono: "code",
};

/** WhatsApp's formatting as React elements (never as HTML), as a bubble shows it. */
export function formatarWhatsApp(texto: string): ReactNode[] {
  let posicao = 0;
  return trechosWhatsApp(texto).map((trecho) => {
    const chave = posicao;
    posicao += trecho.texto.length;
    if (!trecho.marca) return trecho.texto;
    const Tag = TAGS[trecho.marca];
    return <Tag key={chave}>{trecho.texto}</Tag>;
  });
}
