"""Operators send native lists and reply buttons: WhatsApp's limits first, then the queue."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.chamados.models import StatusChamado
from gmm.conversas.models import Mensagem, StatusEnvio, TipoConteudo, TipoMensagem
from gmm.core.config import Settings
from gmm.envio.fila import QUEUE_NAME, job_id
from gmm.envio.schemas import BotaoIn, BotoesIn, ListaIn
from tests import factories as f
from tests.conteudo import guardado
from tests.entrega import Simulador, WorkerFactory
from tests.envio.test_entrega import _esperar, _status
from tests.mensagens import frase


async def _contar(db: AsyncSession) -> int:
    return int(await db.scalar(select(func.count()).select_from(Mensagem)) or 0)


async def _preparar(
    db: AsyncSession, settings: Settings, status: StatusChamado = StatusChamado.aguardando
) -> tuple[dict[str, str], int]:
    h = f.headers(await f.usuario(db), settings)
    c = await f.chamado(db, await f.terceirizado(db, telefone="5511987654321"), status=status)
    return h, c.id


def _linhas(n: int, prefixo: str = "l") -> list[dict[str, str]]:
    return [{"id": f"{prefixo}{i}", "titulo": f"Opção {i}"} for i in range(n)]


LISTA: dict[str, Any] = {
    "texto": "  Quando pode vir?  ",
    "botao": "Ver horários",
    "titulo": "Chamado de manutenção",
    "descricao": "GMM",
    "secoes": [
        {
            "titulo": "Hoje",
            "linhas": [
                {"id": "hoje:manha", "titulo": "Manhã", "descricao": "Das 8h às 12h"},
                {"id": "hoje:tarde", "titulo": "Tarde"},
            ],
        },
        {"titulo": "Amanhã", "linhas": [{"id": "amanha", "titulo": "Qualquer hora"}]},
    ],
}
BOTOES: dict[str, Any] = {
    "texto": "Orçamento de R$ 350,00. Aprova?",
    "rodape": "GMM Manutenção",
    "botoes": [
        {"id": "orcamento:aprovar", "titulo": "Aprovar"},
        {"id": "orcamento:recusar", "titulo": "Recusar"},
    ],
}


async def test_lista_is_stored_pendente_with_the_worker_shape_and_queued(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, app: FastAPI
) -> None:
    h, chamado_id = await _preparar(db, settings)

    response = await client.post(f"/api/chamados/{chamado_id}/enviar-lista", json=LISTA, headers=h)

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["envio"] == "enfileirada"
    assert body["chamado"]["id"] == chamado_id
    mensagem = body["mensagem"]
    assert mensagem["tipo"] == "lista_interativa" and mensagem["tipo_conteudo"] == "interactive"
    assert mensagem["texto"] == "Quando pode vir?" and mensagem["status_envio"] == "pendente"
    row = await db.get(Mensagem, mensagem["id"])
    assert row is not None
    assert row.tipo == TipoMensagem.lista_interativa
    assert row.status_envio in (StatusEnvio.pendente, StatusEnvio.enfileirado)
    assert row.destinatario == "5511987654321"
    assert guardado(row) == {
        "tipo": "lista",
        "botao": "Ver horários",
        "titulo": "Chamado de manutenção",
        "descricao": "GMM",
        "secoes": [
            {
                "titulo": "Hoje",
                "linhas": [
                    {"id": "hoje:manha", "titulo": "Manhã", "descricao": "Das 8h às 12h"},
                    {"id": "hoje:tarde", "titulo": "Tarde", "descricao": ""},
                ],
            },
            {
                "titulo": "Amanhã",
                "linhas": [{"id": "amanha", "titulo": "Qualquer hora", "descricao": ""}],
            },
        ],
    }
    assert await app.state.arq.zscore(QUEUE_NAME, job_id(row.id)) is not None

    again = await client.post(f"/api/chamados/{chamado_id}/enviar-lista", json=LISTA, headers=h)
    assert again.status_code == 201
    assert again.json()["envio"] == "duplicada" and again.json()["mensagem"]["id"] == row.id
    assert await _contar(db) == 1


async def test_botoes_are_stored_pendente_and_queued(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, app: FastAPI
) -> None:
    h, chamado_id = await _preparar(db, settings)

    response = await client.post(
        f"/api/chamados/{chamado_id}/enviar-botoes", json=BOTOES, headers=h
    )

    assert response.status_code == 201, response.text
    assert response.json()["envio"] == "enfileirada"
    mensagem = response.json()["mensagem"]
    assert (mensagem["tipo"], mensagem["tipo_conteudo"]) == ("botoes", "interactive")
    row = await db.get(Mensagem, mensagem["id"])
    assert row is not None and row.texto == BOTOES["texto"]
    assert row.tipo_conteudo == TipoConteudo.interactive
    assert guardado(row) == {"tipo": "botoes", **{k: BOTOES[k] for k in ("rodape", "botoes")}}
    assert await app.state.arq.zscore(QUEUE_NAME, job_id(row.id)) is not None


def test_ready_made_actions_build_the_same_conteudo_in_python() -> None:
    botoes = BotoesIn(
        texto="Aprova?",
        rodape="GMM",
        botoes=[BotaoIn(id="orcamento:aprovar", titulo="Aprovar")],
    )
    assert botoes.conteudo().armazenar() == {
        "tipo": "botoes",
        "rodape": "GMM",
        "botoes": [{"id": "orcamento:aprovar", "titulo": "Aprovar"}],
    }
    lista = ListaIn.model_validate(LISTA)
    assert lista.conteudo().tipo == "lista" and lista.texto == "Quando pode vir?"


def _com(base: dict[str, Any], **mudancas: Any) -> dict[str, Any]:
    return {**base, **mudancas}


def _secao(linhas: list[dict[str, str]], titulo: str = "Seção") -> dict[str, Any]:
    return {"titulo": titulo, "linhas": linhas}


@pytest.mark.parametrize(
    ("body", "loc", "regra"),
    [
        (
            _com(BOTOES, botoes=[{"id": f"b{i}", "titulo": f"B{i}"} for i in range(4)]),
            ["body", "botoes"],
            "no máximo 3 botões",
        ),
        (_com(BOTOES, botoes=[]), ["body", "botoes"], "ao menos 1 botão"),
        (
            _com(BOTOES, botoes=[{"id": "a", "titulo": "x" * 21}]),
            ["body", "botoes", 0, "titulo"],
            "título do botão com no máximo 20 caracteres",
        ),
        (
            _com(BOTOES, botoes=[{"id": "a", "titulo": "Sim"}, {"id": "a", "titulo": "Não"}]),
            ["body", "botoes"],
            "ids de botão repetidos: a",
        ),
        (
            _com(BOTOES, botoes=[{"id": "a", "titulo": "Sim"}, {"id": "b", "titulo": "Sim"}]),
            ["body", "botoes"],
            "títulos de botão repetidos: Sim",
        ),
        (
            _com(BOTOES, texto="x" * 1025),
            ["body", "texto"],
            "texto da mensagem interativa com no máximo 1024 caracteres",
        ),
        (_com(BOTOES, texto="   "), ["body", "texto"], "não pode ficar vazio"),
        (_com(BOTOES, rodape="x" * 61), ["body", "rodape"], "rodapé com no máximo 60 caracteres"),
        (
            _com(BOTOES, botoes=[{"id": "", "titulo": "Sim"}]),
            ["body", "botoes", 0, "id"],
            "id não pode ficar vazio",
        ),
        ({"texto": "oi"}, ["body"], "campo obrigatório: botoes"),
        (_com(BOTOES, cor="azul"), ["body"], "campo desconhecido: cor"),
    ],
)
async def test_botoes_limits_are_422_naming_the_rule_and_store_nothing(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    app: FastAPI,
    body: dict[str, Any],
    loc: list[Any],
    regra: str,
) -> None:
    h, chamado_id = await _preparar(db, settings)

    response = await client.post(f"/api/chamados/{chamado_id}/enviar-botoes", json=body, headers=h)

    assert response.status_code == 422, response.text
    assert response.json()["error"] == "dados_invalidos"
    [problema] = response.json()["detail"]
    assert problema["loc"] == loc and regra in frase(problema["msg"]), problema
    assert await _contar(db) == 0
    assert await app.state.arq.zcard(QUEUE_NAME) == 0


@pytest.mark.parametrize(
    ("body", "loc", "regra"),
    [
        (
            _com(LISTA, secoes=[_secao(_linhas(1, f"s{i}-"), f"S{i}") for i in range(11)]),
            ["body", "secoes"],
            "no máximo 10 seções",
        ),
        (
            _com(LISTA, secoes=[_secao(_linhas(6, "a")), _secao(_linhas(5, "b"))]),
            ["body", "secoes"],
            "no máximo 10 linhas no total da lista (há 11)",
        ),
        (_com(LISTA, secoes=[]), ["body", "secoes"], "ao menos 1 seção"),
        (
            _com(LISTA, secoes=[_secao(_linhas(1)), _secao([])]),
            ["body", "secoes", 1, "linhas"],
            "seção sem linhas",
        ),
        (
            _com(LISTA, secoes=[_secao(_linhas(2)), _secao(_linhas(1))]),
            ["body", "secoes"],
            "ids de linha repetidos: l0",
        ),
        (
            _com(LISTA, secoes=[_secao(_linhas(1), "x" * 25)]),
            ["body", "secoes", 0, "titulo"],
            "título da seção com no máximo 24 caracteres",
        ),
        (
            _com(LISTA, secoes=[_secao([{"id": "a", "titulo": "x" * 25}])]),
            ["body", "secoes", 0, "linhas", 0, "titulo"],
            "título da linha com no máximo 24 caracteres",
        ),
        (
            _com(LISTA, secoes=[_secao([{"id": "a", "titulo": "a", "descricao": "x" * 73}])]),
            ["body", "secoes", 0, "linhas", 0, "descricao"],
            "descrição da linha com no máximo 72 caracteres",
        ),
        (
            _com(LISTA, botao="x" * 21),
            ["body", "botao"],
            "texto do botão da lista com no máximo 20 caracteres",
        ),
        (
            _com(LISTA, texto="x" * 1025),
            ["body", "texto"],
            "texto da mensagem interativa com no máximo 1024 caracteres",
        ),
        (_com(LISTA, titulo="x" * 61), ["body", "titulo"], "cabeçalho com no máximo 60 caracteres"),
        (_com(LISTA, descricao="x" * 61), ["body", "descricao"], "rodapé com no máximo 60"),
        (_com(LISTA, secoes="muitas"), ["body", "secoes"], "secoes deve ser uma lista"),
    ],
)
async def test_lista_limits_are_422_naming_the_rule_and_store_nothing(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    app: FastAPI,
    body: dict[str, Any],
    loc: list[Any],
    regra: str,
) -> None:
    h, chamado_id = await _preparar(db, settings)

    response = await client.post(f"/api/chamados/{chamado_id}/enviar-lista", json=body, headers=h)

    assert response.status_code == 422, response.text
    [problema] = response.json()["detail"]
    assert problema["loc"] == loc and regra in frase(problema["msg"]), problema
    assert await _contar(db) == 0
    assert await app.state.arq.zcard(QUEUE_NAME) == 0


async def test_exactly_at_the_limits_is_accepted(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h, chamado_id = await _preparar(db, settings)
    botoes = {
        "texto": "x" * 1024,
        "rodape": "r" * 60,
        "botoes": [{"id": f"b{i}", "titulo": str(i) * 20} for i in range(3)],
    }
    lista = {
        "texto": "t" * 1024,
        "botao": "b" * 20,
        "titulo": "h" * 60,
        "descricao": "d" * 60,
        "secoes": [
            _secao([{"id": "um", "titulo": "r" * 24, "descricao": "d" * 72}], "s" * 24),
            *(_secao(_linhas(1, f"s{i}-"), f"S{i}") for i in range(9)),
        ],
    }
    for rota, body in (("enviar-botoes", botoes), ("enviar-lista", lista)):
        response = await client.post(f"/api/chamados/{chamado_id}/{rota}", json=body, headers=h)
        assert response.status_code == 201, response.text
    assert await _contar(db) == 2


@pytest.mark.parametrize("status", [StatusChamado.cancelado, StatusChamado.concluido])
@pytest.mark.parametrize(("rota", "body"), [("enviar-lista", LISTA), ("enviar-botoes", BOTOES)])
async def test_finished_chamado_is_409(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    status: StatusChamado,
    rota: str,
    body: dict[str, Any],
) -> None:
    h, chamado_id = await _preparar(db, settings, status)

    response = await client.post(f"/api/chamados/{chamado_id}/{rota}", json=body, headers=h)

    assert response.status_code == 409, response.text
    assert response.json()["error"] == "conflito" and status.value in response.json()["detail"]
    assert await _contar(db) == 0


@pytest.mark.parametrize(("rota", "body"), [("enviar-lista", LISTA), ("enviar-botoes", BOTOES)])
async def test_token_required_and_unknown_chamado_404(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, rota: str, body: dict[str, Any]
) -> None:
    h, chamado_id = await _preparar(db, settings)

    anonimo = await client.post(f"/api/chamados/{chamado_id}/{rota}", json=body)
    ausente = await client.post(f"/api/chamados/999999/{rota}", json=body, headers=h)

    assert anonimo.status_code == 401 and anonimo.json()["error"] == "nao_autenticado"
    assert ausente.status_code == 404
    assert await _contar(db) == 0


async def test_buttons_and_list_reach_the_simulator_through_the_worker(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    simulador: Simulador,
    worker: WorkerFactory,
) -> None:
    h, chamado_id = await _preparar(db, settings)
    botoes = await client.post(f"/api/chamados/{chamado_id}/enviar-botoes", json=BOTOES, headers=h)
    lista = await client.post(f"/api/chamados/{chamado_id}/enviar-lista", json=LISTA, headers=h)
    ids = [botoes.json()["mensagem"]["id"], lista.json()["mensagem"]["id"]]

    await worker()
    for mensagem_id in ids:
        await _esperar(_status(db, mensagem_id, StatusEnvio.enviado, StatusEnvio.falhou))

    rows = [await db.get(Mensagem, i) for i in ids]
    assert [(r.status_envio, r.erro) for r in rows if r] == [(StatusEnvio.enviado, None)] * 2
    envios = {r["path"].rsplit("/", 1)[-1]: r for r in await simulador.envios()}
    template = envios["templateMessage"]
    assert template["status"] == 200
    dados = template["json"]["messageData"]
    assert dados["to"] == "5511987654321"
    assert dados["text"] == BOTOES["texto"] and dados["footerText"] == "GMM Manutenção"
    assert dados["buttons"] == [
        {"type": "replyButton", "title": "Aprovar"},
        {"type": "replyButton", "title": "Recusar"},
    ]
    lista_dados = envios["listMessage"]["json"]["messageData"]
    assert envios["listMessage"]["status"] == 200
    assert lista_dados["buttonText"] == "Ver horários" and lista_dados["title"] == LISTA["titulo"]
    assert [[r["rowId"] for r in s["rows"]] for s in lista_dados["sections"]] == [
        ["hoje:manha", "hoje:tarde"],
        ["amanha"],
    ]
