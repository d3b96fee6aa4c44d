import { useState } from "react";
import { Campo } from "../../components/Campo";
import { Contador, tamanho } from "../../components/Contador";
import { isoParaLocal, localParaIso } from "../../lib/format";
import { ApiError, mensagemDeErro } from "../../lib/http";
import { PRIORIDADE, PRIORIDADE_LISTA } from "../../lib/labels";
import type { Chamado, Prioridade } from "../../lib/types";
import { TerceirizadoPicker } from "./TerceirizadoPicker";

export interface ValoresChamado {
  terceirizado_id: number | null;
  titulo: string;
  descricao: string;
  /** The building or place ("Prédio / local"), optional. */
  local: string;
  prioridade: Prioridade;
  prazo: string; // datetime-local value
  status: "aguardando" | "em_andamento";
}

export function valoresDe(chamado?: Chamado): ValoresChamado {
  return {
    terceirizado_id: chamado?.terceirizado_id ?? null,
    titulo: chamado?.titulo ?? "",
    descricao: chamado?.descricao ?? "",
    local: chamado?.local ?? "",
    prioridade: chamado?.prioridade ?? "normal",
    prazo: isoParaLocal(chamado?.prazo_combinado),
    status: chamado?.status === "em_andamento" ? "em_andamento" : "aguardando",
  };
}

export const LOCAL_MAX = 120;

/** Checks the browser can make before the API does; the API's answer still wins. */
export function validar(
  v: ValoresChamado,
  novo: boolean,
  agora = new Date(),
): Record<string, string> {
  const erros: Record<string, string> = {};
  if (novo && v.terceirizado_id === null) erros.terceirizado_id = "Escolha o terceirizado.";
  if (v.titulo.trim().length < 3) erros.titulo = "O título precisa de pelo menos 3 caracteres.";
  if (tamanho(v.local.trim()) > LOCAL_MAX) erros.local = `No máximo ${LOCAL_MAX} caracteres.`;
  if (v.prazo) {
    const iso = localParaIso(v.prazo);
    if (!iso) erros.prazo_combinado = "Data e hora inválidas.";
    else if (novo && new Date(iso) <= agora)
      erros.prazo_combinado = "O prazo precisa estar no futuro.";
  }
  return erros;
}

interface Props {
  novo: boolean;
  inicial: ValoresChamado;
  enviando: boolean;
  erroApi: unknown;
  rotuloEnviar: string;
  onEnviar: (valores: ValoresChamado) => void;
  onCancelar?: () => void;
}

export function ChamadoForm({
  novo,
  inicial,
  enviando,
  erroApi,
  rotuloEnviar,
  onEnviar,
  onCancelar,
}: Props) {
  const [v, setV] = useState(inicial);
  const [erros, setErros] = useState<Record<string, string>>({});
  const campos = { ...(erroApi instanceof ApiError ? erroApi.campos : {}), ...erros };
  const conhecidos = [
    "terceirizado_id",
    "titulo",
    "descricao",
    "local",
    "prioridade",
    "prazo_combinado",
    "status",
  ];
  const erroGeral =
    erroApi && !(erroApi instanceof ApiError && conhecidos.some((c) => c in erroApi.campos))
      ? mensagemDeErro(erroApi)
      : null;

  function mudar<K extends keyof ValoresChamado>(campo: K, valor: ValoresChamado[K]) {
    setV((atual) => ({ ...atual, [campo]: valor }));
    setErros((atual) => {
      const { [campo === "prazo" ? "prazo_combinado" : campo]: _removido, ...resto } = atual;
      return resto;
    });
  }

  function enviar(evento: React.FormEvent) {
    evento.preventDefault();
    const encontrados = validar(v, novo);
    setErros(encontrados);
    if (Object.keys(encontrados).length === 0) onEnviar(v);
  }

  return (
    <form className="formulario" onSubmit={enviar} noValidate>
      {novo ? (
        <TerceirizadoPicker
          rotulo="Terceirizado"
          valor={v.terceirizado_id}
          onMudar={(id) => mudar("terceirizado_id", id)}
          erro={campos.terceirizado_id}
        />
      ) : null}
      <Campo rotulo="Título" erro={campos.titulo}>
        <input
          type="text"
          value={v.titulo}
          maxLength={200}
          onChange={(e) => mudar("titulo", e.target.value)}
          required
        />
      </Campo>
      <Campo
        rotulo="Descrição"
        erro={campos.descricao}
        ajuda="Opcional. Vai na mensagem ao terceirizado."
      >
        <textarea
          rows={4}
          value={v.descricao}
          maxLength={4000}
          onChange={(e) => mudar("descricao", e.target.value)}
        />
      </Campo>
      <Campo
        rotulo="Prédio / local"
        erro={campos.local}
        ajuda="Opcional. Onde é o serviço: prédio, bloco, sala."
        contador={<Contador texto={v.local} maximo={LOCAL_MAX} />}
      >
        <input
          type="text"
          value={v.local}
          maxLength={LOCAL_MAX}
          placeholder="Ex.: Prédio 2 · sala 302"
          onChange={(e) => mudar("local", e.target.value)}
        />
      </Campo>
      <div className="formulario-linha">
        <Campo rotulo="Prioridade" erro={campos.prioridade}>
          <select
            value={v.prioridade}
            onChange={(e) => mudar("prioridade", e.target.value as Prioridade)}
          >
            {PRIORIDADE_LISTA.map((p) => (
              <option key={p} value={p}>
                {PRIORIDADE[p]}
              </option>
            ))}
          </select>
        </Campo>
        <Campo
          rotulo="Prazo combinado"
          erro={campos.prazo_combinado}
          ajuda="Opcional. Horário local."
        >
          <input
            type="datetime-local"
            value={v.prazo}
            onChange={(e) => mudar("prazo", e.target.value)}
          />
        </Campo>
        {!novo ? (
          <Campo rotulo="Situação" erro={campos.status}>
            <select
              value={v.status}
              onChange={(e) => mudar("status", e.target.value as ValoresChamado["status"])}
            >
              <option value="aguardando">Aguardando</option>
              <option value="em_andamento">Em andamento</option>
            </select>
          </Campo>
        ) : null}
      </div>
      {erroGeral ? (
        <p className="erro-box" role="alert">
          {erroGeral}
        </p>
      ) : null}
      <div className="formulario-acoes">
        {onCancelar ? (
          <button type="button" className="btn btn-secundario" onClick={onCancelar}>
            Voltar
          </button>
        ) : null}
        <button type="submit" className="btn btn-primario" disabled={enviando}>
          {enviando ? "Salvando…" : rotuloEnviar}
        </button>
      </div>
    </form>
  );
}
