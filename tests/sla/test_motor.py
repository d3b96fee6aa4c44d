"""The follow-up ladder against the real database: each step fires when it is due,
once, only in business hours, and stops when the contractor answers or the operator
pauses or finishes the chamado. The clock is frozen with time-machine."""

from __future__ import annotations

import asyncio
from datetime import time, timedelta

from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.chamados.models import HistoricoChamado, Prioridade, StatusChamado
from gmm.conversas.conteudo import ConteudoBotoes
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoMensagem
from gmm.core.config import Settings
from gmm.envio.fila import Fila
from gmm.envio.service import WhatsAppService
from gmm.sla import motor
from gmm.sla.models import CobrancaAutomatica, Etapa, Expediente
from tests import factories as f
from tests.sla.cobranca import TERCA, esperando, local, rodada
from tests.smtp import Caixa


async def _automaticas(db: AsyncSession, chamado_id: int) -> list[Mensagem]:
    return list(
        await db.scalars(
            select(Mensagem)
            .where(
                Mensagem.chamado_id == chamado_id,
                Mensagem.tipo == TipoMensagem.cobranca_automatica,
            )
            .order_by(Mensagem.id)
            .execution_options(populate_existing=True)
        )
    )


async def _etapas(db: AsyncSession, chamado_id: int) -> list[Etapa]:
    return list(
        await db.scalars(
            select(CobrancaAutomatica.etapa)
            .where(CobrancaAutomatica.chamado_id == chamado_id)
            .order_by(CobrancaAutomatica.id)
        )
    )


async def _historico(db: AsyncSession, chamado_id: int) -> list[str]:
    return list(
        await db.scalars(
            select(HistoricoChamado.descricao)
            .where(HistoricoChamado.chamado_id == chamado_id)
            .order_by(HistoricoChamado.id)
        )
    )


async def test_delivered_and_unread_gets_one_nudge_after_its_delay(
    app: FastAPI, db: AsyncSession, settings: Settings
) -> None:
    c, _ = await esperando(db, StatusEnvio.entregue, TERCA)
    assert await rodada(app, settings, TERCA + timedelta(minutes=119)) == 0
    assert await _automaticas(db, c.id) == []

    assert await rodada(app, settings, TERCA + timedelta(minutes=120)) == 1
    [lembrete] = await _automaticas(db, c.id)
    assert lembrete.texto == (
        f"Olá, Carlos! Conseguiu ver a mensagem sobre o chamado {c.numero_chamado} ({c.titulo})?"
    )
    assert lembrete.status_envio == StatusEnvio.enfileirado
    assert "cobrança automática enviada: a mensagem foi entregue e não lida" in (
        await _historico(db, c.id)
    )
    # Once per waiting period, however many rounds follow.
    assert await rodada(app, settings, TERCA + timedelta(hours=5)) == 0
    assert len(await _automaticas(db, c.id)) == 1


async def test_read_and_unanswered_gets_the_three_buttons(
    app: FastAPI, db: AsyncSession, settings: Settings
) -> None:
    c, _ = await esperando(db, StatusEnvio.lido, TERCA)
    assert await rodada(app, settings, TERCA + timedelta(minutes=120)) == 1
    [pergunta] = await _automaticas(db, c.id)
    assert isinstance(pergunta.conteudo, ConteudoBotoes)
    assert [(b.id, b.titulo) for b in pergunta.conteudo.botoes] == motor.BOTOES_COBRANCA
    assert pergunta.conteudo.acao is not None and pergunta.conteudo.acao.tipo == "cobranca"
    assert await _etapas(db, c.id) == [Etapa.sem_resposta]


async def test_sent_and_never_delivered_tells_the_operator_and_sends_nothing(
    app: FastAPI, db: AsyncSession, settings: Settings
) -> None:
    c, _ = await esperando(db, StatusEnvio.enviado, TERCA)
    assert await rodada(app, settings, TERCA + timedelta(minutes=30)) == 1
    assert await _automaticas(db, c.id) == []
    assert "mensagem não entregue: tente ligar para o terceirizado" in await _historico(db, c.id)


async def test_an_answer_a_pause_or_a_finished_chamado_stops_the_ladder(
    app: FastAPI, db: AsyncSession, settings: Settings
) -> None:
    respondido, _ = await esperando(db, StatusEnvio.lido, TERCA)
    await f.mensagem(db, respondido, texto="Vou amanhã")
    pausado, _ = await esperando(db, StatusEnvio.lido, TERCA)
    pausado.cobranca_pausada = True
    concluido, _ = await esperando(db, StatusEnvio.lido, TERCA)
    concluido.status = StatusChamado.concluido
    await db.commit()

    assert await rodada(app, settings, TERCA + timedelta(hours=4)) == 0
    for c in (respondido, pausado, concluido):
        assert await _etapas(db, c.id) == []

    # The operator's new message starts a new waiting period on the answered one.
    nova = await f.mensagem(
        db, respondido, direcao=Direcao.outbound, tipo=TipoMensagem.resposta_manual
    )
    nova.entregue_em = TERCA + timedelta(hours=4)
    await db.commit()
    assert await rodada(app, settings, TERCA + timedelta(hours=6)) == 1
    assert await _etapas(db, respondido.id) == [Etapa.nao_lida]


async def test_a_step_due_across_a_holiday_goes_out_the_next_working_morning(
    app: FastAPI, db: AsyncSession, settings: Settings
) -> None:
    # Delivered Monday 2026-04-20 at 17:30; Tuesday the 21st is Tiradentes. Two
    # business hours: 30 minutes on Monday, 90 on Wednesday morning.
    c, _ = await esperando(db, StatusEnvio.entregue, local(2026, 4, 20, 17, 30))
    for agora in (local(2026, 4, 20, 23), local(2026, 4, 21, 10), local(2026, 4, 22, 9, 29)):
        assert await rodada(app, settings, agora) == 0, agora
    assert await rodada(app, settings, local(2026, 4, 22, 9, 30)) == 1
    assert await _etapas(db, c.id) == [Etapa.nao_lida]


async def test_a_message_step_due_at_night_waits_for_the_opening(
    app: FastAPI, db: AsyncSession, settings: Settings
) -> None:
    c, _ = await esperando(db, StatusEnvio.entregue, TERCA)
    # Counted in business minutes it was due at 12:00; the round at 20:00 is
    # outside hours and sends nothing; the next morning's does.
    assert await rodada(app, settings, local(2026, 3, 10, 20)) == 0
    assert await rodada(app, settings, local(2026, 3, 11, 7, 59)) == 0
    assert await rodada(app, settings, local(2026, 3, 11, 8)) == 1
    assert len(await _automaticas(db, c.id)) == 1


async def test_two_workers_at_once_take_a_step_once(
    app: FastAPI, db: AsyncSession, settings: Settings
) -> None:
    chamados = [(await esperando(db, StatusEnvio.lido, TERCA))[0] for _ in range(5)]
    agora = TERCA + timedelta(hours=3)
    fila = Fila(app.state.arq)

    def whatsapp(session: AsyncSession) -> WhatsAppService:
        return WhatsAppService(session, fila, settings)

    rodadas = await asyncio.gather(
        *(motor.avaliar(app.state.sessionmaker, whatsapp, agora) for _ in range(4))
    )
    assert sum(rodadas) == 5
    for c in chamados:
        assert len(await _automaticas(db, c.id)) == 1
    total = await db.scalar(select(func.count()).select_from(CobrancaAutomatica))
    assert total == 5


async def test_deadline_reminders_then_escalation_across_a_weekend(
    app: FastAPI, db: AsyncSession, settings: Settings
) -> None:
    # Due Monday 2026-03-16 at 12:00. One business day before is Friday 12:00 (the
    # weekend does not count); two business hours before, Monday 10:00.
    prazo = local(2026, 3, 16, 12)
    c, _ = await esperando(db, StatusEnvio.enviado, TERCA, prazo=prazo)
    c.cobranca_pausada = False
    m = await f.mensagem(db, c, texto="Recebido")  # answered: only the deadline counts
    assert m.direcao == Direcao.inbound

    assert await rodada(app, settings, local(2026, 3, 13, 11, 59)) == 0
    assert await rodada(app, settings, local(2026, 3, 13, 12)) == 1
    assert await rodada(app, settings, local(2026, 3, 14, 12)) == 0  # Saturday
    assert await rodada(app, settings, local(2026, 3, 16, 10)) == 1
    textos = [m.texto for m in await _automaticas(db, c.id)]
    assert textos == [
        f"Lembrete: o chamado {c.numero_chamado} ({c.titulo}) vence em 16/03/2026 às 12:00.",
        f"Lembrete: o prazo do chamado {c.numero_chamado} ({c.titulo}) termina em "
        "16/03/2026 às 12:00.",
    ]

    # Past it: the priority goes up one step, once, and the operators are told.
    assert await rodada(app, settings, local(2026, 3, 16, 12, 1)) == 1
    assert await rodada(app, settings, local(2026, 3, 16, 15)) == 0
    await db.refresh(c)
    assert c.prioridade == Prioridade.alta
    assert "prazo vencido: prioridade elevada para alta" in await _historico(db, c.id)
    assert await _etapas(db, c.id) == [Etapa.prazo_1dia, Etapa.prazo_2h, Etapa.atrasado]


async def test_a_deadline_met_late_in_its_window_sends_only_the_nearest_reminder(
    app: FastAPI, db: AsyncSession, settings: Settings
) -> None:
    prazo = local(2026, 3, 10, 17)
    c, _ = await esperando(db, StatusEnvio.enviado, TERCA, prazo=prazo)
    await f.mensagem(db, c, texto="Ok")
    assert await rodada(app, settings, local(2026, 3, 10, 16)) == 1
    assert await rodada(app, settings, local(2026, 3, 10, 16, 30)) == 0
    assert len(await _automaticas(db, c.id)) == 1
    assert set(await _etapas(db, c.id)) == {Etapa.prazo_1dia, Etapa.prazo_2h}


async def test_an_overdue_chamado_without_an_agreed_prazo_escalates_once(
    app: FastAPI, db: AsyncSession, settings: Settings
) -> None:
    # No agreed prazo: the deadline is the priority's SLA (normal: 5 business days),
    # and raising the priority moves it; that must not escalate again and again.
    c, _ = await esperando(db, StatusEnvio.enviado, TERCA)
    c.prazo_combinado = None
    await db.commit()
    await f.mensagem(db, c, texto="Ok")
    depois = local(2026, 3, 24, 10)  # two weeks later: overdue whatever the priority
    for minutos in range(0, 5):
        await rodada(app, settings, depois + timedelta(minutes=minutos))
    await db.refresh(c)
    assert c.prioridade == Prioridade.alta
    assert (await _etapas(db, c.id)).count(Etapa.atrasado) == 1


async def test_the_overdue_escalation_is_mailed_to_the_supervisor_after_it_commits(
    app: FastAPI, db: AsyncSession, settings: Settings, smtp: tuple[Caixa, int]
) -> None:
    caixa, porta = smtp
    config = settings.model_copy(
        update={"smtp_url": SecretStr(f"smtp://gmm:senha@127.0.0.1:{porta}")}
    )
    db.add(
        Expediente(
            id=1,
            dias=[0, 1, 2, 3, 4],
            inicio=time(8),
            fim=time(18),
            fuso="America/Sao_Paulo",
            uf=None,
            email_supervisor="supervisor@example.com",
        )
    )
    c, _ = await esperando(db, StatusEnvio.enviado, TERCA, prazo=local(2026, 3, 10, 12))
    await f.mensagem(db, c, texto="Ok")
    assert await rodada(app, config, local(2026, 3, 10, 12, 5)) == 1
    for _ in range(200):  # sent after the commit, on the loop: wait for it to land
        if caixa.mensagens:
            break
        await asyncio.sleep(0.05)
    [email] = caixa.mensagens
    assert email["To"] == "supervisor@example.com"
    assert email["Subject"] == f"[GMM] Chamado {c.numero_chamado} com prazo vencido"
    assert "10/03/2026 às 12:00" in email.get_payload()
    assert "Prazo vencido: prioridade elevada para alta." in email.get_payload()
