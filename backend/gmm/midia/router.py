"""The stored files, served: to operators (logged in) and to MegaAPI (signed link)."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import FileResponse
from fastapi.security import APIKeyQuery
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth.deps import CurrentUserOrQuery
from gmm.conversas.models import Mensagem
from gmm.core.deps import SessionDep, SettingsDep
from gmm.core.errors import DomainError, Forbidden, NotFound
from gmm.core.respostas import errors
from gmm.midia import armazenamento as midia

router = APIRouter(tags=["whatsapp"])


class AssinaturaAusente(DomainError):
    status_code = 401
    error = "assinatura_ausente"


_assinatura = APIKeyQuery(
    name="sig",
    auto_error=False,
    scheme_name="assinatura_midia",
    description="Assinatura HMAC do nome e da validade; já vem na URL entregue à MegaAPI",
)


@router.get(
    "/midias-publicas/{nome}",
    operation_id="obter_midia_publica",
    summary="Arquivo por link assinado",
    responses={
        **errors(404, 422),
        401: errors(401)[401] | {"description": "Assinatura ausente"},
        403: errors(403)[403] | {"description": "Assinatura inválida ou link expirado"},
        200: {"content": {"application/octet-stream": {}}, "description": "O arquivo"},
    },
    response_class=FileResponse,
)
async def obter_midia_publica(
    nome: Annotated[str, Path(max_length=64)],
    settings: SettingsDep,
    sig: Annotated[str | None, Depends(_assinatura)],
    exp: Annotated[int, Query(ge=0, le=2**63 - 1, description="Validade (Unix, segundos)")],
) -> FileResponse:
    """Arquivo enviado por um operador, para a MegaAPI buscar sem login.

    Só com `GMM_PUBLIC_BASE_URL` configurada: a URL que vai à MegaAPI traz `exp` e `sig`
    (HMAC com `GMM_SECRET_KEY`); outra assinatura responde 403, e também passada a
    validade (`GMM_MIDIA_PUBLICA_VALIDADE_SECONDS`, 7 dias por padrão)."""
    if not sig:
        raise AssinaturaAusente("assinatura ausente: use a URL completa, com exp e sig")
    if not midia.assinatura_valida(settings, nome, exp, sig):
        raise Forbidden("assinatura inválida para este arquivo")
    if exp < time.time():
        raise Forbidden("link expirado")
    arquivo = midia.caminho(settings.media_dir, nome)
    if arquivo is None:
        raise NotFound("arquivo não encontrado")
    return FileResponse(
        arquivo,
        media_type=midia.tipo(nome),
        headers={"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"},
    )


@router.get(
    "/api/midias/{nome}",
    operation_id="obter_midia",
    summary="Baixar arquivo recebido",
    responses={
        **errors(401, 404),
        200: {"content": {"application/octet-stream": {}}, "description": "O arquivo"},
    },
    response_class=FileResponse,
)
async def obter_midia(
    nome: Annotated[str, Path(max_length=64)],
    settings: SettingsDep,
    session: SessionDep,
    _: CurrentUserOrQuery,
) -> FileResponse:
    """Arquivo de uma conversa (foto, áudio, vídeo, documento). Aceita o token também
    como `?access_token=`, para `<img>` e `<audio>` do navegador. Abre no navegador e,
    salvo, leva o nome original do arquivo (`Content-Disposition`)."""
    arquivo = midia.caminho(settings.media_dir, nome)
    if arquivo is None:
        raise NotFound("arquivo não encontrado")
    return FileResponse(
        arquivo,
        media_type=midia.tipo(nome),
        filename=await nome_original(session, nome) or nome,
        content_disposition_type="inline",
        headers={"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"},
    )


async def nome_original(session: AsyncSession, nome: str) -> str | None:
    """The name the file had when it was sent (by the contractor or by an operator)."""
    conteudo = await session.scalar(
        select(Mensagem.conteudo).where(Mensagem.url_midia == midia.URL_PREFIXO + nome).limit(1)
    )
    return getattr(conteudo, "nome_arquivo", None)
