"""Lua scripts run on Redis, registered once per client.

Registering hashes the script (SHA1) and builds an object; done per call, that was
a measurable share of every webhook. The cache follows the client: a client closed
and dropped (tests make many) takes its scripts with it.
"""

from __future__ import annotations

import weakref
from typing import Any

from redis.commands.core import AsyncScript

_roteiros: weakref.WeakKeyDictionary[Any, dict[str, AsyncScript]] = weakref.WeakKeyDictionary()


def roteiro(redis: Any, fonte: str) -> AsyncScript:
    """``fonte`` registered on ``redis`` (a ``redis.asyncio.Redis``, or arq's pool)."""
    do_cliente = _roteiros.setdefault(redis, {})
    script = do_cliente.get(fonte)
    if script is None:
        script = do_cliente[fonte] = redis.register_script(fonte)
    return script
