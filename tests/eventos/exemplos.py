"""Typed events for the stream tests: only their ids vary."""

from __future__ import annotations

from gmm.chamados.eventos import ChamadoAtualizado
from gmm.chamados.models import Prioridade, StatusChamado
from gmm.conversas.eventos import MensagemNova, MensagemStatus
from gmm.conversas.models import Direcao, StatusEnvio
from gmm.monitoramento.eventos import AlertaEvento
from gmm.monitoramento.models import Severidade, TipoAlerta


def nova(mensagem_id: int, chamado_id: int | None = 7) -> MensagemNova:
    return MensagemNova(
        mensagem_id=mensagem_id,
        chamado_id=chamado_id,
        direcao=Direcao.inbound,
        status_envio=StatusEnvio.entregue,
        erro=None,
    )


def status(mensagem_id: int, erro: str | None = None) -> MensagemStatus:
    return MensagemStatus(
        mensagem_id=mensagem_id,
        chamado_id=7,
        direcao=Direcao.outbound,
        status_envio=StatusEnvio.falhou if erro else StatusEnvio.enviado,
        erro=erro,
    )


def chamado(chamado_id: int, status: StatusChamado = StatusChamado.aguardando) -> ChamadoAtualizado:
    return ChamadoAtualizado(chamado_id=chamado_id, status=status, prioridade=Prioridade.alta)


def alerta(n: int) -> AlertaEvento:
    return AlertaEvento(
        id=n,
        tipo=TipoAlerta.fila_alta,
        severidade=Severidade.aviso,
        mensagem=f"alerta {n}",
        aberto=True,
    )
