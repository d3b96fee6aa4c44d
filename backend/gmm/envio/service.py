"""The one door to WhatsApp delivery.

Every message the product sends is written here, as a ``mensagens`` row with
status_envio ``pendente``, in the caller's transaction; its send job is queued
only after that transaction commits. The send job (envio/job.py) takes it from there.
Nothing else writes outbound messages or enqueues send jobs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from gmm.chamados.models import Chamado, Prioridade
from gmm.chamados.trava import travar
from gmm.conversas.conteudo import Conteudo, ConteudoArquivo, ConteudoBotoes, ConteudoLista
from gmm.conversas.eventos import MensagemNova, MensagemStatus
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoConteudo, TipoMensagem
from gmm.core import logs
from gmm.core.config import Settings
from gmm.core.db import after_commit, utcnow
from gmm.core.errors import Conflict, DomainError, NotFound, ServiceUnavailable
from gmm.core.eventos import publicar_apos_commit
from gmm.envio import credenciais, ordem
from gmm.envio.fila import Fila
from gmm.megaapi.cliente import InstanceStatus, MegaAPIClient, MegaAPIError, OnWhatsApp
from gmm.terceirizados.models import Terceirizado
from gmm.terceirizados.telefone import normalizar

# The same text to the same chamado this soon is a double click, not a new message.
JANELA_DUPLICATA = timedelta(seconds=30)
URGENTES = (Prioridade.alta, Prioridade.urgente)


class Envio(StrEnum):
    enfileirada = "enfileirada"
    duplicada = "duplicada"


@dataclass(frozen=True)
class ResultadoEnvio:
    mensagem: Mensagem
    envio: Envio


class FilaCheia(ServiceUnavailable):
    error = "fila_cheia"


class GatewayError(DomainError):
    status_code = 502
    error = "megaapi_indisponivel"


class WhatsAppService:
    def __init__(self, session: AsyncSession, fila: Fila, settings: Settings) -> None:
        self.session = session
        self.fila = fila
        self.settings = settings

    async def enviar_mensagem(
        self, chamado: Chamado, tipo: TipoMensagem, texto: str, *, citada_id: int | None = None
    ) -> ResultadoEnvio:
        """A text to the chamado's contractor (quoting ``citada_id``, one of its messages)."""
        return await self._registrar(
            chamado, tipo, TipoConteudo.text, texto, None, citada_id=citada_id
        )

    async def enviar_lista(
        self, chamado: Chamado, texto: str, conteudo: ConteudoLista
    ) -> ResultadoEnvio:
        """A native list message: a button that opens sections of rows."""
        return await self._registrar(
            chamado, TipoMensagem.lista_interativa, TipoConteudo.interactive, texto, conteudo
        )

    async def enviar_botoes(
        self,
        chamado: Chamado,
        texto: str,
        conteudo: ConteudoBotoes,
        tipo: TipoMensagem = TipoMensagem.botoes,
    ) -> ResultadoEnvio:
        """Reply buttons (id, title) and a footer."""
        return await self._registrar(chamado, tipo, TipoConteudo.interactive, texto, conteudo)

    async def enviar_midia(
        self, chamado: Chamado, tipo_conteudo: TipoConteudo, conteudo: ConteudoArquivo
    ) -> ResultadoEnvio:
        """A stored file, its caption as the message's text."""
        return await self._registrar(
            chamado, TipoMensagem.midia, tipo_conteudo, conteudo.caption, conteudo
        )

    async def validar_telefone(self, telefone: str) -> OnWhatsApp:
        """Ask MegaAPI whether the (normalised) number has WhatsApp."""
        creds = await credenciais.carregar(self.session, self.settings)
        if creds is None:
            raise ServiceUnavailable("MegaAPI não configurada: não há como consultar o número")
        client = MegaAPIClient(creds, timeout=self.settings.megaapi_timeout_seconds)
        try:
            return await client.is_on_whatsapp(normalizar(telefone))
        except MegaAPIError as exc:
            raise GatewayError(f"a MegaAPI não respondeu à consulta: {exc.reason}") from exc
        finally:
            await client.aclose()

    async def estado_instancia(self) -> InstanceStatus | None:
        """The instance's status at MegaAPI (None when not configured)."""
        creds = await credenciais.carregar(self.session, self.settings)
        if creds is None:
            return None
        client = MegaAPIClient(creds, timeout=self.settings.megaapi_timeout_seconds)
        try:
            return await client.instance_status()
        finally:
            await client.aclose()

    async def reenviar(self, mensagem_id: int) -> Mensagem:
        """An operator's new attempt at a failed message: same row, back to the queue."""
        mensagem = await self.session.get(Mensagem, mensagem_id, with_for_update=True)
        if mensagem is None or mensagem.direcao != Direcao.outbound:
            raise NotFound(f"mensagem enviada {mensagem_id} não encontrada")
        if mensagem.status_envio != StatusEnvio.falhou:
            raise Conflict(
                f"só mensagens que falharam podem ser reenviadas (esta está "
                f"{mensagem.status_envio.value})"
            )
        await self._garantir_vaga()
        mensagem.status_envio = StatusEnvio.pendente
        mensagem.erro = None
        mensagem.tentativas = 0
        mensagem.reservado_ate = None
        await self.session.flush()
        self._enfileirar_apos_commit(mensagem)
        publicar_apos_commit(self.session, MensagemStatus.de(mensagem))
        return mensagem

    async def enviar_ao_terceirizado(
        self, terceirizado: Terceirizado, texto: str, conteudo: ConteudoLista
    ) -> ResultadoEnvio:
        """A list to a contractor about no chamado in particular ("Sobre qual chamado?");
        it waits with their messages a classificar and goes where they are filed."""
        return await self._registrar(
            None, TipoMensagem.automatica, TipoConteudo.interactive, texto, conteudo, terceirizado
        )

    async def _registrar(
        self,
        chamado: Chamado | None,
        tipo: TipoMensagem,
        tipo_conteudo: TipoConteudo,
        texto: str | None,
        conteudo: Conteudo | None,
        terceirizado: Terceirizado | None = None,
        citada_id: int | None = None,
    ) -> ResultadoEnvio:
        para = chamado.terceirizado if chamado is not None else terceirizado
        assert para is not None, "uma mensagem vai a um chamado ou a um terceirizado"
        if chamado is not None:
            # Serialise sends per chamado (row lock until commit): the duplicate check
            # below then sees a concurrent twin's committed row instead of racing it.
            await travar(self.session, chamado.id)
            existente = await self._duplicata(chamado.id, texto, conteudo, citada_id)
            if existente is not None:
                return ResultadoEnvio(existente, Envio.duplicada)
        await self._garantir_vaga()
        mensagem = Mensagem(
            chamado_id=chamado.id if chamado is not None else None,
            terceirizado_id=para.id,
            direcao=Direcao.outbound,
            tipo=tipo,
            tipo_conteudo=tipo_conteudo,
            texto=texto,
            conteudo=conteudo,
            destinatario=para.telefone,
            status_envio=StatusEnvio.pendente,
            prioridade=chamado.prioridade if chamado is not None else Prioridade.normal,
            citada_id=citada_id,
            usuario_id=logs.usuario_id.get(),
        )
        self.session.add(mensagem)
        if chamado is not None:
            chamado.ultima_atividade_em = utcnow()
        await self.session.flush()
        await self.session.refresh(mensagem)
        self._enfileirar_apos_commit(mensagem)
        publicar_apos_commit(self.session, MensagemNova.de(mensagem))
        return ResultadoEnvio(mensagem, Envio.enfileirada)

    async def _duplicata(
        self, chamado_id: int, texto: str | None, conteudo: Conteudo | None, citada_id: int | None
    ) -> Mensagem | None:
        recentes = await self.session.scalars(
            select(Mensagem)
            .where(
                Mensagem.chamado_id == chamado_id,
                Mensagem.direcao == Direcao.outbound,
                Mensagem.criado_em > utcnow() - JANELA_DUPLICATA,
            )
            .order_by(Mensagem.id.desc())
            .limit(20)
        )
        for mensagem in recentes:
            if (mensagem.texto, mensagem.conteudo, mensagem.citada_id) == (
                texto,
                conteudo,
                citada_id,
            ):
                return mensagem
        return None

    async def _garantir_vaga(self) -> None:
        if await self.fila.tamanho() >= self.settings.fila_maxima:
            raise FilaCheia(
                "fila cheia: há mensagens demais aguardando envio ao WhatsApp; "
                "tente novamente em alguns minutos"
            )

    def _enfileirar_apos_commit(self, mensagem: Mensagem) -> None:
        mensagem_id, urgente = mensagem.id, mensagem.prioridade in URGENTES
        engine = self.session.bind
        assert isinstance(engine, AsyncEngine), "a sessão precisa estar ligada a um engine"

        async def enfileirar() -> None:
            # Read after the commit: an earlier message sent meanwhile has already
            # looked for this one to wake, so this one must not sleep.
            async with engine.connect() as conn:
                aguardar = bool(await conn.scalar(ordem.ha_anterior(mensagem_id)))
            await self.fila.enfileirar(mensagem_id, urgente=urgente, aguardar=aguardar)
            # "enfileirado" = a job exists; the sweep uses "pendente" for rows
            # whose enqueue never happened.
            async with engine.begin() as conn:
                await conn.execute(
                    update(Mensagem)
                    .where(
                        Mensagem.id == mensagem_id,
                        Mensagem.status_envio == StatusEnvio.pendente,
                    )
                    .values(status_envio=StatusEnvio.enfileirado)
                )

        after_commit(self.session, enfileirar)
