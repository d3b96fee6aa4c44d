"""Where MegaAPI credentials come from: the admin's saved row, else the environment."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.core.config import Settings
from gmm.envio.models import ConfiguracaoWhatsapp
from gmm.megaapi.cliente import MegaAPICredentials


def _fernet(settings: Settings) -> Fernet:
    return Fernet(settings.secret("fernet_key").encode())


def cifrar(token: str, settings: Settings) -> str:
    return _fernet(settings).encrypt(token.encode()).decode()


def decifrar(token_cifrado: str, settings: Settings) -> str:
    try:
        return _fernet(settings).decrypt(token_cifrado.encode()).decode()
    except InvalidToken as exc:
        raise RuntimeError(
            "o token da MegaAPI salvo não abre com a GMM_FERNET_KEY atual; salve-o de novo"
        ) from exc


def mascarar(token: str) -> str:
    return "••••" + token[-4:] if len(token) > 8 else "••••"


async def carregar(session: AsyncSession, settings: Settings) -> MegaAPICredentials | None:
    row = await session.get(ConfiguracaoWhatsapp, 1)
    if row is not None:
        return MegaAPICredentials(
            base_url=row.base_url,
            instance_key=row.instance_key,
            token=decifrar(row.token_cifrado, settings),
        )
    if settings.megaapi_base_url and settings.megaapi_instance_key and settings.megaapi_token:
        return MegaAPICredentials(
            base_url=settings.megaapi_base_url,
            instance_key=settings.megaapi_instance_key,
            token=settings.megaapi_token.get_secret_value(),
        )
    return None
