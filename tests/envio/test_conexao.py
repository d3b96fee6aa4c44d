"""WhatsApp disconnected: sends wait in the queue without using their tries, an alert
opens, and everything goes once the connection is back."""

from __future__ import annotations

from typing import Any

import httpx
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gmm.conversas.models import StatusEnvio
from gmm.core import registro
from gmm.core.config import Settings
from gmm.envio.fila import QUEUE_NAME, job_id
from gmm.monitoramento import alertas
from gmm.monitoramento.models import Severidade, TipoAlerta
from tests import factories as f
from tests.entrega import Simulador, WorkerFactory
from tests.envio.test_entrega import _esperar, _mensagem, _novo_chamado, _status


def _conexao(estado: str, motivo: str | None = None) -> dict[str, Any]:
    return {
        "instance_key": "inst",
        "messageType": "connection_update",
        "connection_state": estado,
        **({"closeReason": motivo} if motivo else {}),
    }


async def _webhook(client: httpx.AsyncClient, settings: Settings, corpo: dict[str, Any]) -> None:
    url = f"/webhook/whatsapp?token={settings.secret('webhook_token')}"
    resposta = await client.post(url, json=corpo)
    assert resposta.json()["resultado"] == "conexao", resposta.text


async def test_the_latest_word_decides_whether_whatsapp_is_connected(
    redis: Redis, clean: None
) -> None:
    assert (await registro.conexao(redis)).conectado is None
    await redis.hset(registro.CONEXAO_CHAVE, mapping={"estado": "close", "desde": "100"})  # type: ignore[misc]
    await redis.hset(registro.INSTANCIA, mapping={"status": "connected", "verificado_em": "50"})  # type: ignore[misc]
    assert (await registro.conexao(redis)).conectado is False
    # A status check after the "close" (MegaAPI never sent the "open"): connected again.
    await redis.hset(registro.INSTANCIA, mapping={"status": "connected", "verificado_em": "160"})  # type: ignore[misc]
    assert (await registro.conexao(redis)).conectado is True
    # An unknown word decides nothing: the webhook's "close" is again what is known.
    await redis.hset(registro.INSTANCIA, mapping={"status": "qrcode?", "verificado_em": "200"})  # type: ignore[misc]
    assert (await registro.conexao(redis)).conectado is False


async def test_sends_wait_for_the_connection_without_using_their_tries(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    simulador: Simulador,
    worker: WorkerFactory,
    redis: Redis,
) -> None:
    await _webhook(client, settings, _conexao("close", "connectionLost"))
    criado = await _novo_chamado(client, db, settings)
    mensagem_id = criado["mensagem"]["id"]
    await worker()

    # The job ran and put itself back for later (its score moved ahead), no call made.
    async def adiado() -> bool:
        score = await redis.zscore(QUEUE_NAME, job_id(mensagem_id))
        segundos, _ = await redis.time()
        return score is not None and score > segundos * 1000

    await _esperar(adiado)
    assert await simulador.envios() == []
    row = await _mensagem(db, mensagem_id)
    assert row.status_envio == StatusEnvio.enfileirado and row.tentativas == 0

    await _webhook(client, settings, _conexao("open"))
    await _esperar(_status(db, mensagem_id, StatusEnvio.enviado))
    assert (await _mensagem(db, mensagem_id)).tentativas == 1
    assert len(await simulador.envios()) == 1


async def test_a_disconnection_opens_an_alert_and_the_panel_says_so(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, redis: Redis
) -> None:
    await registro.batimento(redis, "w")
    maker = async_sessionmaker(db.bind, expire_on_commit=False)

    async def abertos() -> dict[TipoAlerta, Any]:
        await alertas.vigiar(maker, redis, settings)
        db.expire_all()
        return {a.tipo: a for a in await alertas.abertos(db)}

    await _webhook(client, settings, _conexao("close", "loggedOut"))
    alerta = (await abertos())[TipoAlerta.whatsapp_desconectado]
    assert alerta.severidade == Severidade.critico
    assert alerta.mensagem.startswith("WhatsApp desconectado: as mensagens ficam na fila")
    assert "loggedOut" in alerta.mensagem
    h = f.headers(await f.usuario(db), settings)
    painel = (await client.get("/api/monitoramento/whatsapp", headers=h)).json()
    assert painel["connection"]["connected"] is False

    await _webhook(client, settings, _conexao("open"))
    assert TipoAlerta.whatsapp_desconectado not in await abertos()
    painel = (await client.get("/api/monitoramento/whatsapp", headers=h)).json()
    assert painel["connection"]["connected"] is True
