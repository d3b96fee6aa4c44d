import asyncio
from redis.asyncio import Redis


async def test_diag(redis: Redis) -> None:
    for _ in range(6):
        clientes = [c for c in await redis.client_list() if c["name"] == "gmm-eventos"]
        print([(c["id"], c["db"], c["age"], c["idle"], c["cmd"]) for c in clientes])
        await asyncio.sleep(1)
