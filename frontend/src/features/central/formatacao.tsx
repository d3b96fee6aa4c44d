import type { ReactNode } from "react";

const MARCAS: Record<string, "strong" | "em" | "s" | "code"> = {
  "*": "strong",
  _: "em",
  "~": "s",
  "`": "code",
};

// *negrito*, _itálico_, ~riscado~ and `mono`, as WhatsApp shows them; no nesting.
const PADRAO = /([*_~`])(?=\S)([^\n]*?\S)\1(?![\p{L}\p{N}])/gu;

/** WhatsApp's inline formatting as React elements (never as HTML). */
export function formatarWhatsApp(texto: string): ReactNode[] {
  const partes: ReactNode[] = [];
  let inicio = 0;
  for (const achado of texto.matchAll(PADRAO)) {
    const posicao = achado.index ?? 0;
    const anterior = posicao > 0 ? texto[posicao - 1] : "";
    if (anterior && /[\p{L}\p{N}]/u.test(anterior)) continue;
    const Tag = MARCAS[achado[1] ?? ""];
    if (!Tag) continue;
    if (posicao > inicio) partes.push(texto.slice(inicio, posicao));
    partes.push(<Tag key={posicao}>{achado[2]}</Tag>);
    inicio = posicao + achado[0].length;
  }
  if (inicio < texto.length) partes.push(texto.slice(inicio));
  return partes;
}
