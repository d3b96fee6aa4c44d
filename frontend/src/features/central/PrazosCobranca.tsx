import { useId } from "react";
import { Carregando, ErroBox } from "../../components/Feedback";
import { usePausarCobranca, useSlaDoChamado } from "../../lib/api/sla";
import { formatarDataHora, formatarDiaHora, formatarHoraOuDia } from "../../lib/format";
import { mensagemDeErro } from "../../lib/http";
import { chamadoAberto } from "../../lib/labels";
import type { ChamadoSla, StatusChamado, StatusEnvio } from "../../lib/types";

type Etapa = ChamadoSla["proximos"][number]["etapa"];
import { Ticks } from "./Ticks";

/** Where our last unanswered message stands, by its tick. */
const AGUARDANDO: Record<StatusEnvio, string> = {
  pendente: "Na fila de envio",
  enfileirado: "Na fila de envio",
  enviado: "Enviada, não entregue",
  entregue: "Entregue, não lida",
  lido: "Lida, sem resposta",
  falhou: "Falhou o envio",
};

/** What each step ahead will do, if the contractor stays silent until then. */
const PROXIMO: Record<Etapa, string> = {
  nao_entregue: "Avisar você para ligar (não entregue)",
  nao_lida: "Lembrete (entregue e não lida)",
  sem_resposta: "Botões Confirmo / Mais prazo / Não posso",
  prazo_1dia: "Lembrete: um dia útil antes do prazo",
  prazo_2h: "Lembrete: duas horas úteis antes do prazo",
  atrasado: "Prazo vencido: subir a prioridade",
};

type Prazo = "confirmar" | "iniciar" | "concluir";

/**
 * Whether a deadline still binds at this status: once the contractor confirmed and
 * started (em_andamento), a past "confirmar" is history, not a delay; once he says it
 * is done (aguardando_confirmacao) or it is closed, nothing is late.
 */
function vale(prazo: Prazo, status: StatusChamado): boolean {
  if (prazo === "concluir") return status === "aguardando" || status === "em_andamento";
  return status === "aguardando";
}

const PRAZOS: { prazo: Prazo; rotulo: string }[] = [
  { prazo: "confirmar", rotulo: "Confirmar até" },
  { prazo: "iniciar", rotulo: "Iniciar até" },
  { prazo: "concluir", rotulo: "Concluir até" },
];

function comMaiuscula(texto: string): string {
  return texto.charAt(0).toUpperCase() + texto.slice(1);
}

/** The chamado's deadlines in business time and what the automatic follow-up did and waits for. */
export function PrazosCobranca({
  chamadoId,
  status,
}: {
  chamadoId: number;
  status: StatusChamado;
}) {
  const sla = useSlaDoChamado(chamadoId);
  const pausar = usePausarCobranca(chamadoId);
  const idTitulo = useId();
  // "Late" as of the last reading: every change of the chamado (the follow-up's own
  // steps included, "prazo vencido" among them) refetches it.
  const lidoEm = new Date(sla.dataUpdatedAt);
  const dados = sla.data;

  return (
    <section className="info-sla" aria-labelledby={idTitulo}>
      <h3 id={idTitulo}>Prazos e cobrança automática</h3>
      {sla.isPending ? <Carregando /> : null}
      {sla.isError ? <ErroBox erro={sla.error} tentarDeNovo={() => sla.refetch()} /> : null}
      {dados ? (
        <>
          {dados.reatribuir ? (
            <p className="aviso info-sla-reatribuir" role="alert">
              <strong>Reatribuir:</strong> o terceirizado não pode atender.
            </p>
          ) : null}
          <dl className="info-lista info-sla-prazos">
            {PRAZOS.map(({ prazo, rotulo }) => {
              const quando = dados.prazos[prazo];
              const atrasado = vale(prazo, status) && new Date(quando) < lidoEm;
              const combinado = prazo === "concluir" && dados.prazos.concluir_combinado;
              return (
                <div key={prazo} className={atrasado ? "info-sla-atrasado" : undefined}>
                  <dt>{rotulo}</dt>
                  <dd>
                    <time dateTime={quando} title={formatarDataHora(quando)}>
                      {formatarDiaHora(quando)}
                    </time>
                    {combinado ? <span className="texto-suave"> (combinado)</span> : null}
                    {atrasado ? <span className="badge badge-atrasado">atrasado</span> : null}
                  </dd>
                </div>
              );
            })}
          </dl>
          <dl className="info-lista">
            <dt>Aguardando o terceirizado</dt>
            <dd className="info-sla-aguardando">
              {dados.aguardando ? (
                <>
                  <Ticks status={dados.aguardando.status_envio} />
                  <span>
                    {AGUARDANDO[dados.aguardando.status_envio]}
                    {dados.aguardando.desde
                      ? ` desde ${formatarHoraOuDia(dados.aguardando.desde, lidoEm)}`
                      : ""}
                  </span>
                </>
              ) : (
                <span className="texto-suave">Nada: ele respondeu à última mensagem.</span>
              )}
            </dd>
          </dl>
          <p className="info-sla-rotulo">Passos automáticos</p>
          {dados.passos.length === 0 ? (
            <p className="texto-suave">Nenhum até agora.</p>
          ) : (
            <ol className="info-sla-passos" aria-label="Passos automáticos">
              {dados.passos.map((passo, i) => (
                <li key={`${passo.etapa}-${i}`}>
                  <span>{comMaiuscula(passo.descricao)}</span>
                  {passo.feito_em ? (
                    <time className="texto-suave" dateTime={passo.feito_em}>
                      {formatarDiaHora(passo.feito_em)}
                    </time>
                  ) : null}
                </li>
              ))}
            </ol>
          )}
          {dados.proximos.length > 0 ? (
            <>
              <p className="info-sla-rotulo">Próximos passos</p>
              <ol className="info-sla-passos" aria-label="Próximos passos">
                {dados.proximos.map((proximo) => (
                  <li key={proximo.etapa}>
                    <span>{PROXIMO[proximo.etapa]}</span>
                    <time className="texto-suave" dateTime={proximo.previsto_para}>
                      {formatarDiaHora(proximo.previsto_para)}
                    </time>
                  </li>
                ))}
              </ol>
            </>
          ) : null}
          {dados.pausada ? (
            <p className="aviso info-sla-pausada">
              Cobrança automática pausada: nada é cobrado sozinho neste chamado.
            </p>
          ) : null}
          {chamadoAberto(status) ? (
            <button
              type="button"
              className="btn btn-secundario btn-pequeno"
              disabled={pausar.isPending}
              onClick={() => pausar.mutate(!dados.pausada)}
            >
              {dados.pausada ? "Retomar cobrança automática" : "Pausar cobrança automática"}
            </button>
          ) : null}
          {pausar.error ? (
            <p className="texto-perigo" role="alert">
              {mensagemDeErro(pausar.error)}
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
