import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { formatarDataHora, formatarDiaHora } from "../../lib/format";
import { iniciarSessao } from "../../lib/session";
import type { ChamadoInfo, ChamadoSla, Historico } from "../../lib/types";
import { chamado, usuario } from "../../test/dados";
import { renderRotas, stubFetch } from "../../test/utils";
import { InfoPainel } from "./InfoPainel";

const info: ChamadoInfo = {
  chamado: chamado({
    local: "Prédio 2 · sala 302",
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

function sla(parcial: Partial<ChamadoSla> = {}): ChamadoSla {
  return {
    prazos: {
      confirmar: "2020-03-10T13:00:00Z",
      iniciar: "2020-03-11T12:00:00Z",
      concluir: "2099-03-13T20:00:00Z",
      concluir_combinado: false,
    },
    pausada: false,
    reatribuir: false,
    aguardando: null,
    passos: [],
    proximos: [],
    ...parcial,
  };
}

function montar() {
  iniciarSessao("tok", usuario, 3600);
  return renderRotas(
    [{ path: "/central/:id", element: <InfoPainel chamadoId={7} onFechar={() => {}} /> }],
    "/central/7",
  );
}

async function secaoSla(): Promise<HTMLElement> {
  const secao = await screen.findByRole("region", { name: "Prazos e cobrança automática" });
  await within(secao).findByText("Confirmar até");
  return secao;
}

describe("InfoPainel", () => {
  it("shows the quote, the visit, the new status and the history, newest first", async () => {
    iniciarSessao("tok", usuario, 3600);
    stubFetch({
      "GET /api/chamados/7/info": { body: info },
      "GET /api/chamados/7/historico": { body: historico },
      "GET /api/chamados/7/sla": { body: sla() },
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
    expect(within(painel).getByText("Prédio / local").nextElementSibling).toHaveTextContent(
      "Prédio 2 · sala 302",
    );
    expect(within(painel).getByRole("link", { name: "Todas as conversas" })).toHaveAttribute(
      "href",
      "/terceirizados/3/conversas",
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

  it("shows the deadlines, what the follow-up waits for and the steps it took", async () => {
    const agora = new Date();
    const desde = new Date(agora.getFullYear(), agora.getMonth(), agora.getDate(), 0, 1);
    stubFetch({
      "GET /api/chamados/7/info": {
        body: { ...info, chamado: chamado({ status: "em_andamento" }) },
      },
      "GET /api/chamados/7/historico": { body: [] },
      "GET /api/chamados/7/sla": {
        body: sla({
          prazos: {
            confirmar: "2020-03-10T13:00:00Z",
            iniciar: "2099-03-11T12:00:00Z",
            concluir: "2020-03-12T20:00:00Z",
            concluir_combinado: true,
          },
          reatribuir: true,
          aguardando: { mensagem_id: 9, status_envio: "entregue", desde: desde.toISOString() },
          passos: [
            {
              etapa: "nao_lida",
              descricao: "cobrança automática enviada: a mensagem foi entregue e não lida",
              feito_em: "2026-03-10T15:00:00Z",
            },
            {
              etapa: "atrasado",
              descricao: "prazo vencido: prioridade elevada para alta",
              feito_em: "2026-03-12T21:00:00Z",
            },
          ],
          proximos: [{ etapa: "sem_resposta", previsto_para: "2099-03-13T12:00:00Z" }],
        }),
      },
    });
    montar();
    const secao = await secaoSla();
    expect(within(secao).getByRole("alert")).toHaveTextContent(
      "Reatribuir: o terceirizado não pode atender.",
    );

    const prazo = (rotulo: string) => within(secao).getByText(rotulo).closest("div") as HTMLElement;
    // Confirmed and started (em_andamento): a past "confirmar" is no longer a delay.
    expect(prazo("Confirmar até")).toHaveTextContent(formatarDiaHora("2020-03-10T13:00:00Z"));
    expect(prazo("Confirmar até")).not.toHaveTextContent("atrasado");
    expect(prazo("Iniciar até")).not.toHaveTextContent("atrasado");
    expect(prazo("Concluir até")).toHaveTextContent(
      `${formatarDiaHora("2020-03-12T20:00:00Z")} (combinado)atrasado`,
    );
    expect(prazo("Concluir até")).toHaveClass("info-sla-atrasado");
    expect(within(prazo("Concluir até")).getByText("atrasado")).toHaveClass("badge-atrasado");

    const aguardando = within(secao).getByText("Aguardando o terceirizado")
      .nextElementSibling as HTMLElement;
    expect(aguardando).toHaveTextContent("Entregue, não lida desde 00:01");
    expect(within(aguardando).getByRole("img", { name: "Entregue" })).toHaveAttribute(
      "data-status-envio",
      "entregue",
    );

    const passos = within(
      within(secao).getByRole("list", { name: "Passos automáticos" }),
    ).getAllByRole("listitem");
    expect(passos).toHaveLength(2);
    expect(passos[0]).toHaveTextContent(
      `Cobrança automática enviada: a mensagem foi entregue e não lida${formatarDiaHora("2026-03-10T15:00:00Z")}`,
    );
    expect(passos[1]).toHaveTextContent("Prazo vencido: prioridade elevada para alta");
    const proximos = within(
      within(secao).getByRole("list", { name: "Próximos passos" }),
    ).getAllByRole("listitem");
    expect(proximos.map((p) => p.textContent)).toEqual([
      `Botões Confirmo / Mais prazo / Não posso${formatarDiaHora("2099-03-13T12:00:00Z")}`,
    ]);
  });

  it("marks every past deadline late while the contractor has not confirmed", async () => {
    stubFetch({
      "GET /api/chamados/7/info": {
        body: { ...info, chamado: chamado({ status: "aguardando" }) },
      },
      "GET /api/chamados/7/historico": { body: [] },
      "GET /api/chamados/7/sla": { body: sla() },
    });
    montar();
    const secao = await secaoSla();
    const prazo = (rotulo: string) => within(secao).getByText(rotulo).closest("div") as HTMLElement;
    expect(prazo("Confirmar até")).toHaveTextContent("atrasado");
    expect(prazo("Iniciar até")).toHaveTextContent("atrasado");
    expect(prazo("Concluir até")).not.toHaveTextContent("atrasado");
    expect(prazo("Concluir até")).not.toHaveTextContent("combinado");
    expect(within(secao).queryByRole("alert")).toBeNull();
    expect(
      within(secao).getByText("Aguardando o terceirizado").nextElementSibling,
    ).toHaveTextContent("Nada: ele respondeu à última mensagem.");
    expect(within(secao).getByText("Nenhum até agora.")).toBeInTheDocument();
  });

  it("pauses and resumes the automatic follow-up", async () => {
    let pausada = false;
    const { chamadas } = stubFetch({
      "GET /api/chamados/7/info": { body: info },
      "GET /api/chamados/7/historico": { body: [] },
      "GET /api/chamados/7/sla": () => ({ body: sla({ pausada }) }),
      "PUT /api/chamados/7/cobranca-automatica": (_url, pedido) => {
        pausada = (JSON.parse(pedido.body) as { pausada: boolean }).pausada;
        return { body: sla({ pausada }) };
      },
    });
    montar();
    const user = userEvent.setup();
    const secao = await secaoSla();
    await user.click(within(secao).getByRole("button", { name: "Pausar cobrança automática" }));
    expect(
      await within(secao).findByRole("button", { name: "Retomar cobrança automática" }),
    ).toBeEnabled();
    expect(secao).toHaveTextContent("Cobrança automática pausada");

    await user.click(within(secao).getByRole("button", { name: "Retomar cobrança automática" }));
    expect(
      await within(secao).findByRole("button", { name: "Pausar cobrança automática" }),
    ).toBeEnabled();
    expect(secao).not.toHaveTextContent("Cobrança automática pausada");
    expect(
      chamadas.filter((c) => c.metodo === "PUT").map((c) => [c.url.pathname, c.corpo]),
    ).toEqual([
      ["/api/chamados/7/cobranca-automatica", { pausada: true }],
      ["/api/chamados/7/cobranca-automatica", { pausada: false }],
    ]);
    // The pause is a line of the history: it is read again.
    await waitFor(() =>
      expect(
        chamadas.filter((c) => c.url.pathname === "/api/chamados/7/historico").length,
      ).toBeGreaterThan(1),
    );
  });

  it("offers no pause on a closed chamado", async () => {
    stubFetch({
      "GET /api/chamados/7/info": { body: { ...info, chamado: chamado({ status: "concluido" }) } },
      "GET /api/chamados/7/historico": { body: [] },
      "GET /api/chamados/7/sla": { body: sla() },
    });
    montar();
    const secao = await secaoSla();
    expect(within(secao).queryByRole("button")).toBeNull();
    expect(secao).not.toHaveTextContent("atrasado");
  });
});
