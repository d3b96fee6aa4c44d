/** Dates and times in pt-BR, in the browser's time zone (America/Sao_Paulo for our users). */

const hora = new Intl.DateTimeFormat("pt-BR", { hour: "2-digit", minute: "2-digit" });
const dataCurta = new Intl.DateTimeFormat("pt-BR", {
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
});
const dataLonga = new Intl.DateTimeFormat("pt-BR", {
  day: "numeric",
  month: "long",
  year: "numeric",
});
const diaSemana = new Intl.DateTimeFormat("pt-BR", { weekday: "long" });
const dataHora = new Intl.DateTimeFormat("pt-BR", { dateStyle: "short", timeStyle: "short" });
const diaMes = new Intl.DateTimeFormat("pt-BR", { day: "2-digit", month: "2-digit" });

function diaLocal(data: Date): number {
  return new Date(data.getFullYear(), data.getMonth(), data.getDate()).getTime();
}

function diasAtras(data: Date, agora: Date): number {
  return Math.round((diaLocal(agora) - diaLocal(data)) / 86_400_000);
}

export function formatarHora(iso: string): string {
  return hora.format(new Date(iso));
}

export function formatarDataHora(iso: string | null | undefined): string {
  return iso ? dataHora.format(new Date(iso)) : "—";
}

/** "10/03 14:30": a moment of this year or the next, where the year is plain. */
export function formatarDiaHora(iso: string): string {
  const data = new Date(iso);
  return `${diaMes.format(data)} ${hora.format(data)}`;
}

/** "14:30" today, "10/03 14:30" another day. */
export function formatarHoraOuDia(iso: string, agora: Date = new Date()): string {
  const data = new Date(iso);
  return diasAtras(data, agora) === 0 ? hora.format(data) : formatarDiaHora(iso);
}

/** Day separator in the chat: "Hoje", "Ontem", weekday within a week, else the date. */
export function rotuloDia(iso: string, agora: Date = new Date()): string {
  const data = new Date(iso);
  const dias = diasAtras(data, agora);
  if (dias === 0) return "Hoje";
  if (dias === 1) return "Ontem";
  if (dias > 1 && dias < 7) {
    const nome = diaSemana.format(data);
    return nome.charAt(0).toUpperCase() + nome.slice(1);
  }
  return dataLonga.format(data);
}

export function chaveDia(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

/** Time of the last message in the conversation list: hour today, "Ontem", else the date. */
export function horarioLista(iso: string, agora: Date = new Date()): string {
  const data = new Date(iso);
  const dias = diasAtras(data, agora);
  if (dias === 0) return hora.format(data);
  if (dias === 1) return "Ontem";
  return dataCurta.format(data);
}

export function formatarDuracao(segundos: number | null | undefined): string {
  if (segundos == null) return "—";
  if (segundos < 60) return `${Math.round(segundos)} s`;
  const minutos = Math.round(segundos / 60);
  if (minutos < 60) return `${minutos} min`;
  const horas = Math.floor(minutos / 60);
  const resto = minutos % 60;
  if (horas < 24) return resto ? `${horas} h ${resto} min` : `${horas} h`;
  const dias = Math.floor(horas / 24);
  return `${dias} d ${horas % 24} h`;
}

function doisDigitos(n: number): string {
  return String(n).padStart(2, "0");
}

/** `<input type="datetime-local">` value → ISO 8601 with the browser's UTC offset. */
export function localParaIso(valor: string): string | null {
  if (!valor) return null;
  const data = new Date(valor);
  if (Number.isNaN(data.getTime())) return null;
  const minutos = -data.getTimezoneOffset();
  const sinal = minutos >= 0 ? "+" : "-";
  const abs = Math.abs(minutos);
  const offset = `${sinal}${doisDigitos(Math.floor(abs / 60))}:${doisDigitos(abs % 60)}`;
  return (
    `${data.getFullYear()}-${doisDigitos(data.getMonth() + 1)}-${doisDigitos(data.getDate())}` +
    `T${doisDigitos(data.getHours())}:${doisDigitos(data.getMinutes())}:00${offset}`
  );
}

/** ISO from the API → value for `<input type="datetime-local">` in the browser's zone. */
export function isoParaLocal(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  return (
    `${d.getFullYear()}-${doisDigitos(d.getMonth() + 1)}-${doisDigitos(d.getDate())}` +
    `T${doisDigitos(d.getHours())}:${doisDigitos(d.getMinutes())}`
  );
}

export function formatarTelefone(telefone: string): string {
  const m = /^55(\d{2})(\d{4,5})(\d{4})$/.exec(telefone);
  return m ? `+55 (${m[1]}) ${m[2]}-${m[3]}` : telefone;
}

/** A stored number ("5511912345678") as people type it: "(11) 91234-5678"; else as it is. */
export function formatarTelefoneNacional(telefone: string): string {
  const m = /^55(\d{2})(\d{4,5})(\d{4})$/.exec(telefone);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : telefone;
}

/** Every stored number inside a message from the API ("o telefone 5511912345678 já…"), written so. */
export function formatarTelefonesNoTexto(texto: string): string {
  return texto.replace(/(?<!\d)55\d{10,11}(?!\d)/g, (numero) => formatarTelefoneNacional(numero));
}

const moeda = new Intl.NumberFormat("pt-BR", { style: "currency", currency: "BRL" });

/** A decimal from the API ("1500.00") as "R$ 1.500,00"; "—" when absent. */
export function formatarMoeda(valor: string | number | null | undefined): string {
  if (valor === null || valor === undefined || valor === "") return "—";
  const numero = typeof valor === "number" ? valor : Number(valor);
  return Number.isFinite(numero) ? moeda.format(numero) : String(valor);
}

/**
 * What an operator types as an amount ("1500", "1.500,50", "R$ 1500.5") → the
 * decimal string the API takes ("1500.50"), or null when it is not one.
 */
export function lerValor(texto: string): string | null {
  let limpo = texto.replace(/R\$/i, "").replace(/\s/g, "");
  if (!limpo) return null;
  if (limpo.includes(",")) {
    // pt-BR: dots group thousands, the comma separates the cents.
    limpo = limpo.replace(/\./g, "").replace(",", ".");
  } else if (/^\d{1,3}(\.\d{3})+$/.test(limpo)) {
    limpo = limpo.replace(/\./g, "");
  }
  if (!/^\d+(\.\d{1,2})?$/.test(limpo)) return null;
  const numero = Number(limpo);
  if (!(numero > 0)) return null;
  return numero.toFixed(2);
}

/** Size of a file for people: "820 KB", "4,8 MB". */
export function formatarTamanho(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toLocaleString("pt-BR", { maximumFractionDigits: 1 })} MB`;
}

const horaComSegundos = new Intl.DateTimeFormat("pt-BR", {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

export function formatarHoraSegundos(iso: string): string {
  return horaComSegundos.format(new Date(iso));
}

/** "há 12 s", "há 3 min", "há 2 h 5 min"; `agora` is the server's clock when there is one. */
export function formatarHaQuanto(
  iso: string | null | undefined,
  agora: Date | string = new Date(),
): string {
  if (!iso) return "—";
  const referencia = typeof agora === "string" ? new Date(agora) : agora;
  const segundos = Math.max(0, (referencia.getTime() - new Date(iso).getTime()) / 1000);
  return segundos < 1 ? "agora" : `há ${formatarDuracao(segundos)}`;
}

/** Short durations keep a decimal ("0,8 s"); longer ones read as formatarDuracao. */
export function formatarSegundos(segundos: number | null | undefined): string {
  if (segundos == null) return "—";
  if (segundos < 10) {
    return `${segundos.toLocaleString("pt-BR", { maximumFractionDigits: 1 })} s`;
  }
  return formatarDuracao(segundos);
}

const percentual = new Intl.NumberFormat("pt-BR", {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

/** A fraction (0.025) as "2,5 %": one decimal always, so figures line up and 0 reads "0,0 %". */
export function formatarPercentual(fracao: number): string {
  return `${percentual.format(fracao * 100)} %`;
}

/** "45 min", "3h", "1h20", "2 dias": how far a moment is, for a timer. */
function duracaoCurta(ms: number): string {
  const minutos = Math.max(1, Math.round(ms / 60_000));
  if (minutos < 60) return `${minutos} min`;
  const horas = Math.floor(minutos / 60);
  if (horas < 24) {
    const resto = minutos % 60;
    return resto ? `${horas}h${String(resto).padStart(2, "0")}` : `${horas}h`;
  }
  const dias = Math.round(horas / 24);
  return dias === 1 ? "1 dia" : `${dias} dias`;
}

/**
 * A deadline as a timer for the conversation list: "atrasado 3h" once past,
 * "vence em 1h20" within a day, nothing further away (the date is in the chat).
 */
export function cronometroPrazo(
  prazo: string | null | undefined,
  agora: Date = new Date(),
): { texto: string; atrasado: boolean } | null {
  if (!prazo) return null;
  const falta = new Date(prazo).getTime() - agora.getTime();
  if (falta <= 0) return { texto: `atrasado ${duracaoCurta(-falta)}`, atrasado: true };
  if (falta > 24 * 60 * 60_000) return null;
  return { texto: `vence em ${duracaoCurta(falta)}`, atrasado: false };
}
