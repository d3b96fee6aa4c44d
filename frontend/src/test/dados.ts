import type { Chamado, Conversa, Mensagem, Usuario } from "../lib/types";

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
    ...parcial,
  };
}

export function conversa(parcial: Partial<Conversa> = {}): Conversa {
  return {
    id: 7,
    numero_chamado: "CH-2026-0007",
    titulo: "Ar-condicionado não gela",
    status: "aguardando",
    prioridade: "alta",
    prazo_combinado: null,
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
