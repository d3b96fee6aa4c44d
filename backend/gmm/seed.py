"""Demo data for a first `gmm run`: an admin, contractors and a few conversations."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth import service as auth
from gmm.auth.models import Papel, Usuario
from gmm.chamados import service as chamados
from gmm.chamados.models import Prioridade
from gmm.chamados.schemas import ChamadoCreate
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoMensagem
from gmm.db import utcnow
from gmm.terceirizados import service as terceirizados
from gmm.terceirizados.models import Terceirizado
from gmm.terceirizados.schemas import TerceirizadoCreate
from gmm.whatsapp.service import WhatsAppService

DEMO_EMAIL = "admin@example.com"
DEMO_SENHA = "gmm-demo-2026"

_TERCEIRIZADOS = [
    ("Carlos Pereira", "Refrigeração Polar", "(11) 98765-4321", "Ar-condicionado"),
    ("Ana Souza", "Elétrica Souza", "(21) 99876-5432", "Elétrica"),
    ("João Lima", "Hidráulica Lima", "(31) 3222-1100", "Hidráulica"),
]

_CHAMADOS = [
    (0, "Ar-condicionado da sala 302 não gela", Prioridade.alta, 2),
    (1, "Troca de disjuntor do quadro do 2º andar", Prioridade.urgente, 1),
    (2, "Vazamento no banheiro do térreo", Prioridade.normal, 5),
]

_RESPOSTAS = ["Recebido! Passo aí amanhã cedo.", "Ok, vou verificar e retorno.", "Bom dia!"]


async def ensure_admin(session: AsyncSession) -> bool:
    """Create the demo admin when no user exists; answers whether it did."""
    if await session.scalar(select(func.count()).select_from(Usuario)):
        return False
    await auth.criar_usuario(
        session, nome="Administrador", email=DEMO_EMAIL, senha=DEMO_SENHA, papel=Papel.admin
    )
    return True


async def sample_data(session: AsyncSession, whatsapp: WhatsAppService, fuso: ZoneInfo) -> bool:
    """Contractors and chamados with a short conversation, once."""
    if await session.scalar(select(func.count()).select_from(Terceirizado)):
        return False
    admin_id = await session.scalar(select(Usuario.id).order_by(Usuario.id).limit(1))
    assert admin_id is not None, "crie um usuário antes dos dados de exemplo"
    criados = [
        await terceirizados.criar(
            session,
            TerceirizadoCreate(nome=nome, empresa=empresa, telefone=tel, especialidade=esp),
        )
        for nome, empresa, tel, esp in _TERCEIRIZADOS
    ]
    for (indice, titulo, prioridade, dias), resposta in zip(_CHAMADOS, _RESPOSTAS, strict=True):
        terceirizado = criados[indice]
        chamado, _ = await chamados.criar(
            session,
            whatsapp,
            ChamadoCreate(
                terceirizado_id=terceirizado.id,
                titulo=titulo,
                prioridade=prioridade,
                prazo_combinado=utcnow() + timedelta(days=dias),
            ),
            criado_por=admin_id,
            fuso=fuso,
        )
        # A reply waiting to be read, as if it had come in by webhook.
        session.add(
            Mensagem(
                chamado_id=chamado.id,
                direcao=Direcao.inbound,
                tipo=TipoMensagem.recebida,
                texto=resposta,
                destinatario=terceirizado.telefone,
                status_envio=StatusEnvio.entregue,
            )
        )
    await session.flush()
    return True
