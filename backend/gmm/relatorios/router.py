"""Exports for audits: the chamados as a spreadsheet, a chamado as a printable PDF."""

from __future__ import annotations

from typing import Annotated, Any, NoReturn
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query
from fastapi.responses import Response, StreamingResponse

from gmm.auth.deps import CurrentUser
from gmm.chamados.filtros import FiltrosQuery
from gmm.chamados.models import Prioridade
from gmm.core.deps import SessionDep, SettingsDep
from gmm.core.errors import DomainError
from gmm.core.params import IdPath
from gmm.core.respostas import errors
from gmm.desempenho.router import AteQuery, DeQuery, LocalQuery, periodo_da_consulta
from gmm.relatorios import service, textos
from gmm.relatorios.service import Arquivo
from gmm.relatorios.tabela import FormatoPlanilha

router = APIRouter(prefix="/api/chamados", tags=["relatorios"])

_BINARIO = {"schema": {"type": "string", "format": "binary"}}


def _arquivo(*tipos: str, descricao: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"description": descricao, "content": {tipo: _BINARIO for tipo in tipos}}}


def _resposta(arquivo: Arquivo) -> Response:
    headers = {
        "Content-Disposition": textos.content_disposition(arquivo.nome),
        # Names, phones and conversations: no shared cache keeps a copy.
        "Cache-Control": "private, no-store",
    }
    if isinstance(arquivo.corpo, bytes):
        return Response(arquivo.corpo, media_type=arquivo.media_type, headers=headers)
    return StreamingResponse(arquivo.corpo, media_type=arquivo.media_type, headers=headers)


@router.get(
    "/exportar",
    operation_id="exportar_chamados",
    summary="Exportar chamados (CSV ou XLSX)",
    response_class=Response,
    responses={
        **_arquivo(
            "text/csv",
            FormatoPlanilha.xlsx.media_type,
            descricao="A planilha, como anexo (`Content-Disposition: attachment`)",
        ),
        **errors(
            401,
            422,
            descricoes={
                422: "Dados inválidos, ou mais de "
                f"{textos.inteiro(service.MAXIMO_LINHAS)} chamados (`exportacao_grande`)"
            },
        ),
    },
)
async def exportar(
    session: SessionDep,
    _: CurrentUser,
    settings: SettingsDep,
    filtros: FiltrosQuery,
    formato: Annotated[
        FormatoPlanilha, Query(description="`csv` (Excel pt-BR: `;`, UTF-8 com BOM) ou `xlsx`")
    ] = FormatoPlanilha.csv,
) -> Response:
    """Todos os chamados que `GET /api/chamados` listaria com os mesmos filtros, do mais
    novo ao mais antigo, numa planilha para auditoria: Número, Título, Local, Status,
    Prioridade, Terceirizado, Empresa, Telefone, Criado em, Prazo, Atrasado, Finalizado
    em e Valor do orçamento.

    Datas no fuso configurado (`GMM_TIMEZONE`), como `dd/mm/aaaa hh:mm` no CSV e como
    datas de verdade no XLSX. Textos que uma planilha executaria como fórmula (começando
    com `=`, `+`, `-`, `@`, tab ou CR) saem com um `'` na frente. Sem paginação: acima
    de 50.000 chamados responde 422 `exportacao_grande`, pedindo filtros mais estreitos."""
    arquivo = await service.exportar_chamados(
        session, filtros, formato, fuso=ZoneInfo(settings.timezone)
    )
    return _resposta(arquivo)


class MetodoNaoPermitido(DomainError):
    status_code = 405
    error = "metodo_nao_permitido"


# Any other method on this path would reach PATCH /api/chamados/{chamado_id} and be a
# 422 ("exportar" is no id), with an Allow header naming PATCH: the path is ours, so
# its other methods are answered here.
@router.api_route(
    "/exportar",
    methods=["HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"],
    include_in_schema=False,
    response_model=None,
)
async def exportar_outro_metodo() -> NoReturn:
    raise MetodoNaoPermitido("método não permitido neste endereço", headers={"Allow": "GET"})


@router.get(
    "/{chamado_id}/transcricao.pdf",
    operation_id="transcricao_chamado_pdf",
    summary="Transcrição do chamado em PDF",
    response_class=Response,
    responses={
        **_arquivo("application/pdf", descricao="O PDF, como anexo"),
        **errors(401, 404, 422),
    },
)
async def transcricao_pdf(
    chamado_id: IdPath, session: SessionDep, _: CurrentUser, settings: SettingsDep
) -> Response:
    """A conversa do chamado pronta para imprimir ou arquivar: os dados do chamado
    (número, título, local, status, prioridade, terceirizado, telefone, datas), todas as
    mensagens na ordem da conversa (hora, quem escreveu, texto ou arquivo, entrega das
    nossas, edições com o texto original, mensagens apagadas, reações, citações e as
    fotos em miniatura) e, no fim, o histórico do chamado. Rodapé com a hora em que foi
    gerado e o número da página."""
    arquivo = await service.transcricao_pdf(
        session, chamado_id, fuso=ZoneInfo(settings.timezone), media_dir=settings.media_dir
    )
    return _resposta(arquivo)


desempenho_router = APIRouter(prefix="/api/desempenho", tags=["relatorios"])


@desempenho_router.get(
    "/terceirizados/exportar",
    operation_id="exportar_desempenho",
    summary="Exportar o desempenho dos terceirizados (CSV ou XLSX)",
    response_class=Response,
    responses={
        **_arquivo(
            "text/csv",
            FormatoPlanilha.xlsx.media_type,
            descricao="A planilha, como anexo (`Content-Disposition: attachment`)",
        ),
        **errors(401, 422),
    },
)
async def exportar_desempenho(
    session: SessionDep,
    _: CurrentUser,
    settings: SettingsDep,
    de: DeQuery = None,
    ate: AteQuery = None,
    prioridade: Prioridade | None = None,
    local: LocalQuery = None,
    formato: Annotated[
        FormatoPlanilha, Query(description="`csv` (Excel pt-BR: `;`, UTF-8 com BOM) ou `xlsx`")
    ] = FormatoPlanilha.csv,
) -> Response:
    """O mesmo que `GET /api/desempenho/terceirizados`, com os mesmos filtros, numa
    planilha: uma linha por terceirizado, uma coluna por medida (com a unidade no
    título; frações em %). Textos que seriam fórmulas saem neutralizados."""
    periodo = periodo_da_consulta(settings, de, ate)
    arquivo = await service.exportar_desempenho(session, periodo, prioridade, local, formato)
    return _resposta(arquivo)
