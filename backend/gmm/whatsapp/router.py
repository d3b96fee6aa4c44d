from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import FileResponse

from gmm.conversas.schemas import MensagemOut
from gmm.deps import (
    AdminUser,
    CurrentUser,
    CurrentUserOrQuery,
    SessionDep,
    SettingsDep,
    WhatsAppDep,
)
from gmm.errors import DomainError, NotFound
from gmm.openapi_docs import errors
from gmm.params import IdPath
from gmm.whatsapp import credenciais, midia
from gmm.whatsapp.models import ConfiguracaoWhatsapp
from gmm.whatsapp.schemas import (
    ConfiguracaoIn,
    ConfiguracaoOut,
    ValidarTelefoneIn,
    ValidarTelefoneOut,
)

router = APIRouter(tags=["whatsapp"])


class TokenObrigatorio(DomainError):
    status_code = 422
    error = "token_obrigatorio"


@router.post(
    "/api/mensagens/{mensagem_id}/reenviar",
    operation_id="reenviar_mensagem",
    responses=errors(401, 404, 409, 422, 503),
)
async def reenviar(mensagem_id: IdPath, whatsapp: WhatsAppDep, _: CurrentUser) -> MensagemOut:
    """Nova tentativa de uma mensagem que falhou: volta à fila como `pendente`."""
    return MensagemOut.model_validate(await whatsapp.reenviar(mensagem_id))


@router.post(
    "/api/whatsapp/validar-telefone",
    operation_id="validar_telefone_whatsapp",
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
    responses=errors(401, 403),
)
async def obter_config(session: SessionDep, settings: SettingsDep, _: AdminUser) -> ConfiguracaoOut:
    """Credenciais da MegaAPI em uso; o token nunca é devolvido inteiro."""
    return await _saida(session, settings)


@router.put(
    "/api/admin/whatsapp/config",
    operation_id="salvar_config_whatsapp",
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
