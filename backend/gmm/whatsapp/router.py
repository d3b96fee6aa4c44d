from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Path, Query, UploadFile, status
from fastapi.responses import FileResponse
from fastapi.security import APIKeyQuery

from gmm.chamados import service as chamados
from gmm.chamados.schemas import ChamadoComMensagem
from gmm.config import Settings
from gmm.conversas.schemas import MensagemOut
from gmm.deps import (
    AdminUser,
    CurrentUser,
    CurrentUserOrQuery,
    SessionDep,
    SettingsDep,
    WhatsAppDep,
)
from gmm.errors import DomainError, Forbidden, NotFound
from gmm.openapi_docs import errors
from gmm.params import IdPath
from gmm.whatsapp import arquivos, credenciais, midia
from gmm.whatsapp.models import ConfiguracaoWhatsapp
from gmm.whatsapp.schemas import (
    BotoesIn,
    ConfiguracaoIn,
    ConfiguracaoOut,
    Legenda,
    ListaIn,
    ValidarTelefoneIn,
    ValidarTelefoneOut,
)

router = APIRouter(tags=["whatsapp"])


class TokenObrigatorio(DomainError):
    status_code = 422
    error = "token_obrigatorio"


class AssinaturaAusente(DomainError):
    status_code = 401
    error = "assinatura_ausente"


# -- operators send lists, buttons and files ------------------------------------------
# The WhatsApp limits live in the input models (schemas.py) and in arquivos.py: a
# message the gateway would refuse is a 422 before anything is stored.

_ENVIO_ERROS = errors(401, 404, 409, 422, 503)


@router.post(
    "/api/chamados/{chamado_id}/enviar-lista",
    operation_id="enviar_lista_chamado",
    summary="Enviar lista de opções",
    status_code=status.HTTP_201_CREATED,
    responses=_ENVIO_ERROS,
)
async def enviar_lista(
    chamado_id: IdPath,
    body: ListaIn,
    session: SessionDep,
    whatsapp: WhatsAppDep,
    _: CurrentUser,
) -> ChamadoComMensagem:
    """Envia ao terceirizado uma lista nativa do WhatsApp: um texto e um botão que abre
    seções com linhas para ele escolher (o `id` da linha escolhida volta no webhook).

    Limites do WhatsApp, conferidos antes de gravar (422 com a regra quebrada): texto até
    1024 caracteres, cabeçalho e rodapé até 60, botão até 20, de 1 a 10 seções com título
    até 24, até 10 linhas no total com título até 24 e descrição até 72, ids únicos.
    A mesma lista ao mesmo chamado em menos de 30 s volta com `envio: "duplicada"`."""
    chamado = await chamados.obter_aberto(session, chamado_id)
    return ChamadoComMensagem.de(
        chamado, await whatsapp.enviar_lista(chamado, body.texto, body.conteudo())
    )


@router.post(
    "/api/chamados/{chamado_id}/enviar-botoes",
    operation_id="enviar_botoes_chamado",
    summary="Enviar botões de resposta",
    status_code=status.HTTP_201_CREATED,
    responses=_ENVIO_ERROS,
)
async def enviar_botoes(
    chamado_id: IdPath,
    body: BotoesIn,
    session: SessionDep,
    whatsapp: WhatsAppDep,
    _: CurrentUser,
) -> ChamadoComMensagem:
    """Envia ao terceirizado um texto com até 3 botões de resposta.

    Limites do WhatsApp, conferidos antes de gravar (422 com a regra quebrada): texto até
    1024 caracteres, rodapé até 60, de 1 a 3 botões com título até 20, ids e títulos
    únicos. A mesma mensagem ao mesmo chamado em menos de 30 s volta com
    `envio: "duplicada"`."""
    chamado = await chamados.obter_aberto(session, chamado_id)
    return ChamadoComMensagem.de(
        chamado, await whatsapp.enviar_botoes(chamado, body.texto, body.conteudo())
    )


def _conteudo_midia(
    settings: Settings, recebido: arquivos.ArquivoRecebido, caption: str
) -> dict[str, Any]:
    conteudo: dict[str, Any] = {
        "nome_arquivo": recebido.nome_original,
        "mime_type": recebido.mime_type,
        "arquivo": recebido.nome,
        "tamanho": recebido.tamanho,
        "caption": caption or None,
    }
    return conteudo


@router.post(
    "/api/chamados/{chamado_id}/enviar-midia",
    operation_id="enviar_midia_chamado",
    summary="Enviar arquivo",
    status_code=status.HTTP_201_CREATED,
    responses=_ENVIO_ERROS,
)
async def enviar_midia(
    chamado_id: IdPath,
    arquivo: Annotated[UploadFile, File(description="O arquivo (multipart/form-data)")],
    session: SessionDep,
    whatsapp: WhatsAppDep,
    settings: SettingsDep,
    _: CurrentUser,
    caption: Annotated[
        Legenda, Form(description="Legenda mostrada com o arquivo, até 1024 caracteres")
    ] = "",
) -> ChamadoComMensagem:
    """Envia um arquivo ao terceirizado: foto, áudio, vídeo ou documento.

    O tipo vem do conteúdo do arquivo, nunca do nome nem do Content-Type: um executável,
    um zip ou uma página HTML renomeados `.jpg`/`.pdf` dão 422 (`arquivo_invalido`), assim
    como um arquivo vazio ou acima do limite do WhatsApp: imagem JPEG/PNG até 5 MB; áudio
    AAC/AMR/MP3/M4A/OGG até 16 MB; vídeo MP4/3GP até 16 MB; documento
    PDF/DOC/DOCX/XLS/XLSX/PPT/PPTX/TXT até 100 MB (16 MB sem `GMM_PUBLIC_BASE_URL`, quando
    o arquivo vai embutido na chamada à MegaAPI). O arquivo é guardado com um nome gerado;
    o nome original, limpo, é o que o terceirizado vê."""
    chamado = await chamados.obter_aberto(session, chamado_id)
    inline = settings.public_base_url is None
    recebido = await arquivos.receber_upload(arquivo, settings, inline=inline)
    try:
        resultado = await whatsapp.enviar_midia(
            chamado, recebido.tipo_conteudo, _conteudo_midia(settings, recebido, caption)
        )
    except BaseException:
        # Refused (queue full, ...): the file stays only if its message does.
        (settings.media_dir / recebido.nome).unlink(missing_ok=True)
        raise
    # The operator's screen shows the file like a contractor's (GET /api/midias/{nome}).
    resultado.mensagem.url_midia = midia.URL_PREFIXO + recebido.nome
    resultado.mensagem.caption = caption or None
    await session.flush()
    return ChamadoComMensagem.de(chamado, resultado)


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


@router.post(
    "/api/mensagens/{mensagem_id}/reenviar",
    operation_id="reenviar_mensagem",
    summary="Reenviar mensagem que falhou",
    responses=errors(401, 404, 409, 422, 503),
)
async def reenviar(mensagem_id: IdPath, whatsapp: WhatsAppDep, _: CurrentUser) -> MensagemOut:
    """Nova tentativa de uma mensagem que falhou: volta à fila como `pendente`."""
    return MensagemOut.model_validate(await whatsapp.reenviar(mensagem_id))


@router.post(
    "/api/whatsapp/validar-telefone",
    operation_id="validar_telefone_whatsapp",
    summary="Verificar se o número tem WhatsApp",
    responses={**errors(401, 422, 503), 502: errors(503)[503] | {"description": "MegaAPI falhou"}},
)
async def validar_telefone(
    body: ValidarTelefoneIn, whatsapp: WhatsAppDep, _: CurrentUser
) -> ValidarTelefoneOut:
    """Consulta na MegaAPI se o número tem WhatsApp (antes de cadastrar um terceirizado)."""
    resultado = await whatsapp.validar_telefone(body.telefone)
    return ValidarTelefoneOut(
        telefone=body.telefone, no_whatsapp=resultado.exists, jid=resultado.jid
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
    nome: Annotated[str, Path(max_length=64)], settings: SettingsDep, _: CurrentUserOrQuery
) -> FileResponse:
    """Arquivo recebido de um terceirizado (foto, áudio, vídeo, documento). Aceita o token
    também como `?access_token=`, para `<img>` e `<audio>` do navegador."""
    arquivo = midia.caminho(settings.media_dir, nome)
    if arquivo is None:
        raise NotFound("arquivo não encontrado")
    return FileResponse(
        arquivo,
        media_type=midia.tipo(nome),
        headers={"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"},
    )


async def _saida(session: SessionDep, settings: SettingsDep) -> ConfiguracaoOut:
    row = await session.get(ConfiguracaoWhatsapp, 1)
    if row is not None:
        token = credenciais.decifrar(row.token_cifrado, settings)
        return ConfiguracaoOut(
            configurado=True,
            fonte="banco",
            base_url=row.base_url,
            instance_key=row.instance_key,
            token_mascarado=credenciais.mascarar(token),
            atualizado_em=row.atualizado_em,
        )
    creds = await credenciais.carregar(session, settings)
    return ConfiguracaoOut(
        configurado=creds is not None,
        fonte="ambiente" if creds else "nenhuma",
        base_url=creds.base_url if creds else None,
        instance_key=creds.instance_key if creds else None,
        token_mascarado=credenciais.mascarar(creds.token) if creds else None,
        atualizado_em=None,
    )


@router.get(
    "/api/admin/whatsapp/config",
    operation_id="obter_config_whatsapp",
    summary="Ver configuração da MegaAPI",
    responses=errors(401, 403),
)
async def obter_config(session: SessionDep, settings: SettingsDep, _: AdminUser) -> ConfiguracaoOut:
    """Credenciais da MegaAPI em uso; o token nunca é devolvido inteiro."""
    return await _saida(session, settings)


@router.put(
    "/api/admin/whatsapp/config",
    operation_id="salvar_config_whatsapp",
    summary="Salvar configuração da MegaAPI",
    responses=errors(401, 403, 422),
)
async def salvar_config(
    body: ConfiguracaoIn, session: SessionDep, settings: SettingsDep, admin: AdminUser
) -> ConfiguracaoOut:
    """Salva as credenciais da MegaAPI (token cifrado); passam a valer no próximo envio."""
    row = await session.get(ConfiguracaoWhatsapp, 1, with_for_update=True)
    if row is None and body.token is None:
        raise TokenObrigatorio("informe o token na primeira configuração")
    if row is None:
        row = ConfiguracaoWhatsapp(id=1)
        session.add(row)
    row.base_url = str(body.base_url).rstrip("/")
    row.instance_key = body.instance_key
    if body.token is not None:
        row.token_cifrado = credenciais.cifrar(body.token, settings)
    row.atualizado_por = admin.id
    await session.flush()
    return await _saida(session, settings)
