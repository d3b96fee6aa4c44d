/** Answers of the Desempenho API for the tests (the figures' texts as the server sends them). */
import type {
  AtencaoTerceirizado,
  DetalheDesempenho,
  Metrica,
  Placar,
  PlacarTerceirizado,
  Ranking,
  TemposOperadores,
} from "../../lib/types";

export const METRICAS: Metrica[] = [
  {
    chave: "chamados",
    nome: "Chamados",
    unidade: "numero",
    melhor: "maior",
    descricao: "Chamados abertos para o terceirizado no período.",
  },
  {
    chave: "resposta_mediana_min",
    nome: "1ª resposta (mediana)",
    unidade: "min",
    melhor: "menor",
    descricao:
      "Da abertura do chamado à primeira mensagem do terceirizado, em minutos úteis (expediente e feriados da política de SLA); a mediana dos chamados que tiveram resposta.",
  },
  {
    chave: "resposta_p90_min",
    nome: "1ª resposta (p90)",
    unidade: "min",
    melhor: "menor",
    descricao: "O mesmo tempo, abaixo do qual ficam 90% dos chamados respondidos.",
  },
  {
    chave: "confirmados_no_prazo",
    nome: "Confirmados no SLA",
    unidade: "fracao",
    melhor: "maior",
    descricao:
      "Chamados com a primeira resposta dentro do prazo de confirmação da prioridade, entre os já decididos (respondidos, ou sem resposta com o prazo vencido).",
  },
  {
    chave: "cobrancas_manuais_por_chamado",
    nome: "Cobranças manuais",
    unidade: "por_chamado",
    melhor: "menor",
    descricao: "Cobranças enviadas por operadores, por chamado.",
  },
  {
    chave: "lidas",
    nome: "Lidas",
    unidade: "fracao",
    melhor: "maior",
    descricao: "Nossas mensagens aceitas pelo WhatsApp que o terceirizado leu (✓✓ azul).",
  },
];

export function placarVazio(): Placar {
  return {
    chamados: 0,
    sem_resposta: 0,
    resposta_mediana_min: null,
    resposta_p90_min: null,
    confirmados_no_prazo: null,
    cobrancas_manuais_por_chamado: null,
    cobrancas_automaticas_por_chamado: null,
    concluidos_no_prazo: null,
    aprovacao_orcamentos: null,
    reabertos: 0,
    reatribuidos: 0,
    entregues: null,
    lidas: null,
    leitura_mediana_min: null,
  };
}

export function placar(parcial: Partial<PlacarTerceirizado> = {}): PlacarTerceirizado {
  return {
    ...placarVazio(),
    terceirizado_id: 3,
    nome: "Clima Frio Refrigeração",
    empresa: "Clima Frio Ltda",
    chamados: 12,
    sem_resposta: 2,
    resposta_mediana_min: 80,
    resposta_p90_min: 200,
    confirmados_no_prazo: 0.75,
    cobrancas_manuais_por_chamado: 1.25,
    lidas: 0.9,
    ...parcial,
  };
}

/** Three contractors: one fast, one slow, one with no answer yet (nulls). */
export function ranking(parcial: Partial<Ranking> = {}): Ranking {
  return {
    de: "2026-03-01",
    ate: "2026-03-30",
    metricas: METRICAS,
    itens: [
      placar(),
      placar({
        terceirizado_id: 5,
        nome: "Elétrica Alves",
        empresa: null,
        chamados: 4,
        sem_resposta: 0,
        resposta_mediana_min: 25,
        resposta_p90_min: 1440,
        confirmados_no_prazo: 1,
        cobrancas_manuais_por_chamado: 0,
        lidas: 0.5,
      }),
      placar({
        terceirizado_id: 8,
        nome: "Banheiros & Cia",
        empresa: null,
        chamados: 1,
        sem_resposta: 1,
        resposta_mediana_min: null,
        resposta_p90_min: null,
        confirmados_no_prazo: null,
        cobrancas_manuais_por_chamado: 3,
        lidas: null,
      }),
    ],
    ...parcial,
  };
}

export function atencao(parcial: Partial<AtencaoTerceirizado> = {}): AtencaoTerceirizado {
  return {
    terceirizado_id: 3,
    nome: "Clima Frio Refrigeração",
    motivos: [
      "1ª resposta (mediana) passou de 40 para 95 min úteis",
      "mensagens lidas caiu de 90% para 60%",
    ],
    antes: { ...placarVazio(), chamados: 9 },
    agora: { ...placarVazio(), chamados: 5 },
    ...parcial,
  };
}

export function operadores(parcial: Partial<TemposOperadores> = {}): TemposOperadores {
  return {
    de: "2026-03-01",
    ate: "2026-03-30",
    geral: { respostas: 140, mediana_min: 12, p90_min: 95 },
    por_operador: [
      { usuario_id: 1, nome: "Operadora Ana", respostas: 100, mediana_min: 8, p90_min: 60 },
      {
        usuario_id: null,
        nome: "Sem operador identificado",
        respostas: 40,
        mediana_min: 30,
        p90_min: 200,
      },
    ],
    por_hora: [
      { hora: 9, respostas: 50, mediana_min: 5, p90_min: 20 },
      { hora: 14, respostas: 90, mediana_min: 15.5, p90_min: 100 },
    ],
    ...parcial,
  };
}

export function detalhe(parcial: Partial<DetalheDesempenho> = {}): DetalheDesempenho {
  return {
    de: "2026-03-01",
    ate: "2026-03-30",
    placar: placar(),
    metricas: METRICAS,
    serie: [
      { ...placarVazio(), semana: "2026-01-05", chamados: 3, resposta_mediana_min: 30, lidas: 1 },
      { ...placarVazio(), semana: "2026-02-16", chamados: 5, resposta_mediana_min: 50, lidas: 0.8 },
      {
        ...placarVazio(),
        semana: "2026-03-23",
        chamados: 4,
        resposta_mediana_min: null,
        lidas: 0.755,
      },
    ],
    ...parcial,
  };
}
