"""Validation problems in Portuguese: pydantic writes English, the operators read pt-BR.

Every error type pydantic-core can raise has its sentence here, filled from the
error's context (a limit, the accepted values). Our own validators already speak
Portuguese (``PydanticCustomError`` types, or a ``ValueError`` whose text pydantic
prefixes with "Value error, "); those keep their words. Every message starts with
a capital letter, like the rest of the API's messages the screens show.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Contexto = Mapping[str, Any]


def _n(valor: Any, singular: str, plural: str) -> str:
    return f"{valor} {singular if valor == 1 else plural}"


def _lista(valor: Any) -> str:
    # pydantic lists accepted values as "'a', 'b' or 'c'".
    return str(valor).replace(" or ", " ou ")


_DATA = "use o formato ISO 8601, como 2026-12-05"
_DATA_HORA = "use o formato ISO 8601, como 2026-12-05T14:30:00-03:00"

_FRASES: dict[str, str | Callable[[Contexto], str]] = {
    "missing": "Campo obrigatório",
    "extra_forbidden": "Campo não permitido aqui",
    "frozen_field": "Este campo não pode ser alterado",
    "frozen_instance": "Este objeto não pode ser alterado",
    "invalid_key": "As chaves devem ser textos",
    "no_such_attribute": lambda c: f"Atributo desconhecido: {c.get('attribute')}",
    "json_invalid": "JSON inválido",
    "json_type": "O JSON deve vir como texto",
    "needs_python_object": "Valor em formato não aceito",
    "recursion_loop": "Referência circular nos dados",
    "recursion_depth_exceeded": "Dados aninhados demais",
    "get_attribute_error": "Não foi possível ler o valor",
    "model_type": "Deve ser um objeto JSON",
    "model_attributes_type": "Deve ser um objeto JSON",
    "dataclass_type": "Deve ser um objeto JSON",
    "dataclass_exact_type": "Deve ser um objeto JSON",
    "named_tuple_type": "Deve ser uma lista ou um objeto JSON",
    "default_factory_not_called": "Valor padrão não calculado: há outros erros nos dados",
    "none_required": "Deve ser nulo",
    "greater_than": lambda c: f"Deve ser maior que {c.get('gt')}",
    "greater_than_equal": lambda c: f"Deve ser maior ou igual a {c.get('ge')}",
    "less_than": lambda c: f"Deve ser menor que {c.get('lt')}",
    "less_than_equal": lambda c: f"Deve ser menor ou igual a {c.get('le')}",
    "multiple_of": lambda c: f"Deve ser múltiplo de {c.get('multiple_of')}",
    "finite_number": "Deve ser um número finito",
    "too_short": lambda c: f"Deve ter pelo menos {_n(c.get('min_length'), 'item', 'itens')}",
    "too_long": lambda c: f"Deve ter no máximo {_n(c.get('max_length'), 'item', 'itens')}",
    "iterable_type": "Deve ser uma lista",
    "iteration_error": "Não foi possível ler a lista",
    "string_type": "Deve ser um texto",
    "string_unicode": "Deve ser um texto em UTF-8",
    "string_too_short": lambda c: (
        f"Deve ter pelo menos {_n(c.get('min_length'), 'caractere', 'caracteres')}"
    ),
    "string_too_long": lambda c: (
        f"Deve ter no máximo {_n(c.get('max_length'), 'caractere', 'caracteres')}"
    ),
    "string_pattern_mismatch": lambda c: f"Formato inválido (esperado: {c.get('pattern')})",
    "string_not_ascii": "Deve conter só caracteres ASCII",
    "enum": lambda c: f"Valor não aceito: use {_lista(c.get('expected'))}",
    "literal_error": lambda c: f"Valor não aceito: use {_lista(c.get('expected'))}",
    "missing_sentinel_error": "Valor não aceito",
    "ellipsis_error": "Valor não aceito",
    "dict_type": "Deve ser um objeto JSON",
    "frozen_dict_type": "Deve ser um objeto JSON",
    "ordered_dict_type": "Deve ser um objeto JSON",
    "counter_type": "Deve ser um objeto JSON",
    "mapping_type": "Deve ser um objeto JSON",
    "list_type": "Deve ser uma lista",
    "deque_type": "Deve ser uma lista",
    "tuple_type": "Deve ser uma lista",
    "set_type": "Deve ser uma lista sem repetições",
    "frozen_set_type": "Deve ser uma lista sem repetições",
    "set_item_not_hashable": "Itens da lista em formato não aceito",
    "bool_type": "Deve ser verdadeiro ou falso (true/false)",
    "bool_parsing": "Deve ser verdadeiro ou falso (true/false)",
    "int_type": "Deve ser um número inteiro",
    "int_parsing": "Deve ser um número inteiro",
    "int_parsing_size": "Número inteiro grande demais",
    "int_from_float": "Deve ser um número inteiro, sem casas decimais",
    "float_type": "Deve ser um número",
    "float_parsing": "Deve ser um número",
    "bytes_type": "Deve ser um texto",
    "bytes_too_short": lambda c: f"Deve ter pelo menos {_n(c.get('min_length'), 'byte', 'bytes')}",
    "bytes_too_long": lambda c: f"Deve ter no máximo {_n(c.get('max_length'), 'byte', 'bytes')}",
    "bytes_invalid_encoding": "Codificação inválida",
    "assertion_error": "Valor inválido",
    "date_type": f"Data inválida: {_DATA}",
    "date_parsing": f"Data inválida: {_DATA}",
    "date_from_datetime_parsing": f"Data inválida: {_DATA}",
    "date_from_datetime_inexact": "Deve ser uma data, sem horário",
    "date_past": "A data deve estar no passado",
    "date_future": "A data deve estar no futuro",
    "time_type": "Horário inválido: use HH:MM ou HH:MM:SS",
    "time_parsing": "Horário inválido: use HH:MM ou HH:MM:SS",
    "datetime_type": f"Data e hora inválidas: {_DATA_HORA}",
    "datetime_parsing": f"Data e hora inválidas: {_DATA_HORA}",
    "datetime_object_invalid": f"Data e hora inválidas: {_DATA_HORA}",
    "datetime_from_date_parsing": f"Data e hora inválidas: {_DATA_HORA}",
    "datetime_past": "A data e hora devem estar no passado",
    "datetime_future": "A data e hora devem estar no futuro",
    "timezone_naive": "Não informe o fuso horário",
    "timezone_aware": "Informe o fuso horário (por exemplo -03:00)",
    "timezone_offset": "Fuso horário não aceito",
    "time_delta_type": "Duração inválida",
    "time_delta_parsing": "Duração inválida",
    "is_instance_of": "Valor em formato não aceito",
    "is_subclass_of": "Valor em formato não aceito",
    "callable_type": "Valor em formato não aceito",
    "union_tag_invalid": lambda c: (
        f"Tipo {c.get('tag')} desconhecido: use {_lista(c.get('expected_tags'))}"
    ),
    "union_tag_not_found": lambda c: f"Falta o campo {c.get('discriminator')}",
    "arguments_type": "Argumentos inválidos",
    "missing_argument": "Campo obrigatório",
    "unexpected_keyword_argument": "Campo não permitido aqui",
    "missing_keyword_only_argument": "Campo obrigatório",
    "unexpected_positional_argument": "Valor a mais",
    "missing_positional_only_argument": "Campo obrigatório",
    "multiple_argument_values": "Campo informado mais de uma vez",
    "url_type": "Deve ser uma URL",
    "url_parsing": "URL inválida",
    "url_syntax_violation": "URL inválida",
    "url_too_long": lambda c: (
        f"URL longa demais (no máximo {_n(c.get('max_length'), 'caractere', 'caracteres')})"
    ),
    "url_scheme": lambda c: f"A URL deve começar com {_lista(c.get('expected_schemes'))}",
    "uuid_type": "Deve ser um UUID",
    "uuid_parsing": "UUID inválido",
    "uuid_version": "Versão de UUID não aceita",
    "decimal_type": "Deve ser um número decimal",
    "decimal_parsing": "Deve ser um número decimal",
    "decimal_max_digits": lambda c: (
        f"No máximo {_n(c.get('max_digits'), 'dígito', 'dígitos')} ao todo"
    ),
    "decimal_max_places": lambda c: (
        f"No máximo {_n(c.get('decimal_places'), 'casa decimal', 'casas decimais')}"
    ),
    "decimal_whole_digits": lambda c: (
        f"No máximo {_n(c.get('whole_digits'), 'dígito', 'dígitos')} antes da vírgula"
    ),
    "fraction_type": "Deve ser um número",
    "fraction_parsing": "Deve ser um número",
    "complex_type": "Deve ser um número",
    "complex_str_parsing": "Deve ser um número",
}

_PREFIXOS_NOSSOS = ("Value error, ", "Assertion failed, ")
_EMAIL = "value is not a valid email address"


def _maiuscula(texto: str) -> str:
    return texto[:1].upper() + texto[1:]


def mensagem(erro: Mapping[str, Any]) -> str:
    """The pt-BR sentence of one of pydantic's validation errors."""
    tipo = str(erro.get("type", ""))
    original = str(erro.get("msg", ""))
    contexto: Contexto = erro.get("ctx") or {}
    if tipo == "value_error":
        if original.startswith(_EMAIL):
            return "E-mail inválido: confira o endereço (por exemplo nome@empresa.com.br)"
        for prefixo in _PREFIXOS_NOSSOS:
            if original.startswith(prefixo):
                return _maiuscula(original.removeprefix(prefixo))
        return _maiuscula(original)
    frase = _FRASES.get(tipo)
    if frase is None:
        # One of ours (PydanticCustomError), already in Portuguese.
        return _maiuscula(original)
    return _maiuscula(frase(contexto) if callable(frase) else frase)
