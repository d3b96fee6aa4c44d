"""A real SMTP server on loopback for the tests that send e-mail (a pytest plugin:
tests/conftest.py lists it, so every test can ask for ``smtp``)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


@dataclass
class Caixa:
    """A real SMTP server on loopback that keeps what it receives."""

    mensagens: list[Message] = field(default_factory=list)
    logins: list[tuple[bytes, bytes]] = field(default_factory=list)

    def autenticar(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        self.logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=True)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.mensagens.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Caixa, int]]:
    caixa = Caixa()
    with socket.socket() as livre:
        livre.bind(("127.0.0.1", 0))
        porta = livre.getsockname()[1]
    controller = Controller(
        caixa,
        hostname="127.0.0.1",
        port=porta,
        authenticator=caixa.autenticar,
        auth_require_tls=False,  # loopback test server, no certificate
    )
    controller.start()
    try:
        yield caixa, porta
    finally:
        controller.stop()
