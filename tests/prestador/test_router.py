"""The contractor link: operators create, list and revoke it; the contractor, without an
account, sees the chamado, sends photos and documents and marks the work done."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth import security
from gmm.chamados.models import Chamado, HistoricoChamado, OrigemHistorico, StatusChamado
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoConteudo, TipoMensagem
from gmm.core.config import Settings
from gmm.core.db import utcnow
from gmm.megaapi_sim.media import pdf_one_page, png_1x1
from gmm.prestador import acesso
from gmm.prestador.models import TokenAcesso
from tests import factories as f
from tests.conteudo import guardado
from tests.mensagens import frase
from tests.prestador.conftest import Configurar, criar_link, eventos, usos

TELEFONE = "5511987654321"
EXE = b"MZ\x90\x00\x03" + bytes(120)
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x0f" + bytes(200)
NAVEGADOR = {"User-Agent": "Mozilla/5.0 (Linux; Android 14) Celular do prestador"}


async def _cenario(
    db: AsyncSession, settings: Settings, status: StatusChamado = StatusChamado.aguardando
) -> tuple[dict[str, str], Chamado]:
    h = f.headers(await f.usuario(db), settings)
    t = await f.terceirizado(db, nome="Carlos Pereira", telefone=TELEFONE)
    c = await f.chamado(db, t, titulo="Vazamento na copa", status=status)
    return h, c


async def _link(db: AsyncSession, token_id: int) -> TokenAcesso:
    link = await db.get(TokenAcesso, token_id, populate_existing=True)
    assert link is not None
    return link


async def _mensagens(db: AsyncSession, chamado_id: int) -> list[Mensagem]:
    return list(
        await db.scalars(
            select(Mensagem)
            .where(Mensagem.chamado_id == chamado_id)
            .order_by(Mensagem.id)
            .execution_options(populate_existing=True)
        )
    )


def _arquivos(pasta: Path) -> list[Path]:
    return sorted(pasta.iterdir()) if pasta.is_dir() else []


# -- operators ---------------------------------------------------------------------------


async def test_create_stores_the_link_and_sends_it_over_whatsapp(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h, c = await _cenario(db, settings)
    antes = utcnow()

    token, corpo = await criar_link(client, c.id, h)

    assert corpo["url"] == f"http://test/p/{token}"
    link = corpo["link"]
    assert link["status"] == "ativo" and link["usos"] == 0 and link["chamado_id"] == c.id
    row = await _link(db, link["id"])
    assert row.criado_por is not None and row.revogado_em is None
    assert abs(row.expira_em - antes - timedelta(days=7)) < timedelta(seconds=5)
    assert token not in row.jti and len(row.jti) >= 16
    mensagem = corpo["mensagem"]
    assert corpo["envio"] == "enfileirada" and corpo["chamado"]["id"] == c.id
    assert mensagem["tipo"] == "link_prestador" and mensagem["direcao"] == "outbound"
    assert mensagem["destinatario"] == TELEFONE
    assert c.numero_chamado in mensagem["texto"] and corpo["url"] in mensagem["texto"]
    assert mensagem["texto"].startswith("Olá, Carlos!")
    stored = await _mensagens(db, c.id)
    # Handed to the send queue once the request committed.
    assert [(m.tipo, m.status_envio) for m in stored] == [
        (TipoMensagem.link_prestador, StatusEnvio.enfileirado)
    ]


async def test_create_uses_the_public_address_and_the_requested_validity(
    client: httpx.AsyncClient, db: AsyncSession, configurar: Configurar
) -> None:
    config = configurar(public_base_url="https://gmm.example.com")
    h, c = await _cenario(db, config)
    antes = utcnow()

    token, corpo = await criar_link(client, c.id, h, validade_horas=2)

    assert corpo["url"] == f"https://gmm.example.com/p/{token}"
    row = await _link(db, corpo["link"]["id"])
    assert abs(row.expira_em - antes - timedelta(hours=2)) < timedelta(seconds=5)


@pytest.mark.parametrize("status", [StatusChamado.concluido, StatusChamado.cancelado])
async def test_create_refuses_a_closed_chamado(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, status: StatusChamado
) -> None:
    h, c = await _cenario(db, settings, status)

    resposta = await client.post(f"/api/chamados/{c.id}/link-prestador", headers=h)

    assert resposta.status_code == 409, resposta.text
    assert await db.scalar(select(func.count()).select_from(TokenAcesso)) == 0
    assert await _mensagens(db, c.id) == []


async def test_create_refuses_bad_input(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h, c = await _cenario(db, settings)
    url = f"/api/chamados/{c.id}/link-prestador"
    assert (await client.post(url, json={"validade_horas": 0}, headers=h)).status_code == 422
    assert (await client.post(url, json={"validade_horas": 721}, headers=h)).status_code == 422
    assert (await client.post(url, json={"outro": 1}, headers=h)).status_code == 422
    assert (await client.post(url)).status_code == 401
    sumido = await client.post("/api/chamados/999999/link-prestador", headers=h)
    assert sumido.status_code == 404
    assert await db.scalar(select(func.count()).select_from(TokenAcesso)) == 0


async def test_list_shows_status_and_uses_but_never_the_token(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h, c = await _cenario(db, settings)
    velho, corpo_velho = await criar_link(client, c.id, h)
    revogado, corpo_revogado = await criar_link(client, c.id, h)
    ativo, corpo_ativo = await criar_link(client, c.id, h)
    await db.execute(
        update(TokenAcesso)
        .where(TokenAcesso.id == corpo_velho["link"]["id"])
        .values(expira_em=utcnow() - timedelta(minutes=1))
    )
    await db.commit()
    revogar = f"/api/links-prestador/{corpo_revogado['link']['id']}/revogar"
    assert (await client.post(revogar, headers=h)).status_code == 200
    assert (await client.get(f"/api/prestador/{ativo}")).status_code == 200
    assert (await client.get(f"/api/prestador/{ativo}")).status_code == 200
    assert (await client.get(f"/api/prestador/{revogado}")).status_code == 410

    resposta = await client.get(f"/api/chamados/{c.id}/links-prestador", headers=h)

    assert resposta.status_code == 200, resposta.text
    for token in (velho, revogado, ativo):
        assert token not in resposta.text
    links = resposta.json()
    assert [(x["id"], x["status"], x["usos"], x["recusas"]) for x in links] == [
        (corpo_ativo["link"]["id"], "ativo", 2, 0),
        (corpo_revogado["link"]["id"], "revogado", 0, 1),
        (corpo_velho["link"]["id"], "expirado", 0, 0),
    ]
    assert links[0]["ultimo_uso_em"] is not None and links[2]["ultimo_uso_em"] is None
    assert (await client.get(f"/api/chamados/{c.id}/links-prestador")).status_code == 401
    assert (await client.get("/api/chamados/999999/links-prestador", headers=h)).status_code == 404


async def test_revoke_ends_the_link_at_once(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h, c = await _cenario(db, settings)
    token, corpo = await criar_link(client, c.id, h)
    link_id = corpo["link"]["id"]
    assert (await client.get(f"/api/prestador/{token}")).status_code == 200

    resposta = await client.post(f"/api/links-prestador/{link_id}/revogar", headers=h)

    assert resposta.status_code == 200, resposta.text
    assert resposta.json()["status"] == "revogado" and resposta.json()["usos"] == 1
    assert (await _link(db, link_id)).revogado_em is not None
    for pedido in (
        client.get(f"/api/prestador/{token}"),
        client.post(f"/api/prestador/{token}/concluir"),
    ):
        recusado = await pedido
        assert recusado.status_code == 410
        assert recusado.json() == {
            "error": "link_revogado",
            "detail": "Link revogado: peça um novo link à central",
        }
    assert (
        await client.post(f"/api/links-prestador/{link_id}/revogar", headers=h)
    ).status_code == 409
    assert (await client.post("/api/links-prestador/999999/revogar", headers=h)).status_code == 404
    assert (await client.post(f"/api/links-prestador/{link_id}/revogar")).status_code == 401
    chamado = await db.get(Chamado, c.id, populate_existing=True)
    assert chamado is not None and chamado.status == StatusChamado.aguardando


# -- the contractor: authentication ----------------------------------------------------------


async def test_view_shows_the_work_and_nothing_internal(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h, c = await _cenario(db, settings)
    await db.execute(
        update(Chamado).where(Chamado.id == c.id).values(descricao="Pia da copa, 3º andar")
    )
    await db.commit()
    token, corpo = await criar_link(client, c.id, h)

    resposta = await client.get(f"/api/prestador/{token}", headers=NAVEGADOR)

    assert resposta.status_code == 200, resposta.text
    visao = resposta.json()
    assert visao == {
        "numero_chamado": c.numero_chamado,
        "titulo": "Vazamento na copa",
        "descricao": "Pia da copa, 3º andar",
        "status": "aguardando",
        "prazo_combinado": None,
        "atrasado": False,
        "prestador": "Carlos Pereira",
        "link_expira_em": visao["link_expira_em"],
        "pode_enviar": True,
        "pode_concluir": True,
        "arquivos": [],
    }
    assert TELEFONE not in resposta.text and "Empresa" not in resposta.text
    link = await _link(db, corpo["link"]["id"])
    assert link.ultimo_uso_em is not None
    [uso] = await usos(db, link.id)
    assert (uso.acao, uso.ip, uso.user_agent) == ("ver", "127.0.0.1", NAVEGADOR["User-Agent"])


async def test_user_agent_is_cut_to_the_column(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h, c = await _cenario(db, settings)
    token, corpo = await criar_link(client, c.id, h)

    resposta = await client.get(f"/api/prestador/{token}", headers={"User-Agent": "x" * 1000})

    assert resposta.status_code == 200
    [uso] = await usos(db, corpo["link"]["id"])
    assert uso.user_agent == "x" * 300


def _trocar_um(token: str, posicao: int) -> str:
    trocado = "A" if token[posicao] != "A" else "B"
    return token[:posicao] + trocado + token[posicao + 1 :]


async def test_tampered_garbage_and_login_tokens_get_401(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h, c = await _cenario(db, settings)
    token, corpo = await criar_link(client, c.id, h)
    cabeca, carga, assinatura = token.split(".")
    login, _ = security.create_token(1, settings)
    casos = {
        "assinatura": _trocar_um(token, len(token) - 5),
        "carga": f"{cabeca}.{_trocar_um(carga, 10)}.{assinatura}",
        "lixo": "nao-e-um-token",
        "login": login,
        "login de quem criou": h["Authorization"].removeprefix("Bearer "),
    }
    for nome, falso in casos.items():
        for metodo, caminho in (
            ("GET", f"/api/prestador/{falso}"),
            ("POST", f"/api/prestador/{falso}/concluir"),
        ):
            resposta = await client.request(metodo, caminho)
            assert resposta.status_code == 401, (nome, metodo, resposta.text)
            assert resposta.json()["error"] == "nao_autenticado"
    chamado = await db.get(Chamado, c.id, populate_existing=True)
    assert chamado is not None and chamado.status == StatusChamado.aguardando
    # The forged signature named a link we know: the attempts are in its log.
    recusas = await usos(db, corpo["link"]["id"])
    assert [u.acao for u in recusas] == ["recusado", "recusado"]
    assert all("adulterado" in (u.detalhe or "") for u in recusas)


async def test_a_link_token_is_not_an_operator_login(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, configurar: Configurar
) -> None:
    h, c = await _cenario(db, settings)
    token, _ = await criar_link(client, c.id, h)
    bearer = {"Authorization": f"Bearer {token}"}

    for caminho in ("/api/auth/me", "/api/chamados", f"/api/chamados/{c.id}/links-prestador"):
        resposta = await client.get(caminho, headers=bearer)
        assert resposta.status_code == 401, (caminho, resposta.text)
    assert (await client.get(f"/api/midias/x.png?access_token={token}")).status_code == 401
    with pytest.raises(Exception, match="token inválido"):
        security.read_token(token, settings)


async def test_expired_link_gets_410_and_is_logged(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    _, c = await _cenario(db, settings)
    # A token whose own exp is in the past: expired, not forged.
    expira_em = utcnow().replace(microsecond=0) - timedelta(hours=1)
    link = TokenAcesso(jti="jti-expirado", chamado_id=c.id, expira_em=expira_em)
    db.add(link)
    await db.commit()
    token = acesso.criar_token(settings, link.jti, c.id, expira_em)

    resposta = await client.get(f"/api/prestador/{token}", headers=NAVEGADOR)

    assert resposta.status_code == 410
    assert resposta.json() == {
        "error": "link_expirado",
        "detail": "Link expirado: peça um novo link à central",
    }
    [uso] = await usos(db, link.id)
    assert (uso.acao, uso.detalhe) == (
        "recusado",
        "ver: link expirado: peça um novo link à central",
    )
    assert uso.user_agent == NAVEGADOR["User-Agent"]
    assert (await _link(db, link.id)).ultimo_uso_em is None


async def test_a_signed_token_for_an_unknown_link_gets_401(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    _, c = await _cenario(db, settings)
    token = acesso.criar_token(settings, "jti-sem-linha", c.id, utcnow() + timedelta(hours=1))

    assert (await client.get(f"/api/prestador/{token}")).status_code == 401


# -- the contractor: files ---------------------------------------------------------------------


async def test_upload_stores_an_inbound_message_the_operators_see(
    client: httpx.AsyncClient, db: AsyncSession, configurar: Configurar, redis: Redis
) -> None:
    config = configurar()
    h, c = await _cenario(db, config)
    token, corpo = await criar_link(client, c.id, h)
    antes = (await db.get(Chamado, c.id, populate_existing=True)).ultima_atividade_em  # type: ignore[union-attr]

    resposta = await client.post(
        f"/api/prestador/{token}/arquivos",
        files={"arquivo": ("../../foto da pia.png", png_1x1(), "image/png")},
        data={"caption": "Antes do reparo"},
        headers=NAVEGADOR,
    )

    assert resposta.status_code == 201, resposta.text
    arquivo = resposta.json()
    assert arquivo["nome_arquivo"] == "foto da pia.png" and arquivo["tipo_conteudo"] == "image"
    assert arquivo["mime_type"] == "image/png" and arquivo["caption"] == "Antes do reparo"
    recebida = (await _mensagens(db, c.id))[-1]
    assert recebida.id == arquivo["id"]
    assert (recebida.direcao, recebida.tipo, recebida.tipo_conteudo) == (
        Direcao.inbound,
        TipoMensagem.recebida,
        TipoConteudo.image,
    )
    assert recebida.status_envio == StatusEnvio.entregue and recebida.megaapi_id is None
    assert recebida.destinatario == TELEFONE and recebida.caption == "Antes do reparo"
    assert recebida.conteudo is not None
    assert {k: guardado(recebida)[k] for k in ("origem", "nome_arquivo", "mime_type")} == {
        "origem": "link_prestador",
        "nome_arquivo": "foto da pia.png",
        "mime_type": "image/png",
    }
    assert guardado(recebida)["midia_status"] == "pronta"
    assert recebida.url_midia is not None and recebida.url_midia.startswith("/api/midias/")
    chamado = await db.get(Chamado, c.id, populate_existing=True)
    assert chamado is not None and chamado.ultima_atividade_em > antes
    # The operators' chat serves the file and heard of it at once.
    servido = await client.get(recebida.url_midia, headers=h)
    assert servido.status_code == 200 and servido.content == png_1x1()
    assert {"mensagem_id": recebida.id, "chamado_id": c.id}.items() <= (
        (await eventos(redis, "mensagem.nova"))[-1].items()
    )
    # The contractor sees what was sent.
    visao = (await client.get(f"/api/prestador/{token}")).json()
    assert [a["id"] for a in visao["arquivos"]] == [recebida.id]
    assert [u.acao for u in await usos(db, corpo["link"]["id"])] == ["enviar_arquivo", "ver"]


async def test_upload_takes_documents(
    client: httpx.AsyncClient, db: AsyncSession, configurar: Configurar
) -> None:
    config = configurar()
    h, c = await _cenario(db, config)
    token, _ = await criar_link(client, c.id, h)

    resposta = await client.post(
        f"/api/prestador/{token}/arquivos",
        files={"arquivo": ("nota.pdf", pdf_one_page(), "application/pdf")},
    )

    assert resposta.status_code == 201, resposta.text
    assert resposta.json()["tipo_conteudo"] == "document"
    assert resposta.json()["caption"] is None


@pytest.mark.parametrize(
    ("nome", "dados", "trecho"),
    [
        ("foto.jpg", EXE, "tipo de arquivo não aceito"),
        ("audio.mp3", MP3, "só vão fotos"),
        ("vazio.png", b"", "arquivo vazio"),
    ],
)
async def test_upload_refuses_other_files_and_keeps_nothing(
    client: httpx.AsyncClient,
    db: AsyncSession,
    configurar: Configurar,
    nome: str,
    dados: bytes,
    trecho: str,
) -> None:
    config = configurar()
    h, c = await _cenario(db, config)
    token, corpo = await criar_link(client, c.id, h)
    enviadas = len(await _mensagens(db, c.id))

    resposta = await client.post(
        f"/api/prestador/{token}/arquivos", files={"arquivo": (nome, dados, "image/jpeg")}
    )

    assert resposta.status_code == 422, resposta.text
    assert resposta.json()["error"] == "arquivo_invalido"
    assert trecho in frase(resposta.json()["detail"])
    assert len(await _mensagens(db, c.id)) == enviadas
    assert _arquivos(config.media_dir) == []
    [uso] = await usos(db, corpo["link"]["id"])
    assert uso.acao == "recusado" and (uso.detalhe or "").startswith("enviar_arquivo: ")


async def test_upload_without_a_file_is_refused_and_logged(
    client: httpx.AsyncClient, db: AsyncSession, configurar: Configurar
) -> None:
    configurar()
    h, c = await _cenario(db, configurar())
    token, corpo = await criar_link(client, c.id, h)

    resposta = await client.post(f"/api/prestador/{token}/arquivos", data={"caption": "x"})

    assert resposta.status_code == 422
    assert [u.detalhe for u in await usos(db, corpo["link"]["id"])] == [
        "enviar_arquivo: dados inválidos"
    ]


# -- the contractor: done ------------------------------------------------------------------------


async def test_done_waits_for_the_operators_confirmation(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, redis: Redis
) -> None:
    h, c = await _cenario(db, settings)
    token, corpo = await criar_link(client, c.id, h)

    resposta = await client.post(
        f"/api/prestador/{token}/concluir", json={"observacao": "  Troquei o sifão.  "}
    )

    assert resposta.status_code == 200, resposta.text
    visao = resposta.json()
    assert visao["status"] == "aguardando_confirmacao"
    assert visao["pode_concluir"] is False and visao["pode_enviar"] is True
    chamado = await db.get(Chamado, c.id, populate_existing=True)
    assert chamado is not None and chamado.status == StatusChamado.aguardando_confirmacao
    observacao = (await _mensagens(db, c.id))[-1]
    assert (observacao.direcao, observacao.tipo_conteudo, observacao.texto) == (
        Direcao.inbound,
        TipoConteudo.text,
        "Troquei o sifão.",
    )
    assert guardado(observacao) == {"tipo": "texto", "origem": "link_prestador"}
    [registro] = list(
        await db.scalars(select(HistoricoChamado).where(HistoricoChamado.chamado_id == c.id))
    )
    assert registro.origem == OrigemHistorico.prestador
    assert (registro.status_anterior, registro.status_novo) == (
        StatusChamado.aguardando,
        StatusChamado.aguardando_confirmacao,
    )
    assert registro.mensagem_id == observacao.id and registro.usuario_id is None
    assert {"chamado_id": c.id, "status": "aguardando_confirmacao"}.items() <= (
        (await eventos(redis, "chamado.atualizado"))[-1].items()
    )
    [aviso] = await eventos(redis, "notificacao")
    assert aviso["chamado_id"] == c.id and "concluído pelo link" in aviso["texto"]
    assert observacao.id in [e["mensagem_id"] for e in await eventos(redis, "mensagem.nova")]

    de_novo = await client.post(f"/api/prestador/{token}/concluir")
    assert de_novo.status_code == 409 and de_novo.json()["error"] == "transicao_invalida"
    # The operator confirms; after that the link only shows the chamado.
    assert (await client.post(f"/api/chamados/{c.id}/finalizar", headers=h)).status_code == 200
    assert (await client.post(f"/api/prestador/{token}/concluir")).status_code == 409
    enviado = await client.post(
        f"/api/prestador/{token}/arquivos", files={"arquivo": ("a.png", png_1x1(), "image/png")}
    )
    assert enviado.status_code == 409
    encerrado = await client.get(f"/api/prestador/{token}")
    assert encerrado.status_code == 200
    assert encerrado.json()["status"] == "concluido"
    assert encerrado.json()["pode_enviar"] is False
    assert [u.acao for u in await usos(db, corpo["link"]["id"])] == [
        "concluir",
        "recusado",
        "recusado",
        "recusado",
        "ver",
    ]


async def test_done_without_a_note_stores_no_message(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h, c = await _cenario(db, settings, StatusChamado.em_andamento)
    token, _ = await criar_link(client, c.id, h)
    enviadas = len(await _mensagens(db, c.id))

    resposta = await client.post(f"/api/prestador/{token}/concluir")

    assert resposta.status_code == 200, resposta.text
    assert len(await _mensagens(db, c.id)) == enviadas
    assert (await client.post(f"/api/prestador/{token}/concluir", json={"x": 1})).status_code == 422


@pytest.mark.parametrize("status", [StatusChamado.concluido, StatusChamado.cancelado])
async def test_done_on_a_closed_chamado_is_refused(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, status: StatusChamado
) -> None:
    h, c = await _cenario(db, settings)
    token, _ = await criar_link(client, c.id, h)
    await db.execute(update(Chamado).where(Chamado.id == c.id).values(status=status))
    await db.commit()

    resposta = await client.post(f"/api/prestador/{token}/concluir")

    assert resposta.status_code == 409
    assert status.value in resposta.json()["detail"]


# -- limits --------------------------------------------------------------------------------------


async def test_writes_per_link_are_limited(
    client: httpx.AsyncClient, db: AsyncSession, configurar: Configurar
) -> None:
    config = configurar(link_prestador_escritas_por_hora=2)
    h, c = await _cenario(db, config)
    token, corpo = await criar_link(client, c.id, h)
    outro, _ = await criar_link(client, c.id, h)
    url = f"/api/prestador/{token}/arquivos"

    for _ in range(2):
        ok = await client.post(url, files={"arquivo": ("a.png", png_1x1(), "image/png")})
        assert ok.status_code == 201, ok.text
    limitado = await client.post(url, files={"arquivo": ("a.png", png_1x1(), "image/png")})

    assert limitado.status_code == 429
    assert limitado.json()["error"] == "muitas_tentativas"
    assert 3500 <= int(limitado.headers["Retry-After"]) <= 3600
    assert (await client.post(f"/api/prestador/{token}/concluir")).status_code == 429
    assert len(_arquivos(config.media_dir)) == 2
    # Reading is not limited, and the budget is per link.
    assert (await client.get(f"/api/prestador/{token}")).status_code == 200
    outro_envio = await client.post(
        f"/api/prestador/{outro}/arquivos", files={"arquivo": ("a.png", png_1x1(), "image/png")}
    )
    assert outro_envio.status_code == 201
    assert [u.acao for u in await usos(db, corpo["link"]["id"])] == [
        "enviar_arquivo",
        "enviar_arquivo",
        "recusado",
        "recusado",
        "ver",
    ]
