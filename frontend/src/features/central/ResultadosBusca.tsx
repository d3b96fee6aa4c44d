import { Link } from "react-router";
import { CarregarMais } from "../../components/CarregarMais";
import { ErroBox } from "../../components/Feedback";
import { useBuscaMensagens } from "../../lib/api/conversas";
import { itensDe } from "../../lib/api/listaInfinita";
import { horarioLista } from "../../lib/format";
import type { ResultadoBusca } from "../../lib/types";
import { semFormatacao } from "../../lib/whatsapp";

/** The chat parameter that scrolls to a message and highlights it (Chat reads it). */
export const PARAMETRO_MENSAGEM = "mensagem";

/** Where a result opens: its chat, at the message; one with no chamado waits on its own screen. */
export function destinoDoResultado(resultado: ResultadoBusca): string {
  if (resultado.chamado_id == null) return "/nao-atribuidas";
  return `/central/${resultado.chamado_id}?${PARAMETRO_MENSAGEM}=${resultado.mensagem_id}`;
}

// Around each match while the marks are read: characters no message holds.
const INICIO = "\uE000";
const FIM = "\uE001";

/**
 * The snippet as a preview reads it, without WhatsApp's marks: read whole, since a
 * mark often wraps the very word that matched ("Segue o *orçamento*"). Odd parts
 * are the matches.
 */
export function partesSemFormatacao(partes: ResultadoBusca["trecho"]): string[] {
  const junto = partes.map((p) => (p.destaque ? INICIO + p.texto + FIM : p.texto)).join("");
  return semFormatacao(junto).split(new RegExp(`${INICIO}([^${FIM}]*)${FIM}`));
}

function Trecho({ partes }: { partes: ResultadoBusca["trecho"] }) {
  return (
    <span className="resultado-trecho">
      {partesSemFormatacao(partes).map((texto, i) =>
        i % 2 === 1 ? <mark key={i}>{texto}</mark> : <span key={i}>{texto}</span>,
      )}
    </span>
  );
}

/** Under the conversations a search found: the messages that say it, each with its snippet. */
export function ResultadosBusca({ busca }: { busca: string }) {
  const resultados = useBuscaMensagens(busca);
  const itens = itensDe(resultados.data);
  if (!busca || resultados.isPending) return null;
  return (
    <section className="resultados-busca" aria-label="Mensagens encontradas">
      <h2 className="resultados-titulo">Mensagens</h2>
      {resultados.isError ? (
        <ErroBox erro={resultados.error} tentarDeNovo={() => resultados.refetch()} />
      ) : null}
      {resultados.isSuccess && itens.length === 0 ? (
        <p className="resultados-vazio">Nenhuma mensagem com “{busca}”.</p>
      ) : null}
      <ul className="conversas">
        {itens.map((r) => (
          <li key={r.mensagem_id}>
            <Link
              to={destinoDoResultado(r)}
              className="conversa resultado"
              data-resultado-id={r.mensagem_id}
            >
              <span className="conversa-corpo">
                <span className="conversa-linha">
                  <span className="conversa-prestador">
                    {r.prestador ?? "Mensagem sem chamado"}
                  </span>
                  <span className="conversa-hora">{horarioLista(r.criado_em)}</span>
                </span>
                {r.numero_chamado ? (
                  <span className="conversa-chamado">
                    <strong>{r.numero_chamado}</strong> · {r.titulo}
                  </span>
                ) : null}
                <Trecho partes={r.trecho} />
              </span>
            </Link>
          </li>
        ))}
      </ul>
      <CarregarMais lista={resultados} pequeno />
    </section>
  );
}
