from __future__ import annotations

from fastapi import APIRouter

from gmm.auth.deps import AdminUser, CurrentUser
from gmm.conversas import service as conversas
from gmm.conversas.schemas import MensagemOut
from gmm.core.deps import SessionDep, SettingsDep
from gmm.core.errors import DomainError
from gmm.core.params import IdPath
from gmm.core.respostas import errors
from gmm.envio import credenciais
from gmm.envio.deps import WhatsAppDep
from gmm.envio.models import ConfiguracaoWhatsapp
from gmm.envio.schemas import (
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
    summary="Reenviar mensagem que falhou",
    responses=errors(401, 404, 409, 422, 503),
)
async def reenviar(mensagem_id: IdPath, whatsapp: WhatsAppDep, _: CurrentUser) -> MensagemOut:
    """Nova tentativa de uma mensagem que falhou: volta à fila como `pendente`."""
    return await conversas.saida(whatsapp.session, await whatsapp.reenviar(mensagem_id))


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
