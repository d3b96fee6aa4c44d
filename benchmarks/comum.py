"""What every benchmark needs: real servers, given or embedded."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import SecretStr

from gmm.core.config import Settings

ROOT = Path(__file__).resolve().parents[1]


def servidores(redis_db: int | None = None) -> tuple[str, str]:
    """Database server URL (asyncpg) and Redis URL for a benchmark.

    GMM_BENCH_* first, then the test suite's GMM_TEST_*, else embedded servers.
    ``redis_db``: a Redis database of the benchmark's own when borrowing the test
    suite's server, so its workers never take the suite's jobs (or the other way round).
    """
    db = os.environ.get("GMM_BENCH_DATABASE_URL") or os.environ.get("GMM_TEST_DATABASE_URL")
    redis = os.environ.get("GMM_BENCH_REDIS_URL")
    if not redis and os.environ.get("GMM_TEST_REDIS_URL"):
        redis = os.environ["GMM_TEST_REDIS_URL"]
        if redis_db is not None:
            redis = urlsplit(redis)._replace(path=f"/{redis_db}").geturl()
    if not (db and redis):
        from gmm.core import embedded

        db, redis = embedded.servers(ROOT / ".gmm" / "bench", db, redis)
    url = Settings(database_url=db).database_url
    assert url
    return url, redis


def settings_da_api(database_url: str, redis_url: str, webhook_token: str) -> Settings:
    """Settings for an API the benchmark runs itself (in process or as `gmm api`)."""
    return Settings(
        _env_file=None,
        database_url=database_url,
        redis_url=redis_url,
        secret_key=SecretStr("bench-" + "x" * 40),
        fernet_key=SecretStr("Gmj9Bd3iJZ1Oi8T6nB6Fj9m4yTCP8QGXuVFiu3g0a0U="),
        webhook_token=SecretStr(webhook_token),
        frontend_dist=Path("/nonexistent"),
        vigia_ativa=False,
    )
