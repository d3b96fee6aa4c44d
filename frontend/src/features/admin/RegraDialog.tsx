import { useState } from "react";
import { Campo } from "../../components/Campo";
import { Contador, tamanho } from "../../components/Contador";
import { Dialogo } from "../../components/Dialogo";
import { useAtualizarRegra, useCriarRegra } from "../../lib/api/admin";
import { ApiError, mensagemDeErro } from "../../lib/http";
import {
  ACAO_REGRA,
  ACAO_REGRA_LISTA,
  OPCAO_TOQUE,
  OPCAO_TOQUE_LISTA,
  PRIORIDADE,
  PRIORIDADE_LISTA,
  STATUS_CHAMADO,
  STATUS_LISTA,
  TIPO_PADRAO,
  TIPO_PADRAO_LISTA,
} from "../../lib/labels";
import type { AcaoRegra, Regra, RegraIn, TipoPadrao } from "../../lib/types";

export const PARAMETRO_MAX = 1024;

export interface ValoresRegra {
  nome: string;
  tipo_padrao: TipoPadrao;
  padrao: string;
  acao: AcaoRegra;
  parametro: string;
  ordem: string;
  ativa: boolean;
}

/** What `parametro` is for each action, and its starting value. */
const PARAMETRO_INICIAL: Record<AcaoRegra, string> = {
  responder: "",
  notificar: "",
  mudar_status: "em_andamento",
  definir_prioridade: "alta",
  tocar_opcao: "visita:confirmar",
};

/**
 * The actions a pattern may take. A reaction can do what a text does, and also count
 * as a tap on one of our question's options (`tocar_opcao`), which only a reaction can.
 */
export function acoesPara(tipo: TipoPadrao): AcaoRegra[] {
  if (tipo !== "reacao") return ACAO_REGRA_LISTA.filter((a) => a !== "tocar_opcao");
  return ["tocar_opcao", "notificar", "mudar_status", "definir_prioridade", "responder"];
}

/** Letters or digits: a reaction's pattern is emojis only. */
const NAO_EMOJI = /[\p{L}\p{N}]/u;

const ROTULO_PADRAO: Record<TipoPadrao, string> = {
  palavra_chave: "Palavra ou frase",
  regex: "Expressão regular",
  reacao: "Emojis",
};

const AJUDA_PADRAO: Record<TipoPadrao, string> = {
  palavra_chave: "A palavra ou frase inteira, sem distinguir acentos e maiúsculas.",
  regex: "Ex.: or[cç]amento|valor. Sem distinguir acentos e maiúsculas.",
  reacao:
    "Um ou mais emojis separados por espaço (ex.: 👍 ✅): vale quando o terceirizado reage com um deles a uma mensagem nossa.",
};

export function valoresDe(regra?: Regra, proximaOrdem = 0): ValoresRegra {
  return {
    nome: regra?.nome ?? "",
    tipo_padrao: regra?.tipo_padrao ?? "palavra_chave",
    padrao: regra?.padrao ?? "",
    acao: regra?.acao ?? "responder",
    parametro: regra?.parametro ?? "",
    ordem: String(regra?.ordem ?? proximaOrdem),
    ativa: regra?.ativa ?? true,
  };
}

export function validarRegra(v: ValoresRegra): Record<string, string> {
  const e: Record<string, string> = {};
  if (!v.nome.trim()) e.nome = "Dê um nome à regra.";
  else if (tamanho(v.nome) > 120) e.nome = "No máximo 120 caracteres.";
  if (!v.padrao.trim()) {
    e.padrao =
      v.tipo_padrao === "reacao"
        ? "Informe um ou mais emojis."
        : "Informe a palavra-chave ou a expressão.";
  } else if (tamanho(v.padrao) > 300) e.padrao = "No máximo 300 caracteres.";
  else if (v.tipo_padrao === "reacao" && NAO_EMOJI.test(v.padrao)) {
    e.padrao = "Só emojis, separados por espaço (ex.: 👍 ✅).";
  }
  if (v.acao === "responder" && !v.parametro.trim()) e.parametro = "Escreva a resposta.";
  if (tamanho(v.parametro) > PARAMETRO_MAX) {
    e.parametro = `No máximo ${PARAMETRO_MAX} caracteres (tem ${tamanho(v.parametro)}).`;
  }
  const ordem = Number(v.ordem);
  if (!/^\d+$/.test(v.ordem.trim()) || ordem > 100_000) e.ordem = "Um número de 0 a 100000.";
  return e;
}

export function paraApi(v: ValoresRegra): RegraIn {
  return {
    nome: v.nome.trim(),
    tipo_padrao: v.tipo_padrao,
    padrao: v.padrao.trim(),
    acao: v.acao,
    parametro: v.parametro.trim(),
    ordem: Number(v.ordem),
    ativa: v.ativa,
  };
}

/** The input for `parametro` changes with the action: a text, a status or a priority. */
function Parametro({
  v,
  erro,
  mudar,
}: {
  v: ValoresRegra;
  erro: string | undefined;
  mudar: (parametro: string) => void;
}) {
  switch (v.acao) {
    case "mudar_status":
      return (
        <Campo rotulo="Novo status" erro={erro}>
          <select value={v.parametro} onChange={(e) => mudar(e.target.value)}>
            {STATUS_LISTA.map((s) => (
              <option key={s} value={s}>
                {STATUS_CHAMADO[s]}
              </option>
            ))}
          </select>
        </Campo>
      );
    case "definir_prioridade":
      return (
        <Campo rotulo="Nova prioridade" erro={erro}>
          <select value={v.parametro} onChange={(e) => mudar(e.target.value)}>
            {PRIORIDADE_LISTA.map((p) => (
              <option key={p} value={p}>
                {PRIORIDADE[p]}
              </option>
            ))}
          </select>
        </Campo>
      );
    case "responder":
      return (
        <Campo
          rotulo="Texto da resposta"
          erro={erro}
          ajuda="Enviado ao terceirizado; no máximo uma resposta automática por mensagem."
          contador={<Contador texto={v.parametro} maximo={PARAMETRO_MAX} />}
        >
          <textarea rows={3} value={v.parametro} onChange={(e) => mudar(e.target.value)} />
        </Campo>
      );
    case "notificar":
      return (
        <Campo
          rotulo="Texto do aviso (opcional)"
          erro={erro}
          ajuda="Em branco: o nome da regra e o texto do terceirizado."
          contador={<Contador texto={v.parametro} maximo={PARAMETRO_MAX} />}
        >
          <textarea rows={2} value={v.parametro} onChange={(e) => mudar(e.target.value)} />
        </Campo>
      );
    case "tocar_opcao":
      return (
        <Campo
          rotulo="Opção"
          erro={erro}
          ajuda="A reação vale como um toque nesta opção, numa pergunta nossa que a tenha (ex.: 👍 em “Confirma a visita?” = Confirmo)."
        >
          <select value={v.parametro} onChange={(e) => mudar(e.target.value)}>
            {OPCAO_TOQUE_LISTA.map((o) => (
              <option key={o} value={o}>
                {OPCAO_TOQUE[o]}
              </option>
            ))}
          </select>
        </Campo>
      );
  }
}

interface Props {
  /** Absent: a new rule. */
  regra?: Regra;
  proximaOrdem: number;
  onFechar: () => void;
}

export function RegraDialog({ regra, proximaOrdem, onFechar }: Props) {
  const criar = useCriarRegra();
  const atualizar = useAtualizarRegra();
  const mutacao = regra ? atualizar : criar;
  const [v, setV] = useState(() => valoresDe(regra, proximaOrdem));
  const [erros, setErros] = useState<Record<string, string>>({});
  const api = mutacao.error instanceof ApiError ? mutacao.error.campos : {};

  function mudar<K extends keyof ValoresRegra>(campo: K, valor: ValoresRegra[K]) {
    setV((atual) => ({ ...atual, [campo]: valor }));
    setErros((atual) => {
      const { [campo]: _, ...resto } = atual;
      return resto;
    });
  }

  function mudarAcao(acao: AcaoRegra) {
    const texto = (a: AcaoRegra) => a === "responder" || a === "notificar";
    setV((atual) => ({
      ...atual,
      acao,
      // A text carries over between the text actions; a status or priority does not.
      parametro: texto(acao) && texto(atual.acao) ? atual.parametro : PARAMETRO_INICIAL[acao],
    }));
    setErros({});
  }

  function mudarTipo(tipo: TipoPadrao) {
    const { tipo_padrao: _, ...resto } = erros;
    setErros(resto);
    setV((atual) => {
      // Only a reaction can stand for a tap: a text rule falls back to a note.
      if (acoesPara(tipo).includes(atual.acao)) return { ...atual, tipo_padrao: tipo };
      return { ...atual, tipo_padrao: tipo, acao: "notificar", parametro: "" };
    });
  }

  function submeter(evento: React.FormEvent) {
    evento.preventDefault();
    if (mutacao.isPending) return;
    const e = validarRegra(v);
    setErros(e);
    if (Object.keys(e).length > 0) return;
    const dados = paraApi(v);
    if (regra) atualizar.mutate({ id: regra.id, dados }, { onSuccess: onFechar });
    else criar.mutate(dados, { onSuccess: onFechar });
  }

  return (
    <Dialogo
      titulo={regra ? `Editar regra “${regra.nome}”` : "Nova regra"}
      subtitulo={
        v.tipo_padrao === "reacao"
          ? "Vale para cada reação de um terceirizado a uma mensagem nossa num chamado aberto."
          : "Vale para cada texto que um terceirizado envia num chamado aberto."
      }
      onFechar={onFechar}
      largura="larga"
    >
      <form className="formulario" onSubmit={submeter} noValidate>
        <div className="formulario-linha">
          <Campo rotulo="Nome" erro={erros.nome ?? api.nome}>
            <input value={v.nome} onChange={(e) => mudar("nome", e.target.value)} />
          </Campo>
          <Campo rotulo="Ordem" erro={erros.ordem ?? api.ordem} ajuda="Menor primeiro.">
            <input
              type="number"
              min={0}
              max={100000}
              value={v.ordem}
              onChange={(e) => mudar("ordem", e.target.value)}
            />
          </Campo>
        </div>
        <div className="formulario-linha">
          <Campo rotulo="Tipo de padrão" erro={api.tipo_padrao}>
            <select value={v.tipo_padrao} onChange={(e) => mudarTipo(e.target.value as TipoPadrao)}>
              {TIPO_PADRAO_LISTA.map((t) => (
                <option key={t} value={t}>
                  {TIPO_PADRAO[t]}
                </option>
              ))}
            </select>
          </Campo>
          <Campo
            rotulo={ROTULO_PADRAO[v.tipo_padrao]}
            erro={erros.padrao ?? api.padrao}
            ajuda={AJUDA_PADRAO[v.tipo_padrao]}
          >
            <input
              value={v.padrao}
              placeholder={v.tipo_padrao === "reacao" ? "👍" : undefined}
              onChange={(e) => mudar("padrao", e.target.value)}
            />
          </Campo>
        </div>
        <Campo rotulo="Ação" erro={api.acao}>
          <select value={v.acao} onChange={(e) => mudarAcao(e.target.value as AcaoRegra)}>
            {acoesPara(v.tipo_padrao).map((a) => (
              <option key={a} value={a}>
                {ACAO_REGRA[a]}
              </option>
            ))}
          </select>
        </Campo>
        <Parametro
          v={v}
          erro={erros.parametro ?? api.parametro}
          mudar={(parametro) => mudar("parametro", parametro)}
        />
        <label className="checkbox">
          <input
            type="checkbox"
            checked={v.ativa}
            onChange={(e) => mudar("ativa", e.target.checked)}
          />
          Regra ativa
        </label>
        {mutacao.error && Object.keys(api).length === 0 ? (
          <p className="erro-box" role="alert">
            {mensagemDeErro(mutacao.error)}
          </p>
        ) : null}
        <div className="modal-acoes">
          <button type="button" className="btn btn-secundario" onClick={onFechar}>
            Cancelar
          </button>
          <button type="submit" className="btn btn-primario" disabled={mutacao.isPending}>
            {mutacao.isPending ? "Salvando…" : regra ? "Salvar" : "Criar regra"}
          </button>
        </div>
      </form>
    </Dialogo>
  );
}
