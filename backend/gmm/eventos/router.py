from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from gmm.auth.deps import CurrentUserOrQuery
from gmm.auth.sessoes import VigiaDeSessoes
from gmm.chamados.eventos import ChamadoAtualizado, Notificacao
from gmm.conversas.eventos import (
    MensagemAlterada,
    MensagemNova,
    MensagemStatus,
    MensagensMovidas,
)
from gmm.core.dependencias import dependencia_fora
from gmm.core.eventos import ID_PATTERN, JANELA_MS, Assinatura, Evento, Reset, Ritmo
from gmm.core.respostas import errors
from gmm.monitoramento.eventos import AlertaEvento
from gmm.recebimento.eventos import ConexaoEvento

router = APIRouter(prefix="/api/eventos", tags=["eventos"])

# Every event the stream carries, one model each (in openapi.yaml's components).
EVENTOS: tuple[type[Evento], ...] = (
    MensagemNova,
    MensagemStatus,
    MensagemAlterada,
    MensagensMovidas,
    ChamadoAtualizado,
    Notificacao,
    AlertaEvento,
    ConexaoEvento,
    Reset,
)


def get_ritmo() -> Ritmo:
    """The stream's timing; the tests override this dependency to shorten it."""
    return Ritmo()


RitmoDep = Annotated[Ritmo, Depends(get_ritmo)]

_EXEMPLO = (
    "retry: 3000\n\n"
    "id: 1767225600000-0\n"
    "event: mensagem.nova\n"
    'data: {"chamado_id":7,"mensagem_id":42,"direcao":"inbound","status_envio":"entregue"}\n\n'
    ": ping\n\n"
)

_RESPOSTAS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Fluxo Server-Sent Events, aberto enquanto o cliente estiver conectado",
        "content": {"text/event-stream": {"schema": {"type": "string"}, "example": _EXEMPLO}},
    },
    **errors(401, 422, 503),
}

_ID_DESCRICAO = "Id do último evento recebido: a transmissão retoma logo depois dele"


@router.get(
    "",
    operation_id="eventos",
    summary="Eventos em tempo real (SSE)",
    response_class=StreamingResponse,
    responses=_RESPOSTAS,
)
async def eventos(
    request: Request,
    usuario: CurrentUserOrQuery,
    ritmo: RitmoDep,
    last_event_id: Annotated[
        str | None, Query(pattern=ID_PATTERN, max_length=41, description=_ID_DESCRICAO)
    ] = None,
    last_event_id_header: Annotated[
        str | None,
        Header(
            alias="Last-Event-ID",
            pattern=ID_PATTERN,
            max_length=41,
            description=_ID_DESCRICAO + " (o EventSource do navegador o envia ao reconectar)",
        ),
    ] = None,
    recuar_ms: Annotated[
        int | None,
        Query(
            ge=0,
            le=JANELA_MS,
            description=(
                "Sem id de retomada: começa este tanto de milissegundos antes de agora. "
                "Uma tela que acabou de ler seus dados recebe como eventos o que mudou "
                "desde essas leituras, em vez de ler tudo de novo"
            ),
        ),
    ] = None,
) -> StreamingResponse:
    """Eventos em tempo real (Server-Sent Events) para a tela se atualizar sem recarregar.

    Cada evento traz `id`, `event` (o tipo) e `data` (JSON com os ids e os campos que
    mudaram; busque o recurso para o resto). O `data` de cada tipo é um esquema em
    `components.schemas` com `x-evento` igual ao nome do evento:

    | event | data |
    |---|---|
    | `mensagem.nova` | `chamado_id`, `mensagem_id`, `direcao`, `status_envio` |
    | `mensagem.status` | `mensagem_id`, `chamado_id`, `status_envio`, `erro` |
    | `chamado.atualizado` | `chamado_id`, `status`, `prioridade` |
    | `conexao` | estado da conexão do WhatsApp |
    | `alerta` | `id`, `tipo`, `severidade`, `mensagem`, `aberto` (incidente abriu ou fechou) |
    | `notificacao` | `chamado_id`, `numero_chamado`, `texto` (o que um toque ou regra fez) |
    | `reset` | os eventos desde o `Last-Event-ID` já não estão disponíveis: recarregue tudo |

    Ao reconectar, envie o id do último evento recebido (`Last-Event-ID` ou
    `?last_event_id=`) para receber o que foi publicado nos últimos minutos; na
    primeira conexão, `?recuar_ms=` (o tempo desde as primeiras leituras da tela)
    entrega o que mudou desde então, ou um `reset` se não for possível saber. Um
    comentário `: ping` chega a cada 15 s sem eventos. O navegador (EventSource) não
    envia cabeçalhos: passe o token como `?access_token=`. O fluxo se fecha em até
    10 s quando a sessão é encerrada (logout, nova senha, conta desativada).
    """
    assinatura = await Assinatura.abrir(
        request.app.state.difusor,
        request.app.state.redis,
        last_event_id_header or last_event_id,
        ritmo,
        recuar_ms,
    )
    sessoes: VigiaDeSessoes = request.app.state.sessoes
    # The token was checked now; the stream outlives the request, so it asks again,
    # by a read shared with the process's other streams of the same user (at most
    # half a check's interval old: a revoked session ends within about one).
    sessao = (usuario.id, usuario.sessao_versao, ritmo.verificacao / 2)

    async def revogada() -> bool:
        try:
            return not await sessoes.ativa(*sessao)
        except Exception as exc:
            if dependencia_fora(exc) is None:
                raise
            # Nothing can revoke a session while the database is down: stream on.
            return False

    return StreamingResponse(
        assinatura.mensagens(request.is_disconnected, revogada),
        media_type="text/event-stream",
        # No caching, and no buffering by nginx-like proxies: events must flow at once.
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        # The stream leaves its process's fan-out itself; this covers a client gone
        # before the first byte, when the stream never even started.
        background=BackgroundTask(assinatura.fechar),
    )
