"""Chamado rules: numbering, the life cycle and the messages each step sends."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Select, case, func, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from gmm.chamados import textos
from gmm.chamados.eventos import ChamadoAtualizado
from gmm.chamados.filtros import FiltrosChamados
from gmm.chamados.models import (
    Chamado,
    HistoricoChamado,
    OrigemHistorico,
    SequenciaChamado,
    StatusChamado,
)
from gmm.chamados.schemas import (
    ChamadoCreate,
    ChamadoOut,
    ChamadoUpdate,
    EstatisticasChamado,
)
from gmm.chamados.trava import travando
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoMensagem
from gmm.core.db import utcnow
from gmm.core.errors import Conflict, DomainError, NotFound
from gmm.core.eventos import publicar_apos_commit
from gmm.core.pagination import Page, decode_cursor, encode_cursor
from gmm.envio.service import ResultadoEnvio, WhatsAppService
from gmm.terceirizados import service as terceirizados

FINALIZADOS = (StatusChamado.concluido, StatusChamado.cancelado)

# The chamado's life cycle: which status may follow which. concluido and cancelado
# are final. Whoever moves a chamado (operator, reply button, automation rule,
# contractor link) goes through ``transicionar``, so the rule is in one place.
TRANSICOES: dict[StatusChamado, frozenset[StatusChamado]] = {
    StatusChamado.aguardando: frozenset(
        {
            StatusChamado.em_andamento,
            StatusChamado.aguardando_confirmacao,
            StatusChamado.concluido,
            StatusChamado.cancelado,
        }
    ),
    StatusChamado.em_andamento: frozenset(
        {
            StatusChamado.aguardando,
            StatusChamado.aguardando_confirmacao,
            StatusChamado.concluido,
            StatusChamado.cancelado,
        }
    ),
    StatusChamado.aguardando_confirmacao: frozenset(
        {StatusChamado.em_andamento, StatusChamado.concluido, StatusChamado.cancelado}
    ),
    StatusChamado.concluido: frozenset(),
    StatusChamado.cancelado: frozenset(),
}


class PrazoNoPassado(DomainError):
    status_code = 422
    error = "prazo_invalido"


def _com_terceirizado() -> Select[Chamado]:
    return select(Chamado).options(joinedload(Chamado.terceirizado))


async def obter(session: AsyncSession, chamado_id: int, *, bloquear: bool = False) -> Chamado:
    """The chamado with its contractor; ``bloquear`` holds its row lock until commit so
    concurrent transitions (two "finalizar" clicks) are decided one after the other."""
    query = _com_terceirizado().where(Chamado.id == chamado_id)
    if bloquear:
        query = travando(query)
    chamado = await session.scalar(query)
    if chamado is None:
        raise NotFound(f"chamado {chamado_id} não encontrado")
    return chamado


async def obter_aberto(session: AsyncSession, chamado_id: int) -> Chamado:
    """The chamado, locked, for something that sends to it: finished ones send nothing."""
    chamado = await obter(session, chamado_id, bloquear=True)
    if chamado.status in FINALIZADOS:
        raise Conflict(
            f"o chamado {chamado.numero_chamado} está {chamado.status.value}: "
            "nada mais é enviado a ele"
        )
    return chamado


async def listar(
    session: AsyncSession,
    filtros: FiltrosChamados,
    *,
    limit: int,
    cursor: str | None,
) -> Page[ChamadoOut]:
    query = (
        _com_terceirizado()
        .where(*filtros.condicoes())
        .order_by(Chamado.criado_em.desc(), Chamado.id.desc())
        .limit(limit + 1)
    )
    if cursor:
        criado_em, ultimo_id = decode_cursor(cursor, datetime, int)
        query = query.where(tuple_(Chamado.criado_em, Chamado.id) < (criado_em, ultimo_id))
    rows = list(await session.scalars(query))
    next_cursor = None
    if len(rows) > limit:
        next_cursor = encode_cursor(rows[limit - 1].criado_em, rows[limit - 1].id)
    return Page(items=[ChamadoOut.model_validate(c) for c in rows[:limit]], next_cursor=next_cursor)


async def _proximo_numero(session: AsyncSession, fuso: ZoneInfo) -> str:
    ano = utcnow().astimezone(fuso).year
    stmt = (
        insert(SequenciaChamado)
        .values(ano=ano, ultimo=1)
        .on_conflict_do_update(
            index_elements=[SequenciaChamado.ano],
            set_={"ultimo": SequenciaChamado.ultimo + 1},
        )
        .returning(SequenciaChamado.ultimo)
    )
    numero = (await session.execute(stmt)).scalar_one()
    return f"CH-{ano}-{numero:04d}"


async def criar(
    session: AsyncSession,
    whatsapp: WhatsAppService,
    dados: ChamadoCreate,
    criado_por: int,
    fuso: ZoneInfo,
) -> tuple[Chamado, ResultadoEnvio]:
    """Open a chamado and queue the WhatsApp message that tells the contractor."""
    terceirizado = await terceirizados.obter(session, dados.terceirizado_id)
    if not terceirizado.ativo:
        raise Conflict(f"o terceirizado {terceirizado.nome} está inativo")
    if dados.prazo_combinado is not None and dados.prazo_combinado <= utcnow():
        raise PrazoNoPassado("prazo_combinado precisa estar no futuro")
    chamado = Chamado(
        **dados.model_dump(),
        numero_chamado=await _proximo_numero(session, fuso),
        criado_por=criado_por,
        status=StatusChamado.aguardando,
    )
    chamado.terceirizado = terceirizado
    session.add(chamado)
    await session.flush()
    await registrar_historico(
        session,
        chamado,
        OrigemHistorico.operador,
        "chamado aberto",
        status_novo=StatusChamado.aguardando,
        usuario_id=criado_por,
    )
    envio = await whatsapp.enviar_mensagem(
        chamado, TipoMensagem.criacao, textos.criacao(chamado, terceirizado, fuso)
    )
    return chamado, envio


async def atualizar(
    session: AsyncSession,
    chamado_id: int,
    dados: ChamadoUpdate,
    usuario_id: int | None = None,
) -> Chamado:
    chamado = await obter(session, chamado_id, bloquear=True)
    campos = dados.model_dump(exclude_unset=True)
    if chamado.status in FINALIZADOS and campos:
        raise Conflict(f"o chamado {chamado.numero_chamado} já está {chamado.status.value}")
    novo_status = campos.pop("status", None)
    if "prioridade" in campos and campos["prioridade"] != chamado.prioridade:
        await registrar_historico(
            session,
            chamado,
            OrigemHistorico.operador,
            f"prioridade alterada para {campos['prioridade'].value}",
            usuario_id=usuario_id,
        )
    for campo, valor in campos.items():
        setattr(chamado, campo, valor)
    if novo_status is not None and novo_status != chamado.status:
        await transicionar(
            session,
            chamado,
            StatusChamado(novo_status),
            origem=OrigemHistorico.operador,
            descricao="status alterado pelo operador",
            usuario_id=usuario_id,
        )
    await session.flush()
    publicar_apos_commit(session, ChamadoAtualizado.de(chamado))
    return chamado


class TransicaoInvalida(Conflict):
    error = "transicao_invalida"


async def transicionar(
    session: AsyncSession,
    chamado: Chamado,
    novo: StatusChamado,
    *,
    origem: OrigemHistorico,
    descricao: str,
    usuario_id: int | None = None,
    mensagem_id: int | None = None,
) -> None:
    """Move the (locked) chamado to ``novo``, record it in the history and tell the
    screens. A move the life cycle does not allow raises TransicaoInvalida (409)."""
    anterior = chamado.status
    if novo not in TRANSICOES[anterior]:
        raise TransicaoInvalida(
            f"o chamado {chamado.numero_chamado} está {anterior.value}: "
            f"não pode passar a {novo.value}"
        )
    chamado.status = novo
    if novo in FINALIZADOS:
        chamado.finalizado_em = utcnow()
    await registrar_historico(
        session,
        chamado,
        origem,
        descricao,
        status_anterior=anterior,
        status_novo=novo,
        usuario_id=usuario_id,
        mensagem_id=mensagem_id,
    )
    publicar_apos_commit(session, ChamadoAtualizado.de(chamado))


async def registrar_historico(
    session: AsyncSession,
    chamado: Chamado,
    origem: OrigemHistorico,
    descricao: str,
    *,
    status_anterior: StatusChamado | None = None,
    status_novo: StatusChamado | None = None,
    usuario_id: int | None = None,
    mensagem_id: int | None = None,
) -> HistoricoChamado:
    registro = HistoricoChamado(
        chamado_id=chamado.id,
        origem=origem,
        descricao=descricao,
        status_anterior=status_anterior,
        status_novo=status_novo,
        usuario_id=usuario_id,
        mensagem_id=mensagem_id,
    )
    session.add(registro)
    await session.flush()
    return registro


async def historico(session: AsyncSession, chamado_id: int) -> list[HistoricoChamado]:
    await obter(session, chamado_id)
    return list(
        await session.scalars(
            select(HistoricoChamado)
            .where(HistoricoChamado.chamado_id == chamado_id)
            .order_by(HistoricoChamado.id)
        )
    )


async def cobrar(
    session: AsyncSession, whatsapp: WhatsAppService, chamado_id: int, fuso: ZoneInfo
) -> tuple[Chamado, ResultadoEnvio]:
    chamado = await obter(session, chamado_id, bloquear=True)
    if chamado.status in FINALIZADOS:
        raise Conflict(
            f"o chamado {chamado.numero_chamado} está {chamado.status.value}: não há o que cobrar"
        )
    texto = textos.cobranca(chamado, chamado.terceirizado, fuso, utcnow())
    return chamado, await whatsapp.enviar_mensagem(chamado, TipoMensagem.cobranca, texto)


class CitacaoInvalida(DomainError):
    status_code = 422
    error = "citacao_invalida"


async def responder(
    session: AsyncSession,
    whatsapp: WhatsAppService,
    chamado_id: int,
    texto: str,
    citada_id: int | None = None,
) -> tuple[Chamado, ResultadoEnvio]:
    chamado = await obter(session, chamado_id, bloquear=True)
    if chamado.status == StatusChamado.cancelado:
        raise Conflict(f"o chamado {chamado.numero_chamado} foi cancelado")
    if citada_id is not None:
        dela = await session.scalar(select(Mensagem.chamado_id).where(Mensagem.id == citada_id))
        if dela != chamado.id:
            raise CitacaoInvalida(f"a mensagem {citada_id} não é desta conversa")
    resultado = await whatsapp.enviar_mensagem(
        chamado, TipoMensagem.resposta_manual, texto, citada_id=citada_id
    )
    return chamado, resultado


async def finalizar(
    session: AsyncSession,
    whatsapp: WhatsAppService,
    chamado_id: int,
    usuario_id: int | None = None,
) -> tuple[Chamado, ResultadoEnvio]:
    chamado = await obter(session, chamado_id, bloquear=True)
    if chamado.status in FINALIZADOS:
        raise Conflict(f"o chamado {chamado.numero_chamado} já está {chamado.status.value}")
    await transicionar(
        session,
        chamado,
        StatusChamado.concluido,
        origem=OrigemHistorico.operador,
        descricao="chamado finalizado pelo operador",
        usuario_id=usuario_id,
    )
    envio = await whatsapp.enviar_mensagem(
        chamado, TipoMensagem.finalizacao, textos.finalizacao(chamado, chamado.terceirizado)
    )
    return chamado, envio


async def estatisticas(session: AsyncSession, chamado: Chamado) -> EstatisticasChamado:
    """Counts and times of the chamado's conversation, in one aggregate query."""
    saida = Mensagem.direcao == Direcao.outbound
    entrada = Mensagem.direcao == Direcao.inbound
    row = (
        await session.execute(
            select(
                func.count().filter(saida),
                func.count().filter(entrada),
                func.count().filter(entrada, Mensagem.lida_em.is_(None)),
                func.count().filter(Mensagem.tipo == TipoMensagem.cobranca),
                func.count().filter(Mensagem.status_envio == StatusEnvio.falhou),
                func.max(case((entrada, Mensagem.criado_em))),
                func.max(Mensagem.criado_em),
                func.min(case((entrada, Mensagem.criado_em))),
            ).where(Mensagem.chamado_id == chamado.id)
        )
    ).one()
    primeira_resposta: datetime | None = row[7]
    return EstatisticasChamado(
        mensagens_enviadas=row[0],
        mensagens_recebidas=row[1],
        nao_lidas=row[2],
        cobrancas=row[3],
        falhas_envio=row[4],
        ultimo_contato_em=row[5],
        ultima_mensagem_em=row[6],
        tempo_primeira_resposta_s=(
            (primeira_resposta - chamado.criado_em).total_seconds() if primeira_resposta else None
        ),
        atrasado=chamado.atrasado,
    )
