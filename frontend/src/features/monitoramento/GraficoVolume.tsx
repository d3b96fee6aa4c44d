/**
 * The last 24 hours of messages, hour by hour. Chart.js is heavy: this module is
 * loaded on its own (React.lazy from the monitoring page), so it never weighs on
 * the central's first load, and only the pieces of a line chart are registered.
 */
import {
  CategoryScale,
  Chart as ChartJS,
  type ChartData,
  type ChartOptions,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
} from "chart.js";
import { Line } from "react-chartjs-2";
import type { VolumeHora } from "../../lib/types";
import { SERIES, rotuloHora } from "./volume";

ChartJS.register(
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Tooltip,
  Legend,
);

const opcoes: ChartOptions<"line"> = {
  responsive: true,
  maintainAspectRatio: false,
  // Refreshed every few seconds: redrawing in place reads better than re-animating.
  animation: false,
  interaction: { mode: "index", intersect: false },
  scales: {
    x: { grid: { display: false } },
    y: { beginAtZero: true, ticks: { precision: 0 } },
  },
  plugins: {
    // The legend draws each line's point shape: colour is not the only cue.
    legend: { position: "bottom", labels: { usePointStyle: true, boxWidth: 10, boxHeight: 10 } },
  },
  elements: {
    point: { radius: 3, hoverRadius: 5 },
    line: { borderWidth: 2, tension: 0.25, cubicInterpolationMode: "monotone" },
  },
};

export default function GraficoVolume({ volume }: { volume: VolumeHora[] }) {
  const dados: ChartData<"line"> = {
    labels: volume.map((h) => rotuloHora(h.hora)),
    datasets: SERIES.map((s) => ({
      label: s.rotulo,
      data: volume.map((h) => h[s.campo]),
      borderColor: s.cor,
      backgroundColor: s.cor,
      borderDash: s.tracejado,
      pointStyle: s.ponto,
    })),
  };
  return (
    <Line
      data={dados}
      options={opcoes}
      role="img"
      aria-label="Gráfico do volume de mensagens por hora nas últimas 24 horas"
    />
  );
}
