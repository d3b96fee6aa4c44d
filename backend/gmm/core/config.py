"""Settings read from the environment (prefix ``GMM_``).

In development, missing secrets are generated once and kept in
``<data_dir>/secrets.json`` so restarts keep sessions valid and data encrypted
at rest stays readable. In production a missing secret stops the process with a
message naming it: guessing a secret there would be a silent security hole.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from cryptography.fernet import Fernet
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger(__name__)

# Secrets the product cannot run without in production.
REQUIRED_SECRETS = ("secret_key", "fernet_key", "webhook_token")


class ConfigError(RuntimeError):
    """The configuration cannot start the product; the message says what to set."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GMM_", env_file=".env", extra="ignore")

    env: Literal["development", "production"] = "development"
    data_dir: Path = Path(".gmm")

    # Unset: `gmm run` starts embedded servers under data_dir.
    database_url: str | None = None
    redis_url: str | None = None
    # Connections each API process keeps open, all of them (no overflow: an overflow
    # connection is opened and closed per checkout, churning PostgreSQL backends under
    # load). More than the process can keep busy only adds contention on 2 cores;
    # requests beyond it wait for one, up to db_pool_timeout_seconds, then get a 503.
    db_pool_size: int = Field(default=20, ge=1)
    db_pool_timeout_seconds: float = Field(default=10.0, gt=0)

    megaapi_base_url: str | None = None
    megaapi_instance_key: str | None = None
    megaapi_token: SecretStr | None = None

    secret_key: SecretStr | None = None
    fernet_key: SecretStr | None = None
    webhook_token: SecretStr | None = None

    jwt_expire_minutes: int = Field(default=12 * 60, ge=5)
    # Login attempts in a window of login_window_seconds: per account and client
    # address, per address (one address trying many accounts), and per account from
    # every address (many addresses on one account). The last one never applies to an
    # address the account logged in from in the last login_endereco_conhecido_dias,
    # so an attacker elsewhere cannot lock the real user out of their own address.
    login_max_failures: int = Field(default=5, ge=1)
    login_max_failures_endereco: int = Field(default=30, ge=1)
    login_max_failures_conta: int = Field(default=30, ge=1)
    login_window_seconds: int = Field(default=15 * 60, ge=1)
    login_endereco_conhecido_dias: int = Field(default=30, ge=1)
    # Proxies whose X-Forwarded-For/-Proto are believed: comma-separated IPs or
    # networks (10.0.0.5, 172.30.57.0/24). Empty: none, the TCP peer is the client.
    trusted_proxies: str = ""

    rate_limit_per_minute: int = Field(default=60, ge=1)
    rate_limit_burst: int = Field(default=1, ge=1)
    # Slots are handed out this much below the limit, so that the jitter between
    # taking a slot and the call reaching MegaAPI never lets the gateway see more
    # than GMM_RATE_LIMIT_PER_MINUTE in any window.
    rate_limit_margin: float = Field(default=0.01, ge=0, lt=0.5)
    breaker_failure_threshold: int = Field(default=5, ge=1)
    breaker_reset_seconds: float = Field(default=30, gt=0)
    megaapi_timeout_seconds: float = Field(default=15, gt=0)
    # Backpressure: past this many queued sends, new ones are refused with 503.
    fila_maxima: int = Field(default=500, ge=1)
    # Transient gateway failures a message survives before it ends in `falhou`.
    envio_max_tentativas: int = Field(default=6, ge=1)
    # A send job is cut after this long; arq re-runs a dead worker's job 10 s later.
    envio_job_timeout_seconds: int = Field(default=30, ge=2)
    # Sends left pendente/enfileirado longer than this are queued again by the sweep.
    varredura_idade_seconds: float = Field(default=60, gt=0)
    # How long a question (quote, new visit date) waits for the contractor's answer.
    estado_conversa_validade_horas: float = Field(default=24, gt=0)
    # A contractor with several open chamados who does not say which one a message is
    # about is asked "Sobre qual chamado?" at most once per this many minutes...
    roteamento_pergunta_minutos: float = Field(default=30, gt=0)
    # ...and their messages go to the chamado they pick for this many minutes after.
    roteamento_escolha_minutos: float = Field(default=15, gt=0)
    # smtp://user:password@host:587 (STARTTLS) or smtps://...:465; alerts are mailed
    # to ALERT_EMAIL through it. Unset: alerts only in the panel and the API.
    smtp_url: SecretStr | None = None
    alert_email: str | None = None
    smtp_remetente: str = "gmm-alertas@localhost"
    # Monitoring thresholds.
    alerta_fila_aviso: int = Field(default=100, ge=1)
    alerta_taxa_falhas: float = Field(default=0.02, gt=0, lt=1)
    alerta_taxa_min_envios: int = Field(default=20, ge=1)
    alerta_webhook_minutos: float = Field(default=10, gt=0)
    alerta_breaker_email_minutos: float = Field(default=5, ge=0)
    # This many chamados with a message stuck at ✓ (sent, not delivered) for this
    # long: the phone or the gateway session is unhealthy even if the API answers.
    alerta_sem_entrega_chamados: int = Field(default=5, ge=1)
    alerta_sem_entrega_minutos: float = Field(default=30, gt=0)
    vigia_intervalo_seconds: float = Field(default=15, gt=0)
    # The API watches for incidents (one replica at a time); tests drive it by hand.
    vigia_ativa: bool = True
    # Bearer token Prometheus scrapes /metrics with (a user's token works too).
    metrics_token: SecretStr | None = None

    # Inbound files from contractors (created on first use).
    media_dir: Path = Path(".gmm/midia")
    # Where MegaAPI can reach this API (https://gmm.example.com). Set: files operators
    # send go to MegaAPI as signed, expiring links under /midias-publicas/; unset: inline
    # base64 (documents then at most 16 MB).
    public_base_url: str | None = None
    midia_publica_validade_seconds: int = Field(default=7 * 24 * 3600, ge=60)
    # The contractor's link (/p/<token>): how long it works unless the operator says
    # otherwise, and how many writes (files, "concluído") one link makes per hour.
    link_prestador_validade_horas: int = Field(default=7 * 24, ge=1, le=720)
    link_prestador_escritas_por_hora: int = Field(default=30, ge=1)

    # Voice notes into text (mensagens.transcricao): "none", an OpenAI-compatible
    # server ("openai": POST {url}/v1/audio/transcriptions) or faster-whisper in the
    # worker ("local": the optional extra `gmm[transcricao]`, offline).
    transcricao_backend: Literal["none", "openai", "local"] = "none"
    # Base URL of the OpenAI-compatible server, with or without the final /v1.
    transcricao_url: str = "https://api.openai.com"
    transcricao_api_key: SecretStr | None = None
    # "openai": the server's model (whisper-1 when unset). "local": a CTranslate2
    # Whisper model folder or a faster-whisper model name (downloaded from the
    # Hugging Face Hub); unset, the multilingual Whisper base the extra ships.
    transcricao_modelo: str | None = None
    transcricao_idioma: str = Field(default="pt", min_length=2)
    # One transcription (HTTP request or local run) may take this long. They run on
    # a queue of their own: the local base model needs about 0.7 s per second of
    # audio on two cores, so ten minutes covers voice notes of several minutes.
    transcricao_timeout_seconds: float = Field(default=600, gt=0)
    # Transcriptions one worker process runs at once ("local" uses one model per
    # process, so more only queue up behind it; an HTTP server may take more).
    transcricao_simultaneas: int = Field(default=1, ge=1, le=32)

    # Exposure. /docs, /redoc and /openapi.json are on in development and off in
    # production unless this is true (openapi.yaml in the repository stays the
    # integrators' contract either way).
    docs_publicas: bool = False

    timezone: str = "America/Sao_Paulo"
    host: str = "127.0.0.1"
    port: int = 8000
    frontend_dist: Path = Path("frontend/dist")

    @property
    def docs_visiveis(self) -> bool:
        return self.env != "production" or self.docs_publicas

    @field_validator(
        "database_url",
        "redis_url",
        "megaapi_base_url",
        "megaapi_instance_key",
        "megaapi_token",
        "secret_key",
        "fernet_key",
        "webhook_token",
        "smtp_url",
        "alert_email",
        "metrics_token",
        "public_base_url",
        "transcricao_api_key",
        "transcricao_modelo",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """``GMM_SECRET_KEY=`` in an env file means "not set", never an empty secret."""
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str | None) -> str | None:
        """Accept the usual ``postgresql://`` URLs and use the asyncpg driver."""
        if value and value.startswith(("postgresql://", "postgres://")):
            return "postgresql+asyncpg://" + value.split("://", 1)[1]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_addresses(cls, value: str) -> str:
        """Only addresses and networks: uvicorn would take a typo for a hostname that
        never matches, and "*" would let any client claim any address."""
        itens = [item.strip() for item in value.split(",") if item.strip()]
        for item in itens:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(
                    f"GMM_TRUSTED_PROXIES: {item!r} não é um IP nem uma rede (ex.: 10.0.0.0/8)"
                ) from None
        return ",".join(itens)

    @field_validator("public_base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise ValueError("GMM_PUBLIC_BASE_URL deve começar com http:// ou https://")
        return value

    def secret(self, name: str) -> str:
        value = getattr(self, name)
        if value is None:
            raise ConfigError(f"GMM_{name.upper()} não está definido")
        return str(value.get_secret_value())

    def as_env(self) -> dict[str, str]:
        """These settings as GMM_* variables, for the processes the product starts."""
        env: dict[str, str] = {}
        for name, value in self.model_dump().items():
            if value is None:
                continue
            plain = value.get_secret_value() if isinstance(value, SecretStr) else value
            env[f"GMM_{name.upper()}"] = str(plain)
        return env

    def ensure_secrets(self) -> None:
        missing = [name for name in REQUIRED_SECRETS if getattr(self, name) is None]
        if not missing:
            return
        if self.env == "production":
            names = ", ".join(f"GMM_{name.upper()}" for name in missing)
            raise ConfigError(
                f"Em produção estes segredos são obrigatórios e não foram definidos: {names}. "
                "Veja .env.example."
            )
        stored = _dev_secrets(self.data_dir / "secrets.json", missing)
        for name in missing:
            setattr(self, name, SecretStr(stored[name]))
        log.warning(
            "Modo desenvolvimento: segredos gerados e guardados em %s (%s). "
            "Defina-os no ambiente em produção.",
            self.data_dir / "secrets.json",
            ", ".join(f"GMM_{n.upper()}" for n in missing),
        )


def _generate(name: str) -> str:
    if name == "fernet_key":
        return Fernet.generate_key().decode()
    return secrets.token_urlsafe(48)


def _dev_secrets(path: Path, names: list[str]) -> dict[str, str]:
    stored: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    if any(name not in stored for name in names):
        for name in names:
            stored.setdefault(name, _generate(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(stored, indent=2))
        path.chmod(0o600)
    return stored


@lru_cache
def get_settings() -> Settings:
    settings = Settings()
    settings.ensure_secrets()
    return settings
