import { Suspense, lazy, useEffect } from "react";
import type { AcaoMenu } from "./MenuAcoes";
import type { PropsDialogo } from "./comum";

// The dialogs load on first use: the central's first bundle stays small.
const ListaDialog = lazy(() => import("./ListaDialog").then((m) => ({ default: m.ListaDialog })));
const BotoesDialog = lazy(() =>
  import("./BotoesDialog").then((m) => ({ default: m.BotoesDialog })),
);
const ArquivoDialog = lazy(() =>
  import("./ArquivoDialog").then((m) => ({ default: m.ArquivoDialog })),
);
const prontas = () => import("./AcoesProntas");
const SolicitarOrcamentoDialog = lazy(() =>
  prontas().then((m) => ({ default: m.SolicitarOrcamentoDialog })),
);
const OrcamentoDialog = lazy(() => prontas().then((m) => ({ default: m.OrcamentoDialog })));
const VisitaDialog = lazy(() => prontas().then((m) => ({ default: m.VisitaDialog })));
const ConcluidoDialog = lazy(() => prontas().then((m) => ({ default: m.ConcluidoDialog })));
const LinkPrestadorDialog = lazy(() =>
  import("./LinkPrestadorDialog").then((m) => ({ default: m.LinkPrestadorDialog })),
);

const DIALOGOS: Record<AcaoMenu, React.ComponentType<PropsDialogo>> = {
  lista: ListaDialog,
  botoes: BotoesDialog,
  arquivo: ArquivoDialog,
  "solicitar-orcamento": SolicitarOrcamentoDialog,
  orcamento: OrcamentoDialog,
  visita: VisitaDialog,
  concluido: ConcluidoDialog,
  "link-prestador": LinkPrestadorDialog,
};

/** While the dialog's code loads: Escape or a click outside already cancel. */
function Abrindo({ onFechar }: { onFechar: () => void }) {
  useEffect(() => {
    function tecla(evento: KeyboardEvent) {
      if (evento.key === "Escape") onFechar();
    }
    document.addEventListener("keydown", tecla);
    return () => document.removeEventListener("keydown", tecla);
  }, [onFechar]);
  return (
    <div className="modal-fundo" onMouseDown={(e) => e.target === e.currentTarget && onFechar()}>
      <div className="modal" role="status" aria-live="polite">
        <span className="spinner" aria-hidden="true" /> Abrindo…
      </div>
    </div>
  );
}

/** The dialog of the menu item chosen. */
export function DialogoDaAcao({ acao, ...props }: PropsDialogo & { acao: AcaoMenu }) {
  const Componente = DIALOGOS[acao];
  return (
    <Suspense fallback={<Abrindo onFechar={props.onFechar} />}>
      <Componente {...props} />
    </Suspense>
  );
}
