from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field


class Metrica(BaseModel):
    """Como uma medida é calculada (a tela mostra isto ao passar o mouse)."""

    chave: str
    nome: str
    descricao: str
    unidade: Literal["min", "fracao", "numero", "por_chamado"]
    melhor: Literal["menor", "maior"]


class Placar(BaseModel):
    """As medidas de um conjunto de chamados (de um terceirizado, numa semana...)."""

    chamados: int
    sem_resposta: int
    resposta_mediana_min: float | None
    resposta_p90_min: float | None
    confirmados_no_prazo: float | None
    cobrancas_manuais_por_chamado: float | None
    cobrancas_automaticas_por_chamado: float | None
    concluidos_no_prazo: float | None
    aprovacao_orcamentos: float | None
    reabertos: int
    reatribuidos: int
    entregues: float | None
    lidas: float | None
    leitura_mediana_min: float | None


class PlacarTerceirizado(Placar):
    terceirizado_id: int
    nome: str
    empresa: str | None


class RankingOut(BaseModel):
    de: date
    ate: date
    metricas: list[Metrica]
    itens: list[PlacarTerceirizado] = Field(description="Um por terceirizado com chamados")


class PontoSerie(Placar):
    semana: date = Field(description="Segunda-feira da semana (chamados abertos nela)")


class DetalheOut(BaseModel):
    de: date
    ate: date
    placar: PlacarTerceirizado
    serie: list[PontoSerie] = Field(description="Os 90 dias até `ate`, semana a semana")
    metricas: list[Metrica]


class Atencao(BaseModel):
    terceirizado_id: int
    nome: str
    motivos: list[str]
    antes: Placar = Field(description="Os 60 dias anteriores")
    agora: Placar = Field(description="Os últimos 30 dias")


class TempoResposta(BaseModel):
    respostas: int
    mediana_min: float | None
    p90_min: float | None


class TempoOperador(TempoResposta):
    usuario_id: int | None = Field(description="null: respostas de antes do registro do autor")
    nome: str


class TempoHora(TempoResposta):
    hora: int = Field(ge=0, le=23, description="Hora (no fuso da empresa) da mensagem recebida")


class OperadoresOut(BaseModel):
    de: date
    ate: date
    geral: TempoResposta
    por_operador: list[TempoOperador]
    por_hora: list[TempoHora]
