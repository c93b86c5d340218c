"""Periods: overlap, cover, late change (inclusive dates; an open end runs for ever)."""

from __future__ import annotations

from datetime import date

import pytest

from robots.harry.model import Period
from robots.harry.rules.periods import covers, days_until, is_late_change, overlaps

D = date


def P(start: date, end: date | None) -> Period:
    return Period(start=start, end=end)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (P(D(2026, 1, 1), D(2026, 6, 30)), P(D(2026, 6, 30), D(2026, 12, 31)), True),  # share 30 June
        (P(D(2026, 1, 1), D(2026, 6, 30)), P(D(2026, 7, 1), D(2026, 12, 31)), False),  # back to back
        (P(D(2026, 1, 1), None), P(D(2030, 1, 1), D(2030, 1, 31)), True),  # open end reaches 2030
        (P(D(2026, 3, 1), D(2026, 3, 31)), P(D(2026, 1, 1), D(2026, 2, 28)), False),
        (P(D(2026, 1, 1), D(2026, 12, 31)), P(D(2026, 4, 1), D(2026, 4, 30)), True),  # inside
    ],
)
def test_overlaps_is_symmetric(a: Period, b: Period, expected: bool) -> None:
    assert overlaps(a, b) is expected
    assert overlaps(b, a) is expected


def test_covers() -> None:
    employment = P(D(2026, 1, 1), D(2026, 6, 30))
    assert covers(employment, P(D(2026, 1, 1), D(2026, 6, 30)))  # the very same days
    assert not covers(employment, P(D(2026, 4, 1), D(2026, 8, 31)))  # runs two months past the end
    assert not covers(employment, P(D(2025, 12, 31), D(2026, 3, 31)))  # starts a day early
    assert not covers(employment, P(D(2026, 4, 1), None))  # open-ended schedule, employment ends
    assert covers(P(D(2020, 8, 1), None), P(D(2026, 4, 1), None))  # tillsvidare covers tills vidare


def test_late_change_is_less_than_ten_days_notice() -> None:
    today = D(2026, 3, 2)
    # 2026-03-11 is 9 days ahead: shorter notice than 10 days → late.
    assert days_until(D(2026, 3, 11), today) == 9 and is_late_change(D(2026, 3, 11), today, 10)
    # 2026-03-12 is 10 days ahead: 10 days' notice is enough.
    assert not is_late_change(D(2026, 3, 12), today, 10)
    # Starting today, or already started (retroactive), is late.
    assert is_late_change(today, today, 10)
    assert is_late_change(D(2026, 2, 16), today, 10)


def test_period_label_and_order() -> None:
    assert P(D(2026, 3, 2), None).label() == "2026-03-02–tills vidare"
    assert P(D(2026, 3, 2), D(2026, 6, 30)).label() == "2026-03-02–2026-06-30"
    with pytest.raises(ValueError):
        P(D(2026, 3, 2), D(2026, 3, 1))
