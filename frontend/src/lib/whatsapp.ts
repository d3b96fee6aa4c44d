/**
 * WhatsApp's text formatting: *negrito*, _itálico_, ~riscado~ and ```mono```
 * (and `mono` inline). One reading for every screen: the chat draws the marks,
 * one-line previews (conversation list, unassigned messages) drop them.
 */

export type MarcaWhatsApp = "negrito" | "italico" | "riscado" | "mono";

export interface TrechoWhatsApp {
  texto: string;
  /** Absent for plain text. */
  marca?: MarcaWhatsApp;
}

const MARCAS: Record<string, MarcaWhatsApp> = {
  "*": "negrito",
  _: "italico",
  "~": "riscado",
  "`": "mono",
};

// ```mono``` first (it may hold spaces, marks and line breaks); then a single mark
// around text that starts and ends with a non-space and is not followed by a letter
// or digit, as WhatsApp reads them; no nesting.
const PADRAO = /```([\s\S]+?)```|([*_~`])(?=\S)([^\n]*?\S)\2(?![\p{L}\p{N}])/gu;
const LETRA_OU_DIGITO = /[\p{L}\p{N}]/u;

/** The text cut into plain and marked runs, in order; joined they are the text without marks. */
export function trechosWhatsApp(texto: string): TrechoWhatsApp[] {
  const trechos: TrechoWhatsApp[] = [];
  let inicio = 0;
  for (const achado of texto.matchAll(PADRAO)) {
    const posicao = achado.index;
    let trecho: TrechoWhatsApp;
    if (achado[1] !== undefined) {
      trecho = { texto: achado[1], marca: "mono" };
    } else {
      // A mark glued to a word ("2*3*4", "snake_case") is not formatting.
      const anterior = posicao > 0 ? (texto[posicao - 1] ?? "") : "";
      const marca = MARCAS[achado[2] ?? ""];
      if ((anterior && LETRA_OU_DIGITO.test(anterior)) || !marca) continue;
      trecho = { texto: achado[3] ?? "", marca };
    }
    if (posicao > inicio) trechos.push({ texto: texto.slice(inicio, posicao) });
    trechos.push(trecho);
    inicio = posicao + achado[0].length;
  }
  if (inicio < texto.length) trechos.push({ texto: texto.slice(inicio) });
  return trechos;
}

/** The text as a preview shows it: the formatting marks dropped, the words kept. */
export function semFormatacao(texto: string): string {
  return trechosWhatsApp(texto)
    .map((t) => t.texto)
    .join("");
}
