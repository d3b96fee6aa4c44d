"""Real-time events: every change is published once and reaches every logged-in screen.

Why a Redis Stream and not PUBLISH/SUBSCRIBE: pub/sub forgets a message the moment
it is handed to the subscribers connected right then, so a browser that reconnects
(a network blip, an API process restarting, the periodic renewal of its stream)
would silently miss whatever happened meanwhile. A stream is pub/sub with replay:
XADD appends an entry under an id (the Redis clock in ms and a sequence number),
every API process tails it with one blocking XREAD (its ``Difusor``) and hands the
entries to its open streams, so an event published by any process or worker reaches
the clients of all of them, and a client that comes back with ``Last-Event-ID`` gets
what it missed with XRANGE.

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
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field
from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.core.db import REDIS_DA_SESSAO, after_commit, pendente_apos_commit
from gmm.core.errors import ServiceUnavailable
from gmm.core.roteiros import roteiro

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
# The name of each API process's one reader connection on Redis (CLIENT LIST).
NOME_CONEXAO = "gmm-eventos"
# Live entries a stream may have queued and not yet sent. A client further behind is
# a slow one: its stream ends and the browser resumes with Last-Event-ID, replaying
# from Redis, instead of this process holding its backlog without bound.
FILA = 1000
# The reader reconnects after a failure this soon at first, doubling up to the cap.
RETENTATIVA_S = 0.2
RETENTATIVA_MAX_S = 5.0
# Subscribing and reading the replay's first batch take this long at most.
ABRIR_TIMEOUT = 5.0
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


# KEYS: stream. ARGV: cap, window ms, then tipo and dados (JSON) of each event, in
# order. Answers the new entries' ids: all of a transaction's events in one round trip.
# MINID is taken from the id Redis just generated, so only the Redis clock counts.
_PUBLICAR = """
local ids = {}
for i = 3, #ARGV, 2 do
  ids[#ids + 1] = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*',
    'tipo', ARGV[i], 'dados', ARGV[i + 1])
end
local ms = tonumber(string.match(ids[#ids], '^(%d+)'))
redis.call('XTRIM', KEYS[1], 'MINID', '~', string.format('%d', ms - tonumber(ARGV[2])))
return ids
"""


async def publicar(redis: Redis, evento: Evento) -> str:
    """Publish an event to every connected client; answers its id ("" if Redis failed).

    Directly only where no transaction is involved; a change in the database is
    published by ``publicar_apos_commit``, or a screen may refetch before the change
    is visible. It never raises on a Redis failure: the
    change is already stored, and the SPA's polling fallback shows it a few seconds
    later.
    """
    (evento_id,) = await publicar_varios(redis, [evento])
    return evento_id


async def publicar_varios(redis: Redis, eventos: Sequence[Evento]) -> list[str]:
    """``publicar`` for several events, in their order, in one round trip."""
    if not eventos:
        return []
    args: list[str | int] = [LIMITE, JANELA_MS]
    for evento in eventos:
        args += [evento.nome, evento.model_dump_json()]
    try:
        async with asyncio.timeout(PUBLICAR_TIMEOUT):
            ids = await roteiro(redis, _PUBLICAR)(keys=[STREAM], args=args)
    except (RedisError, OSError, TimeoutError) as exc:
        log.warning(
            "evento %s não publicado (Redis: %s); as telas o verão pelo polling",
            ", ".join(sorted({e.nome for e in eventos})),
            type(exc).__name__,
        )
        return [""] * len(eventos)
    # Callers may hand in arq's pool, which does not decode replies.
    return [i.decode() if isinstance(i, bytes) else str(i) for i in ids]


@dataclass
class _Publicacao:
    """The events of one transaction, published together once it has committed."""

    redis: Redis
    eventos: list[Evento]

    async def __call__(self) -> None:
        await publicar_varios(self.redis, self.eventos)


def publicar_apos_commit(session: AsyncSession, evento: Evento) -> None:
    """The one way a change tells every operator's screen: published once ``session``'s
    transaction has committed (never on rollback), on the Redis its sessionmaker
    carries (``create_sessionmaker(engine, redis)``). All of a transaction's events
    go in order, in one round trip (a batch of receipts moves many messages)."""
    publicacao = pendente_apos_commit(session, _Publicacao)
    if publicacao is None:
        after_commit(session, _Publicacao(session.info[REDIS_DA_SESSAO], [evento]))
    else:
        publicacao.eventos.append(evento)


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
Entrada = tuple[str, dict[str, str]]


async def _fim_do_stream(redis: Redis) -> str:
    """The id of the stream's last entry ("0-0" when Redis holds no stream)."""
    try:
        info = await redis.xinfo_stream(STREAM)
    except ResponseError as exc:
        if "no such key" not in str(exc).lower():
            raise
        return "0-0"
    return str(info["last-generated-id"])


class Assinante:
    """One stream's place in its process's fan-out: the live entries it has not sent
    yet, in order, and why the reader ended it (if it did)."""

    __slots__ = ("_capacidade", "_pendentes", "_sinal", "motivo")

    def __init__(self, capacidade: int) -> None:
        self._capacidade = capacidade
        self._pendentes: list[Entrada] = []
        self._sinal = asyncio.Event()
        self.motivo: str | None = None

    def entregar(self, entradas: list[Entrada]) -> bool:
        """Queue ``entradas``; False, queuing nothing, when they do not fit."""
        if len(self._pendentes) + len(entradas) > self._capacidade:
            return False
        self._pendentes.extend(entradas)
        self._sinal.set()
        return True

    def encerrar(self, motivo: str) -> None:
        self.motivo = motivo
        self._sinal.set()

    async def proximas(self, espera: float) -> list[Entrada]:
        """Everything queued, waiting up to ``espera`` seconds for something."""
        if not self._pendentes and self.motivo is None:
            self._sinal.clear()
            try:
                async with asyncio.timeout(espera):
                    await self._sinal.wait()
            except TimeoutError:
                pass
        entradas, self._pendentes = self._pendentes, []
        return entradas


class Difusor:
    """The one reader of the stream in an API process, fanning entries out to its streams.

    A stream of its own per client cost a Redis connection and a blocking XREAD each:
    a thousand open screens were a thousand connections on Redis and a thousand
    round trips every block. Here one connection tails the stream and hands each
    batch to every subscriber's queue; the replay on open is a few short commands
    on the shared pool (``app.state.redis``).

    The reader starts with the first subscriber, not in the lifespan: a process that
    serves no stream (a test app, an API behind which nobody has a screen open)
    holds no extra connection, and the API starts even while Redis is still coming
    up. Once started it runs until ``fechar``; idle, it is one XREAD per block.
    """

    def __init__(
        self, redis_url: str, bloqueio: float = Ritmo().bloqueio, capacidade: int = FILA
    ) -> None:
        self._redis_url = redis_url
        self._bloqueio = bloqueio
        self.capacidade = capacidade
        self._assinantes: set[Assinante] = set()
        # The last id the reader handed out: every later entry reaches the queues.
        self._cursor: str | None = None
        self._tarefa: asyncio.Task[None] | None = None
        self._fechado = False

    @property
    def assinantes(self) -> int:
        return len(self._assinantes)

    async def assinar(self, redis: Redis) -> Assinante:
        """Register a subscriber; the caller replays only after this.

        Entries after the reader's cursor reach the queue; entries up to it were
        written before the registration, so the caller's replay (read after it)
        finds them. Between the two nothing is lost; an entry in both is skipped by
        id. Raises RedisError when the reader's starting point cannot be read.
        """
        if self._fechado:
            raise ServiceUnavailable("API encerrando: eventos em tempo real suspensos")
        if self._cursor is None:
            fim = await _fim_do_stream(redis)
            if self._cursor is None:  # another subscriber may have set it meanwhile
                self._cursor = fim
        if self._tarefa is None or self._tarefa.done():
            self._tarefa = asyncio.create_task(self._ler(), name="gmm-eventos-leitor")
        assinante = Assinante(self.capacidade)
        self._assinantes.add(assinante)
        return assinante

    def cancelar(self, assinante: Assinante) -> None:
        self._assinantes.discard(assinante)

    def _encerrar_todos(self, motivo: str) -> None:
        for assinante in self._assinantes:
            assinante.encerrar(motivo)
        self._assinantes.clear()

    def _difundir(self, entradas: list[Entrada]) -> None:
        for assinante in list(self._assinantes):
            if not assinante.entregar(entradas):
                # A client this far behind would make the process hold its backlog
                # without bound. Its stream ends after what it has queued (no gap);
                # the browser resumes with Last-Event-ID and replays from Redis.
                assinante.encerrar("fila cheia")
                self._assinantes.discard(assinante)

    async def _ler(self) -> None:
        espera = RETENTATIVA_S
        caiu = False
        while not self._fechado:
            conexao = Redis.from_url(
                self._redis_url,
                decode_responses=True,
                socket_connect_timeout=5,
                # Longer than any XREAD block, so a dead Redis ends the read.
                socket_timeout=self._bloqueio + 10,
                # Named, so CLIENT LIST tells the reader from the shared pool.
                client_name=NOME_CONEXAO,
            )
            try:
                if caiu:
                    # A Redis that lost the stream (restarted without persistence)
                    # may number new entries below the cursor: never wait past them.
                    fim = await _fim_do_stream(conexao)
                    assert self._cursor is not None
                    if _chave(fim) < _chave(self._cursor):
                        self._cursor = fim
                    caiu = False
                while True:
                    assert self._cursor is not None
                    resposta = await conexao.xread(
                        {STREAM: self._cursor}, count=LOTE, block=int(self._bloqueio * 1000)
                    )
                    espera = RETENTATIVA_S
                    entradas: list[Entrada] = [e for _, lote in resposta for e in lote]
                    if entradas:
                        self._cursor = entradas[-1][0]
                        self._difundir(entradas)
            except (RedisError, OSError) as exc:
                # What the streams would have received meanwhile is unknown: each ends,
                # and the browser resumes with Last-Event-ID (or polls while Redis is down).
                log.warning(
                    "leitor de eventos interrompido (Redis: %s); nova tentativa em %.1f s",
                    type(exc).__name__,
                    espera,
                )
                self._encerrar_todos("Redis falhou")
                caiu = True
            except Exception:
                # A bug here must not leave the streams open and silent forever.
                log.exception("leitor de eventos falhou; nova tentativa em %.1f s", espera)
                self._encerrar_todos("leitor falhou")
                caiu = True
            finally:
                # Not shielded: a cancellation already on its way out is not delivered
                # twice, and a shield here once swallowed ``fechar``'s cancel, leaving
                # the reader looping and shutdown waiting on it forever.
                with suppress(Exception):
                    await conexao.aclose()
            await asyncio.sleep(espera)
            espera = min(espera * 2, RETENTATIVA_MAX_S)

    async def fechar(self) -> None:
        """On shutdown: every stream ends now instead of holding the server up."""
        self._fechado = True
        self._encerrar_todos("API encerrando")
        if self._tarefa is not None:
            self._tarefa.cancel()
            # Bounded: whatever the reader is stuck on, shutdown goes on.
            await asyncio.wait({self._tarefa}, timeout=5.0)


class Assinatura:
    """One client's stream: its replay read on the shared pool, then the live entries
    its process's ``Difusor`` hands it."""

    def __init__(
        self,
        difusor: Difusor,
        assinante: Assinante,
        redis: Redis,
        ritmo: Ritmo,
        cursor: str,
        inicio: str,
        replay_pendente: bool = False,
    ) -> None:
        self._difusor = difusor
        self._assinante = assinante
        self._redis = redis
        self._ritmo = ritmo
        self._cursor = cursor
        self._inicio = inicio
        self._replay_pendente = replay_pendente
        self._fechada = False

    @classmethod
    async def abrir(
        cls,
        difusor: Difusor,
        redis: Redis,
        ultimo_id: str | None,
        ritmo: Ritmo,
        recuar_ms: int | None = None,
    ) -> Assinatura:
        """Subscribe and decide where the client resumes; Redis down is a 503 here,
        before the response starts, so the client falls back to polling at once.

        ``recuar_ms`` (only without ``ultimo_id``): start that long before now on the
        Redis clock, the stream ids' own. A screen that read its data just before
        opening its first stream gets, as events, whatever changed since those reads,
        instead of reading everything a second time to be sure.
        """
        assinante: Assinante | None = None
        try:
            # The pool has no socket timeouts of its own: a hung Redis must still be
            # a 503, not a request that never answers.
            async with asyncio.timeout(ABRIR_TIMEOUT):
                # Subscribed before the replay is read: no gap between the two.
                assinante = await difusor.assinar(redis)
                recuado = False
                if ultimo_id is None and recuar_ms is not None:
                    recuado = True
                    segundos, micros = await redis.time()
                    ultimo_id = f"{max(0, segundos * 1000 + micros // 1000 - recuar_ms)}-0"
                # One transaction: nothing can be trimmed between the check and the replay.
                async with redis.pipeline(transaction=True) as pipe:
                    pipe.xinfo_stream(STREAM)
                    if ultimo_id is not None:
                        pipe.xrange(STREAM, min=f"({ultimo_id}", count=LOTE)
                    info, *resto = await pipe.execute(raise_on_error=False)
            if isinstance(info, ResponseError) and "no such key" in str(info).lower():
                info = None  # nothing published since Redis started
            for resultado in (info, *resto):
                if isinstance(resultado, Exception):
                    raise resultado
        except (RedisError, OSError, TimeoutError) as exc:
            if assinante is not None:
                difusor.cancelar(assinante)
            log.warning("eventos indisponíveis (Redis: %s)", type(exc).__name__)
            raise ServiceUnavailable(
                "Redis indisponível: eventos em tempo real suspensos; "
                "a tela segue atualizando sozinha"
            ) from exc
        except BaseException:
            if assinante is not None:
                difusor.cancelar(assinante)
            raise

        def assinatura(cursor: str, texto: str, replay_pendente: bool = False) -> Assinatura:
            assert assinante is not None
            return cls(difusor, assinante, redis, ritmo, cursor, texto, replay_pendente)

        ultimo = str(info["last-generated-id"]) if info else "0-0"
        inicio = f"retry: {RETRY_MS}\n"
        if ultimo_id is None:
            # The current end, sent as an id without data: the browser keeps it as
            # Last-Event-ID, so even a reconnect before any event loses nothing.
            return assinatura(ultimo, inicio + f"id: {ultimo}\n\n")
        # A client's id past the end is no id of this stream (Redis replaced, clock
        # moved); a point in time past it only means nothing happened since.
        passou = not recuado and _chave(ultimo_id) > _chave(ultimo)
        if perdeu_eventos(ultimo_id, info) or passou:
            reset = Reset(motivo="o ponto de retomada saiu da janela de eventos")
            texto = _mensagem(ultimo, reset.nome, reset.model_dump_json())
            return assinatura(ultimo, inicio + "\n" + texto)
        lote: list[Entrada] = resto[0]
        if recuado and not lote:
            # Nothing happened in that time: the current end, as on a plain start.
            return assinatura(ultimo, inicio + f"id: {ultimo}\n\n")
        cursor = lote[-1][0] if lote else ultimo_id
        # A full batch means more to replay; the stream goes on from the cursor.
        return assinatura(cursor, inicio + "\n" + _mensagens(lote), len(lote) == LOTE)

    async def mensagens(
        self, desconectado: Desconectado, revogada: Revogada | None = None
    ) -> AsyncIterator[str]:
        """The SSE text: the start (retry, reset or replay), the rest of the replay,
        then live events and heartbeats, until the client leaves, its session is
        revoked, Redis fails, the client falls too far behind or the duration is up."""
        ritmo = self._ritmo
        try:
            yield self._inicio
            comeco = ultimo_envio = time.monotonic()
            while self._replay_pendente:
                if await desconectado():
                    return
                # Short commands on the shared pool; live entries queue up meanwhile.
                lote = await self._redis.xrange(STREAM, min=f"({self._cursor}", count=LOTE)
                if lote:
                    self._cursor = lote[-1][0]
                    yield _mensagens(lote)
                    ultimo_envio = time.monotonic()
                self._replay_pendente = len(lote) == LOTE
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
                entradas = await self._assinante.proximas(max(0.001, min(ritmo.bloqueio, falta)))
                # The replay may already have sent the first live entries.
                cursor = _chave(self._cursor)
                novas = [e for e in entradas if _chave(e[0]) > cursor]
                if novas:
                    self._cursor = novas[-1][0]
                    yield _mensagens(novas)
                    ultimo_envio = time.monotonic()
                elif time.monotonic() - ultimo_envio >= ritmo.heartbeat:
                    yield ": ping\n\n"
                    ultimo_envio = time.monotonic()
                if self._assinante.motivo is not None:
                    # The browser reconnects after RETRY_MS and resumes with
                    # Last-Event-ID, or polls meanwhile if Redis is down.
                    log.info("fluxo de eventos encerrado: %s", self._assinante.motivo)
                    return
        except (RedisError, OSError) as exc:
            log.warning("fluxo de eventos interrompido (Redis: %s)", type(exc).__name__)
        finally:
            await self.fechar()

    async def fechar(self) -> None:
        if self._fechada:
            return
        self._fechada = True
        self._difusor.cancelar(self._assinante)
