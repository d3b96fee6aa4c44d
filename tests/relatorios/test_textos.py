"""The exports' small texts: file names for Content-Disposition, phones, numbers."""

from __future__ import annotations

import pytest

from gmm.relatorios.textos import content_disposition, inteiro, telefone


@pytest.mark.parametrize(
    ("nome", "esperado"),
    [
        (
            "chamados-2025-03-10-1405.csv",
            'attachment; filename="chamados-2025-03-10-1405.csv"; '
            "filename*=UTF-8''chamados-2025-03-10-1405.csv",
        ),
        (
            "relatório de março.xlsx",
            'attachment; filename="relatorio_de_marco.xlsx"; '
            "filename*=UTF-8''relat%C3%B3rio%20de%20mar%C3%A7o.xlsx",
        ),
        (
            'a"b\\c\r\nd;.pdf',
            "attachment; filename=\"a_b_c_d.pdf\"; filename*=UTF-8''a%22b%5Cc%0D%0Ad%3B.pdf",
        ),
        (
            "日本.pdf",
            "attachment; filename=\"arquivo.pdf\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.pdf",
        ),
        (
            "sem extensão",
            "attachment; filename=\"sem_extensao\"; filename*=UTF-8''sem%20extens%C3%A3o",
        ),
    ],
)
def test_content_disposition_has_an_ascii_name_and_the_exact_one(nome: str, esperado: str) -> None:
    assert content_disposition(nome) == esperado


def test_phones_read_as_brazilians_write_them() -> None:
    assert telefone("5511987654321") == "(11) 98765-4321"
    assert telefone("552133334444") == "(21) 3333-4444"
    assert telefone("14155550123") == "14155550123"


def test_thousands_take_a_dot() -> None:
    assert inteiro(50_000) == "50.000"
    assert inteiro(999) == "999"
