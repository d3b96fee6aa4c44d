import { mensagemDeErro } from "../lib/http";

export function Carregando({ texto = "Carregando…" }: { texto?: string }) {
  return (
    <div className="carregando" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {texto}
    </div>
  );
}

export function ErroBox({ erro, tentarDeNovo }: { erro: unknown; tentarDeNovo?: () => void }) {
  return (
    <div className="erro-box" role="alert">
      <span>{mensagemDeErro(erro)}</span>
      {tentarDeNovo ? (
        <button type="button" className="btn btn-secundario btn-pequeno" onClick={tentarDeNovo}>
          Tentar de novo
        </button>
      ) : null}
    </div>
  );
}

export function Vazio({ children }: { children: React.ReactNode }) {
  return <p className="vazio">{children}</p>;
}
