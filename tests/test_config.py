from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from gmm.core.config import ConfigError, Settings


def test_production_refuses_to_start_without_secrets(tmp_path: Path) -> None:
    settings = Settings(
        _env_file=None, env="production", data_dir=tmp_path, secret_key=SecretStr("s")
    )
    with pytest.raises(ConfigError) as exc:
        settings.ensure_secrets()
    assert "GMM_FERNET_KEY" in str(exc.value) and "GMM_WEBHOOK_TOKEN" in str(exc.value)
    assert "GMM_SECRET_KEY" not in str(exc.value)
    assert not (tmp_path / "secrets.json").exists()


def test_development_generates_secrets_once_and_keeps_them(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    first = Settings(_env_file=None, env="development", data_dir=tmp_path)
    first.ensure_secrets()
    assert "gerados" in caplog.text
    assert first.secret_key and first.fernet_key and first.webhook_token
    stored = tmp_path / "secrets.json"
    assert stored.stat().st_mode & 0o777 == 0o600
    second = Settings(_env_file=None, env="development", data_dir=tmp_path)
    second.ensure_secrets()
    assert second.secret("secret_key") == first.secret("secret_key")
    assert second.secret("fernet_key") == first.secret("fernet_key")
    # Generated secrets never reach the log.
    assert first.secret("secret_key") not in caplog.text


def test_database_url_uses_asyncpg() -> None:
    settings = Settings(_env_file=None, database_url="postgresql://u@h:5432/db")
    assert settings.database_url == "postgresql+asyncpg://u@h:5432/db"


def test_blank_secret_counts_as_missing(tmp_path: Path) -> None:
    settings = Settings(
        _env_file=None,
        env="production",
        data_dir=tmp_path,
        secret_key="",
        fernet_key="  ",
        webhook_token="w",
    )
    assert settings.secret_key is None
    with pytest.raises(ConfigError, match="GMM_SECRET_KEY"):
        settings.ensure_secrets()


def test_env_example_explains_every_setting() -> None:
    """Whoever deploys reads .env.example: a setting missing there is a setting nobody finds."""
    exemplo = (Path(__file__).resolve().parents[1] / ".env.example").read_text()
    nomes = {linha.split("=", 1)[0].strip() for linha in exemplo.splitlines() if "=" in linha}
    faltando = {f"GMM_{campo.upper()}" for campo in Settings.model_fields} - nomes
    assert not faltando, f"ausentes em .env.example: {sorted(faltando)}"
