"""Small async factories: each test builds exactly the rows it needs."""

from __future__ import annotations

import itertools
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth import security
from gmm.auth.models import Papel, Usuario
from gmm.chamados.models import Chamado, Prioridade, StatusChamado
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoMensagem
from gmm.core.config import Settings
from gmm.terceirizados.models import Terceirizado
from gmm.terceirizados.telefone import chave

_seq = itertools.count(1)
SENHA = "senha-correta-123"


async def usuario(
    db: AsyncSession, *, papel: Papel = Papel.operador, ativo: bool = True, email: str | None = None
) -> Usuario:
    n = next(_seq)
    row = Usuario(
        nome=f"Usuário {n}",
        email=email or f"usuario{n}@example.com",
        senha_hash=security.hash_senha(SENHA),
        papel=papel,
        ativo=ativo,
    )
    db.add(row)
    await db.commit()
    return row


def headers(row: Usuario, settings: Settings) -> dict[str, str]:
    token, _ = security.create_token(row.id, settings, row.sessao_versao)
    return {"Authorization": f"Bearer {token}"}


async def terceirizado(
    db: AsyncSession,
    *,
    nome: str | None = None,
    telefone: str | None = None,
    ativo: bool = True,
    empresa: str | None = None,
) -> Terceirizado:
    n = next(_seq)
    numero = telefone or f"55119{n:08d}"
    row = Terceirizado(
        nome=nome or f"Terceirizado {n}",
        empresa=empresa or f"Empresa {n}",
        telefone=numero,
        telefone_chave=chave(numero),
        ativo=ativo,
    )
    db.add(row)
    await db.commit()
    return row


async def chamado(
    db: AsyncSession,
    terceirizado_row: Terceirizado,
    *,
    titulo: str | None = None,
    status: StatusChamado = StatusChamado.aguardando,
    prioridade: Prioridade = Prioridade.normal,
    prazo: datetime | None = None,
    atividade: datetime | None = None,
) -> Chamado:
    n = next(_seq)
    row = Chamado(
        numero_chamado=f"CH-2000-{n:04d}",
        terceirizado_id=terceirizado_row.id,
        titulo=titulo or f"Chamado {n}",
        status=status,
        prioridade=prioridade,
        prazo_combinado=prazo,
    )
    if atividade is not None:
        row.ultima_atividade_em = atividade
    db.add(row)
    await db.commit()
    return row


async def mensagem(
    db: AsyncSession,
    chamado_row: Chamado,
    *,
    direcao: Direcao = Direcao.inbound,
    texto: str = "Olá",
    tipo: TipoMensagem | None = None,
    status: StatusEnvio = StatusEnvio.entregue,
) -> Mensagem:
    row = Mensagem(
        chamado_id=chamado_row.id,
        direcao=direcao,
        tipo=tipo
        or (TipoMensagem.recebida if direcao == Direcao.inbound else TipoMensagem.resposta_manual),
        texto=texto,
        destinatario="5511999999999",
        status_envio=status,
    )
    db.add(row)
    await db.commit()
    return row
