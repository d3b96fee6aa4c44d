"""What every benchmark needs: real servers, given or embedded."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from gmm.config import Settings

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
        from gmm import embedded

        db, redis = embedded.servers(ROOT / ".gmm" / "bench", db, redis)
    url = Settings(database_url=db).database_url
    assert url
    return url, redis
