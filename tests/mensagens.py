"""Messages the API answers, read as a rule is written mid-sentence."""

from __future__ import annotations


def frase(mensagem: str) -> str:
    """Every message the API answers starts with a capital; the rules the tests look
    for are written in lower case, as they read inside a sentence."""
    assert mensagem[:1].isupper(), mensagem
    return mensagem[:1].lower() + mensagem[1:]


def maiuscula(mensagem: str) -> str:
    """A message as the API answers it: its first letter a capital."""
    return mensagem[:1].upper() + mensagem[1:]
