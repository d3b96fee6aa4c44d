import { useId, useState } from "react";
import { Campo } from "../../components/Campo";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Carregando, ErroBox, Vazio } from "../../components/Feedback";
import {
  useAdicionarFeriado,
  useRemoverFeriado,
  useSalvarEtapa,
  useSalvarExpediente,
  useSalvarPolitica,
  useSla,
} from "../../lib/api/sla";
import { ApiError, mensagemDeErro } from "../../lib/http";
import { PRIORIDADE } from "../../lib/labels";
import type {
  Etapa,
  EtapaCobranca,
  Expediente,
  Feriado,
  PoliticaSla,
  Prioridade,
} from "../../lib/types";
import { AdminNav } from "./AdminNav";
import { AJUDA_DURACAO, ERRO_DURACAO, formatarMinutos, lerMinutos } from "./duracao";
import "./admin.css";

// -- shared bits -----------------------------------------------------------------------

/** The API's per-field messages of a failed save ({} when it failed otherwise or not at all). */
function camposDoErro(erro: unknown): Record<string, string> {
  return erro instanceof ApiError ? erro.campos : {};
}

/** A failure with no field to show it under (a network error, a 403…), or null. */
function erroGeral(erro: unknown): string | null {
  if (!erro) return null;
  return Object.keys(camposDoErro(erro)).length === 0 ? mensagemDeErro(erro) : null;
}

function Salvo({ visivel, children = "Salvo." }: { visivel: boolean; children?: string }) {
  return visivel ? (
    <p className="aviso aviso-sucesso sla-salvo" role="status">
      {children}
    </p>
  ) : null;
}

/** A duration field: shows "10 h 30 min", reads what the admin types (see duracao.ts). */
function CampoDuracao({
  rotulo,
  valor,
  onChange,
  erro,
  ajuda,
}: {
  rotulo: string;
  valor: string;
  onChange: (valor: string) => void;
  erro?: string | undefined;
  ajuda?: string;
}) {
  return (
    <Campo rotulo={rotulo} erro={erro} ajuda={ajuda} className="campo-duracao">
      <input
        inputMode="text"
        autoComplete="off"
        value={valor}
        onChange={(e) => onChange(e.target.value)}
        // Written back as it was understood: "3" becomes "3 h" before it is saved.
        onBlur={() => {
          const minutos = lerMinutos(valor);
          if (minutos !== null) onChange(formatarMinutos(minutos));
        }}
      />
    </Campo>
  );
}

// -- expediente ------------------------------------------------------------------------

const DIAS = ["Seg", "Ter", "Qua", "Qui", "Sex", "Sáb", "Dom"] as const;
const DIAS_NOMES = ["segunda", "terça", "quarta", "quinta", "sexta", "sábado", "domingo"] as const;

/** The 27 federative units: their own holidays count too. */
export const UFS: [string, string][] = [
  ["AC", "Acre"],
  ["AL", "Alagoas"],
  ["AP", "Amapá"],
  ["AM", "Amazonas"],
  ["BA", "Bahia"],
  ["CE", "Ceará"],
  ["DF", "Distrito Federal"],
  ["ES", "Espírito Santo"],
  ["GO", "Goiás"],
  ["MA", "Maranhão"],
  ["MT", "Mato Grosso"],
  ["MS", "Mato Grosso do Sul"],
  ["MG", "Minas Gerais"],
  ["PA", "Pará"],
  ["PB", "Paraíba"],
  ["PR", "Paraná"],
  ["PE", "Pernambuco"],
  ["PI", "Piauí"],
  ["RJ", "Rio de Janeiro"],
  ["RN", "Rio Grande do Norte"],
  ["RS", "Rio Grande do Sul"],
  ["RO", "Rondônia"],
  ["RR", "Roraima"],
  ["SC", "Santa Catarina"],
  ["SP", "São Paulo"],
  ["SE", "Sergipe"],
  ["TO", "Tocantins"],
];

/** "08:00:00" → "08:00", what `<input type="time">` holds. */
function horaCurta(hora: string): string {
  return hora.slice(0, 5);
}

/**
 * The API checks the expediente as a whole, so some problems come without a field
 * (loc ["body"]); they are put under the field they speak of. "dias.3" is the days too.
 */
function errosDoExpediente(erro: unknown): Record<string, string> {
  const campos: Record<string, string> = {};
  for (const [campo, msg] of Object.entries(camposDoErro(erro))) {
    let alvo = campo.startsWith("dias") ? "dias" : campo;
    if (campo === "_") {
      if (/início|fim|horário/i.test(msg)) alvo = "fim";
      else if (/\bdia/i.test(msg)) alvo = "dias";
      else if (/\bUF\b/.test(msg)) alvo = "uf";
    }
    campos[alvo] ??= msg;
  }
  return campos;
}

function FormExpediente({ expediente }: { expediente: Expediente }) {
  const salvar = useSalvarExpediente();
  const idDias = useId();
  const [dias, setDias] = useState<number[]>(expediente.dias);
  const [inicio, setInicio] = useState(horaCurta(expediente.inicio));
  const [fim, setFim] = useState(horaCurta(expediente.fim));
  const [uf, setUf] = useState(expediente.uf ?? "");
  const [email, setEmail] = useState(expediente.email_supervisor ?? "");
  const [erros, setErros] = useState<Record<string, string>>({});
  const [salvo, setSalvo] = useState(false);
  const api = errosDoExpediente(salvar.error);
  const erroDias = erros.dias ?? api.dias;
  const semCampo = salvar.error && Object.keys(api).every((c) => c === "_");

  function alternarDia(dia: number) {
    setDias((atual) =>
      atual.includes(dia) ? atual.filter((d) => d !== dia) : [...atual, dia].sort((a, b) => a - b),
    );
  }

  function submeter(evento: React.FormEvent) {
    evento.preventDefault();
    if (salvar.isPending) return;
    const e: Record<string, string> = {};
    if (dias.length === 0) e.dias = "Marque ao menos um dia.";
    if (!inicio) e.inicio = "Informe a abertura.";
    if (!fim) e.fim = "Informe o fechamento.";
    // "HH:MM" strings compare as times.
    if (inicio && fim && inicio >= fim) e.fim = "O fechamento precisa ser depois da abertura.";
    setErros(e);
    setSalvo(false);
    if (Object.keys(e).length > 0) return;
    salvar.mutate(
      {
        dias,
        inicio: `${inicio}:00`,
        fim: `${fim}:00`,
        // Not edited here: the company's zone stays as it is.
        fuso: expediente.fuso,
        uf: uf || null,
        email_supervisor: email.trim() || null,
      },
      { onSuccess: () => setSalvo(true) },
    );
  }

  return (
    <section className="cartao sla-secao" aria-labelledby="sla-expediente">
      <h2 id="sla-expediente">Expediente</h2>
      <p className="texto-suave">
        Só os dias e horários de trabalho contam nos prazos, e só neles se cobra o terceirizado. Os
        feriados nacionais entram sozinhos; com a UF, também os do estado.
      </p>
      <form className="formulario" onSubmit={submeter} noValidate>
        <fieldset
          className={`sla-dias${erroDias ? " campo-com-erro" : ""}`}
          aria-describedby={erroDias ? `${idDias}-erro` : undefined}
        >
          <legend>Dias de trabalho</legend>
          <div className="sla-dias-opcoes">
            {DIAS.map((rotulo, dia) => (
              <label key={rotulo} className="checkbox" title={DIAS_NOMES[dia]}>
                <input
                  type="checkbox"
                  checked={dias.includes(dia)}
                  onChange={() => alternarDia(dia)}
                />
                {rotulo}
              </label>
            ))}
          </div>
          {erroDias ? (
            <small id={`${idDias}-erro`} className="campo-erro">
              {erroDias}
            </small>
          ) : null}
        </fieldset>
        <div className="formulario-linha">
          <Campo rotulo="Abertura" erro={erros.inicio ?? api.inicio}>
            <input type="time" value={inicio} onChange={(e) => setInicio(e.target.value)} />
          </Campo>
          <Campo rotulo="Fechamento" erro={erros.fim ?? api.fim}>
            <input type="time" value={fim} onChange={(e) => setFim(e.target.value)} />
          </Campo>
          <Campo rotulo="UF dos feriados estaduais" erro={api.uf}>
            <select value={uf} onChange={(e) => setUf(e.target.value)}>
              <option value="">Nenhuma (só os nacionais)</option>
              {UFS.map(([sigla, nome]) => (
                <option key={sigla} value={sigla}>
                  {sigla} — {nome}
                </option>
              ))}
            </select>
          </Campo>
        </div>
        <Campo
          rotulo="E-mail do supervisor"
          erro={api.email_supervisor}
          ajuda="Avisado quando um chamado passa do prazo. Em branco: ninguém recebe e-mail."
        >
          <input
            type="email"
            inputMode="email"
            autoComplete="off"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </Campo>
        {semCampo ? (
          <p className="erro-box" role="alert">
            {mensagemDeErro(salvar.error)}
          </p>
        ) : null}
        <Salvo visivel={salvo}>Expediente salvo. Vale para os próximos cálculos de prazo.</Salvo>
        <div className="formulario-acoes">
          <button type="submit" className="btn btn-primario" disabled={salvar.isPending}>
            {salvar.isPending ? "Salvando…" : "Salvar"}
          </button>
        </div>
      </form>
    </section>
  );
}

// -- company holidays ------------------------------------------------------------------

/** "2026-01-25" → "25/01/2026", read as written (a Date would shift it by the zone). */
export function formatarData(data: string): string {
  const [ano, mes, dia] = data.split("-");
  return `${dia}/${mes}/${ano}`;
}

function Feriados({ feriados }: { feriados: Feriado[] }) {
  const adicionar = useAdicionarFeriado();
  const remover = useRemoverFeriado();
  const [data, setData] = useState("");
  const [descricao, setDescricao] = useState("");
  const [erros, setErros] = useState<Record<string, string>>({});
  const [removendo, setRemovendo] = useState<Feriado | null>(null);
  const api = camposDoErro(adicionar.error);

  function submeter(evento: React.FormEvent) {
    evento.preventDefault();
    if (adicionar.isPending) return;
    const e: Record<string, string> = {};
    if (!data) e.data = "Informe a data.";
    if (!descricao.trim()) e.descricao = "Informe o motivo, como “Aniversário da cidade”.";
    setErros(e);
    if (Object.keys(e).length > 0) return;
    adicionar.mutate(
      { data, descricao: descricao.trim() },
      {
        onSuccess: () => {
          setData("");
          setDescricao("");
        },
      },
    );
  }

  return (
    <section className="cartao sla-secao" aria-labelledby="sla-feriados">
      <h2 id="sla-feriados">Feriados da empresa</h2>
      <p className="texto-suave">
        Feriados municipais e dias sem expediente: não contam nos prazos e nada é cobrado neles. Os
        feriados nacionais (e os do estado escolhido acima) já contam sozinhos: não é preciso
        cadastrá-los.
      </p>
      {feriados.length === 0 ? <Vazio>Nenhum feriado da empresa cadastrado.</Vazio> : null}
      {feriados.length > 0 ? (
        <ul className="sla-feriados" aria-label="Feriados da empresa">
          {feriados.map((f) => (
            <li key={f.data}>
              <span className="sla-feriado-data">{formatarData(f.data)}</span>
              <span className="sla-feriado-descricao">{f.descricao}</span>
              <button
                type="button"
                className="btn btn-fantasma btn-pequeno texto-perigo"
                aria-label={`Remover o feriado de ${formatarData(f.data)}`}
                onClick={() => {
                  remover.reset();
                  setRemovendo(f);
                }}
              >
                Remover
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <form className="formulario sla-feriado-novo" onSubmit={submeter} noValidate>
        <div className="formulario-linha">
          <Campo rotulo="Data" erro={erros.data ?? api.data}>
            <input type="date" value={data} onChange={(e) => setData(e.target.value)} />
          </Campo>
          <Campo rotulo="Descrição" erro={erros.descricao ?? api.descricao}>
            <input
              maxLength={120}
              value={descricao}
              onChange={(e) => setDescricao(e.target.value)}
            />
          </Campo>
        </div>
        {erroGeral(adicionar.error) ? (
          <p className="erro-box" role="alert">
            {erroGeral(adicionar.error)}
          </p>
        ) : null}
        <div className="formulario-acoes">
          <button type="submit" className="btn btn-secundario" disabled={adicionar.isPending}>
            {adicionar.isPending ? "Adicionando…" : "Adicionar feriado"}
          </button>
        </div>
      </form>
      <ConfirmDialog
        aberto={removendo !== null}
        titulo={`Remover o feriado de ${removendo ? formatarData(removendo.data) : ""}?`}
        rotuloConfirmar="Remover"
        perigo
        ocupado={remover.isPending}
        erro={remover.error ? mensagemDeErro(remover.error) : null}
        onConfirmar={() =>
          removendo && remover.mutate(removendo.data, { onSuccess: () => setRemovendo(null) })
        }
        onCancelar={() => setRemovendo(null)}
      >
        <p>“{removendo?.descricao}”: o dia volta a contar nos prazos.</p>
      </ConfirmDialog>
    </section>
  );
}

// -- deadlines per priority ------------------------------------------------------------

const PRIORIDADES: Prioridade[] = ["urgente", "alta", "normal", "baixa"];

const PRAZOS = [
  { campo: "confirmar_min", rotulo: "Confirmar" },
  { campo: "iniciar_min", rotulo: "Iniciar" },
  { campo: "concluir_min", rotulo: "Concluir" },
] as const;

type CampoPrazo = (typeof PRAZOS)[number]["campo"];

function LinhaPolitica({ politica }: { politica: PoliticaSla }) {
  const salvar = useSalvarPolitica();
  const idErro = useId();
  const nome = PRIORIDADE[politica.prioridade];
  const [valores, setValores] = useState<Record<CampoPrazo, string>>({
    confirmar_min: formatarMinutos(politica.confirmar_min),
    iniciar_min: formatarMinutos(politica.iniciar_min),
    concluir_min: formatarMinutos(politica.concluir_min),
  });
  const [erros, setErros] = useState<Partial<Record<CampoPrazo, string>>>({});
  const [salvo, setSalvo] = useState(false);
  const api = camposDoErro(salvar.error);
  // The order of the three (confirmar ≤ iniciar ≤ concluir) is checked on the whole row.
  const erroLinha = api._ ?? erroGeral(salvar.error);

  function mudar(campo: CampoPrazo, valor: string) {
    setValores((atual) => ({ ...atual, [campo]: valor }));
  }

  function gravar() {
    if (salvar.isPending) return;
    const e: Partial<Record<CampoPrazo, string>> = {};
    const minutos: Partial<Record<CampoPrazo, number>> = {};
    for (const { campo } of PRAZOS) {
      const lido = lerMinutos(valores[campo]);
      if (lido === null) e[campo] = ERRO_DURACAO;
      else minutos[campo] = lido;
    }
    setErros(e);
    setSalvo(false);
    if (
      minutos.confirmar_min === undefined ||
      minutos.iniciar_min === undefined ||
      minutos.concluir_min === undefined
    ) {
      return;
    }
    salvar.mutate(
      {
        prioridade: politica.prioridade,
        dados: {
          confirmar_min: minutos.confirmar_min,
          iniciar_min: minutos.iniciar_min,
          concluir_min: minutos.concluir_min,
        },
      },
      { onSuccess: () => setSalvo(true) },
    );
  }

  return (
    <>
      <tr data-prioridade={politica.prioridade}>
        <th scope="row">{nome}</th>
        {PRAZOS.map(({ campo, rotulo }) => {
          const erro = erros[campo] ?? api[campo];
          return (
            <td key={campo} data-rotulo={rotulo}>
              <input
                className="sla-duracao"
                aria-label={`${rotulo}, prioridade ${nome}`}
                aria-invalid={erro || erroLinha ? true : undefined}
                aria-describedby={
                  erro ? `${idErro}-${campo}` : erroLinha ? `${idErro}-linha` : undefined
                }
                autoComplete="off"
                value={valores[campo]}
                onChange={(e) => mudar(campo, e.target.value)}
                onBlur={() => {
                  const minutos = lerMinutos(valores[campo]);
                  if (minutos !== null) mudar(campo, formatarMinutos(minutos));
                }}
                onKeyDown={(e) => {
                  if (e.key === "Enter") gravar();
                }}
              />
              {erro ? (
                <small id={`${idErro}-${campo}`} className="campo-erro">
                  {erro}
                </small>
              ) : null}
            </td>
          );
        })}
        <td className="tabela-acoes">
          {salvo ? (
            <span className="sla-salvo-texto" role="status">
              Salvo
            </span>
          ) : null}
          <button
            type="button"
            className="btn btn-secundario btn-pequeno"
            aria-label={`Salvar os prazos da prioridade ${nome}`}
            disabled={salvar.isPending}
            onClick={gravar}
          >
            {salvar.isPending ? "Salvando…" : "Salvar"}
          </button>
        </td>
      </tr>
      {erroLinha ? (
        <tr className="sla-linha-erro">
          <td colSpan={5}>
            <small id={`${idErro}-linha`} className="campo-erro" role="alert">
              {nome}: {erroLinha}
            </small>
          </td>
        </tr>
      ) : null}
    </>
  );
}

function Politicas({ politicas }: { politicas: PoliticaSla[] }) {
  const porPrioridade = new Map(politicas.map((p) => [p.prioridade, p]));
  return (
    <section className="cartao sla-secao" aria-labelledby="sla-politicas">
      <h2 id="sla-politicas">Prazos por prioridade</h2>
      <p className="texto-suave">
        Contados da abertura do chamado, só no expediente: até quando o terceirizado deve confirmar,
        iniciar (agendar a visita) e concluir. Um prazo combinado com ele vale no lugar do de
        concluir. {AJUDA_DURACAO}
      </p>
      <table className="tabela tabela-compacta sla-politicas">
        <thead>
          <tr>
            <th scope="col">Prioridade</th>
            {PRAZOS.map(({ campo, rotulo }) => (
              <th key={campo} scope="col">
                {rotulo}
              </th>
            ))}
            <th scope="col">
              <span className="sr-only">Ações</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {PRIORIDADES.map((prioridade) => {
            const politica = porPrioridade.get(prioridade);
            return politica ? <LinhaPolitica key={prioridade} politica={politica} /> : null;
          })}
        </tbody>
      </table>
    </section>
  );
}

// -- the follow-up ladder --------------------------------------------------------------

/** Each step, in the order a silent contractor meets them. */
export const ETAPAS: Record<Etapa, { nome: string; explicacao: string; minutos: string }> = {
  nao_entregue: {
    nome: "Não entregue (só ✓)",
    explicacao:
      "A mensagem saiu, mas não chegou ao celular do terceirizado. Passado este tempo, o operador é avisado para ligar; nada é enviado ao terceirizado.",
    minutos: "Avisar depois de",
  },
  nao_lida: {
    nome: "Entregue e não lida (✓✓)",
    explicacao:
      "Chegou, mas não foi lida. Passado este tempo desde a entrega, o terceirizado recebe o lembrete abaixo.",
    minutos: "Cobrar depois de",
  },
  sem_resposta: {
    nome: "Lida e sem resposta",
    explicacao:
      "Foi lida, mas ninguém respondeu. Passado este tempo desde a leitura, o terceirizado recebe o texto abaixo com os botões Confirmo, Preciso mais prazo e Não posso atender.",
    minutos: "Cobrar depois de",
  },
  prazo_1dia: {
    nome: "Um dia útil antes do prazo",
    explicacao: "Lembrete ao terceirizado quando faltar este tempo para o prazo de conclusão.",
    minutos: "Lembrar antes do prazo",
  },
  prazo_2h: {
    nome: "Duas horas úteis antes do prazo",
    explicacao: "Um segundo lembrete, mais perto do prazo de conclusão.",
    minutos: "Lembrar antes do prazo",
  },
  atrasado: {
    nome: "Prazo vencido",
    explicacao:
      "Passado este tempo do prazo de conclusão, a prioridade do chamado sobe um nível e o operador e o supervisor são avisados; nada é enviado ao terceirizado.",
    minutos: "Agir depois do prazo",
  },
};

const ORDEM_ETAPAS = Object.keys(ETAPAS) as Etapa[];

const VARIAVEIS = [
  ["{terceirizado}", "primeiro nome do terceirizado"],
  ["{chamado}", "número do chamado"],
  ["{titulo}", "título do chamado"],
  ["{prazo}", "data e hora do prazo"],
] as const;

function CartaoEtapa({ etapa }: { etapa: EtapaCobranca }) {
  const salvar = useSalvarEtapa();
  const info = ETAPAS[etapa.etapa];
  const idTitulo = useId();
  const [ativa, setAtiva] = useState(etapa.ativa);
  const [minutos, setMinutos] = useState(formatarMinutos(etapa.minutos));
  const [texto, setTexto] = useState(etapa.texto ?? "");
  const [erros, setErros] = useState<Record<string, string>>({});
  const [salvo, setSalvo] = useState(false);
  const api = camposDoErro(salvar.error);
  // "This step sends a message: give its text" comes without a field: it is the text's.
  const semTexto =
    salvar.error instanceof ApiError && salvar.error.code === "etapa_sem_texto"
      ? salvar.error.message
      : undefined;
  const erroTexto = erros.texto ?? api.texto ?? semTexto;
  const geral = semTexto ? null : erroGeral(salvar.error);

  function submeter(evento: React.FormEvent) {
    evento.preventDefault();
    if (salvar.isPending) return;
    const e: Record<string, string> = {};
    const lidos = lerMinutos(minutos);
    if (lidos === null) e.minutos = ERRO_DURACAO;
    if (etapa.envia_ao_terceirizado && !texto.trim()) {
      e.texto = "Informe o texto: esta etapa envia uma mensagem ao terceirizado.";
    }
    setErros(e);
    setSalvo(false);
    if (lidos === null || Object.keys(e).length > 0) return;
    salvar.mutate(
      {
        etapa: etapa.etapa,
        dados: {
          ativa,
          minutos: lidos,
          // The steps that only tell the operator keep what they have (no text).
          texto: etapa.envia_ao_terceirizado ? texto.trim() : etapa.texto,
        },
      },
      { onSuccess: () => setSalvo(true) },
    );
  }

  return (
    <article
      className={`cartao sla-etapa${ativa ? "" : " inativa"}`}
      aria-labelledby={idTitulo}
      data-etapa={etapa.etapa}
    >
      <div className="sla-etapa-topo">
        <h3 id={idTitulo}>{info.nome}</h3>
        <button
          type="button"
          role="switch"
          aria-checked={ativa}
          aria-label={`Etapa ${info.nome} ligada`}
          className="switch"
          onClick={() => setAtiva(!ativa)}
        >
          <span className="switch-trilho" aria-hidden="true" />
          <span className="switch-texto">{ativa ? "Ligada" : "Desligada"}</span>
        </button>
      </div>
      <p className="texto-suave">{info.explicacao}</p>
      <form className="formulario" onSubmit={submeter} noValidate>
        <CampoDuracao
          rotulo={info.minutos}
          valor={minutos}
          onChange={setMinutos}
          erro={erros.minutos ?? api.minutos}
          ajuda={AJUDA_DURACAO}
        />
        {etapa.envia_ao_terceirizado ? (
          <Campo rotulo="Texto enviado ao terceirizado" erro={erroTexto}>
            <textarea
              rows={3}
              maxLength={1000}
              value={texto}
              onChange={(e) => setTexto(e.target.value)}
            />
          </Campo>
        ) : null}
        {etapa.envia_ao_terceirizado ? (
          <p className="sla-variaveis texto-suave">
            Variáveis:{" "}
            {VARIAVEIS.map(([variavel, significado], i) => (
              <span key={variavel}>
                {i > 0 ? " · " : ""}
                <code>{variavel}</code> {significado}
              </span>
            ))}
          </p>
        ) : null}
        {geral ? (
          <p className="erro-box" role="alert">
            {geral}
          </p>
        ) : null}
        <Salvo visivel={salvo} />
        <div className="formulario-acoes">
          <button
            type="submit"
            className="btn btn-secundario"
            aria-label={`Salvar a etapa ${info.nome}`}
            disabled={salvar.isPending}
          >
            {salvar.isPending ? "Salvando…" : "Salvar"}
          </button>
        </div>
      </form>
    </article>
  );
}

function Etapas({ etapas }: { etapas: EtapaCobranca[] }) {
  const porEtapa = new Map(etapas.map((e) => [e.etapa, e]));
  return (
    <section className="sla-secao" aria-labelledby="sla-etapas">
      <h2 id="sla-etapas">Etapas da cobrança automática</h2>
      <p className="texto-suave pagina-intro">
        Quando o terceirizado fica em silêncio, o sistema cobra por conta própria, nesta ordem e só
        no expediente. Cada chamado pode ter a cobrança pausada no painel de informações da
        conversa.
      </p>
      <div className="sla-etapas">
        {ORDEM_ETAPAS.map((nome) => {
          const etapa = porEtapa.get(nome);
          return etapa ? <CartaoEtapa key={nome} etapa={etapa} /> : null;
        })}
      </div>
    </section>
  );
}

// -- the page --------------------------------------------------------------------------

/** Business hours, company holidays, deadlines per priority and the follow-up ladder. */
export function SlaPage() {
  const sla = useSla();
  return (
    <div className="pagina pagina-media">
      <AdminNav />
      <div className="pagina-topo">
        <h1>Prazos e cobranças</h1>
      </div>
      {sla.isPending ? <Carregando /> : null}
      {sla.isError ? <ErroBox erro={sla.error} tentarDeNovo={() => sla.refetch()} /> : null}
      {sla.data ? (
        <>
          <FormExpediente expediente={sla.data.expediente} />
          <Feriados feriados={sla.data.feriados} />
          <Politicas politicas={sla.data.politicas} />
          <Etapas etapas={sla.data.etapas} />
        </>
      ) : null}
    </div>
  );
}
