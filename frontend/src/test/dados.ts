import type { Alerta, Chamado, Conversa, Mensagem, Metricas, Usuario } from "../lib/types";

export const usuario: Usuario = {
  id: 1,
  nome: "Operadora Ana",
  email: "ana@example.com",
  papel: "operador",
  ativo: true,
  criado_em: "2026-01-10T12:00:00Z",
};

export function mensagem(parcial: Partial<Mensagem> = {}): Mensagem {
  return {
    id: 1,
    chamado_id: 7,
    direcao: "outbound",
    tipo: "resposta_manual",
    tipo_conteudo: "text",
    texto: "Olá",
    conteudo: null,
    destinatario: "5511987654321",
    url_midia: null,
    caption: null,
    transcricao: null,
    status_envio: "enviado",
    erro: null,
    megaapi_id: null,
    prioridade: "normal",
    tentativas: 0,
    lida_em: null,
    criado_em: "2026-03-10T13:00:00Z",
    enviado_em: null,
    entregue_em: null,
    lido_em: null,
    citada: null,
    reacao: null,
    reagida_em: null,
    editada_em: null,
    texto_original: null,
    apagada_em: null,
    terceirizado_id: 3,
    ...parcial,
  };
}

export function conversa(parcial: Partial<Conversa> = {}): Conversa {
  return {
    id: 7,
    numero_chamado: "CH-2026-0007",
    titulo: "Ar-condicionado não gela",
    local: null,
    status: "aguardando",
    prioridade: "alta",
    prazo_combinado: null,
    prazo: null,
    atrasado: false,
    terceirizado_id: 3,
    prestador: "Carlos Pereira",
    empresa: "Refrigeração Polar",
    telefone: "5511987654321",
    ultima_mensagem: {
      id: 1,
      texto: "Chego às 14h",
      direcao: "inbound",
      tipo_conteudo: "text",
      status_envio: "entregue",
      criado_em: "2026-03-10T13:00:00Z",
    },
    nao_lidas: 2,
    ultima_atividade_em: "2026-03-10T13:00:00Z",
    ...parcial,
  };
}

export function chamado(parcial: Partial<Chamado> = {}): Chamado {
  return {
    id: 7,
    numero_chamado: "CH-2026-0007",
    terceirizado_id: 3,
    terceirizado: { id: 3, nome: "Carlos Pereira", empresa: "Polar", telefone: "5511987654321" },
    titulo: "Ar-condicionado não gela",
    descricao: null,
    local: null,
    status: "em_andamento",
    prioridade: "alta",
    prazo_combinado: null,
    atrasado: false,
    criado_por: 1,
    criado_em: "2026-03-10T12:00:00Z",
    atualizado_em: "2026-03-10T12:00:00Z",
    finalizado_em: null,
    ultima_atividade_em: "2026-03-10T13:00:00Z",
    valor_orcamento: null,
    visita_em: null,
    ...parcial,
  };
}

/** 24 hourly rows ending at the hour of `gerado_em`, quiet but for two. */
function volume24h(): Metricas["volume_24h"] {
  return Array.from({ length: 24 }, (_, i) => ({
    hora: new Date(Date.UTC(2026, 2, 10, 14 - 23 + i)).toISOString(),
    enviadas: i === 23 ? 40 : i === 22 ? 12 : 0,
    entregues: i === 23 ? 38 : i === 22 ? 12 : 0,
    lidas: i === 23 ? 30 : i === 22 ? 10 : 0,
    falhas: i === 23 ? 2 : 0,
    recebidas: i === 23 ? 15 : i === 22 ? 4 : 0,
  }));
}

export function alerta(parcial: Partial<Alerta> = {}): Alerta {
  return {
    id: 3,
    tipo: "breaker_aberto",
    severidade: "critico",
    mensagem:
      "A MegaAPI está falhando: envios suspensos pelo circuit breaker; as mensagens serão enviadas quando a API estabilizar",
    dados: { status: "OPEN", falhas: 5 },
    aberto_em: "2026-03-10T13:58:00Z",
    fechado_em: null,
    email_enviado_em: null,
    email_recuperacao_em: null,
    ...parcial,
  };
}

/** The panel at 14:00:30 UTC with the breaker open for 2½ minutes. */
export function metricas(parcial: Partial<Metricas> = {}): Metricas {
  return {
    gerado_em: "2026-03-10T14:00:30Z",
    circuit_breaker: {
      status: "OPEN",
      failure_count: 5,
      threshold: 5,
      opened_at: "2026-03-10T13:58:00Z",
    },
    rate_limiter: { count: 12, max: 60, can_send: false },
    fila: { queue_size: 7, deferred: 3, oldest_age_s: 150, transcricoes: 2 },
    failures: { last_hour: 9, by_reason: { http_5xx: 6, timeout: 3 } },
    volume_24h: volume24h(),
    delivery: {
      failure_rate_24h: 0.025,
      p50_entrega_s: 1.5,
      p95_entrega_s: 8.2,
      p50_leitura_s: 95,
      p95_leitura_s: 1800,
    },
    webhooks: { last_received_at: "2026-03-10T14:00:18Z", lag_s: 0.8 },
    connection: {
      connected: true,
      state: "open",
      since: "2026-03-10T09:00:00Z",
      instance_status: "CONNECTED",
      instance_checked_at: "2026-03-10T13:59:30Z",
    },
    workers: { alive: 2, last_heartbeat: "2026-03-10T14:00:25Z" },
    chamados_afetados: [
      {
        chamado_id: 7,
        numero_chamado: "CH-2026-0007",
        titulo: "Ar-condicionado não gela",
        aguardando: 2,
        falhas: 1,
      },
    ],
    alertas_abertos: [alerta()],
    ...parcial,
  };
}

/** A panel with nothing wrong. */
export function metricasNormais(): Metricas {
  return metricas({
    circuit_breaker: { status: "CLOSED", failure_count: 0, threshold: 5, opened_at: null },
    rate_limiter: { count: 3, max: 60, can_send: true },
    fila: { queue_size: 0, deferred: 0, oldest_age_s: null, transcricoes: 0 },
    failures: { last_hour: 0, by_reason: {} },
    chamados_afetados: [],
    alertas_abertos: [],
  });
}
