import { BotoesExportar } from "../../components/Baixar";
import { Carregando, ErroBox, Vazio } from "../../components/Feedback";
import { useMe } from "../../lib/api/auth";
import { useRanking } from "../../lib/api/desempenho";
import { urlExportarRanking } from "../../lib/api/exportar";
import { useSessao } from "../../lib/session";
import { FiltrosDesempenho } from "./Filtros";
import { Operadores } from "./Operadores";
import { PainelAtencao } from "./PainelAtencao";
import { TabelaRanking } from "./TabelaRanking";
import { textoPeriodo } from "./periodo";
import { useFiltrosDesempenho } from "./useFiltros";
import "./desempenho.css";

/** The role comes from /me, or from the login answer meanwhile (as the Layout decides). */
function useAdmin(): boolean {
  const sessao = useSessao();
  const me = useMe();
  return (me.data?.papel ?? sessao?.usuario.papel) === "admin";
}

/**
 * How the contractors do over a period: the ranking (sortable, every figure with how
 * it is computed), who is getting worse, and, for administrators, how fast the
 * operators answer. The filters live in the URL, so a view can be bookmarked or sent.
 */
export function DesempenhoPage() {
  const f = useFiltrosDesempenho();
  const ranking = useRanking(f.filtros);
  const admin = useAdmin();
  const dados = ranking.data;

  return (
    <div className="pagina desempenho">
      <div className="pagina-topo">
        <div>
          <h1>Desempenho</h1>
          <p className="texto-suave">
            Chamados abertos {textoPeriodo(f.periodo)}. Os números são atualizados a cada minuto.
          </p>
        </div>
        <BotoesExportar
          url={(formato) => urlExportarRanking(f.filtros, formato)}
          nomeBase={`desempenho-${f.periodo.de}-a-${f.periodo.ate}`}
        />
      </div>
      <FiltrosDesempenho f={f} />
      <PainelAtencao ate={f.periodo.ate} busca={f.busca} />
      <section
        className="secao-desempenho"
        aria-labelledby="ranking-titulo"
        aria-busy={ranking.isFetching}
      >
        <h2 id="ranking-titulo">Terceirizados</h2>
        {ranking.isPending ? <Carregando texto="Carregando o desempenho…" /> : null}
        {ranking.isError ? (
          <ErroBox erro={ranking.error} tentarDeNovo={() => ranking.refetch()} />
        ) : null}
        {dados && !ranking.isError && dados.itens.length === 0 ? (
          <Vazio>Nenhum chamado aberto no período com esses filtros.</Vazio>
        ) : null}
        {dados && !ranking.isError && dados.itens.length > 0 ? (
          <TabelaRanking
            metricas={dados.metricas}
            itens={dados.itens}
            ordem={f.ordem}
            onOrdenar={f.ordenar}
            busca={f.busca}
            legenda={`Desempenho dos terceirizados nos chamados abertos ${textoPeriodo(dados)}. Os botões dos cabeçalhos ordenam a tabela.`}
          />
        ) : null}
      </section>
      {admin ? <Operadores periodo={f.periodo} /> : null}
    </div>
  );
}
