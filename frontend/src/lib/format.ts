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
