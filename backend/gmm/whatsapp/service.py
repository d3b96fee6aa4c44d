"""The one door to WhatsApp delivery.

Every message the product sends is written here, as a ``mensagens`` row with
status_envio ``pendente``, in the caller's transaction. The delivery pipeline
(queue, limiter, breaker, MegaAPI) picks rows up from this state, so nothing
accepted can be lost between the request and the gateway.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from gmm.chamados.models import Chamado
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoConteudo, TipoMensagem
from gmm.db import utcnow


async def enviar_mensagem(
    session: AsyncSession, chamado: Chamado, destinatario: str, tipo: TipoMensagem, texto: str
) -> Mensagem:
    """Record a text message to the chamado's contractor, ready for delivery."""
    mensagem = Mensagem(
        chamado_id=chamado.id,
        direcao=Direcao.outbound,
        tipo=tipo,
        tipo_conteudo=TipoConteudo.text,
        texto=texto,
        destinatario=destinatario,
        status_envio=StatusEnvio.pendente,
        prioridade=chamado.prioridade,
    )
    session.add(mensagem)
    chamado.ultima_atividade_em = utcnow()
    await session.flush()
    await session.refresh(mensagem)
    return mensagem
