"""Business time: working days and hours, Brazilian holidays, deadlines in business minutes.

An SLA of "4 hours" means 4 hours of the company's working time: a chamado opened on
Friday at 17:00 is due on Monday, not on Friday at 21:00. Everything here is pure (no
database, no clock): moments come in as arguments, timezone-aware, and go out in UTC.

The work happens in the expediente's zone because opening hours and holidays are local
facts; durations are measured between UTC instants, so a business minute is a real
minute even on a day whose clock jumps (daylight saving time).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from typing import ParamSpec, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

__all__ = ["ANOS_MAXIMOS", "FERIADO_LOCAL", "Calendario", "Expediente"]

# The name of every date in Expediente.feriados_extras (municipal holidays, closures).
FERIADO_LOCAL = "Feriado local"

# somar/subtrair accept at most this many years of the expediente's business minutes:
# no SLA is that long, and a typo of a few zeros must fail at once, not walk for ages.
ANOS_MAXIMOS = 10

# Every walk over the calendar stops after this many days (20 calendar years). With the
# cap above, only a calendar whose extra holidays swallow most working days reaches it.
_DIAS_MAXIMOS = 20 * 366

# Asked for by name: holidays may otherwise answer in the process locale's language.
_IDIOMA = "pt_BR"  # "Tiradentes", "Natal"
_PAIS = "BR"

_UM_DIA = timedelta(days=1)
_UM_MINUTO = timedelta(minutes=1)

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _ufs() -> frozenset[str]:
    # holidays also lists cities ("São Paulo Capital") among Brazil's subdivisions; a uf is
    # a state's two letters. A city's own holidays go in feriados_extras.
    return frozenset(s for s in holidays.list_supported_countries()[_PAIS] if len(s) == 2)


@functools.lru_cache(maxsize=512)
def _feriados_do_ano(uf: str | None, ano: int) -> Mapping[date, str]:
    """National (and the state's) holidays of one year, shared by every Calendario.

    holidays computes a year in about a millisecond; cached, a day's lookup is a dict's.
    """
    tabela = holidays.country_holidays(_PAIS, subdiv=uf, years=ano, language=_IDIOMA)
    return MappingProxyType(dict(tabela))


def _dentro_das_datas(metodo: Callable[_P, _R]) -> Callable[_P, _R]:
    """Turns datetime's OverflowError at years 1 and 9999 into the ValueError callers expect."""

    @functools.wraps(metodo)
    def envolvido(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return metodo(*args, **kwargs)
        except OverflowError as erro:
            raise ValueError("Data fora do intervalo suportado (anos 1 a 9999).") from erro

    return envolvido


@dataclass(frozen=True)
class Expediente:
    """Working days and hours, in the company's time zone."""

    dias: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # date.weekday(): 0 = segunda
    inicio: time = time(8, 0)
    fim: time = time(18, 0)
    fuso: str = "America/Sao_Paulo"
    uf: str | None = None  # also the state's holidays (holidays' subdiv, e.g. "SP")
    feriados_extras: frozenset[date] = frozenset()  # municipal holidays, company closures

    def __post_init__(self) -> None:
        if not self.dias:
            raise ValueError("O expediente precisa de ao menos um dia da semana.")
        for dia in self.dias:
            if isinstance(dia, bool) or not isinstance(dia, int) or not 0 <= dia <= 6:
                raise ValueError(
                    f"Dia da semana inválido: {dia!r} (use 0 = segunda a 6 = domingo)."
                )
        for nome, hora in (("início", self.inicio), ("fim", self.fim)):
            if not isinstance(hora, time):
                raise ValueError(f"O {nome} do expediente precisa ser um horário.")
            # The zone is `fuso`; a second zone on the hour would contradict it.
            if hora.tzinfo is not None:
                raise ValueError(f"O {nome} do expediente não leva fuso; o fuso é o do campo fuso.")
            # Whole minutes keep every business day a whole number of minutes long.
            if hora.second or hora.microsecond:
                raise ValueError(f"O {nome} do expediente precisa ser em minutos exatos.")
        if self.inicio >= self.fim:
            raise ValueError("O início do expediente precisa ser antes do fim.")
        try:
            ZoneInfo(self.fuso)
        except (ZoneInfoNotFoundError, ValueError, TypeError) as erro:
            raise ValueError(f"Fuso horário desconhecido: {self.fuso!r}.") from erro
        if self.uf is not None and self.uf not in _ufs():
            raise ValueError(f"UF desconhecida: {self.uf!r} (use a sigla, como 'SP').")
        for extra in self.feriados_extras:
            # A datetime is a date too, but a holiday is a whole local day.
            if not isinstance(extra, date) or isinstance(extra, datetime):
                raise ValueError(f"Feriado extra inválido: {extra!r} (use uma data).")

    @property
    def minutos_por_dia(self) -> int:
        """Business minutes of one full working day (by the clock)."""
        inicio = self.inicio.hour * 60 + self.inicio.minute
        return self.fim.hour * 60 + self.fim.minute - inicio


class Calendario:
    """Business-time arithmetic over an Expediente: is it open, when it opens, deadlines.

    Steps a day at a time (never a minute at a time), every walk bounded.
    """

    def __init__(self, expediente: Expediente) -> None:
        self.expediente = expediente
        self._zona = ZoneInfo(expediente.fuso)
        # The cap of somar/subtrair: ANOS_MAXIMOS years of this expediente's weeks.
        self.minutos_maximos = ANOS_MAXIMOS * 52 * len(expediente.dias) * expediente.minutos_por_dia

    # Days

    def feriado(self, dia: date) -> str | None:
        """The holiday's name on this local date, or None.

        National and state holidays keep their own name even when the date is also among
        feriados_extras: it says more than "Feriado local".
        """
        _exigir_data(dia)
        nome = _feriados_do_ano(self.expediente.uf, dia.year).get(dia)
        if nome is None and dia in self.expediente.feriados_extras:
            return FERIADO_LOCAL
        return nome

    def dia_util(self, dia: date) -> bool:
        """A working weekday that is not a holiday."""
        _exigir_data(dia)
        return dia.weekday() in self.expediente.dias and self.feriado(dia) is None

    # Moments

    @_dentro_das_datas
    def no_expediente(self, momento: datetime) -> bool:
        """Inside the working hours of a working day: opening inclusive, closing exclusive."""
        instante = _utc(momento, "momento")
        dia = self._data_local(instante)
        if not self.dia_util(dia):
            return False
        abertura, fechamento = self._janela(dia)
        return abertura <= instante < fechamento

    @_dentro_das_datas
    def proxima_abertura(self, momento: datetime) -> datetime:
        """momento itself when inside working hours; else the next working day's opening."""
        return self._avancar(_utc(momento, "momento"), timedelta(0))

    @_dentro_das_datas
    def somar(self, inicio: datetime, minutos: int) -> datetime:
        """The moment `minutos` business minutes after inicio.

        Work is counted only inside working hours, so starting outside them starts at the
        next opening, and somar(x, 0) == proxima_abertura(x). A deadline that uses up a
        day exactly falls on that day's closing (Friday 16:00 + 120 min = Friday 18:00).
        """
        return self._avancar(_utc(inicio, "inicio"), self._duracao(minutos))

    @_dentro_das_datas
    def subtrair(self, fim: datetime, minutos: int) -> datetime:
        """The moment `minutos` business minutes before fim: somar's mirror.

        Counted backwards from fim (or from the last closing before it when fim is outside
        working hours), so subtrair(somar(a, m), m) == a for a inside hours and m > 0.
        The mirror is exact: subtrair(x, 0) is x inside hours, else the last closing.
        """
        return self._recuar(_utc(fim, "fim"), self._duracao(minutos))

    @_dentro_das_datas
    def entre(self, a: datetime, b: datetime) -> int:
        """Whole business minutes from a to b (rounded down), 0 when b <= a."""
        desde, ate = _utc(a, "a"), _utc(b, "b")
        if ate <= desde:
            return 0
        primeiro, ultimo = self._data_local(desde), self._data_local(ate)
        dias = (ultimo - primeiro).days + 1
        if dias > _DIAS_MAXIMOS:
            raise ValueError("O intervalo passa de 20 anos; não é um prazo de SLA.")
        total = timedelta(0)
        for deslocamento in range(dias):
            dia = primeiro + timedelta(days=deslocamento)
            if not self.dia_util(dia):
                continue
            abertura, fechamento = self._janela(dia)
            comeco, termino = max(desde, abertura), min(ate, fechamento)
            if termino > comeco:
                total += termino - comeco
        return total // _UM_MINUTO

    # Internals: instants are UTC datetimes, days are local dates.

    def _data_local(self, instante: datetime) -> date:
        return instante.astimezone(self._zona).date()

    def _janela(self, dia: date) -> tuple[datetime, datetime]:
        """Opening and closing of a local day, as UTC instants."""
        abertura = datetime.combine(dia, self.expediente.inicio, tzinfo=self._zona)
        fechamento = datetime.combine(dia, self.expediente.fim, tzinfo=self._zona)
        return abertura.astimezone(UTC), fechamento.astimezone(UTC)

    def _duracao(self, minutos: int) -> timedelta:
        if isinstance(minutos, bool) or not isinstance(minutos, int):
            raise ValueError(f"minutos precisa ser um número inteiro, não {minutos!r}.")
        if minutos < 0:
            raise ValueError("minutos não pode ser negativo (use subtrair).")
        if minutos > self.minutos_maximos:
            raise ValueError(
                f"minutos passa do limite de {ANOS_MAXIMOS} anos de expediente "
                f"({self.minutos_maximos} minutos)."
            )
        return timedelta(minutes=minutos)

    def _avancar(self, instante: datetime, restante: timedelta) -> datetime:
        dia = self._data_local(instante)
        for _ in range(_DIAS_MAXIMOS):
            if self.dia_util(dia):
                abertura, fechamento = self._janela(dia)
                comeco = max(instante, abertura)
                # Half-open [abertura, fechamento): the closing minute opens nothing.
                if comeco < fechamento:
                    livre = fechamento - comeco
                    if restante <= livre:
                        return comeco + restante
                    restante -= livre
            dia += _UM_DIA
        raise ValueError("Nenhum dia útil suficiente em 20 anos: confira dias e feriados extras.")

    def _recuar(self, instante: datetime, restante: timedelta) -> datetime:
        dia = self._data_local(instante)
        for _ in range(_DIAS_MAXIMOS):
            if self.dia_util(dia):
                abertura, fechamento = self._janela(dia)
                termino = min(instante, fechamento)
                # The mirror of _avancar: (abertura, fechamento], the opening closes nothing.
                if termino > abertura:
                    livre = termino - abertura
                    if restante <= livre:
                        return termino - restante
                    restante -= livre
            dia -= _UM_DIA
        raise ValueError("Nenhum dia útil suficiente em 20 anos: confira dias e feriados extras.")


def _utc(momento: datetime, nome: str) -> datetime:
    if not isinstance(momento, datetime):
        raise ValueError(f"{nome} precisa ser um datetime com fuso, não {momento!r}.")
    # A tzinfo whose utcoffset is None is naive too (datetime's own definition).
    if momento.tzinfo is None or momento.utcoffset() is None:
        raise ValueError(f"{nome} precisa ter fuso horário (datetime sem fuso: {momento}).")
    return momento.astimezone(UTC)


def _exigir_data(dia: date) -> None:
    # A datetime is a date too, but which day it is depends on the zone: be explicit.
    if not isinstance(dia, date) or isinstance(dia, datetime):
        raise ValueError(f"Use uma data local (date), não {dia!r}.")
