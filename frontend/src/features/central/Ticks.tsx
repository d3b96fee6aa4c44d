import { IconeAlerta, IconeCheck, IconeCheckDuplo, IconeRelogio } from "../../components/Icones";
import type { StatusEnvio } from "../../lib/types";

const ROTULOS: Record<StatusEnvio, string> = {
  pendente: "Aguardando envio",
  enfileirado: "Na fila de envio",
  enviado: "Enviada",
  entregue: "Entregue",
  lido: "Lida",
  falhou: "Falhou",
};

/** WhatsApp's delivery marks: clock, ✓, ✓✓, blue ✓✓, and red for a failure. */
export function Ticks({ status, erro }: { status: StatusEnvio; erro?: string | null }) {
  const rotulo = status === "falhou" && erro ? `Falhou: ${erro}` : ROTULOS[status];
  let icone: React.ReactNode;
  switch (status) {
    case "pendente":
    case "enfileirado":
      icone = <IconeRelogio width={14} height={14} />;
      break;
    case "enviado":
      icone = <IconeCheck width={15} height={15} />;
      break;
    case "entregue":
    case "lido":
      icone = <IconeCheckDuplo width={19} height={15} />;
      break;
    case "falhou":
      icone = <IconeAlerta width={15} height={15} />;
      break;
  }
  return (
    <span
      className={`tick tick-${status}`}
      data-status-envio={status}
      title={rotulo}
      aria-label={rotulo}
      role="img"
    >
      {icone}
    </span>
  );
}
