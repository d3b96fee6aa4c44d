"""Brazilian WhatsApp numbers: normalisation and the 9th-digit-agnostic key.

phonenumbers would reject mobiles without the 9th digit, yet WhatsApp still
reports many older accounts in that 8-digit form, so the rule is narrow and ours:
55 + a real DDD + 8 digits (landline or pre-2016 mobile) or 9 + 8 digits (mobile).
"""

from __future__ import annotations

import re

# Area codes (DDD) in use in Brazil (Anatel).
DDDS = frozenset(
    {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 24, 27, 28}
    | {31, 32, 33, 34, 35, 37, 38, 41, 42, 43, 44, 45, 46, 47, 48, 49}
    | {51, 53, 54, 55, 61, 62, 63, 64, 65, 66, 67, 68, 69}
    | {71, 73, 74, 75, 77, 79, 81, 82, 83, 84, 85, 86, 87, 88, 89}
    | {91, 92, 93, 94, 95, 96, 97, 98, 99}
)

_FORMATTING = re.compile(r"[\s().\-+]")


class TelefoneInvalido(ValueError):
    """The text is not a Brazilian phone number WhatsApp can reach."""


def normalizar(valor: str) -> str:
    """Digits with country code (``55`` + DDD + 8 or 9 digits), or TelefoneInvalido."""
    bruto = _FORMATTING.sub("", valor.strip())
    if not bruto.isdigit():
        raise TelefoneInvalido("use apenas dígitos, espaços, parênteses, hífen ou +")
    digitos = bruto
    if len(digitos) in (12, 13) and digitos.startswith("55"):
        nacional = digitos[2:]
    elif len(digitos) in (10, 11):
        nacional = digitos
    else:
        raise TelefoneInvalido(
            "número brasileiro esperado: DDD + 8 ou 9 dígitos, com ou sem o código 55"
        )
    ddd, assinante = int(nacional[:2]), nacional[2:]
    if ddd not in DDDS:
        raise TelefoneInvalido(f"DDD {nacional[:2]} não existe")
    if len(assinante) == 9 and assinante[0] != "9":
        raise TelefoneInvalido("número de 9 dígitos deve começar com 9")
    if len(assinante) == 8 and assinante[0] in "01":
        raise TelefoneInvalido("número de 8 dígitos deve começar com 2 a 9")
    return "55" + nacional


def chave(telefone: str) -> str:
    """One spelling per line: mobiles always with the 9th digit.

    An 8-digit number starting with 6-9 is a mobile from before the 9th digit
    (the form WhatsApp still reports for older accounts); landlines start with 2-5
    and have no 9-digit form.
    """
    normalizado = normalizar(telefone)
    assinante = normalizado[4:]
    if len(assinante) == 8 and assinante[0] in "6789":
        return normalizado[:4] + "9" + assinante
    return normalizado
