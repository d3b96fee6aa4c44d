from __future__ import annotations

import asyncio
from typing import Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel
from sqlalchemy import text

router = APIRouter(tags=["saude"])

CHECK_TIMEOUT_S = 2.0


class HealthOut(BaseModel):
    status: Literal["ok"]


class ReadyOut(BaseModel):
    status: Literal["ok", "indisponivel"]
    database: bool
    redis: bool


@router.get("/healthz", operation_id="healthz", summary="Verificar se o processo está no ar")
async def healthz() -> HealthOut:
    """O processo está no ar."""
    return HealthOut(status="ok")


async def _database_ok(request: Request) -> bool:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_S), request.app.state.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


async def _redis_ok(request: Request) -> bool:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_S):
            return bool(await request.app.state.redis.ping())
    except Exception:
        return False


@router.get(
    "/readyz",
    operation_id="readyz",
    summary="Verificar banco de dados e Redis",
    responses={503: {"model": ReadyOut, "description": "Banco ou Redis inacessível"}},
)
async def readyz(request: Request, response: Response) -> ReadyOut:
    """Banco de dados e Redis alcançáveis; 503 se algum não estiver."""
    database, redis = await asyncio.gather(_database_ok(request), _redis_ok(request))
    if not (database and redis):
        response.status_code = 503
    return ReadyOut(
        status="ok" if database and redis else "indisponivel", database=database, redis=redis
    )
