import { Link } from "react-router";
import { Carregando, ErroBox } from "../../components/Feedback";
import { useAtencao } from "../../lib/api/desempenho";
import { formatarDia } from "./periodo";

interface Props {
  /** The last day of the comparison (the filter's `ate`). */
  ate: string;
  /** The period's query string, carried to the contractor's page. */
  busca: string;
}

/** Contractors getting worse: the 30 days to `ate` against the 60 before, with the reasons. */
export function PainelAtencao({ ate, busca }: Props) {
  const atencao = useAtencao(ate);
  return (
    <section className="cartao atencao" aria-labelledby="atencao-titulo">
      <h2 id="atencao-titulo">Atenção</h2>
      <p className="texto-suave atencao-explicacao">
        Quem piorou nos 30 dias até {formatarDia(ate)} em relação aos 60 anteriores (com pelo menos
        3 chamados em cada período).
      </p>
      {atencao.isPending ? <Carregando texto="Carregando…" /> : null}
      {atencao.isError ? (
        <ErroBox erro={atencao.error} tentarDeNovo={() => atencao.refetch()} />
      ) : null}
      {atencao.data?.length === 0 ? (
        <p className="atencao-nenhum">Nenhum terceirizado piorou.</p>
      ) : null}
      {atencao.data && atencao.data.length > 0 ? (
        <ul className="atencao-lista">
          {atencao.data.map((a) => (
            <li key={a.terceirizado_id} data-terceirizado-id={a.terceirizado_id}>
              <Link to={`/desempenho/terceirizados/${a.terceirizado_id}${busca}`}>
                <strong>{a.nome}</strong>
              </Link>
              <span className="texto-suave">
                {" "}
                · {a.agora.chamados} {a.agora.chamados === 1 ? "chamado" : "chamados"} nos últimos
                30 dias ({a.antes.chamados} nos 60 anteriores)
              </span>
              <ul className="atencao-motivos">
                {a.motivos.map((motivo) => (
                  <li key={motivo}>{motivo}</li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
