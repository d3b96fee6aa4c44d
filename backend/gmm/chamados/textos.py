"""The WhatsApp texts the product sends on its own, in the contractor's language."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from gmm.chamados.models import Chamado
from gmm.terceirizados.models import Terceirizado


def _prazo(chamado: Chamado, fuso: ZoneInfo) -> str:
    if chamado.prazo_combinado is None:
        return "a combinar"
    return chamado.prazo_combinado.astimezone(fuso).strftime("%d/%m/%Y às %H:%M")


def _primeiro_nome(terceirizado: Terceirizado) -> str:
    return terceirizado.nome.split()[0]


def criacao(chamado: Chamado, terceirizado: Terceirizado, fuso: ZoneInfo) -> str:
    linhas = [
        f"Olá, {_primeiro_nome(terceirizado)}! Novo chamado *{chamado.numero_chamado}*: "
        f"{chamado.titulo}.",
    ]
    if chamado.local:
        linhas.append(f"Local: {chamado.local}.")
    if chamado.descricao:
        linhas.append(chamado.descricao)
    linhas.append(f"Prazo: {_prazo(chamado, fuso)}. Prioridade: {chamado.prioridade.value}.")
    linhas.append("Por favor, responda por aqui para confirmar o recebimento.")
    return "\n".join(linhas)


def cobranca(chamado: Chamado, terceirizado: Terceirizado, fuso: ZoneInfo, agora: datetime) -> str:
    atraso = ""
    if chamado.prazo_combinado is not None and chamado.prazo_combinado < agora:
        atraso = " O prazo combinado já passou."
    return (
        f"Olá, {_primeiro_nome(terceirizado)}. Estamos aguardando um retorno sobre o chamado "
        f"*{chamado.numero_chamado}* ({chamado.titulo}). Prazo: {_prazo(chamado, fuso)}.{atraso} "
        "Pode nos enviar uma atualização?"
    )


def finalizacao(chamado: Chamado, terceirizado: Terceirizado) -> str:
    return (
        f"O chamado *{chamado.numero_chamado}* ({chamado.titulo}) foi finalizado. "
        f"Obrigado, {_primeiro_nome(terceirizado)}!"
    )
