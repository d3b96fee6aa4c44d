"""How the exports name things: the screens' words, not the API's codes."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, tzinfo
from urllib.parse import quote

from gmm.chamados.models import OrigemHistorico, Prioridade, StatusChamado
from gmm.conversas.models import StatusEnvio, TipoMensagem
from gmm.relatorios.tabela import FORMATO_DATA_HORA

STATUS = {
    StatusChamado.aguardando: "Aguardando",
    StatusChamado.em_andamento: "Em andamento",
    StatusChamado.aguardando_confirmacao: "Aguardando confirmação",
    StatusChamado.concluido: "Concluído",
    StatusChamado.cancelado: "Cancelado",
}
PRIORIDADE = {
    Prioridade.baixa: "Baixa",
    Prioridade.normal: "Normal",
    Prioridade.alta: "Alta",
    Prioridade.urgente: "Urgente",
}
ORIGEM = {
    OrigemHistorico.operador: "Operador",
    OrigemHistorico.terceirizado: "Terceirizado",
    OrigemHistorico.automacao: "Automação",
    OrigemHistorico.prestador: "Link do prestador",
    OrigemHistorico.sistema: "Sistema",
}
# Our message's delivery, as WhatsApp's ticks say it (the ticks are added where the
# font has them).
ENTREGA = {
    StatusEnvio.pendente: "pendente",
    StatusEnvio.enfileirado: "na fila",
    StatusEnvio.enviado: "enviada",
    StatusEnvio.entregue: "entregue",
    StatusEnvio.lido: "lida",
    StatusEnvio.falhou: "falhou",
}
TIQUES = {StatusEnvio.enviado: "✓", StatusEnvio.entregue: "✓✓", StatusEnvio.lido: "✓✓"}
# What an outbound message was, when it was not an operator's own words.
TIPO = {
    TipoMensagem.criacao: "abertura do chamado",
    TipoMensagem.cobranca: "cobrança",
    TipoMensagem.cobranca_automatica: "cobrança automática",
    TipoMensagem.finalizacao: "finalização",
    TipoMensagem.automatica: "automática",
    TipoMensagem.lista_interativa: "lista de opções",
    TipoMensagem.botoes: "botões",
    TipoMensagem.link_prestador: "link do prestador",
}


def inteiro(numero: int) -> str:
    """``50.000``: thousands with a dot, as written in Portuguese."""
    return f"{numero:,}".replace(",", ".")


def data_hora(momento: datetime | None, fuso: tzinfo) -> str:
    """``dd/mm/aaaa hh:mm`` in ``fuso``; a dash when there is no date."""
    return momento.astimezone(fuso).strftime(FORMATO_DATA_HORA) if momento else "—"


_CELULAR = re.compile(r"^55(\d{2})(\d{4,5})(\d{4})$")


def telefone(numero: str) -> str:
    """``(11) 98765-4321`` for a stored Brazilian number (digits with 55), else as stored.

    Also keeps a spreadsheet from reading the number as a number (5,51E+12)."""
    if partes := _CELULAR.match(numero):
        ddd, prefixo, final = partes.groups()
        return f"({ddd}) {prefixo}-{final}"
    return numero


_INSEGURO = re.compile(r"[^A-Za-z0-9_-]+")


def _ascii(texto: str) -> str:
    sem_acentos = unicodedata.normalize("NFKD", texto).encode("ascii", "ignore").decode()
    return _INSEGURO.sub("_", sem_acentos).strip("_")


def content_disposition(nome: str) -> str:
    """``attachment`` with an ASCII ``filename`` (accents dropped, anything else ``_``,
    the extension kept) for every client, and the exact name as RFC 5987 ``filename*``."""
    base, _, extensao = nome.rpartition(".") if "." in nome else (nome, "", "")
    seguro = _ascii(base) or "arquivo"
    if extensao := _ascii(extensao):
        seguro += f".{extensao}"
    return f"attachment; filename=\"{seguro}\"; filename*=UTF-8''{quote(nome, safe='')}"
