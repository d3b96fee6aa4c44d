"""Demo data for a first `gmm run`: an admin, contractors and a few conversations."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth import service as auth
from gmm.auth.models import Papel, Usuario
from gmm.automacao import service as automacao
from gmm.automacao.models import AcaoRegra, TipoPadrao
from gmm.automacao.schemas import RegraIn
from gmm.chamados import service as chamados
from gmm.chamados.models import Prioridade
from gmm.chamados.schemas import ChamadoCreate
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoMensagem
from gmm.core.db import utcnow
from gmm.envio.service import WhatsAppService
from gmm.respostas_rapidas.models import RespostaRapida
from gmm.sla.models import CobrancaAutomatica, Etapa
from gmm.terceirizados import service as terceirizados
from gmm.terceirizados.models import Terceirizado
from gmm.terceirizados.schemas import TerceirizadoCreate

DEMO_EMAIL = "admin@example.com"
DEMO_SENHA = "gmm-demo-2026"

_TERCEIRIZADOS = [
    ("Carlos Pereira", "Refrigeração Polar", "(11) 98765-4321", "Ar-condicionado"),
    ("Ana Souza", "Elétrica Souza", "(21) 99876-5432", "Elétrica"),
    ("João Lima", "Hidráulica Lima", "(31) 3222-1100", "Hidráulica"),
]

_CHAMADOS = [
    (0, "Ar-condicionado da sala 302 não gela", "Edifício Paulista, 3º andar", Prioridade.alta, 2),
    (1, "Troca de disjuntor do quadro do 2º andar", "Condomínio Jardins", Prioridade.urgente, 1),
    (2, "Vazamento no banheiro do térreo", "Edifício Paulista, térreo", Prioridade.normal, 5),
]

_RESPOSTAS = ["Recebido! Passo aí amanhã cedo.", "Ok, vou verificar e retorno.", "Bom dia!"]

# Automation rules worth seeing on a first run (admins edit them in /admin).
_REGRAS = [
    RegraIn(
        nome="Chegou ao local",
        tipo_padrao=TipoPadrao.regex,
        padrao=r"cheguei|estou no local|to aqui",
        acao=AcaoRegra.mudar_status,
        parametro="em_andamento",
        ordem=10,
    ),
    RegraIn(
        nome="Urgência",
        tipo_padrao=TipoPadrao.palavra_chave,
        padrao="urgente",
        acao=AcaoRegra.definir_prioridade,
        parametro="urgente",
        ordem=20,
    ),
    RegraIn(
        nome="Avisar sobre atraso",
        tipo_padrao=TipoPadrao.regex,
        padrao=r"atras(o|ar|ado)|nao vou conseguir",
        acao=AcaoRegra.notificar,
        parametro="",
        ordem=30,
    ),
    RegraIn(
        nome="Bom dia",
        tipo_padrao=TipoPadrao.regex,
        padrao=r"^(bom dia|boa tarde|boa noite)[!.]?$",
        acao=AcaoRegra.responder,
        parametro="Olá! Recebemos sua mensagem; um operador responde em instantes.",
        ordem=40,
        ativa=False,
    ),
    RegraIn(
        nome="👍 confirma a visita",
        tipo_padrao=TipoPadrao.reacao,
        padrao="👍 ✅ 👌",
        acao=AcaoRegra.tocar_opcao,
        parametro="visita:confirmar",
        ordem=50,
    ),
]


# Quick replies every operator can use from the first run (type / in the composer).
_RESPOSTAS_RAPIDAS = [
    ("Confirmar visita", "Olá, {terceirizado}! Confirma a visita do chamado {chamado} ({prazo})?"),
    ("Pedir fotos", "{terceirizado}, pode mandar fotos do serviço do chamado {chamado}?"),
    ("Link do chamado", "Pelo link você vê o chamado {chamado} e envia fotos: {link_prestador}"),
    ("Agradecer", "Obrigado, {terceirizado}! Chamado {chamado} ({titulo}) registrado aqui."),
]


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
    for (indice, titulo, local, prioridade, dias), resposta in zip(
        _CHAMADOS, _RESPOSTAS, strict=True
    ):
        terceirizado = criados[indice]
        chamado, _ = await chamados.criar(
            session,
            whatsapp,
            ChamadoCreate(
                terceirizado_id=terceirizado.id,
                titulo=titulo,
                local=local,
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
    await _no_meio_da_cobranca(session, whatsapp, criados[2], admin_id, fuso)
    # João now has two open chamados: a reply naming neither waits "a classificar".
    session.add(
        Mensagem(
            terceirizado_id=criados[2].id,
            direcao=Direcao.inbound,
            tipo=TipoMensagem.recebida,
            texto="Amanhã passo aí às 8h.",
            destinatario=criados[2].telefone,
            status_envio=StatusEnvio.entregue,
        )
    )
    for regra in _REGRAS:
        await automacao.criar(session, regra)
    for titulo, texto in _RESPOSTAS_RAPIDAS:
        session.add(RespostaRapida(titulo=titulo, texto=texto))
    await session.flush()
    return True


async def _no_meio_da_cobranca(
    session: AsyncSession,
    whatsapp: WhatsAppService,
    terceirizado: Terceirizado,
    admin_id: int,
    fuso: ZoneInfo,
) -> None:
    """A chamado halfway up the follow-up ladder: the operator asked, the contractor
    read it and said nothing, one nudge already went. The next round (in business
    hours) sends the buttons, so a first run shows the ladder at work."""
    agora = utcnow()
    chamado, _ = await chamados.criar(
        session,
        whatsapp,
        ChamadoCreate(
            terceirizado_id=terceirizado.id,
            titulo="Portão da garagem não fecha",
            local="Condomínio Jardins, garagem",
            prioridade=Prioridade.alta,
        ),
        criado_por=admin_id,
        fuso=fuso,
    )
    abertura = await session.scalar(
        select(Mensagem).where(Mensagem.chamado_id == chamado.id).order_by(Mensagem.id).limit(1)
    )
    if abertura is not None:
        abertura.criado_em = abertura.momento = agora - timedelta(hours=8)
    pergunta = Mensagem(
        chamado_id=chamado.id,
        direcao=Direcao.outbound,
        tipo=TipoMensagem.resposta_manual,
        texto="João, consegue passar hoje à tarde para ver o motor do portão?",
        destinatario=terceirizado.telefone,
        status_envio=StatusEnvio.lido,
        criado_em=agora - timedelta(hours=6),
        momento=agora - timedelta(hours=6),
        enviado_em=agora - timedelta(hours=6),
        entregue_em=agora - timedelta(hours=6),
        lido_em=agora - timedelta(hours=2, minutes=10),
    )
    session.add(pergunta)
    await session.flush()
    lembrete = Mensagem(
        chamado_id=chamado.id,
        direcao=Direcao.outbound,
        tipo=TipoMensagem.cobranca_automatica,
        texto="Olá, João! Conseguiu ver a mensagem sobre o chamado "
        f"{chamado.numero_chamado} ({chamado.titulo})?",
        destinatario=terceirizado.telefone,
        status_envio=StatusEnvio.lido,
        criado_em=agora - timedelta(hours=3),
        momento=agora - timedelta(hours=3),
        enviado_em=agora - timedelta(hours=3),
        entregue_em=agora - timedelta(hours=3),
        lido_em=agora - timedelta(hours=2, minutes=10),
    )
    session.add(lembrete)
    await session.flush()
    session.add(
        CobrancaAutomatica(
            chamado_id=chamado.id,
            etapa=Etapa.nao_lida,
            referencia=pergunta.id,
            mensagem_id=lembrete.id,
            criado_em=agora - timedelta(hours=3),
        )
    )
