from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Path, Request, UploadFile, status
from fastapi.exceptions import RequestValidationError

from gmm.auth.deps import CurrentUser
from gmm.chamados.schemas import ChamadoOut
from gmm.conversas.schemas import MensagemOut
from gmm.core.deps import RedisDep, SessionDep, SettingsDep
from gmm.core.errors import DomainError
from gmm.core.params import IdPath
from gmm.core.respostas import ErrorOut, errors, resposta_secreta
from gmm.envio.deps import WhatsAppDep
from gmm.envio.schemas import Legenda
from gmm.prestador import auditoria, links, service
from gmm.prestador.acesso import Acesso, Cliente, autenticar
from gmm.prestador.schemas import (
    ArquivoPrestadorOut,
    ConcluirIn,
    LinkPrestadorCriado,
    LinkPrestadorIn,
    LinkPrestadorOut,
    PrestadorChamadoOut,
)

router = APIRouter(tags=["prestador"])


# -- operators ---------------------------------------------------------------------------


@router.post(
    "/api/chamados/{chamado_id}/link-prestador",
    operation_id="criar_link_prestador",
    summary="Criar e enviar link do prestador",
    status_code=status.HTTP_201_CREATED,
    responses=errors(401, 404, 409, 422, 503),
    # The answer carries the link's token: no copy anywhere (idempotency included).
    dependencies=[Depends(resposta_secreta)],
)
async def criar_link(
    chamado_id: IdPath,
    request: Request,
    session: SessionDep,
    whatsapp: WhatsAppDep,
    settings: SettingsDep,
    usuario: CurrentUser,
    body: LinkPrestadorIn | None = None,
) -> LinkPrestadorCriado:
    """Cria um link para o prestador, sem conta, ver o chamado, enviar fotos e documentos e
    marcá-lo como concluído, e o envia a ele pelo WhatsApp.

    O link (`{GMM_PUBLIC_BASE_URL}/p/<token>`) é assinado, vale `validade_horas` (7 dias
    por padrão) e pode ser revogado; o token não é guardado e só aparece nesta resposta
    e na mensagem. Chamado concluído ou cancelado responde 409."""
    chamado, link, url, envio = await links.criar_link(
        session,
        whatsapp,
        settings,
        chamado_id,
        usuario_id=usuario.id,
        validade_horas=body.validade_horas if body else None,
        base_url=settings.public_base_url or str(request.base_url),
    )
    return LinkPrestadorCriado(
        chamado=ChamadoOut.model_validate(chamado),
        mensagem=MensagemOut.model_validate(envio.mensagem),
        envio=envio.envio.value,
        url=url,
        link=links.link_novo(link),
    )


@router.get(
    "/api/chamados/{chamado_id}/links-prestador",
    operation_id="listar_links_prestador",
    summary="Listar links do prestador",
    responses=errors(401, 404, 422),
)
async def listar_links(
    chamado_id: IdPath, session: SessionDep, _: CurrentUser
) -> list[LinkPrestadorOut]:
    """Os links do prestador deste chamado, do mais novo ao mais antigo, com situação
    (ativo, expirado, revogado), último uso e contagem de acessos e de recusas."""
    return await links.listar_links(session, chamado_id)


@router.post(
    "/api/links-prestador/{link_id}/revogar",
    operation_id="revogar_link_prestador",
    summary="Revogar link do prestador",
    responses=errors(401, 404, 409, 422),
)
async def revogar(link_id: IdPath, session: SessionDep, _: CurrentUser) -> LinkPrestadorOut:
    """Revoga o link na hora: quem o abrir depois recebe 410 `link_revogado`.
    Revogar de novo responde 409."""
    return await links.revogar(session, link_id)


# -- the contractor (public: the token in the path is the credential) --------------------

TokenPath = Annotated[
    str,
    Path(
        min_length=1,
        max_length=1000,
        description="O token do link (o que vem depois de `/p/`); ele é a credencial",
    ),
]


def _acesso(acao: str) -> Callable[..., AsyncIterator[Acesso]]:
    """Check the link for ``acao`` and log the outcome.

    Accepted uses are logged by the service in the request's transaction; anything
    that fails (a 401 for a link we know, 409, 410, 422, 429, or an error of ours) is
    logged here, in a transaction of its own, since the request's rolls back."""

    async def acesso(
        request: Request,
        token: TokenPath,
        session: SessionDep,
        settings: SettingsDep,
        redis: RedisDep,
    ) -> AsyncIterator[Acesso]:
        cliente = Cliente.de(request)
        token_id: int | None = None
        try:
            link = await autenticar(session, settings, token)
            token_id = link.id
            if acao != "ver":
                await auditoria.contar_escrita(redis, settings, link)
            yield Acesso(link, cliente)
        except Exception as exc:
            token_id = token_id or getattr(exc, "token_id", None)
            if token_id is not None:
                if isinstance(exc, DomainError):
                    motivo = exc.detail
                elif isinstance(exc, RequestValidationError):
                    motivo = "dados inválidos"
                else:
                    # The request failed on our side: the attempt still goes in the log.
                    motivo = "falha interna"
                await auditoria.registrar_recusa(
                    request.app.state.sessionmaker, token_id, f"{acao}: {motivo}", cliente
                )
            raise

    return acesso


AcessoVer = Annotated[Acesso, Depends(_acesso("ver"), scope="function")]
AcessoEnviar = Annotated[Acesso, Depends(_acesso("enviar_arquivo"), scope="function")]
AcessoConcluir = Annotated[Acesso, Depends(_acesso("concluir"), scope="function")]

_LINK: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "Link inválido: adulterado, desconhecido ou "
          "um token que não é de link de prestador"},
    410: {"model": ErrorOut, "description": "Link expirado (`link_expirado`) ou revogado "
          "(`link_revogado`)"},
}  # fmt: skip


@router.get(
    "/api/prestador/{token}",
    operation_id="ver_chamado_prestador",
    summary="Ver o chamado pelo link (público)",
    responses={**errors(422), **_LINK},
)
async def ver(acesso: AcessoVer, session: SessionDep) -> PrestadorChamadoOut:
    """Público (o token do link autentica): o chamado como o prestador o vê.

    Número, título, descrição, situação, prazo, o nome do prestador e os arquivos já
    enviados pelo link; nada interno (notas, operadores, outros prestadores). Funciona
    enquanto o link valer, mesmo com o chamado encerrado. Link adulterado ou que não é
    de prestador: 401; expirado ou revogado: 410. Todo acesso fica registrado."""
    return await service.ver(session, acesso)


@router.post(
    "/api/prestador/{token}/arquivos",
    operation_id="enviar_arquivo_prestador",
    summary="Enviar foto ou documento pelo link (público)",
    status_code=status.HTTP_201_CREATED,
    responses={**errors(409, 422, 429), **_LINK},
)
async def enviar_arquivo(
    acesso: AcessoEnviar,
    arquivo: Annotated[UploadFile, File(description="Foto ou documento (multipart/form-data)")],
    session: SessionDep,
    settings: SettingsDep,
    caption: Annotated[Legenda, Form(description="Legenda do arquivo, até 1024 caracteres")] = "",
) -> ArquivoPrestadorOut:
    """Público (o token do link autentica): o prestador envia uma foto ou um documento.

    O arquivo vira uma mensagem recebida no chamado, que a central vê na hora. Só foto
    (JPEG/PNG até 5 MB) e documento (PDF/DOC/DOCX/XLS/XLSX/PPT/PPTX/TXT até 100 MB); o
    tipo vem do conteúdo, nunca do nome: qualquer outro arquivo responde 422
    `arquivo_invalido` e nada é guardado. Chamado concluído ou cancelado: 409. Cada link
    faz até `GMM_LINK_PRESTADOR_ESCRITAS_POR_HORA` (30) envios por hora; além disso, 429."""
    return await service.enviar_arquivo(session, settings, acesso, arquivo, caption)


@router.post(
    "/api/prestador/{token}/concluir",
    operation_id="concluir_chamado_prestador",
    summary="Marcar como concluído pelo link (público)",
    responses={**errors(409, 422, 429), **_LINK},
)
async def concluir(
    acesso: AcessoConcluir,
    session: SessionDep,
    body: ConcluirIn | None = None,
) -> PrestadorChamadoOut:
    """Público (o token do link autentica): o prestador marca o serviço como concluído.

    O chamado passa a `aguardando_confirmacao` (histórico com origem `prestador`) e os
    operadores são avisados; a central confirma com `POST /api/chamados/{id}/finalizar`.
    A `observacao`, se houver, fica como mensagem recebida. Já marcado, concluído ou
    cancelado: 409."""
    chamado = await service.concluir(session, acesso, body.observacao if body else None)
    return await service.visao(session, chamado, acesso.link)
