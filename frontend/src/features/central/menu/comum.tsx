/** Pieces every dialog of the "…" menu shares. */
import { ApiError, mensagemDeErro } from "../../../lib/http";
import type { Chamado, ChamadoComMensagem } from "../../../lib/types";
import type { Erros } from "./limites";

export interface PropsDialogo {
  chamado: Chamado;
  onFechar: () => void;
  /** The API took it: the chat closes the dialog (and says so if it was a duplicate). */
  onEnviado: (resposta: ChamadoComMensagem) => void;
}

/** The API's error as one line for the dialog, except a 401 (the app goes to /login). */
export function erroDaApi(erro: unknown): string | null {
  if (!erro) return null;
  if (erro instanceof ApiError && erro.status === 401) return null;
  return mensagemDeErro(erro);
}

/** The API's per-field 422 messages under the same keys the forms use. */
export function errosDaApi(erro: unknown): Erros {
  return erro instanceof ApiError ? erro.campos : {};
}

export function ErroEnvio({ erro }: { erro: unknown }) {
  const texto = erroDaApi(erro);
  return texto ? (
    <p className="erro-box" role="alert">
      Não foi possível enviar: {texto}
    </p>
  ) : null;
}

export function AcoesDialogo({
  ocupado,
  rotulo,
  onFechar,
}: {
  ocupado: boolean;
  rotulo: string;
  onFechar: () => void;
}) {
  return (
    <div className="modal-acoes">
      <button type="button" className="btn btn-secundario" onClick={onFechar}>
        Cancelar
      </button>
      <button type="submit" className="btn btn-primario" disabled={ocupado}>
        {ocupado ? "Enviando…" : rotulo}
      </button>
    </div>
  );
}

/** After a refused submit, the first field with a problem gets the focus. */
export function focarPrimeiroErro(form: HTMLFormElement | null): void {
  form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}
