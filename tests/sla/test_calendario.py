"""The business-time calendar: hand-computed deadlines over weekends, holidays and hours.

The default expediente is Monday to Friday, 08:00 to 18:00 in São Paulo (UTC-3 all year
since 2019): 600 business minutes a day. 2026-03-06 is a Friday.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from gmm.sla.calendario import FERIADO_LOCAL, Calendario, Expediente

SAO_PAULO = ZoneInfo("America/Sao_Paulo")
PADRAO = Calendario(Expediente())


def sp(ano: int, mes: int, dia: int, hora: int, minuto: int = 0) -> datetime:
    return datetime(ano, mes, dia, hora, minuto, tzinfo=SAO_PAULO)


def utc(ano: int, mes: int, dia: int, hora: int, minuto: int = 0) -> datetime:
    return datetime(ano, mes, dia, hora, minuto, tzinfo=UTC)


# Weekends and working hours


def test_friday_afternoon_plus_two_hours_is_monday_nine() -> None:
    # Friday 17:00-18:00 uses 60 minutes, the other 60 are Monday 08:00-09:00.
    prazo = PADRAO.somar(sp(2026, 3, 6, 17), 120)
    assert prazo == sp(2026, 3, 9, 9)
    assert prazo == utc(2026, 3, 9, 12)


def test_outputs_are_utc_whatever_the_input_zone() -> None:
    prazo = PADRAO.somar(sp(2026, 3, 6, 17), 120)
    assert prazo.tzinfo is UTC
    # The same instant written in another zone (20:00 UTC = 17:00 in São Paulo).
    mais_dois = datetime(2026, 3, 6, 22, 0, tzinfo=timezone(timedelta(hours=2)))
    assert PADRAO.somar(mais_dois, 120) == utc(2026, 3, 9, 12)
    assert PADRAO.proxima_abertura(mais_dois).tzinfo is UTC


def test_deadline_that_uses_up_the_day_falls_on_its_closing() -> None:
    assert PADRAO.somar(sp(2026, 3, 6, 16), 120) == sp(2026, 3, 6, 18)


def test_start_on_saturday_starts_on_monday_opening() -> None:
    assert PADRAO.somar(sp(2026, 3, 7, 10), 30) == sp(2026, 3, 9, 8, 30)
    assert PADRAO.somar(sp(2026, 3, 8, 23, 59), 30) == sp(2026, 3, 9, 8, 30)


def test_start_before_opening_starts_at_opening() -> None:
    assert PADRAO.somar(sp(2026, 3, 9, 6), 30) == sp(2026, 3, 9, 8, 30)


def test_start_after_closing_starts_next_morning() -> None:
    assert PADRAO.somar(sp(2026, 3, 9, 19), 30) == sp(2026, 3, 10, 8, 30)
    # Closing is exclusive: 18:00 is already after hours.
    assert PADRAO.somar(sp(2026, 3, 9, 18), 30) == sp(2026, 3, 10, 8, 30)


def test_a_full_week_of_work() -> None:
    # Five days of 600 minutes from Monday 08:00 end on Friday 18:00.
    assert PADRAO.somar(sp(2026, 3, 9, 8), 5 * 600) == sp(2026, 3, 13, 18)
    # One minute more is Monday 08:01.
    assert PADRAO.somar(sp(2026, 3, 9, 8), 5 * 600 + 1) == sp(2026, 3, 16, 8, 1)


def test_somar_zero_is_proxima_abertura() -> None:
    for momento in (
        sp(2026, 3, 9, 10, 15),  # inside hours: itself
        sp(2026, 3, 9, 18),  # closing: next morning
        sp(2026, 3, 7, 12),  # Saturday: Monday
        sp(2026, 4, 21, 9),  # Tiradentes: Wednesday
    ):
        assert PADRAO.somar(momento, 0) == PADRAO.proxima_abertura(momento)


def test_proxima_abertura() -> None:
    assert PADRAO.proxima_abertura(sp(2026, 3, 9, 10, 15)) == sp(2026, 3, 9, 10, 15)
    assert PADRAO.proxima_abertura(sp(2026, 3, 9, 7, 59)) == sp(2026, 3, 9, 8)
    assert PADRAO.proxima_abertura(sp(2026, 3, 6, 18)) == sp(2026, 3, 9, 8)
    assert PADRAO.proxima_abertura(sp(2026, 4, 21, 9)) == sp(2026, 4, 22, 8)


# Boundaries


def test_no_expediente_opening_inclusive_closing_exclusive() -> None:
    assert PADRAO.no_expediente(sp(2026, 3, 9, 8))
    assert not PADRAO.no_expediente(sp(2026, 3, 9, 8) - timedelta(microseconds=1))
    assert PADRAO.no_expediente(sp(2026, 3, 9, 17, 59))
    assert PADRAO.no_expediente(sp(2026, 3, 9, 18) - timedelta(microseconds=1))
    assert not PADRAO.no_expediente(sp(2026, 3, 9, 18))
    # 11:00 UTC is 08:00 in São Paulo.
    assert PADRAO.no_expediente(utc(2026, 3, 9, 11))
    assert not PADRAO.no_expediente(utc(2026, 3, 9, 10, 59))


def test_no_expediente_is_false_on_weekends_and_holidays() -> None:
    assert not PADRAO.no_expediente(sp(2026, 3, 7, 10))  # Saturday
    assert not PADRAO.no_expediente(sp(2026, 3, 8, 10))  # Sunday
    assert not PADRAO.no_expediente(sp(2026, 4, 21, 10))  # Tiradentes


# Holidays


def test_national_holidays_have_their_portuguese_names() -> None:
    assert PADRAO.feriado(date(2026, 4, 21)) == "Tiradentes"
    assert PADRAO.feriado(date(2026, 12, 25)) == "Natal"
    # A national holiday since 2024 (Lei 14.759/2023).
    assert PADRAO.feriado(date(2026, 11, 20)) == "Dia Nacional de Zumbi e da Consciência Negra"
    assert PADRAO.feriado(date(2026, 4, 3)) == "Sexta-feira Santa"
    assert PADRAO.feriado(date(2026, 3, 9)) is None
    for dia in (date(2026, 4, 21), date(2026, 12, 25), date(2026, 11, 20)):
        assert not PADRAO.dia_util(dia)
    assert PADRAO.dia_util(date(2026, 3, 9))


def test_carnaval_is_not_a_national_holiday() -> None:
    # Carnaval (Tuesday 2026-02-17) is a "ponto facultativo", not a holiday by federal
    # law: holidays files it under the optional category, which is not asked for here.
    # A company that closes for it lists the dates in feriados_extras.
    assert PADRAO.feriado(date(2026, 2, 17)) is None
    assert PADRAO.dia_util(date(2026, 2, 17))
    fechada = Calendario(Expediente(feriados_extras=frozenset({date(2026, 2, 17)})))
    assert fechada.feriado(date(2026, 2, 17)) == FERIADO_LOCAL


def test_weekend_days_are_not_working_days_even_without_holiday() -> None:
    assert not PADRAO.dia_util(date(2026, 3, 7))
    assert PADRAO.feriado(date(2026, 3, 7)) is None


def test_deadline_skips_a_holiday() -> None:
    # Monday 2026-04-20 17:00 + 120: 60 on Monday, Tuesday is Tiradentes, 60 on Wednesday.
    assert PADRAO.somar(sp(2026, 4, 20, 17), 120) == sp(2026, 4, 22, 9)


def test_deadline_across_the_easter_long_weekend() -> None:
    # Thursday 2026-04-02 16:00 + 24 business hours (1440 minutes): Thursday 120,
    # Good Friday off, weekend, Monday 600, Tuesday 600, Wednesday 08:00 + 120.
    prazo = PADRAO.somar(sp(2026, 4, 2, 16), 24 * 60)
    assert prazo == sp(2026, 4, 8, 10)
    assert prazo == utc(2026, 4, 8, 13)


def test_deadline_across_christmas() -> None:
    # Thursday 2026-12-24 17:30 + 60: 30 on Thursday, Christmas on Friday, 30 on Monday.
    assert PADRAO.somar(sp(2026, 12, 24, 17, 30), 60) == sp(2026, 12, 28, 8, 30)


def test_state_holiday_only_with_its_uf() -> None:
    paulista = Calendario(Expediente(uf="SP"))
    assert paulista.feriado(date(2026, 7, 9)) == "Revolução Constitucionalista"
    assert not paulista.dia_util(date(2026, 7, 9))
    assert PADRAO.feriado(date(2026, 7, 9)) is None
    assert PADRAO.dia_util(date(2026, 7, 9))
    # Wednesday 2026-07-08 17:00 + 120: Thursday is off in São Paulo only.
    assert paulista.somar(sp(2026, 7, 8, 17), 120) == sp(2026, 7, 10, 9)
    assert PADRAO.somar(sp(2026, 7, 8, 17), 120) == sp(2026, 7, 9, 9)
    # The national ones still count with a uf.
    assert paulista.feriado(date(2026, 4, 21)) == "Tiradentes"


def test_custom_holidays_are_named_feriado_local() -> None:
    aniversario = date(2026, 3, 10)  # a Tuesday
    local = Calendario(Expediente(feriados_extras=frozenset({aniversario, date(2026, 4, 21)})))
    assert local.feriado(aniversario) == FERIADO_LOCAL == "Feriado local"
    assert not local.dia_util(aniversario)
    # A date that is also a national holiday keeps the national name.
    assert local.feriado(date(2026, 4, 21)) == "Tiradentes"
    # Monday 2026-03-09 17:00 + 120: 60 on Monday, Tuesday closed, 60 on Wednesday.
    assert local.somar(sp(2026, 3, 9, 17), 120) == sp(2026, 3, 11, 9)


def test_other_working_days_and_hours() -> None:
    # Saturday mornings too, 09:00-13:00.
    sabado = Calendario(Expediente(dias=frozenset({0, 1, 2, 3, 4, 5})))
    assert sabado.dia_util(date(2026, 3, 7))
    assert sabado.somar(sp(2026, 3, 6, 17), 120) == sp(2026, 3, 7, 9)
    curto = Calendario(Expediente(inicio=time(9, 0), fim=time(13, 0)))
    assert curto.somar(sp(2026, 3, 9, 12), 120) == sp(2026, 3, 10, 10)
    assert curto.entre(sp(2026, 3, 9, 0), sp(2026, 3, 10, 23)) == 2 * 240


def test_a_business_minute_is_a_real_minute_on_a_daylight_saving_day() -> None:
    # New York springs forward at 02:00 on 2026-03-08: 00:00-06:00 lasts 5 real hours.
    madrugada = Calendario(
        Expediente(
            dias=frozenset(range(7)), inicio=time(0, 0), fim=time(6, 0), fuso="America/New_York"
        )
    )
    nova_york = ZoneInfo("America/New_York")
    abertura = datetime(2026, 3, 8, 0, 0, tzinfo=nova_york)
    fechamento = datetime(2026, 3, 8, 6, 0, tzinfo=nova_york)
    assert madrugada.entre(abertura, fechamento) == 5 * 60
    assert madrugada.somar(abertura, 5 * 60) == fechamento


# subtrair


def test_subtrair_mirrors_somar() -> None:
    assert PADRAO.subtrair(sp(2026, 3, 9, 9), 120) == sp(2026, 3, 6, 17)
    assert PADRAO.subtrair(sp(2026, 4, 8, 10), 24 * 60) == sp(2026, 4, 2, 16)
    assert PADRAO.subtrair(sp(2026, 4, 22, 9), 120) == sp(2026, 4, 20, 17)
    # Inside a day: plain subtraction.
    assert PADRAO.subtrair(sp(2026, 3, 9, 15), 90) == sp(2026, 3, 9, 13, 30)
    # Using up the day exactly lands on its opening.
    assert PADRAO.subtrair(sp(2026, 3, 9, 10), 120) == sp(2026, 3, 9, 8)


def test_subtrair_from_outside_hours_counts_from_the_last_closing() -> None:
    assert PADRAO.subtrair(sp(2026, 3, 7, 12), 60) == sp(2026, 3, 6, 17)  # Saturday
    assert PADRAO.subtrair(sp(2026, 3, 9, 7), 60) == sp(2026, 3, 6, 17)  # Monday, early
    assert PADRAO.subtrair(sp(2026, 3, 9, 21), 60) == sp(2026, 3, 9, 17)  # Monday, late
    # The exact mirror of somar(x, 0) == proxima_abertura(x).
    assert PADRAO.subtrair(sp(2026, 3, 7, 12), 0) == sp(2026, 3, 6, 18)
    assert PADRAO.subtrair(sp(2026, 3, 9, 8), 0) == sp(2026, 3, 6, 18)
    assert PADRAO.subtrair(sp(2026, 3, 9, 11), 0) == sp(2026, 3, 9, 11)


# entre


def test_entre_across_days_weekends_and_holidays() -> None:
    assert PADRAO.entre(sp(2026, 3, 6, 17), sp(2026, 3, 9, 9)) == 120
    assert PADRAO.entre(sp(2026, 3, 9, 10), sp(2026, 3, 9, 12, 30)) == 150
    # Monday 10:00-18:00 (480), Tiradentes (0), Wednesday 08:00-10:00 (120).
    assert PADRAO.entre(sp(2026, 4, 20, 10), sp(2026, 4, 22, 10)) == 600
    # A whole weekend and a night: nothing.
    assert PADRAO.entre(sp(2026, 3, 6, 18), sp(2026, 3, 9, 8)) == 0
    # Monday to next Monday, same hour: five full days.
    assert PADRAO.entre(sp(2026, 3, 9, 8), sp(2026, 3, 16, 8)) == 3000


def test_entre_is_zero_when_b_is_not_after_a() -> None:
    assert PADRAO.entre(sp(2026, 3, 9, 12), sp(2026, 3, 9, 10)) == 0
    assert PADRAO.entre(sp(2026, 3, 9, 12), sp(2026, 3, 9, 12)) == 0


def test_entre_counts_whole_minutes_rounded_down() -> None:
    inicio = sp(2026, 3, 9, 8)
    assert PADRAO.entre(inicio, inicio + timedelta(seconds=119)) == 1
    assert PADRAO.entre(inicio, inicio + timedelta(seconds=120)) == 2


def test_entre_measures_what_somar_and_subtrair_consumed() -> None:
    inicios = [
        sp(2026, 3, 9, 8),  # opening
        sp(2026, 3, 9, 13, 17),  # mid-day
        sp(2026, 3, 6, 17, 59),  # a minute before a weekend
        sp(2026, 3, 7, 11),  # Saturday
        sp(2026, 4, 2, 16),  # before Easter
        sp(2026, 4, 21, 10),  # on Tiradentes
        sp(2026, 12, 24, 20),  # Christmas eve, after hours
        sp(2026, 12, 31, 17, 45),  # across the new year
    ]
    minutos = [0, 1, 59, 60, 599, 600, 601, 1440, 10_000, 100_000]
    for inicio in inicios:
        for m in minutos:
            prazo = PADRAO.somar(inicio, m)
            assert PADRAO.entre(inicio, prazo) == m, (inicio, m)
            assert PADRAO.entre(PADRAO.subtrair(prazo, m), prazo) == m, (inicio, m)
            if m and PADRAO.no_expediente(inicio):
                assert PADRAO.subtrair(prazo, m) == inicio, (inicio, m)


# Rejected input


def test_naive_datetimes_are_rejected() -> None:
    ingenuo = datetime(2026, 3, 9, 10, 0)
    with pytest.raises(ValueError, match="fuso"):
        PADRAO.no_expediente(ingenuo)
    with pytest.raises(ValueError, match="fuso"):
        PADRAO.proxima_abertura(ingenuo)
    with pytest.raises(ValueError, match="fuso"):
        PADRAO.somar(ingenuo, 10)
    with pytest.raises(ValueError, match="fuso"):
        PADRAO.subtrair(ingenuo, 10)
    with pytest.raises(ValueError, match="fuso"):
        PADRAO.entre(ingenuo, sp(2026, 3, 10, 10))
    with pytest.raises(ValueError, match="fuso"):
        PADRAO.entre(sp(2026, 3, 8, 10), ingenuo)


def test_days_must_be_dates_not_datetimes() -> None:
    with pytest.raises(ValueError, match="date"):
        PADRAO.feriado(sp(2026, 4, 21, 10))
    with pytest.raises(ValueError, match="date"):
        PADRAO.dia_util(sp(2026, 4, 21, 10))


@pytest.mark.parametrize(
    ("campos", "mensagem"),
    [
        ({"inicio": time(18, 0), "fim": time(8, 0)}, "antes do fim"),
        ({"inicio": time(8, 0), "fim": time(8, 0)}, "antes do fim"),
        ({"dias": frozenset()}, "ao menos um dia"),
        ({"dias": frozenset({0, 7})}, "Dia da semana inválido"),
        ({"dias": frozenset({-1})}, "Dia da semana inválido"),
        ({"fuso": "America/Atlantida"}, "Fuso horário desconhecido"),
        ({"fuso": ""}, "Fuso horário desconhecido"),
        ({"uf": "XX"}, "UF desconhecida"),
        ({"uf": "sp"}, "UF desconhecida"),
        ({"inicio": time(8, 0, 30)}, "minutos exatos"),
        ({"fim": time(18, 0, tzinfo=UTC)}, "não leva fuso"),
        ({"feriados_extras": frozenset({sp(2026, 3, 10, 0)})}, "Feriado extra inválido"),
    ],
)
def test_invalid_expediente_is_rejected(campos: dict[str, object], mensagem: str) -> None:
    with pytest.raises(ValueError, match=mensagem):
        Expediente(**campos)  # type: ignore[arg-type]


def test_huge_or_negative_minutes_are_rejected() -> None:
    # Ten years of 5 days x 600 minutes a week.
    assert PADRAO.minutos_maximos == 10 * 52 * 5 * 600
    with pytest.raises(ValueError, match="limite"):
        PADRAO.somar(sp(2026, 3, 9, 10), PADRAO.minutos_maximos + 1)
    with pytest.raises(ValueError, match="limite"):
        PADRAO.subtrair(sp(2026, 3, 9, 10), 10**18)
    with pytest.raises(ValueError, match="negativo"):
        PADRAO.somar(sp(2026, 3, 9, 10), -1)
    with pytest.raises(ValueError, match="inteiro"):
        PADRAO.somar(sp(2026, 3, 9, 10), 1.5)  # type: ignore[arg-type]


def test_the_largest_deadline_is_computed_and_mirrors() -> None:
    # Day by day, ten years are a few thousand steps; the cap keeps the walk bounded.
    inicio = sp(2026, 3, 9, 10)
    prazo = PADRAO.somar(inicio, PADRAO.minutos_maximos)
    assert PADRAO.entre(inicio, prazo) == PADRAO.minutos_maximos
    assert PADRAO.subtrair(prazo, PADRAO.minutos_maximos) == inicio
    assert date(2035, 1, 1) < prazo.date() < date(2037, 1, 1)


def test_a_calendar_without_working_days_fails_instead_of_hanging() -> None:
    # Every Monday closed for 25 years, and Monday the only working day.
    segundas = frozenset(date(2026, 3, 9) + timedelta(weeks=n) for n in range(25 * 53))
    fechado = Calendario(Expediente(dias=frozenset({0}), feriados_extras=segundas))
    with pytest.raises(ValueError, match="Nenhum dia útil"):
        fechado.proxima_abertura(sp(2026, 3, 9, 10))
    with pytest.raises(ValueError, match="Nenhum dia útil"):
        fechado.somar(sp(2026, 3, 9, 10), 60)
    assert not fechado.no_expediente(sp(2026, 3, 9, 10))


def test_entre_refuses_spans_longer_than_twenty_years() -> None:
    with pytest.raises(ValueError, match="20 anos"):
        PADRAO.entre(sp(2000, 1, 3, 10), sp(2030, 1, 3, 10))


def test_the_ends_of_the_calendar_raise_value_error() -> None:
    ultimo = datetime(9999, 12, 31, 17, 0, tzinfo=SAO_PAULO)
    with pytest.raises(ValueError, match="intervalo suportado"):
        PADRAO.somar(ultimo, 600)
    with pytest.raises(ValueError, match="intervalo suportado"):
        PADRAO.proxima_abertura(datetime.max.replace(tzinfo=UTC))
    with pytest.raises(ValueError, match="intervalo suportado"):
        PADRAO.no_expediente(datetime.min.replace(tzinfo=UTC))
    with pytest.raises(ValueError, match="intervalo suportado"):
        PADRAO.subtrair(datetime(1, 1, 1, 12, 0, tzinfo=UTC), 600)
