/** Characters as the API counts them (code points, after trimming). */
export function tamanho(texto: string): number {
  return [...texto.trim()].length;
}

/** "12/20" beside a field; red when over the limit. */
export function Contador({ texto, maximo }: { texto: string; maximo: number }) {
  const n = tamanho(texto);
  const excedeu = n > maximo;
  return (
    <span
      className={`contador${excedeu ? " contador-excedido" : ""}`}
      title={`${n} de no máximo ${maximo} caracteres`}
    >
      {n}/{maximo}
    </span>
  );
}
