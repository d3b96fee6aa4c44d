/**
 * The ready-made actions: questions with buttons whose answers move the chamado
 * (the API records them in the history and the operators get a notice).
 */
import { useState } from "react";
import { Campo } from "../../../components/Campo";
import { Contador, tamanho } from "../../../components/Contador";
import { Dialogo } from "../../../components/Dialogo";
import {
  useConfirmarVisita,
  useEnviarOrcamento,
  usePerguntarConclusao,
  useSolicitarOrcamento,
} from "../../../lib/api/acoes";
import { formatarDataHora, formatarMoeda, lerValor, localParaIso } from "../../../lib/format";
import { AcoesDialogo, ErroEnvio, type PropsDialogo, errosDaApi } from "./comum";
import { LIMITES } from "./limites";

const VALOR_MAXIMO = 9_999_999_999.99;

/** Send without a form: a sentence says what goes out and what the answers do. */
function Pergunta({
  titulo,
  rotulo,
  children,
  mutacao,
  onFechar,
  onEnviado,
}: Omit<PropsDialogo, "chamado"> & {
  titulo: string;
  rotulo: string;
  children: React.ReactNode;
  mutacao: ReturnType<typeof useSolicitarOrcamento>;
}) {
  function submeter(evento: React.FormEvent) {
    evento.preventDefault();
    if (!mutacao.isPending) mutacao.mutate(undefined, { onSuccess: (r) => onEnviado(r) });
  }
  return (
    <Dialogo titulo={titulo} onFechar={onFechar}>
      <form className="formulario" onSubmit={submeter}>
        <div className="modal-corpo">{children}</div>
        <ErroEnvio erro={mutacao.error} />
        <div className="modal-acoes">
          <button type="button" className="btn btn-secundario" onClick={onFechar}>
            Cancelar
          </button>
          <button
            type="submit"
            className="btn btn-primario"
            disabled={mutacao.isPending}
            data-autofocus
          >
            {mutacao.isPending ? "Enviando…" : rotulo}
          </button>
        </div>
      </form>
    </Dialogo>
  );
}

export function SolicitarOrcamentoDialog({ chamado, onFechar, onEnviado }: PropsDialogo) {
  const mutacao = useSolicitarOrcamento(chamado.id);
  return (
    <Pergunta
      titulo="Solicitar orçamento"
      rotulo="Pedir orçamento"
      mutacao={mutacao}
      onFechar={onFechar}
      onEnviado={onEnviado}
    >
      <p>
        {chamado.terceirizado.nome} receberá um pedido do valor do orçamento de{" "}
        {chamado.numero_chamado}.
      </p>
      <p className="texto-suave">
        Por 24 horas, uma resposta que seja só um valor (“1500”, “R$ 1.500,00”) é registrada como o
        orçamento do chamado.
      </p>
    </Pergunta>
  );
}

export function ConcluidoDialog({ chamado, onFechar, onEnviado }: PropsDialogo) {
  const mutacao = usePerguntarConclusao(chamado.id);
  return (
    <Pergunta
      titulo="Perguntar se concluiu"
      rotulo="Enviar pergunta"
      mutacao={mutacao}
      onFechar={onFechar}
      onEnviado={onEnviado}
    >
      <p>
        {chamado.terceirizado.nome} receberá a pergunta “o serviço foi concluído?” com os botões{" "}
        <strong>Sim</strong> e <strong>Ainda não</strong>.
      </p>
      <p className="texto-suave">
        Sim deixa o chamado em “Aguardando confirmação”: você confirma a conclusão depois.
      </p>
    </Pergunta>
  );
}

export function OrcamentoDialog({ chamado, onFechar, onEnviado }: PropsDialogo) {
  const enviar = useEnviarOrcamento(chamado.id);
  const [valor, setValor] = useState(chamado.valor_orcamento ?? "");
  const [observacao, setObservacao] = useState("");
  const [tentou, setTentou] = useState(false);
  const decimal = lerValor(valor);
  const api = errosDaApi(enviar.error);
  const erroValor =
    api.valor ??
    (decimal === null
      ? tentou || valor.trim()
        ? "Informe um valor maior que zero, como 1.500,00."
        : undefined
      : Number(decimal) > VALOR_MAXIMO
        ? "Valor grande demais."
        : undefined);
  const erroObservacao =
    api.observacao ??
    (tamanho(observacao) > LIMITES.observacao
      ? `Observação: no máximo ${LIMITES.observacao} caracteres (tem ${tamanho(observacao)}).`
      : undefined);

  function submeter(evento: React.FormEvent) {
    evento.preventDefault();
    if (enviar.isPending) return;
    setTentou(true);
    if (decimal === null || Number(decimal) > VALOR_MAXIMO || erroObservacao) return;
    enviar.mutate(
      { valor: decimal, observacao: observacao.trim() || null },
      { onSuccess: (r) => onEnviado(r) },
    );
  }

  return (
    <Dialogo
      titulo="Enviar orçamento"
      subtitulo={`${chamado.terceirizado.nome} recebe o valor com os botões Aprovar e Rejeitar.`}
      onFechar={onFechar}
    >
      <form className="formulario" onSubmit={submeter} noValidate>
        <Campo
          rotulo="Valor (R$)"
          erro={erroValor}
          ajuda={decimal ? `Será enviado como ${formatarMoeda(decimal)}.` : "Ex.: 1.500,00"}
        >
          <input
            inputMode="decimal"
            autoComplete="off"
            value={valor}
            onChange={(e) => {
              if (enviar.error) enviar.reset();
              setValor(e.target.value);
            }}
          />
        </Campo>
        <Campo
          rotulo="Observação (opcional)"
          erro={erroObservacao}
          contador={<Contador texto={observacao} maximo={LIMITES.observacao} />}
        >
          <textarea rows={2} value={observacao} onChange={(e) => setObservacao(e.target.value)} />
        </Campo>
        <p className="texto-suave">
          Aprovar grava o valor e passa o chamado a “Em andamento”; Rejeitar pede uma
          contraproposta.
        </p>
        <ErroEnvio erro={enviar.error} />
        <AcoesDialogo ocupado={enviar.isPending} rotulo="Enviar orçamento" onFechar={onFechar} />
      </form>
    </Dialogo>
  );
}

function hoje(agora: Date): string {
  const d = (n: number) => String(n).padStart(2, "0");
  return `${agora.getFullYear()}-${d(agora.getMonth() + 1)}-${d(agora.getDate())}`;
}

export function VisitaDialog({ chamado, onFechar, onEnviado }: PropsDialogo) {
  const enviar = useConfirmarVisita(chamado.id);
  const [data, setData] = useState("");
  const [hora, setHora] = useState("");
  const [tentou, setTentou] = useState(false);
  const iso = data && hora ? localParaIso(`${data}T${hora}`) : null;
  // Checked against the clock at each render on purpose: a time that was valid when
  // typed turns into "no passado" as the dialog stays open (the server checks it too).
  // eslint-disable-next-line react-hooks/purity
  const noPassado = iso !== null && new Date(iso).getTime() <= Date.now();
  const api = errosDaApi(enviar.error);
  const erroData =
    api.data_hora ??
    (tentou && !data
      ? "Escolha a data."
      : noPassado
        ? "A visita precisa ser no futuro."
        : undefined);
  const erroHora = tentou && !hora ? "Escolha a hora." : undefined;

  function mudar(set: (v: string) => void, valor: string) {
    if (enviar.error) enviar.reset();
    set(valor);
  }

  function submeter(evento: React.FormEvent) {
    evento.preventDefault();
    if (enviar.isPending) return;
    setTentou(true);
    if (!iso || noPassado) return;
    enviar.mutate({ data_hora: iso }, { onSuccess: (r) => onEnviado(r) });
  }

  return (
    <Dialogo
      titulo="Confirmar visita"
      subtitulo={`${chamado.terceirizado.nome} responde Confirmo ou Remarcar.`}
      onFechar={onFechar}
    >
      <form className="formulario" onSubmit={submeter} noValidate>
        <div className="formulario-linha">
          <Campo rotulo="Data da visita" erro={erroData}>
            <input
              type="date"
              min={hoje(new Date())}
              value={data}
              onChange={(e) => mudar(setData, e.target.value)}
            />
          </Campo>
          <Campo rotulo="Hora" erro={erroHora}>
            <input
              type="time"
              step={300}
              value={hora}
              onChange={(e) => mudar(setHora, e.target.value)}
            />
          </Campo>
        </div>
        {iso && !noPassado ? (
          <p className="texto-suave">Visita em {formatarDataHora(iso)}.</p>
        ) : null}
        <ErroEnvio erro={enviar.error} />
        <AcoesDialogo ocupado={enviar.isPending} rotulo="Enviar pergunta" onFechar={onFechar} />
      </form>
    </Dialogo>
  );
}
