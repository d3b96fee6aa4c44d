from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from gmm.monitoramento.models import Severidade, TipoAlerta


class CircuitBreakerOut(BaseModel):
    status: Literal["CLOSED", "HALF_OPEN", "OPEN"]
    failure_count: int
    threshold: int
    opened_at: datetime | None


class RateLimiterOut(BaseModel):
    count: int = Field(description="Envios liberados nos últimos 60 s")
    max: int = Field(description="Limite por minuto (GMM_RATE_LIMIT_PER_MINUTE)")
    can_send: bool = Field(description="Há vaga agora e o breaker não está aberto")


class FilaOut(BaseModel):
    queue_size: int = Field(description="Jobs prontos para sair")
    deferred: int = Field(description="Jobs adiados (limite, breaker, nova tentativa)")
    oldest_age_s: float | None = Field(description="Idade da mensagem mais antiga aguardando")
    transcricoes: int = Field(
        description="Áudios aguardando transcrição, na fila própria (não contam nos alertas)"
    )


class FailuresOut(BaseModel):
    last_hour: int
    by_reason: dict[str, int] = Field(
        description="timeout, conexao, http_5xx, http_429, http_4xx, resposta_invalida, outro"
    )


class VolumeHora(BaseModel):
    hora: datetime
    enviadas: int
    entregues: int
    lidas: int
    falhas: int
    recebidas: int


class DeliveryOut(BaseModel):
    failure_rate_24h: float
    p50_entrega_s: float | None
    p95_entrega_s: float | None
    p50_leitura_s: float | None
    p95_leitura_s: float | None


class WebhooksOut(BaseModel):
    last_received_at: datetime | None
    lag_s: float | None = Field(description="Atraso do último webhook em relação ao evento")


class ConnectionOut(BaseModel):
    connected: bool | None = Field(
        description="Se o WhatsApp está conectado, pela observação mais recente (webhook ou "
        "consulta); null: ainda não se sabe. Desconectado, os envios esperam na fila"
    )
    state: str | None = Field(description="Último connection_update (open, connecting, close)")
    since: datetime | None
    instance_status: str | None = Field(description="Status da instância na última consulta")
    instance_checked_at: datetime | None


class WorkersOut(BaseModel):
    alive: int
    last_heartbeat: datetime | None


class ChamadoAfetado(BaseModel):
    chamado_id: int
    numero_chamado: str
    titulo: str
    aguardando: int = Field(description="Mensagens pendentes ou na fila")
    falhas: int = Field(description="Mensagens que falharam nas últimas 24 h")


class AlertaOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    tipo: TipoAlerta
    severidade: Severidade
    mensagem: str
    dados: dict[str, Any] | None
    aberto_em: datetime
    fechado_em: datetime | None
    email_enviado_em: datetime | None
    email_recuperacao_em: datetime | None


class MetricasOut(BaseModel):
    gerado_em: datetime
    circuit_breaker: CircuitBreakerOut
    rate_limiter: RateLimiterOut
    fila: FilaOut
    failures: FailuresOut
    volume_24h: list[VolumeHora]
    delivery: DeliveryOut
    webhooks: WebhooksOut
    connection: ConnectionOut
    workers: WorkersOut
    chamados_afetados: list[ChamadoAfetado]
    alertas_abertos: list[AlertaOut]
