"""MegaAPI's webhook payloads as the gateway sends them (docs/megaapi.md), for the
published contract: the OpenAPI document's ``webhooks`` and their examples.

What the product reads of them is parsed in gmm/recebimento/leitura.py.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Aberto(BaseModel):
    # MegaAPI adds fields over time; the product reads only these and keeps the rest.
    model_config = ConfigDict(extra="allow")


class MegaApiChave(_Aberto):
    """Identifica a mensagem no WhatsApp."""

    remoteJid: str = Field(  # noqa: N815 - MegaAPI's names
        min_length=1,
        max_length=128,
        description="Conversa: 55 + DDD + número + `@s.whatsapp.net` (ou `@c.us`); contas novas "
        "podem vir como um id opaco `NNNN@lid`, com o telefone em `senderPn`, `remoteJidAlt` ou "
        "`participantPn` (grupos: `@g.us`, ignorados)",
        examples=["5511987654321@s.whatsapp.net", "123456789012345@lid"],
    )
    fromMe: bool = Field(  # noqa: N815
        default=False, description="`true`: eco de mensagem enviada por nós (ignorada)"
    )
    id: str = Field(
        min_length=1,
        max_length=128,
        description="Id da mensagem na MegaAPI (idempotência: o mesmo id é gravado uma vez)",
    )
    senderPn: str | None = Field(  # noqa: N815
        default=None,
        max_length=128,
        description="Com `remoteJid` `@lid`: o telefone (`55...@s.whatsapp.net`), quando vem",
    )
    remoteJidAlt: str | None = Field(  # noqa: N815
        default=None,
        max_length=128,
        description="Com `remoteJid` `@lid`: o telefone, no lugar de `senderPn` em algumas versões",
    )


class _Recebida(_Aberto):
    instance_key: str | None = Field(default=None, description="A instância que recebeu")
    jid: str | None = Field(default=None, description="O número da instância")
    key: MegaApiChave
    messageTimestamp: int | None = Field(  # noqa: N815
        default=None, description="Quando o terceirizado enviou (Unix, segundos)"
    )
    pushName: str | None = Field(  # noqa: N815
        default=None, max_length=200, description="Nome do contato no WhatsApp"
    )
    participantPn: str | None = Field(  # noqa: N815
        default=None,
        max_length=128,
        description="Com `key.remoteJid` `@lid`: o telefone, quando vem fora de `key`",
    )


class MegaApiMensagemTexto(_Recebida):
    """Texto recebido. Com `extendedTextMessage` (resposta citando outra mensagem, link) o
    texto vem em `message.extendedTextMessage.text`; os dois formatos são lidos. Numa
    resposta que cita uma mensagem, `message.extendedTextMessage.contextInfo.stanzaId` é o
    id da mensagem citada (`participant` e `quotedMessage` podem vir junto); mídias citando
    trazem `contextInfo` dentro de `message.<tipo>Message`."""

    messageType: Literal["conversation", "extendedTextMessage"]  # noqa: N815
    message: dict[str, Any] = Field(
        description='`{"conversation": "..."}` ou `{"extendedTextMessage": {"text": "..."}}`'
    )


class MegaApiMensagemMidia(_Recebida):
    """Foto, áudio, vídeo, documento ou figurinha. `message.<tipo>` traz `url` (cifrada),
    `mimetype`, `mediaKey`, `directPath`, `fileLength`, `caption`, `fileName` (documentos),
    `seconds` e `ptt` (áudios). O arquivo é baixado na hora pela MegaAPI
    (`downloadMediaMessage`) e guardado; áudios são transcritos quando configurado.
    Documentos com legenda chegam em `message.documentWithCaptionMessage.message`."""

    messageType: Literal[  # noqa: N815
        "imageMessage",
        "audioMessage",
        "videoMessage",
        "documentMessage",
        "documentWithCaptionMessage",
        "stickerMessage",
    ]
    message: dict[str, Any]


class MegaApiRespostaInterativa(_Recebida):
    """O terceirizado tocou um botão (`buttonsResponseMessage.selectedButtonId`,
    `templateButtonReplyMessage.selectedId`) ou escolheu uma linha de lista
    (`listResponseMessage.singleSelectReply.selectedRowId`). O id volta ao chamado e
    dispara a ação combinada (aprovar orçamento, confirmar visita, ...)."""

    messageType: Literal[  # noqa: N815
        "messageContextInfo",
        "buttonsResponseMessage",
        "listResponseMessage",
        "templateButtonReplyMessage",
    ]
    message: dict[str, Any]


class MegaApiReacao(_Recebida):
    """O terceirizado reagiu a uma mensagem: `message.reactionMessage.key.id` é a mensagem
    reagida (`fromMe: true` quando é nossa) e `text` o emoji; `text` vazio desfaz a reação.
    O evento tem seu próprio `key.id`."""

    messageType: Literal["reactionMessage"]  # noqa: N815
    message: dict[str, Any] = Field(
        description='`{"reactionMessage": {"key": {"remoteJid", "fromMe", "id"}, "text": "👍", '
        '"senderTimestampMs": ...}}`'
    )


class MegaApiProtocolo(_Recebida):
    """O terceirizado editou ou apagou para todos uma mensagem dele.
    `message.protocolMessage.key.id` é a mensagem alterada; `type: 14` é edição, com o texto
    novo em `editedMessage` (`conversation` ou `extendedTextMessage.text`), e `type: 0`
    (REVOKE) é exclusão. Algumas versões embrulham a edição:
    `messageType: "editedMessage"` com `message.editedMessage.message.protocolMessage`. O
    texto original continua no histórico; a mudança é mostrada ao lado."""

    messageType: Literal["protocolMessage", "editedMessage"]  # noqa: N815
    message: dict[str, Any] = Field(
        description='`{"protocolMessage": {"key": {"id": "..."}, "type": 14, '
        '"editedMessage": {"conversation": "..."}}}` ou `{"protocolMessage": {"key": '
        '{"id": "..."}, "type": 0}}`'
    )


class MegaApiAtualizacao(_Aberto):
    status: int = Field(
        description="0 erro, 1 pendente, 2 enviada ao servidor, 3 entregue, 4 lida, "
        "5 reproduzida (áudio)"
    )


class MegaApiConfirmacao(_Aberto):
    """Confirmação de entrega ou leitura de uma mensagem nossa. Podem chegar fora de
    ordem, repetidas ou antes de o envio ter sido gravado (ficam guardadas e valem
    quando o id aparecer); o status só avança."""

    messageType: Literal["message.ack"]  # noqa: N815
    key: MegaApiChave
    update: MegaApiAtualizacao


class MegaApiConexao(_Aberto):
    """A instância conectou ou caiu (celular sem internet, sessão encerrada)."""

    messageType: Literal["connection_update"]  # noqa: N815
    connection_state: str | None = Field(
        default=None, max_length=64, examples=["open", "close", "connecting"]
    )
    closeReason: Any = Field(default=None, description="Motivo da queda, quando houver")  # noqa: N815


_CHAVE = {"remoteJid": "5511987654321@s.whatsapp.net", "fromMe": False}
_RECEBIDA = {"instance_key": "megabusiness-ABC123", "jid": "5511912345678@s.whatsapp.net"}


# A message of ours that the examples below reply to, react to, or that acks confirm.
_NOSSA = "3EB0C431C26A1916E0A2"
# A message of the contractor's that the examples below edit or delete.
_DELE = "3EB0A1B2C3D4E5F60001"
_LID = "123456789012345@lid"


def _recebida(n: int, message_type: str, message: dict[str, Any], **chave: Any) -> dict[str, Any]:
    return {
        **_RECEBIDA,
        "messageType": message_type,
        "key": {**_CHAVE, "id": f"3EB0A1B2C3D4E5F6{n:04d}", **chave},
        "messageTimestamp": 1767268800 + n,
        "pushName": "João da Silva",
        "message": message,
    }


# (name in `webhooks`, model, summary, examples)
WEBHOOKS: list[tuple[str, type[BaseModel], str, dict[str, dict[str, Any]]]] = [
    (
        "megaapiMensagemTexto",
        MegaApiMensagemTexto,
        "Mensagem de texto recebida",
        {
            "conversation": _recebida(1, "conversation", {"conversation": "Chego às 14h."}),
            "extendedTextMessage": _recebida(
                2,
                "extendedTextMessage",
                {"extendedTextMessage": {"text": "Segue o orçamento: R$ 1.500,00"}},
            ),
            "resposta_citando": _recebida(
                7,
                "extendedTextMessage",
                {
                    "extendedTextMessage": {
                        "text": "Pode sim, chego às 9h.",
                        "contextInfo": {
                            "stanzaId": _NOSSA,
                            "participant": _RECEBIDA["jid"],
                            "quotedMessage": {"conversation": "Pode ir amanhã cedo?"},
                        },
                    }
                },
            ),
            "lid": _recebida(
                8,
                "conversation",
                {"conversation": "Bom dia, estou a caminho."},
                remoteJid=_LID,
                senderPn="5511987654321@s.whatsapp.net",
            ),
        },
    ),
    (
        "megaapiMensagemMidia",
        MegaApiMensagemMidia,
        "Foto, áudio, vídeo ou documento recebido",
        {
            "foto": _recebida(
                3,
                "imageMessage",
                {
                    "imageMessage": {
                        "url": "https://mmg.whatsapp.net/o1/v/t62.7118-24/f1/abc.enc",
                        "mimetype": "image/jpeg",
                        "caption": "Quadro depois da troca",
                        "fileLength": "84211",
                        "mediaKey": "p6p0yV1S6c0S2kq1QeXw4Zt2y5wW1H0a0f8h3lq9R5Q=",
                        "directPath": "/o1/v/t62.7118-24/f1/abc.enc",
                    }
                },
            ),
            "audio": _recebida(
                4,
                "audioMessage",
                {
                    "audioMessage": {
                        "url": "https://mmg.whatsapp.net/v/t62.7117-24/def.enc",
                        "mimetype": "audio/ogg; codecs=opus",
                        "seconds": 7,
                        "ptt": True,
                        "mediaKey": "Zx1vP0m9wq8r7e6t5y4u3i2o1pLkJhGfDsA0987654=",
                        "directPath": "/v/t62.7117-24/def.enc",
                    }
                },
            ),
        },
    ),
    (
        "megaapiRespostaInterativa",
        MegaApiRespostaInterativa,
        "Resposta a botões ou lista",
        {
            "botao": _recebida(
                5,
                "messageContextInfo",
                {
                    "buttonsResponseMessage": {
                        "selectedButtonId": "orcamento_aprovar",
                        "selectedDisplayText": "Aprovar",
                        "contextInfo": {"stanzaId": _NOSSA},
                    }
                },
            ),
            "lista": _recebida(
                6,
                "listResponseMessage",
                {
                    "listResponseMessage": {
                        "title": "8h às 10h",
                        "singleSelectReply": {"selectedRowId": "manha_8"},
                    }
                },
            ),
        },
    ),
    (
        "megaapiReacao",
        MegaApiReacao,
        "Reação a uma mensagem",
        {
            "reacao": _recebida(
                9,
                "reactionMessage",
                {
                    "reactionMessage": {
                        "key": {**_CHAVE, "fromMe": True, "id": _NOSSA},
                        "text": "👍",
                        "senderTimestampMs": 1767268809000,
                    }
                },
            ),
            "reacao_desfeita": _recebida(
                10,
                "reactionMessage",
                {
                    "reactionMessage": {
                        "key": {**_CHAVE, "fromMe": True, "id": _NOSSA},
                        "text": "",
                        "senderTimestampMs": 1767268810000,
                    }
                },
            ),
        },
    ),
    (
        "megaapiProtocolo",
        MegaApiProtocolo,
        "Mensagem editada ou apagada pelo terceirizado",
        {
            "edicao": _recebida(
                11,
                "protocolMessage",
                {
                    "protocolMessage": {
                        "key": {**_CHAVE, "id": _DELE},
                        "type": 14,
                        "editedMessage": {"conversation": "Chego às 15h."},
                        "timestampMs": 1767268811000,
                    }
                },
            ),
            "edicao_embrulhada": _recebida(
                12,
                "editedMessage",
                {
                    "editedMessage": {
                        "message": {
                            "protocolMessage": {
                                "key": {**_CHAVE, "id": _DELE},
                                "type": 14,
                                "editedMessage": {"conversation": "Chego às 15h."},
                                "timestampMs": 1767268812000,
                            }
                        }
                    }
                },
            ),
            "exclusao": _recebida(
                13,
                "protocolMessage",
                {"protocolMessage": {"key": {**_CHAVE, "id": _DELE}, "type": 0}},
            ),
        },
    ),
    (
        "megaapiConfirmacao",
        MegaApiConfirmacao,
        "Confirmação de entrega ou leitura (message.ack)",
        {
            "entregue": {
                "messageType": "message.ack",
                "key": {
                    "remoteJid": "5511987654321@s.whatsapp.net",
                    "fromMe": True,
                    "id": _NOSSA,
                },
                "update": {"status": 3},
            },
            "lida": {
                "messageType": "message.ack",
                "key": {
                    "remoteJid": "5511987654321@s.whatsapp.net",
                    "fromMe": True,
                    "id": _NOSSA,
                },
                "update": {"status": 4},
            },
        },
    ),
    (
        "megaapiConexao",
        MegaApiConexao,
        "Conexão da instância mudou (connection_update)",
        {
            "caiu": {
                "messageType": "connection_update",
                "connection_state": "close",
                "closeReason": "connectionLost",
            }
        },
    ),
]
