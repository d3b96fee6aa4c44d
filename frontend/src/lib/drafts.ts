/**
 * Half-typed messages, per conversation, in sessionStorage: they survive an
 * expired session (the trip to /login and back) and a reload, not a closed tab.
 */
const prefixo = "gmm:rascunho:";

export function lerRascunho(chave: string | number): string {
  try {
    return sessionStorage.getItem(prefixo + chave) ?? "";
  } catch {
    return "";
  }
}

export function salvarRascunho(chave: string | number, texto: string): void {
  try {
    if (texto) sessionStorage.setItem(prefixo + chave, texto);
    else sessionStorage.removeItem(prefixo + chave);
  } catch {
    // Storage full or blocked: the draft lives only in the textarea.
  }
}
