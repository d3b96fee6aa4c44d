import { describe, expect, it } from "vitest";
import { chamadosKeys } from "../api/chamados";
import { avisosDe } from "../avisos";
import type { Evento } from "./eventos";
import { novoQueryClient } from "../../test/utils";
import { aplicarEvento } from "./eventos";

describe("aplicarEvento", () => {
  it("takes down a chamado's notes when it is finished or cancelled, and only then", () => {
    const qc = novoQueryClient();
    const nota = (chamado_id: number, texto: string) =>
      aplicarEvento(qc, {
        tipo: "notificacao",
        dados: { chamado_id, numero_chamado: `CH-2026-000${chamado_id}`, texto },
      });
    nota(7, "Carlos disse que concluiu: confirme para finalizar");
    nota(8, "Ana confirmou a visita");
    nota(9, "Orçamento recebido");
    const textos = () =>
      avisosDe(qc)
        .getLista()
        .map((a) => a.texto);

    aplicarEvento(qc, {
      tipo: "chamado.atualizado",
      dados: { chamado_id: 7, status: "aguardando_confirmacao", prioridade: "normal" },
    });
    expect(textos()).toHaveLength(3);

    aplicarEvento(qc, {
      tipo: "chamado.atualizado",
      dados: { chamado_id: 7, status: "concluido", prioridade: "normal" },
    });
    aplicarEvento(qc, {
      tipo: "chamado.atualizado",
      dados: { chamado_id: 9, status: "cancelado", prioridade: "normal" },
    });
    expect(textos()).toEqual(["Ana confirmou a visita"]);
  });

  it("refreshes a chamado's deadlines and follow-up with its info panel", () => {
    const eventos: Evento[] = [
      {
        tipo: "chamado.atualizado",
        dados: { chamado_id: 7, status: "em_andamento", prioridade: "alta" },
      },
      {
        tipo: "mensagem.status",
        dados: {
          mensagem_id: 1,
          chamado_id: 7,
          direcao: "outbound",
          status_envio: "lido",
          erro: null,
        },
      },
      {
        tipo: "mensagem.nova",
        dados: {
          mensagem_id: 2,
          chamado_id: 7,
          direcao: "inbound",
          status_envio: "entregue",
          erro: null,
        },
      },
    ];
    for (const evento of eventos) {
      const qc = novoQueryClient();
      qc.setQueryData(chamadosKeys.sla(7), { pausada: false });
      qc.setQueryData(chamadosKeys.sla(8), { pausada: false });
      aplicarEvento(qc, evento);
      expect(qc.getQueryState(chamadosKeys.sla(7))?.isInvalidated, evento.tipo).toBe(true);
      expect(qc.getQueryState(chamadosKeys.sla(8))?.isInvalidated, evento.tipo).toBe(false);
    }
  });
});
