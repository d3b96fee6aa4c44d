"""Real-time events: every change is published once and reaches every logged-in screen.

Why a Redis Stream and not PUBLISH/SUBSCRIBE: pub/sub forgets a message the moment
it is handed to the subscribers connected right then, so a browser that reconnects
(a network blip, an API process restarting, the periodic renewal of its stream)
would silently miss whatever happened meanwhile. A stream is pub/sub with replay:
XADD appends an entry under an id (the Redis clock in ms and a sequence number),
every API process tails it with a blocking XREAD, so an event published by any
process or worker reaches the clients of all of them, and a client that comes back
with ``Last-Event-ID`` gets what it missed with XRANGE.

Memory stays bounded: each publish trims the stream to the last ten minutes (MINID)
and to a hard cap of entries (MAXLEN), both approximate (``~``), so Redis frees whole
nodes and trimming costs next to nothing. A client whose resume point fell out of
that window is told to refetch everything (a ``reset`` event) instead of being
silently given a partial history.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import anyio
from pydantic import BaseModel, ConfigDict, Field
from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.core.db import REDIS_DA_SESSAO, after_commit
from gmm.core.errors import ServiceUnavailable

log = logging.getLogger(__name__)

STREAM = "gmm:eventos"
# Reconnects happen within seconds; ten minutes also covers a laptop waking up.
JANELA_MS = 10 * 60 * 1000
# A cap for bursts: at the 200 events/s of the webhook benchmark this still keeps
# about four minutes, in a few MB.
LIMITE = 50_000
# A publish waits this long at most: the caller's request must not hang on Redis.
PUBLICAR_TIMEOUT = 2.0
# Entries read per round trip while replaying or tailing.
LOTE = 200
# The browser waits this long before reconnecting after the stream ends.
RETRY_MS = 3000
NOME_CONEXAO = "gmm-eventos"
# Stream ids as Redis writes them: "<ms>-<seq>".
ID_PATTERN = r"^\d{1,20}-\d{1,20}$"


class Evento(BaseModel):
    """One real-time event. Each feature declares its own (one model per event);
    ``nome`` is the SSE ``event:`` field, the model's fields its JSON ``data``."""

    model_config = ConfigDict(frozen=True)
    nome: ClassVar[str]


class Reset(Evento):
    """Os eventos desde o `Last-Event-ID` já não estão disponíveis: recarregue tudo."""

    nome: ClassVar[str] = "reset"
    motivo: str = Field(description="Por que a retomada não é possível")


# KEYS: stream. ARGV: tipo, dados (JSON), cap, window ms. Answers the new entry's id.
# MINID is taken from the id Redis just generated, so only the Redis clock counts.
_PUBLICAR = """
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*',
  'tipo', ARGV[1], 'dados', ARGV[2])
local ms = tonumber(string.match(id, '^(%d+)'))
redis.call('XTRIM', KEYS[1], 'MINID', '~', string.format('%d', ms - tonumber(ARGV[4])))
return id
"""


async def publicar(redis: Redis, evento: Evento) -> str:
    """Publish an event to every connected client; answers its id ("" if Redis failed).

    Directly only where no transaction is involved; a change in the database is
    published by ``publicar_apos_commit``, or a screen may refetch before the change
    is visible. It never raises on a Redis failure: the
    change is already stored, and the SPA's polling fallback shows it a few seconds
    later.
    """
    tipo, corpo = evento.nome, evento.model_dump_json()
    script = redis.register_script(_PUBLICAR)
    try:
        async with asyncio.timeout(PUBLICAR_TIMEOUT):
            evento_id = await script(keys=[STREAM], args=[tipo, corpo, LIMITE, JANELA_MS])
    except (RedisError, OSError, TimeoutError) as exc:
        log.warning(
            "evento %s não publicado (Redis: %s); as telas o verão pelo polling",
            tipo,
            type(exc).__name__,
        )
        return ""
    # Callers may hand in arq's pool, which does not decode replies.
    return evento_id.decode() if isinstance(evento_id, bytes) else str(evento_id)


def publicar_apos_commit(session: AsyncSession, evento: Evento) -> None:
    """The one way a change tells every operator's screen: published once ``session``'s
    transaction has committed (never on rollback), on the Redis its sessionmaker
    carries (``create_sessionmaker(engine, redis)``)."""
    redis: Redis = session.info[REDIS_DA_SESSAO]
    after_commit(session, lambda: publicar(redis, evento))


@dataclass(frozen=True)
class Ritmo:
    """The timing of one event stream (shortened in the tests)."""

    # Proxies and load balancers cut connections silent for ~60 s; a comment
    # every 15 s keeps the stream open and lets the browser notice a dead one.
    heartbeat: float = 15.0
    # Longest blocking XREAD: how soon a disconnected client is noticed.
    bloqueio: float = 2.0
    # Then the stream ends and the browser reconnects (after RETRY_MS, resuming
    # with Last-Event-ID), so an expired token stops receiving within minutes, and
    # a server shutting down is not held forever.
    duracao_maxima: float = 5 * 60.0
    # How often the stream asks whether its session still stands (logout, new
    # password, deactivation): a revoked one ends within this plus one XREAD block.
    verificacao: float = 5.0


def _chave(evento_id: str) -> tuple[int, int]:
    ms, _, seq = evento_id.partition("-")
    return int(ms), int(seq or 0)


def perdeu_eventos(ultimo_id: str, info: dict[str, Any] | None) -> bool:
    """Whether events after ``ultimo_id`` may be gone from the stream.

    ``info`` is XINFO STREAM's answer, or None when the stream does not exist.
    Trimming only ever removes the oldest entries, so everything from the first
    entry left on is there; a client behind it may have missed trimmed ones.
    """
    cliente = _chave(ultimo_id)
    if info is None:
        # No stream although the client saw events: Redis lost it (restart without
        # persistence, flush). "0-0" is the id of the empty stream we sent before.
        return cliente > (0, 0)
    adicionadas = info.get("entries-added")
    if adicionadas is not None and int(adicionadas) == int(info["length"]):
        return False  # Redis 7 counts every entry ever added: none was trimmed
    primeiro = info.get("first-entry")
    referencia = primeiro[0] if primeiro else info["last-generated-id"]
    return cliente < _chave(str(referencia))


def _mensagem(evento_id: str, tipo: str, dados: str) -> str:
    # SSE ends a field at CR or LF only; JSON never holds them raw, but a line
    # break in data must never end the message early.
    linhas = "".join(f"data: {linha}\n" for linha in re.split(r"\r\n|\r|\n", dados))
    return f"id: {evento_id}\nevent: {tipo}\n{linhas}\n"


def _mensagens(entradas: list[tuple[str, dict[str, str]]]) -> str:
    return "".join(
        _mensagem(evento_id, campos.get("tipo", "desconhecido"), campos.get("dados", "{}"))
        for evento_id, campos in entradas
    )


Desconectado = Callable[[], Awaitable[bool]]
Revogada = Callable[[], Awaitable[bool]]


class Assinatura:
    """One client's stream, on a Redis connection of its own: a blocking XREAD holds
    its connection for seconds and must not starve the pool the requests share."""

    def __init__(self, conexao: Redis, ritmo: Ritmo, cursor: str, inicio: str) -> None:
        self._conexao = conexao
        self._ritmo = ritmo
        self._cursor = cursor
        self._inicio = inicio
        self._fechada = False

    @classmethod
    async def abrir(
        cls, redis_url: str, ultimo_id: str | None, ritmo: Ritmo, recuar_ms: int | None = None
    ) -> Assinatura:
        """Connect and decide where the client resumes; Redis down is a 503 here,
        before the response starts, so the client falls back to polling at once.

        ``recuar_ms`` (only without ``ultimo_id``): start that long before now on the
        Redis clock, the stream ids' own. A screen that read its data just before
        opening its first stream gets, as events, whatever changed since those reads,
        instead of reading everything a second time to be sure.
        """
        conexao = Redis.from_url(
            redis_url,
            decode_responses=True,
            socket_connect_timeout=5,
            # Longer than any XREAD block, so a dead Redis ends the stream.
            socket_timeout=ritmo.bloqueio + 10,
            # Named, so CLIENT LIST tells the streams from the shared pool.
            client_name=NOME_CONEXAO,
        )
        try:
            recuado = False
            if ultimo_id is None and recuar_ms is not None:
                recuado = True
                segundos, micros = await conexao.time()
                ultimo_id = f"{max(0, segundos * 1000 + micros // 1000 - recuar_ms)}-0"
            # One transaction: nothing can be trimmed between the check and the replay.
            async with conexao.pipeline(transaction=True) as pipe:
                pipe.xinfo_stream(STREAM)
                if ultimo_id is not None:
                    pipe.xrange(STREAM, min=f"({ultimo_id}", count=LOTE)
                info, *resto = await pipe.execute(raise_on_error=False)
            if isinstance(info, ResponseError) and "no such key" in str(info).lower():
                info = None  # nothing published since Redis started
            for resultado in (info, *resto):
                if isinstance(resultado, Exception):
                    raise resultado
        except (RedisError, OSError) as exc:
            await conexao.aclose()
            log.warning("eventos indisponíveis (Redis: %s)", type(exc).__name__)
            raise ServiceUnavailable(
                "Redis indisponível: eventos em tempo real suspensos; "
                "a tela segue atualizando sozinha"
            ) from exc
        except BaseException:
            await conexao.aclose()
            raise

        ultimo = str(info["last-generated-id"]) if info else "0-0"
        inicio = f"retry: {RETRY_MS}\n"
        if ultimo_id is None:
            # The current end, sent as an id without data: the browser keeps it as
            # Last-Event-ID, so even a reconnect before any event loses nothing.
            return cls(conexao, ritmo, ultimo, inicio + f"id: {ultimo}\n\n")
        # A client's id past the end is no id of this stream (Redis replaced, clock
        # moved); a point in time past it only means nothing happened since.
        passou = not recuado and _chave(ultimo_id) > _chave(ultimo)
        if perdeu_eventos(ultimo_id, info) or passou:
            reset = Reset(motivo="o ponto de retomada saiu da janela de eventos")
            texto = _mensagem(ultimo, reset.nome, reset.model_dump_json())
            return cls(conexao, ritmo, ultimo, inicio + "\n" + texto)
        lote: list[tuple[str, dict[str, str]]] = resto[0]
        if recuado and not lote:
            # Nothing happened in that time: the current end, as on a plain start.
            return cls(conexao, ritmo, ultimo, inicio + f"id: {ultimo}\n\n")
        cursor = lote[-1][0] if lote else ultimo_id
        # A full batch means more to replay; the stream loop goes on from the cursor.
        return cls(conexao, ritmo, cursor, inicio + "\n" + _mensagens(lote))

    async def mensagens(
        self, desconectado: Desconectado, revogada: Revogada | None = None
    ) -> AsyncIterator[str]:
        """The SSE text: the start (retry, reset or replay), then live events and
        heartbeats, until the client leaves, its session is revoked, Redis fails or
        the duration is up."""
        ritmo = self._ritmo
        try:
            yield self._inicio
            comeco = ultimo_envio = time.monotonic()
            proxima_verificacao = comeco + ritmo.verificacao
            while time.monotonic() - comeco < ritmo.duracao_maxima:
                if await desconectado():
                    return
                if revogada is not None and time.monotonic() >= proxima_verificacao:
                    if await revogada():
                        # The browser reconnects, gets 401 and goes to the login page.
                        return
                    proxima_verificacao = time.monotonic() + ritmo.verificacao
                falta = ritmo.heartbeat - (time.monotonic() - ultimo_envio)
                espera_ms = max(1, int(min(ritmo.bloqueio, falta) * 1000))  # 0 would block forever
                resposta = await self._conexao.xread(
                    {STREAM: self._cursor}, count=LOTE, block=espera_ms
                )
                entradas = [e for _, lote in resposta for e in lote]
                if entradas:
                    self._cursor = entradas[-1][0]
                    yield _mensagens(entradas)
                    ultimo_envio = time.monotonic()
                elif time.monotonic() - ultimo_envio >= ritmo.heartbeat:
                    yield ": ping\n\n"
                    ultimo_envio = time.monotonic()
        except (RedisError, OSError) as exc:
            # The browser reconnects after RETRY_MS and resumes, or polls meanwhile.
            log.warning("fluxo de eventos interrompido (Redis: %s)", type(exc).__name__)
        finally:
            await self.fechar()

    async def fechar(self) -> None:
        if self._fechada:
            return
        self._fechada = True
        # Shielded: on a client disconnect this runs inside a cancelled scope.
        with anyio.CancelScope(shield=True):
            await self._conexao.aclose()
