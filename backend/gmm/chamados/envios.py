"""What operators send to a chamado's contractor besides text: lists, buttons, files.

The WhatsApp limits live in the input models (gmm/envio/schemas.py) and in
gmm/midia/arquivos.py: a message the gateway would refuse is a 422 before anything
is stored.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile, status

from gmm.auth.deps import CurrentUser
from gmm.chamados import service as chamados
from gmm.chamados.schemas import ChamadoComMensagem
from gmm.conversas.conteudo import ConteudoArquivo
from gmm.core.deps import SessionDep, SettingsDep
from gmm.core.params import IdPath
from gmm.core.respostas import errors
from gmm.envio.deps import WhatsAppDep
from gmm.envio.schemas import BotoesIn, Legenda, ListaIn
from gmm.midia import armazenamento as midia
from gmm.midia import arquivos

router = APIRouter(tags=["whatsapp"])


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


def _conteudo_midia(recebido: arquivos.ArquivoRecebido, caption: str) -> ConteudoArquivo:
    return ConteudoArquivo(
        nome_arquivo=recebido.nome_original,
        mime_type=recebido.mime_type,
        arquivo=recebido.nome,
        tamanho=recebido.tamanho,
        caption=caption or None,
    )


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
            chamado, recebido.tipo_conteudo, _conteudo_midia(recebido, caption)
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
