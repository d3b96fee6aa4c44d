import { describe, expect, it } from "vitest";
import { chamadosKeys } from "../api/chamados";
import { conversasKeys } from "../api/conversas";
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

  it("a reaction, edit or delete refreshes that chat and the lists, and notifies nobody", () => {
    const qc = novoQueryClient();
    for (const chave of [
      conversasKeys.mensagens(7),
      conversasKeys.mensagens(8),
      conversasKeys.lista({}),
      conversasKeys.doTerceirizado(3),
      conversasKeys.naoAtribuidasDe({}),
    ]) {
      qc.setQueryData(chave, { pages: [], pageParams: [] });
    }
    const invalidada = (chave: readonly unknown[]) => qc.getQueryState(chave)?.isInvalidated;
    aplicarEvento(qc, {
      tipo: "mensagem.alterada",
      dados: {
        mensagem_id: 1,
        chamado_id: 7,
        direcao: "outbound",
        status_envio: "lido",
        erro: null,
      },
    });
    expect(invalidada(conversasKeys.mensagens(7))).toBe(true);
    expect(invalidada(conversasKeys.mensagens(8))).toBe(false);
    expect(invalidada(conversasKeys.lista({}))).toBe(true);
    expect(invalidada(conversasKeys.doTerceirizado(3))).toBe(true);
    expect(invalidada(conversasKeys.naoAtribuidasDe({}))).toBe(false);
    expect(avisosDe(qc).getLista()).toEqual([]);

    aplicarEvento(qc, {
      tipo: "mensagem.alterada",
      dados: {
        mensagem_id: 2,
        chamado_id: null,
        direcao: "inbound",
        status_envio: "entregue",
        erro: null,
      },
    });
    expect(invalidada(conversasKeys.naoAtribuidasDe({}))).toBe(true);
  });

  it("moved messages refresh both chats, their panels and the contractor's page", () => {
    const qc = novoQueryClient();
    const chaves = [
      conversasKeys.mensagens(7),
      conversasKeys.mensagens(8),
      conversasKeys.mensagens(9),
      chamadosKeys.info(7),
      chamadosKeys.info(8),
      conversasKeys.doTerceirizado(3),
    ];
    for (const chave of chaves) qc.setQueryData(chave, { pages: [], pageParams: [] });
    aplicarEvento(qc, {
      tipo: "mensagens.movidas",
      dados: { de_chamado_id: 7, para_chamado_id: 8, mensagem_ids: [41, 42] },
    });
    expect(chaves.map((chave) => qc.getQueryState(chave)?.isInvalidated)).toEqual([
      true,
      true,
      false,
      true,
      true,
      true,
    ]);
  });
});
