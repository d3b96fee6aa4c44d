import { useId, useRef, useState } from "react";
import { Campo } from "../../../components/Campo";
import { Contador } from "../../../components/Contador";
import { Dialogo } from "../../../components/Dialogo";
import { useEnviarBotoes } from "../../../lib/api/acoes";
import { AcoesDialogo, ErroEnvio, type PropsDialogo, errosDaApi, focarPrimeiroErro } from "./comum";
import { type FormBotoes, LIMITES, montarBotoes, validarBotoes, visiveis } from "./limites";

/** A text with up to 3 reply buttons; the ids come from the titles. */
export function BotoesDialog({ chamado, onFechar, onEnviado }: PropsDialogo) {
  const id = useId();
  const enviar = useEnviarBotoes(chamado.id);
  const [form, setForm] = useState<FormBotoes>({ texto: "", rodape: "", botoes: ["", ""] });
  const [tentou, setTentou] = useState(false);
  const ref = useRef<HTMLFormElement>(null);
  const erros = { ...visiveis(validarBotoes(form), tentou), ...errosDaApi(enviar.error) };
  const cheio = form.botoes.length >= LIMITES.botoes;

  function mudar(parcial: Partial<FormBotoes>) {
    if (enviar.error) enviar.reset();
    setForm((atual) => ({ ...atual, ...parcial }));
  }

  function mudarBotao(indice: number, titulo: string) {
    mudar({ botoes: form.botoes.map((b, i) => (i === indice ? titulo : b)) });
  }

  function submeter(evento: React.FormEvent) {
    evento.preventDefault();
    if (enviar.isPending) return;
    if (Object.keys(validarBotoes(form)).length > 0) {
      setTentou(true);
      queueMicrotask(() => focarPrimeiroErro(ref.current));
      return;
    }
    enviar.mutate(montarBotoes(form), { onSuccess: (r) => onEnviado(r) });
  }

  return (
    <Dialogo
      titulo="Enviar botões"
      subtitulo={`${chamado.terceirizado.nome} responde com um toque.`}
      onFechar={onFechar}
    >
      <form ref={ref} className="formulario" onSubmit={submeter} noValidate>
        <Campo
          rotulo="Texto"
          erro={erros.texto}
          contador={<Contador texto={form.texto} maximo={LIMITES.texto} />}
        >
          <textarea
            rows={3}
            value={form.texto}
            onChange={(e) => mudar({ texto: e.target.value })}
          />
        </Campo>
        <Campo
          rotulo="Rodapé (opcional)"
          erro={erros.rodape}
          contador={<Contador texto={form.rodape} maximo={LIMITES.rodape} />}
        >
          <input value={form.rodape} onChange={(e) => mudar({ rodape: e.target.value })} />
        </Campo>
        <fieldset className="grupo-opcoes">
          <legend>
            Botões <span className="texto-suave">(até {LIMITES.botoes})</span>
          </legend>
          {form.botoes.map((titulo, i) => (
            <div className="opcao-linha" key={i}>
              <Campo
                rotulo={`Botão ${i + 1}`}
                erro={erros[`botoes.${i}.titulo`] ?? erros[`botoes.${i}`]}
                contador={<Contador texto={titulo} maximo={LIMITES.botaoTitulo} />}
              >
                <input value={titulo} onChange={(e) => mudarBotao(i, e.target.value)} />
              </Campo>
              <button
                type="button"
                className="btn btn-fantasma btn-pequeno"
                aria-label={`Remover botão ${i + 1}`}
                disabled={form.botoes.length <= 1}
                onClick={() => mudar({ botoes: form.botoes.filter((_, j) => j !== i) })}
              >
                Remover
              </button>
            </div>
          ))}
          {erros.botoes ? <p className="campo-erro">{erros.botoes}</p> : null}
          <button
            type="button"
            className="btn btn-secundario btn-pequeno"
            disabled={cheio}
            aria-describedby={`${id}-limite`}
            onClick={() => mudar({ botoes: [...form.botoes, ""] })}
          >
            Adicionar botão
          </button>
          <small id={`${id}-limite`} className="campo-ajuda">
            {cheio
              ? `O WhatsApp aceita no máximo ${LIMITES.botoes} botões.`
              : `Títulos de até ${LIMITES.botaoTitulo} caracteres, sem repetir.`}
          </small>
        </fieldset>
        <ErroEnvio erro={enviar.error} />
        <AcoesDialogo ocupado={enviar.isPending} rotulo="Enviar botões" onFechar={onFechar} />
      </form>
    </Dialogo>
  );
}
