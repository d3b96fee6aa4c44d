/**
 * One of a contractor's figures week by week over 90 days. Chart.js is heavy: this
 * module is loaded on its own (React.lazy from the contractor's page), and only the
 * pieces of a line chart are registered.
 */
import {
  CategoryScale,
  Chart as ChartJS,
  type ChartData,
  type ChartOptions,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
} from "chart.js";
import { Line } from "react-chartjs-2";
import type { Metrica } from "../../lib/types";
import { formatarMinutos, passoMinutos } from "./metricas";
import type { DadosSerie } from "./serie";

ChartJS.register(LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip);

const umaCasa = new Intl.NumberFormat("pt-BR", { maximumFractionDigits: 1 });

/** A value of the chart (percent for fractions) as the cards write it. */
function rotuloValor(valor: number, metrica: Metrica): string {
  switch (metrica.unidade) {
    case "min":
      return valor === 0 ? "0" : formatarMinutos(valor);
    case "fracao":
      return `${umaCasa.format(valor)} %`;
    default:
      return umaCasa.format(valor);
  }
}

function maiorValor(dados: DadosSerie): number {
  return Math.max(0, ...dados.valores.filter((v) => v !== null));
}

export default function GraficoSerie({ dados, metrica }: { dados: DadosSerie; metrica: Metrica }) {
  const opcoes: ChartOptions<"line"> = {
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: "index", intersect: false },
    scales: {
      x: { grid: { display: false }, ticks: { autoSkip: true, maxRotation: 0 } },
      y: {
        beginAtZero: true,
        ...(metrica.unidade === "fracao" ? { max: 100 } : {}),
        ticks: {
          precision: metrica.unidade === "numero" ? 0 : undefined,
          ...(metrica.unidade === "min" ? { stepSize: passoMinutos(maiorValor(dados)) } : {}),
          callback: (valor) => rotuloValor(Number(valor), metrica),
        },
      },
    },
    plugins: {
      legend: { display: false },
      tooltip: {
        callbacks: {
          title: (itens) => `Semana de ${itens[0]?.label ?? ""}`,
          label: (item) => `${metrica.nome}: ${rotuloValor(item.parsed.y ?? 0, metrica)}`,
        },
      },
    },
    elements: {
      point: { radius: 3, hoverRadius: 5 },
      line: { borderWidth: 2, tension: 0.25, cubicInterpolationMode: "monotone" },
    },
  };
  const dadosGrafico: ChartData<"line"> = {
    labels: dados.rotulos,
    datasets: [
      {
        label: metrica.nome,
        data: dados.valores,
        borderColor: "#00a884",
        backgroundColor: "#00a884",
        // A week with no figure is a gap, not a made-up line across it.
        spanGaps: false,
      },
    ],
  };
  return (
    <Line
      data={dadosGrafico}
      options={opcoes}
      role="img"
      aria-label={`Gráfico de ${metrica.nome} semana a semana nos últimos 90 dias`}
    />
  );
}
