import { useMutation } from "@tanstack/react-query";
import { type FormatoPlanilha, baixarArquivo } from "../lib/baixar";
import { mensagemDeErro } from "../lib/http";

interface Pedido {
  url: string;
  nome: string;
}

/** One download at a time per group of buttons, with its error under them. */
function useBaixar() {
  return useMutation({ mutationFn: ({ url, nome }: Pedido) => baixarArquivo(url, nome) });
}

function ErroBaixar({ erro }: { erro: unknown }) {
  return (
    <p className="baixar-erro" role="alert">
      Não foi possível baixar: {mensagemDeErro(erro)}
    </p>
  );
}

interface BotaoBaixarProps {
  rotulo: string;
  url: string;
  /** The file's name when the server names none (Content-Disposition). */
  nomePadrao: string;
  className?: string;
}

/** A button that downloads one file of the API with the session's token. */
export function BotaoBaixar({
  rotulo,
  url,
  nomePadrao,
  className = "btn btn-secundario",
}: BotaoBaixarProps) {
  const baixar = useBaixar();
  return (
    <>
      <button
        type="button"
        className={className}
        disabled={baixar.isPending}
        aria-busy={baixar.isPending || undefined}
        onClick={() => baixar.mutate({ url, nome: nomePadrao })}
      >
        {rotulo}
      </button>
      {baixar.isError ? <ErroBaixar erro={baixar.error} /> : null}
    </>
  );
}

interface BotoesExportarProps {
  /** The export's URL in each format (with the screen's filters). */
  url: (formato: FormatoPlanilha) => string;
  /** The file's name without extension, when the server names none. */
  nomeBase: string;
}

const FORMATOS: { formato: FormatoPlanilha; rotulo: string }[] = [
  { formato: "csv", rotulo: "Exportar CSV" },
  { formato: "xlsx", rotulo: "Exportar XLSX" },
];

/** "Exportar CSV" / "Exportar XLSX": the list on screen as a spreadsheet. */
export function BotoesExportar({ url, nomeBase }: BotoesExportarProps) {
  const baixar = useBaixar();
  const emCurso = baixar.isPending ? baixar.variables.url : null;
  return (
    <div className="baixar-grupo" role="group" aria-label="Exportar">
      {FORMATOS.map(({ formato, rotulo }) => {
        const endereco = url(formato);
        return (
          <button
            key={formato}
            type="button"
            className="btn btn-secundario"
            disabled={baixar.isPending}
            aria-busy={emCurso === endereco || undefined}
            onClick={() => baixar.mutate({ url: endereco, nome: `${nomeBase}.${formato}` })}
          >
            {rotulo}
          </button>
        );
      })}
      {baixar.isError ? <ErroBaixar erro={baixar.error} /> : null}
    </div>
  );
}
