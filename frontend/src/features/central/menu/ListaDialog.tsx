import { useRef, useState } from "react";
import { Campo } from "../../../components/Campo";
import { Contador } from "../../../components/Contador";
import { Dialogo } from "../../../components/Dialogo";
import { useEnviarLista } from "../../../lib/api/acoes";
import { AcoesDialogo, ErroEnvio, type PropsDialogo, errosDaApi, focarPrimeiroErro } from "./comum";
import {
  type FormLinha,
  type FormLista,
  type FormSecao,
  LIMITES,
  montarLista,
  totalLinhas,
  validarLista,
  visiveis,
} from "./limites";

const linhaVazia = (): FormLinha => ({ titulo: "", descricao: "" });
const secaoVazia = (): FormSecao => ({ titulo: "", linhas: [linhaVazia()] });

/** A native WhatsApp list: a text, a button that opens it, sections of rows. */
export function ListaDialog({ chamado, onFechar, onEnviado }: PropsDialogo) {
  const enviar = useEnviarLista(chamado.id);
  const [form, setForm] = useState<FormLista>({
    texto: "",
    botao: "Ver opções",
    titulo: "",
    descricao: "",
    secoes: [secaoVazia()],
  });
  const [tentou, setTentou] = useState(false);
  const ref = useRef<HTMLFormElement>(null);
  const erros = { ...visiveis(validarLista(form), tentou), ...errosDaApi(enviar.error) };
  const total = totalLinhas(form);
  const linhasCheias = total >= LIMITES.linhas;
  const secoesCheias = form.secoes.length >= LIMITES.secoes;

  function mudar(parcial: Partial<FormLista>) {
    if (enviar.error) enviar.reset();
    setForm((atual) => ({ ...atual, ...parcial }));
  }

  function mudarSecao(s: number, parcial: Partial<FormSecao>) {
    mudar({ secoes: form.secoes.map((secao, i) => (i === s ? { ...secao, ...parcial } : secao)) });
  }

  function mudarLinha(s: number, l: number, parcial: Partial<FormLinha>) {
    const secao = form.secoes[s];
    if (!secao) return;
    mudarSecao(s, {
      linhas: secao.linhas.map((linha, i) => (i === l ? { ...linha, ...parcial } : linha)),
    });
  }

  function submeter(evento: React.FormEvent) {
    evento.preventDefault();
    if (enviar.isPending) return;
    if (Object.keys(validarLista(form)).length > 0) {
      setTentou(true);
      queueMicrotask(() => focarPrimeiroErro(ref.current));
      return;
    }
    enviar.mutate(montarLista(form), { onSuccess: (r) => onEnviado(r) });
  }

  return (
    <Dialogo
      titulo="Enviar lista"
      subtitulo={`${chamado.terceirizado.nome} abre a lista e escolhe uma opção.`}
      onFechar={onFechar}
      largura="larga"
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
        <div className="formulario-linha">
          <Campo
            rotulo="Texto do botão da lista"
            erro={erros.botao}
            contador={<Contador texto={form.botao} maximo={LIMITES.listaBotao} />}
          >
            <input value={form.botao} onChange={(e) => mudar({ botao: e.target.value })} />
          </Campo>
          <Campo
            rotulo="Cabeçalho (opcional)"
            erro={erros.titulo}
            contador={<Contador texto={form.titulo} maximo={LIMITES.cabecalho} />}
          >
            <input value={form.titulo} onChange={(e) => mudar({ titulo: e.target.value })} />
          </Campo>
          <Campo
            rotulo="Rodapé (opcional)"
            erro={erros.descricao}
            contador={<Contador texto={form.descricao} maximo={LIMITES.rodape} />}
          >
            <input value={form.descricao} onChange={(e) => mudar({ descricao: e.target.value })} />
          </Campo>
        </div>
        <p className={`lista-total${total > LIMITES.linhas ? " contador-excedido" : ""}`}>
          Linhas no total: {total}/{LIMITES.linhas} · seções: {form.secoes.length}/{LIMITES.secoes}
        </p>
        {erros.linhas ? <p className="campo-erro">{erros.linhas}</p> : null}
        {erros.secoes ? <p className="campo-erro">{erros.secoes}</p> : null}
        {form.secoes.map((secao, s) => (
          <fieldset className="grupo-opcoes" key={s}>
            <legend>Seção {s + 1}</legend>
            <div className="opcao-linha">
              <Campo
                rotulo={`Título da seção ${s + 1}`}
                erro={erros[`secoes.${s}.titulo`]}
                contador={<Contador texto={secao.titulo} maximo={LIMITES.secaoTitulo} />}
              >
                <input
                  value={secao.titulo}
                  onChange={(e) => mudarSecao(s, { titulo: e.target.value })}
                />
              </Campo>
              <button
                type="button"
                className="btn btn-fantasma btn-pequeno"
                aria-label={`Remover seção ${s + 1}`}
                disabled={form.secoes.length <= 1}
                onClick={() => mudar({ secoes: form.secoes.filter((_, i) => i !== s) })}
              >
                Remover
              </button>
            </div>
            {erros[`secoes.${s}.linhas`] ? (
              <p className="campo-erro">{erros[`secoes.${s}.linhas`]}</p>
            ) : null}
            <ol className="lista-linhas">
              {secao.linhas.map((linha, l) => {
                const nome = `${s + 1}.${l + 1}`;
                return (
                  <li key={l} className="opcao-linha">
                    <Campo
                      rotulo={`Linha ${nome}`}
                      erro={erros[`secoes.${s}.linhas.${l}.titulo`]}
                      contador={<Contador texto={linha.titulo} maximo={LIMITES.linhaTitulo} />}
                    >
                      <input
                        value={linha.titulo}
                        onChange={(e) => mudarLinha(s, l, { titulo: e.target.value })}
                      />
                    </Campo>
                    <Campo
                      rotulo={`Descrição da linha ${nome} (opcional)`}
                      erro={erros[`secoes.${s}.linhas.${l}.descricao`]}
                      contador={
                        <Contador texto={linha.descricao} maximo={LIMITES.linhaDescricao} />
                      }
                      className="campo-largo"
                    >
                      <input
                        value={linha.descricao}
                        onChange={(e) => mudarLinha(s, l, { descricao: e.target.value })}
                      />
                    </Campo>
                    <button
                      type="button"
                      className="btn btn-fantasma btn-pequeno"
                      aria-label={`Remover linha ${nome}`}
                      disabled={secao.linhas.length <= 1}
                      onClick={() =>
                        mudarSecao(s, { linhas: secao.linhas.filter((_, i) => i !== l) })
                      }
                    >
                      Remover
                    </button>
                  </li>
                );
              })}
            </ol>
            <button
              type="button"
              className="btn btn-secundario btn-pequeno"
              aria-label={`Adicionar linha à seção ${s + 1}`}
              disabled={linhasCheias}
              onClick={() => mudarSecao(s, { linhas: [...secao.linhas, linhaVazia()] })}
            >
              Adicionar linha
            </button>
          </fieldset>
        ))}
        <div>
          <button
            type="button"
            className="btn btn-secundario btn-pequeno"
            disabled={linhasCheias || secoesCheias}
            onClick={() => mudar({ secoes: [...form.secoes, secaoVazia()] })}
          >
            Adicionar seção
          </button>{" "}
          {linhasCheias ? (
            <small className="campo-ajuda">
              O WhatsApp aceita no máximo {LIMITES.linhas} linhas no total.
            </small>
          ) : null}
        </div>
        <ErroEnvio erro={enviar.error} />
        <AcoesDialogo ocupado={enviar.isPending} rotulo="Enviar lista" onFechar={onFechar} />
      </form>
    </Dialogo>
  );
}
