from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gmm.terceirizados.telefone import DDDS, TelefoneInvalido, chave, normalizar

ddds = st.sampled_from(sorted(DDDS))
celular9 = st.from_regex(r"9[0-9]{8}", fullmatch=True)
celular8 = st.from_regex(r"[6-9][0-9]{7}", fullmatch=True)
fixo = st.from_regex(r"[2-5][0-9]{7}", fullmatch=True)


@pytest.mark.parametrize(
    ("entrada", "esperado"),
    [
        ("(11) 98765-4321", "5511987654321"),
        ("+55 11 98765-4321", "5511987654321"),
        ("5511987654321", "5511987654321"),
        ("11 8765-4321", "551187654321"),
        ("+55 (31) 3222-1100", "553132221100"),
        ("21.99876.5432", "5521998765432"),
    ],
)
def test_normaliza_formatos_comuns(entrada: str, esperado: str) -> None:
    assert normalizar(entrada) == esperado


@pytest.mark.parametrize(
    ("entrada", "motivo"),
    [
        ("", "apenas dígitos"),
        ("abc", "apenas dígitos"),
        ("(20) 98765-4321", "DDD 20 não existe"),
        ("(11) 88765-4321", "deve começar com 9"),
        ("(11) 0765-4321", "2 a 9"),
        ("+1 415 555 2671", "começar com 9"),
        ("5511987654321000", "8 ou 9 dígitos"),
        ("44 11 98765-4321", "8 ou 9 dígitos"),
    ],
)
def test_rejeita_o_que_nao_e_telefone_brasileiro(entrada: str, motivo: str) -> None:
    with pytest.raises(TelefoneInvalido, match=motivo):
        normalizar(entrada)


@given(ddd=ddds, numero=st.one_of(celular9, celular8, fixo), com_pais=st.booleans())
def test_normalizado_e_digitos_com_codigo_do_pais(ddd: int, numero: str, com_pais: bool) -> None:
    entrada = ("55" if com_pais else "") + f"{ddd}{numero}"
    resultado = normalizar(entrada)
    assert resultado == f"55{ddd}{numero}"
    assert normalizar(resultado) == resultado  # idempotent


@given(ddd=ddds, numero=celular8)
def test_celular_com_e_sem_nono_digito_tem_a_mesma_chave(ddd: int, numero: str) -> None:
    assert chave(f"{ddd}{numero}") == chave(f"{ddd}9{numero}") == f"55{ddd}9{numero}"


@given(ddd=ddds, numero=fixo)
def test_fixo_nao_ganha_nono_digito(ddd: int, numero: str) -> None:
    assert chave(f"{ddd}{numero}") == f"55{ddd}{numero}"


@given(st.text(max_size=20))
def test_qualquer_texto_normaliza_ou_recusa_com_mensagem(texto: str) -> None:
    try:
        resultado = normalizar(texto)
    except TelefoneInvalido as exc:
        assert str(exc)
    else:
        assert resultado.isdigit() and resultado.startswith("55") and len(resultado) in (12, 13)
