/**
 * The operators' median answer time by the hour the contractor wrote. Chart.js is
 * heavy: this module is loaded on its own (React.lazy), only for administrators,
 * and only the pieces of a bar chart are registered.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  type ChartData,
  type ChartOptions,
  LinearScale,
  Tooltip,
} from "chart.js";
import { Bar } from "react-chartjs-2";
import type { DadosHoras } from "./horas";
import { formatarMinutos, passoMinutos } from "./metricas";

ChartJS.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

export default function GraficoHoras({ dados }: { dados: DadosHoras }) {
  const opcoes: ChartOptions<"bar"> = {
    responsive: true,
    maintainAspectRatio: false,
    scales: {
      x: { grid: { display: false }, ticks: { autoSkip: true, maxRotation: 0 } },
      y: {
        beginAtZero: true,
        title: { display: true, text: "Mediana" },
        ticks: {
          stepSize: passoMinutos(Math.max(0, ...dados.medianas.filter((m) => m !== null))),
          callback: (valor) => (Number(valor) === 0 ? "0" : formatarMinutos(Number(valor))),
        },
      },
    },
    plugins: {
      legend: { display: false },
      tooltip: {
        callbacks: {
          label: (item) => {
            const respostas = dados.respostas[item.dataIndex] ?? 0;
            return `Mediana ${formatarMinutos(item.parsed.y)} (${respostas} ${respostas === 1 ? "resposta" : "respostas"})`;
          },
        },
      },
    },
  };
  const dadosGrafico: ChartData<"bar"> = {
    labels: dados.rotulos,
    datasets: [
      {
        label: "Mediana da resposta",
        data: dados.medianas,
        backgroundColor: "#00a884",
        borderRadius: 3,
      },
    ],
  };
  return (
    <Bar
      data={dadosGrafico}
      options={opcoes}
      role="img"
      aria-label="Gráfico da mediana do tempo de resposta dos operadores por hora do dia"
    />
  );
}
