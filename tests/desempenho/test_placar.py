"""The scorecard on a history whose every figure is computed by hand below.

São Paulo business hours (Mon–Fri 08:00–18:00, national holidays off); normal
priority confirms within 120 business minutes.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from typing import Any

import httpx
import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth.models import Papel
from gmm.chamados.models import Chamado, HistoricoChamado, OrigemHistorico, StatusChamado
from gmm.conversas.conteudo import Acao, ConteudoBotoes, Opcao, Respondida
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoConteudo, TipoMensagem
from gmm.core.config import Settings
from gmm.desempenho import fatos
from gmm.desempenho.models import FatoChamado, RespostaOperador
from gmm.sla import service as sla
from gmm.terceirizados.models import Terceirizado
from tests import factories as f
from tests.sla.cobranca import local


async def _chamado(db: AsyncSession, t: Terceirizado, criado: datetime, **campos: Any) -> Chamado:
    c = await f.chamado(db, t)
    c.criado_em = criado
    c.ultima_atividade_em = criado
    for nome, valor in campos.items():
        setattr(c, nome, valor)
    await db.commit()
    return c


async def _msg(
    db: AsyncSession,
    c: Chamado,
    direcao: Direcao,
    momento: datetime,
    *,
    tipo: TipoMensagem | None = None,
    enviado: bool = True,
    entregue: datetime | None = None,
    lido: datetime | None = None,
    usuario_id: int | None = None,
    conteudo: Any = None,
) -> Mensagem:
    entrada = direcao == Direcao.inbound
    m = Mensagem(
        chamado_id=c.id,
        terceirizado_id=c.terceirizado_id,
        direcao=direcao,
        tipo=tipo or (TipoMensagem.recebida if entrada else TipoMensagem.automatica),
        tipo_conteudo=TipoConteudo.interactive if conteudo else TipoConteudo.text,
        conteudo=conteudo,
        texto="…",
        destinatario="5511999999999",
        status_envio=StatusEnvio.entregue,
        momento=momento,
        criado_em=momento,
        enviado_em=None if entrada or not enviado else momento,
        entregue_em=entregue,
        lido_em=lido,
        usuario_id=usuario_id,
    )
    db.add(m)
    await db.commit()
    return m


def _orcamento(opcao: str, mensagem_id: int) -> ConteudoBotoes:
    return ConteudoBotoes(
        botoes=[
            Opcao(id="orcamento:aprovar", titulo="Aprovar"),
            Opcao(id="orcamento:rejeitar", titulo="Rejeitar"),
        ],
        acao=Acao(tipo="orcamento", valor="100"),
        respondida=Respondida(opcao_id=opcao, mensagem_id=mensagem_id),
    )


@pytest.fixture
async def historia(db: AsyncSession) -> dict[str, Any]:
    t = await f.terceirizado(db, nome="Carlos")
    a = await f.usuario(db)
    b = await f.usuario(db)
    saida, entrada = Direcao.outbound, Direcao.inbound

    # 1: Tue 03/03 09:00, answered at 09:30 (30 business min). Our opening read after
    # 10 min; a manual chase never acked, but answered after (so delivered). A quote
    # approved. Finished Wed 10:00, prazo Wed 18:00: on time. Reopened once.
    c1 = await _chamado(
        db, t, local(2026, 3, 3, 9), status=StatusChamado.concluido,
        finalizado_em=local(2026, 3, 4, 10), prazo_combinado=local(2026, 3, 4, 18),
        local="Bloco A",
    )  # fmt: skip
    await _msg(db, c1, saida, local(2026, 3, 3, 9), entregue=local(2026, 3, 3, 9, 1),
               lido=local(2026, 3, 3, 9, 10))  # fmt: skip
    await _msg(db, c1, saida, local(2026, 3, 3, 9, 20), tipo=TipoMensagem.cobranca)
    await _msg(db, c1, entrada, local(2026, 3, 3, 9, 30))
    await _msg(db, c1, saida, local(2026, 3, 3, 9, 40), enviado=False,
               conteudo=_orcamento("orcamento:aprovar", 1))  # fmt: skip
    db.add(HistoricoChamado(
        chamado_id=c1.id, origem=OrigemHistorico.operador, descricao="reaberto",
        status_anterior=StatusChamado.concluido, status_novo=StatusChamado.em_andamento,
    ))  # fmt: skip

    # 2: Tue 17:00, answered Wed 09:00: 60 + 60 = 120 business min, right at the
    # confirmation deadline. Read after 60 min. Finished Fri, prazo Thu: late. A quote
    # rejected. The contractor said "Não posso atender".
    c2 = await _chamado(
        db, t, local(2026, 3, 3, 17), status=StatusChamado.concluido,
        finalizado_em=local(2026, 3, 6, 10), prazo_combinado=local(2026, 3, 5, 18),
        reatribuir=True, local="Bloco B",
    )  # fmt: skip
    await _msg(db, c2, saida, local(2026, 3, 3, 17), lido=local(2026, 3, 3, 18))
    await _msg(db, c2, entrada, local(2026, 3, 4, 9))
    await _msg(db, c2, saida, local(2026, 3, 4, 9, 5), enviado=False,
               conteudo=_orcamento("orcamento:rejeitar", 2))  # fmt: skip

    # 3: Mon 20/04 17:00, Tiradentes on Tuesday, answered Wed 08:30: 60 + 30 = 90.
    # Delivered, never read. Still open. Operators answer here (below).
    c3 = await _chamado(db, t, local(2026, 4, 20, 17), local="Bloco A")
    await _msg(db, c3, saida, local(2026, 4, 20, 17), entregue=local(2026, 4, 20, 17, 1))
    await _msg(db, c3, entrada, local(2026, 4, 22, 8, 30))
    # Operator A answers after 15 min (the contractor wrote in the 8 o'clock hour).
    await _msg(db, c3, saida, local(2026, 4, 22, 8, 45), enviado=False,
               tipo=TipoMensagem.resposta_manual, usuario_id=a.id)  # fmt: skip
    # Two more, and operator B answers the first of them 35 min later (10 o'clock)...
    await _msg(db, c3, entrada, local(2026, 4, 22, 10))
    await _msg(db, c3, entrada, local(2026, 4, 22, 10, 5))
    await _msg(db, c3, saida, local(2026, 4, 22, 10, 35), enviado=False,
               tipo=TipoMensagem.resposta_manual, usuario_id=b.id)  # fmt: skip
    # ...and writes again with nothing waiting: no answer to count.
    await _msg(db, c3, saida, local(2026, 4, 22, 10, 40), enviado=False,
               tipo=TipoMensagem.resposta_manual, usuario_id=b.id)  # fmt: skip

    # 4: Tue 03/03 09:00, never answered (the deadline long gone). Our opening and two
    # automatic chases went out, none delivered.
    c4 = await _chamado(db, t, local(2026, 3, 3, 9), local="Bloco C")
    await _msg(db, c4, saida, local(2026, 3, 3, 9))
    for hora in (12, 15):
        await _msg(db, c4, saida, local(2026, 3, 3, hora), tipo=TipoMensagem.cobranca_automatica)
    await db.commit()
    ids = [c.id for c in (c1, c2, c3, c4)]
    await fatos.calcular(db, ids, await sla.carregar(db))
    await fatos.registrar_respostas(db, local(2026, 1, 1, 0))
    await db.commit()
    return {"t": t.id, "c": ids, "a": a.id, "b": b.id, "a_nome": a.nome, "b_nome": b.nome}


async def test_each_chamados_facts(db: AsyncSession, historia: dict[str, Any]) -> None:
    linhas = {
        x.chamado_id: x
        for x in await db.scalars(select(FatoChamado).execution_options(populate_existing=True))
    }
    c1, c2, c3, c4 = (linhas[i] for i in historia["c"])
    assert [x.primeira_resposta_min for x in (c1, c2, c3, c4)] == [30, 120, 90, None]
    assert [x.confirmou_no_prazo for x in (c1, c2, c3, c4)] == [True, True, True, False]
    assert [(x.enviadas, x.entregues, x.lidas) for x in (c1, c2, c3, c4)] == [
        (2, 2, 1), (1, 1, 1), (1, 1, 0), (3, 0, 0),
    ]  # fmt: skip
    assert [x.leitura_mediana_min for x in (c1, c2, c3, c4)] == [10, 60, None, None]
    assert [x.no_prazo for x in (c1, c2, c3, c4)] == [True, False, None, None]
    assert [(x.orcamentos, x.orcamentos_respondidos, x.orcamentos_aprovados) for x in (c1, c2)] == [
        (1, 1, 1), (1, 1, 0),
    ]  # fmt: skip
    assert (c1.reaberto, c2.reatribuido, c4.cobrancas_automaticas, c1.cobrancas_manuais) == (
        True, True, 2, 1,
    )  # fmt: skip


async def test_the_scorecard_of_the_period(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, historia: dict[str, Any]
) -> None:
    h = f.headers(await f.usuario(db), settings)
    r = await client.get("/api/desempenho/terceirizados?de=2026-03-01&ate=2026-04-30", headers=h)
    assert r.status_code == 200, r.text
    [carlos] = r.json()["itens"]
    assert carlos == {
        "terceirizado_id": historia["t"],
        "nome": "Carlos",
        "empresa": carlos["empresa"],
        "chamados": 4,
        "sem_resposta": 1,
        "resposta_mediana_min": 90.0,
        # 30, 90, 120: the 90th percentile interpolates 80% of the way from 90 to 120.
        "resposta_p90_min": pytest.approx(114.0),
        "confirmados_no_prazo": 0.75,
        "cobrancas_manuais_por_chamado": 0.25,
        "cobrancas_automaticas_por_chamado": 0.5,
        "concluidos_no_prazo": 0.5,
        "aprovacao_orcamentos": 0.5,
        "reabertos": 1,
        "reatribuidos": 1,
        "entregues": pytest.approx(4 / 7),
        "lidas": pytest.approx(2 / 7),
        "leitura_mediana_min": 35.0,
    }
    metricas = {m["chave"]: m for m in r.json()["metricas"]}
    assert "minutos úteis" in metricas["resposta_mediana_min"]["descricao"]
    # Filters: the building, the priority, the period (the holiday chamado alone).
    bloco_a = await client.get(
        "/api/desempenho/terceirizados?de=2026-03-01&ate=2026-04-30&local=bloco a", headers=h
    )
    assert bloco_a.json()["itens"][0]["chamados"] == 2
    urgentes = await client.get(
        "/api/desempenho/terceirizados?de=2026-03-01&ate=2026-04-30&prioridade=urgente",
        headers=h,
    )
    assert urgentes.json()["itens"] == []
    abril = await client.get(
        "/api/desempenho/terceirizados?de=2026-04-01&ate=2026-04-30", headers=h
    )
    [so_abril] = abril.json()["itens"]
    assert (so_abril["chamados"], so_abril["resposta_mediana_min"]) == (1, 90.0)


async def test_a_contractors_detail_week_by_week(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, historia: dict[str, Any]
) -> None:
    h = f.headers(await f.usuario(db), settings)
    url = f"/api/desempenho/terceirizados/{historia['t']}?de=2026-03-01&ate=2026-04-30"
    r = await client.get(url, headers=h)
    assert r.status_code == 200, r.text
    corpo = r.json()
    assert corpo["placar"]["chamados"] == 4
    # The 90 days to 30/04 hold the week of 02/03 (three chamados) and of 20/04 (one).
    assert [(p["semana"], p["chamados"]) for p in corpo["serie"]] == [
        ("2026-03-02", 3),
        ("2026-04-20", 1),
    ]
    vazio = await client.get(
        f"/api/desempenho/terceirizados/{historia['t']}?de=2025-01-01&ate=2025-01-31", headers=h
    )
    assert vazio.json()["placar"]["chamados"] == 0 and vazio.json()["serie"] == []
    assert (await client.get("/api/desempenho/terceirizados/999999", headers=h)).status_code == 404


async def test_operators_answer_times(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, historia: dict[str, Any]
) -> None:
    respostas = list(await db.scalars(select(RespostaOperador)))
    assert sorted(r.segundos for r in respostas if r.segundos is not None) == [15 * 60, 35 * 60]
    assert sum(r.recebida_em is None for r in respostas) == 1
    admin = f.headers(await f.usuario(db, papel=Papel.admin), settings)
    r = await client.get("/api/desempenho/operadores?de=2026-04-01&ate=2026-04-30", headers=admin)
    assert r.status_code == 200, r.text
    corpo = r.json()
    assert corpo["geral"] == {"respostas": 2, "mediana_min": 25.0, "p90_min": pytest.approx(33.0)}
    por_operador = {o["usuario_id"]: o for o in corpo["por_operador"]}
    assert por_operador[historia["a"]]["mediana_min"] == 15.0
    assert por_operador[historia["b"]]["mediana_min"] == 35.0
    assert por_operador[historia["b"]]["nome"] == historia["b_nome"]
    assert [(x["hora"], x["respostas"], x["mediana_min"]) for x in corpo["por_hora"]] == [
        (8, 1, 15.0),
        (10, 1, 35.0),
    ]
    operador = f.headers(await f.usuario(db), settings)
    assert (await client.get("/api/desempenho/operadores", headers=operador)).status_code == 403


async def test_periods_and_access(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = f.headers(await f.usuario(db), settings)
    base = "/api/desempenho/terceirizados"
    assert (await client.get(base)).status_code == 401
    for consulta in ("de=2026-05-01&ate=2026-04-01", "de=2020-01-01&ate=2026-01-01",
                     "de=x", "de=99999-01-01", "local=%00", "prioridade=maxima"):  # fmt: skip
        r = await client.get(f"{base}?{consulta}", headers=h)
        assert r.status_code == 422, (consulta, r.text)
    padrao = await client.get(base, headers=h)
    assert padrao.status_code == 200
    de, ate = padrao.json()["de"], padrao.json()["ate"]
    assert (datetime.fromisoformat(ate) - datetime.fromisoformat(de)) == timedelta(days=29)


async def test_contractors_getting_worse(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    piorou = await f.terceirizado(db, nome="Piorou")
    estavel = await f.terceirizado(db, nome="Estável")
    ids = []
    # 60 days before: answered in 10 business minutes; the last 30: in 100.
    for t, antes, agora in ((piorou, 10, 100), (estavel, 10, 10)):
        for dia, minutos in ((2, antes), (3, antes), (4, antes), (23, agora), (24, agora),
                             (25, agora)):  # fmt: skip
            mes = 2 if dia < 20 else 3
            criado = local(2026, mes, dia, 9)
            c = await _chamado(db, t, criado)
            await _msg(db, c, Direcao.inbound, criado + timedelta(minutes=minutos))
            ids.append(c.id)
    await fatos.calcular(db, ids, await sla.carregar(db))
    await db.commit()
    h = f.headers(await f.usuario(db), settings)
    r = await client.get("/api/desempenho/atencao?ate=2026-03-31", headers=h)
    assert r.status_code == 200, r.text
    [item] = r.json()
    assert item["nome"] == "Piorou"
    assert item["motivos"] == ["1ª resposta (mediana) passou de 10 para 100 min úteis"]
    assert (item["antes"]["chamados"], item["agora"]["chamados"]) == (3, 3)


async def test_the_round_recomputes_only_what_changed(db: AsyncSession) -> None:
    t = await f.terceirizado(db)
    mudou = await f.chamado(db, t)
    parado = await f.chamado(db, t, atividade=local(2025, 1, 6, 9))
    parado.criado_em = local(2025, 1, 6, 9)
    await db.commit()
    mudou_id, parado_id = mudou.id, parado.id
    assert await fatos.atualizar(db) == 2
    await db.commit()
    assert await fatos.atualizar(db) == 0  # nothing changed since
    await _msg(db, mudou, Direcao.inbound, mudou.criado_em + timedelta(minutes=5))
    mudou.ultima_atividade_em = mudou.criado_em + timedelta(minutes=5)
    await db.commit()
    assert await fatos.pendentes(db) == [mudou_id]
    assert await fatos.atualizar(db) == 1
    await db.commit()
    fato = await db.get(FatoChamado, mudou_id, populate_existing=True)
    assert fato is not None and fato.primeira_resposta_min is not None
    assert parado_id not in await fatos.pendentes(db)


async def test_what_an_operator_sends_is_recorded_as_theirs(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    operador = await f.usuario(db)
    chamado = await f.chamado(db, await f.terceirizado(db))
    r = await client.post(
        f"/api/chamados/{chamado.id}/responder",
        json={"mensagem": "Bom dia"},
        headers=f.headers(operador, settings),
    )
    assert r.status_code == 201, r.text
    enviada = await db.get(Mensagem, r.json()["mensagem"]["id"])
    assert enviada is not None and enviada.usuario_id == operador.id


async def test_the_scorecard_exported_as_csv_and_xlsx(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, historia: dict[str, Any]
) -> None:
    t = await db.get(Terceirizado, historia["t"])
    assert t is not None
    t.nome = '=HYPERLINK("http://x")'
    await db.commit()
    h = f.headers(await f.usuario(db), settings)
    base = "/api/desempenho/terceirizados/exportar?de=2026-03-01&ate=2026-04-30"
    r = await client.get(f"{base}&formato=csv", headers=h)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    assert 'filename="desempenho-2026-03-01-a-2026-04-30.csv"' in r.headers["content-disposition"]
    texto = r.content.decode("utf-8")
    assert texto.startswith("\ufeff")
    cabecalho, linha = list(csv.reader(io.StringIO(texto[1:]), delimiter=";"))
    celulas = dict(zip(cabecalho, linha, strict=True))
    assert celulas["Terceirizado"] == '\'=HYPERLINK("http://x")'
    assert celulas["Chamados"] == "4" and celulas["Sem resposta"] == "1"
    assert celulas["1ª resposta (mediana) (min)"] == "90,0"
    assert celulas["Confirmados no SLA (%)"] == "75,0"
    assert celulas["Entregues (%)"] == "57,1"  # 4 of 7
    assert celulas["Cobranças automáticas por chamado"] == "0,5"
    x = await client.get(f"{base}&formato=xlsx", headers=h)
    assert x.status_code == 200
    planilha = openpyxl.load_workbook(io.BytesIO(x.content))["Desempenho"]
    valores = list(planilha.iter_rows(values_only=True))
    linha_x = dict(zip(valores[0], valores[1], strict=True))
    assert linha_x["Terceirizado"] == '\'=HYPERLINK("http://x")'
    assert linha_x["1ª resposta (p90) (min)"] == 114.0
    assert linha_x["Lidas (%)"] == 28.6
    assert (await client.get(f"{base}&formato=pdf", headers=h)).status_code == 422
    assert (await client.get(base)).status_code == 401
