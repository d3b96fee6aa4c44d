import { Component, Suspense } from "react";
import { Carregando } from "./Feedback";

/** A chart that fails to load (its chunk, the canvas) leaves the page and its table alone. */
class SemGrafico extends Component<{ children: React.ReactNode }, { erro: boolean }> {
  state = { erro: false };

  static getDerivedStateFromError() {
    return { erro: true };
  }

  render() {
    if (this.state.erro) {
      return <p className="texto-suave">Não foi possível carregar o gráfico; veja a tabela.</p>;
    }
    return this.props.children;
  }
}

/** Where a lazily loaded chart goes: a box (of the height ``className`` gives) that the
 * chart fills as it resizes, with a placeholder while Chart.js's chunk loads. */
export function LimiteGrafico({
  className,
  children,
}: {
  className: string;
  children: React.ReactNode;
}) {
  return (
    <div className={className}>
      <SemGrafico>
        <Suspense fallback={<Carregando texto="Carregando gráfico…" />}>{children}</Suspense>
      </SemGrafico>
    </div>
  );
}
