import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { formatarDataHora } from "../../lib/format";
import { iniciarSessao } from "../../lib/session";
import type { ChamadoInfo, Historico } from "../../lib/types";
import { chamado, usuario } from "../../test/dados";
import { renderRotas, stubFetch } from "../../test/utils";
import { InfoPainel } from "./InfoPainel";

const info: ChamadoInfo = {
  chamado: chamado({
    status: "aguardando_confirmacao",
    valor_orcamento: "1500.00",
    visita_em: "2026-03-12T13:30:00Z",
  }),
  estatisticas: {
    mensagens_enviadas: 4,
    mensagens_recebidas: 3,
    nao_lidas: 0,
    cobrancas: 1,
    falhas_envio: 0,
    ultimo_contato_em: null,
    ultima_mensagem_em: null,
    tempo_primeira_resposta_s: null,
    atrasado: false,
  },
};

function evento(parcial: Partial<Historico>): Historico {
  return {
    id: 1,
    chamado_id: 7,
    status_anterior: null,
    status_novo: null,
    origem: "operador",
    descricao: "",
    usuario_id: null,
    mensagem_id: null,
    criado_em: "2026-03-10T12:00:00Z",
    ...parcial,
  };
}

const historico: Historico[] = [
  evento({ id: 1, status_novo: "aguardando", origem: "operador", descricao: "chamado aberto" }),
  evento({
    id: 2,
    status_anterior: "aguardando",
    status_novo: "em_andamento",
    origem: "terceirizado",
    descricao: "orçamento de R$ 1.500,00 aprovado pelo terceirizado",
    criado_em: "2026-03-10T14:00:00Z",
  }),
  evento({
    id: 3,
    origem: "automacao",
    descricao: "regra “Horário” respondeu",
    criado_em: "2026-03-10T15:00:00Z",
  }),
  evento({
    id: 4,
    status_anterior: "em_andamento",
    status_novo: "aguardando_confirmacao",
    origem: "terceirizado",
    descricao: "o terceirizado informou que o serviço foi concluído: confirme para finalizar",
    criado_em: "2026-03-11T10:00:00Z",
  }),
];

describe("InfoPainel", () => {
  it("shows the quote, the visit, the new status and the history, newest first", async () => {
    iniciarSessao("tok", usuario, 3600);
    stubFetch({
      "GET /api/chamados/7/info": { body: info },
      "GET /api/chamados/7/historico": { body: historico },
    });
    renderRotas(
      [{ path: "/central/:id", element: <InfoPainel chamadoId={7} onFechar={() => {}} /> }],
      "/central/7",
    );
    const painel = await screen.findByRole("complementary", { name: "Informações do chamado" });
    expect(await within(painel).findByText("Aguardando confirmação")).toHaveClass(
      "badge-status-aguardando_confirmacao",
    );
    expect(within(painel).getByText("Orçamento").nextElementSibling).toHaveTextContent(
      "R$ 1.500,00",
    );
    expect(within(painel).getByText("Visita confirmada").nextElementSibling).toHaveTextContent(
      formatarDataHora("2026-03-12T13:30:00Z"),
    );
    const linha = await within(painel).findByRole("list", { name: "Histórico do chamado" });
    const itens = within(linha).getAllByRole("listitem");
    expect(itens).toHaveLength(4);
    expect(itens[0]).toHaveTextContent("Terceirizado");
    expect(itens[0]).toHaveTextContent("Em andamento → Aguardando confirmação");
    expect(itens[0]).toHaveTextContent("confirme para finalizar");
    expect(itens[1]).toHaveTextContent("Automação");
    expect(itens[1]).not.toHaveTextContent("→");
    expect(itens[2]).toHaveTextContent("Aguardando → Em andamento");
    expect(itens[3]).toHaveTextContent("Operador");
    expect(itens[3]).toHaveTextContent("chamado aberto");
  });
});
