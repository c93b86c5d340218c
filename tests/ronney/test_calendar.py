"""Deadlines on days off move to the next working day (Lag 1930:173 2 §); dates checked by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from robots.ronney.rules.calendar import effective_due_date, is_working_day, why_not_working


@pytest.mark.parametrize(
    ("due", "moved_to", "why"),
    [
        # Wed julafton → 25 juldagen, 26 annandag jul, 27 Sat, 28 Sun → Mon 29
        (date(2025, 12, 24), date(2025, 12, 29), "julafton"),
        # Wed nyårsafton → Thu 1 Jan nyårsdagen → Fri 2 Jan
        (date(2025, 12, 31), date(2026, 1, 2), "nyårsafton"),
        # Fri midsommarafton → Sat midsommardagen, Sun → Mon 23 Jun
        (date(2025, 6, 20), date(2025, 6, 23), "midsommarafton"),
        # långfredagen → Sat, Sun påskdagen, Mon annandag påsk → Tue 22 Apr
        (date(2025, 4, 18), date(2025, 4, 22), "långfredagen"),
        # Sat 15 Nov → Mon 17 Nov
        (date(2025, 11, 15), date(2025, 11, 17), "lördag"),
        # Sun 16 Nov → Mon 17 Nov
        (date(2025, 11, 16), date(2025, 11, 17), "söndag"),
        # Tue trettondedag jul 2026 → Wed 7 Jan
        (date(2026, 1, 6), date(2026, 1, 7), "trettondedag jul"),
        # Sat 6 Jun 2026 nationaldagen → Mon 8 Jun
        (date(2026, 6, 6), date(2026, 6, 8), "nationaldagen"),
    ],
)
def test_due_dates_on_days_off_move(due, moved_to, why):
    assert effective_due_date(due) == moved_to
    assert why_not_working(due) == why


def test_a_working_day_stays():
    assert effective_due_date(date(2026, 1, 5)) == date(2026, 1, 5)  # Monday


def test_the_calendar_matches_the_verified_counts():
    # domain brief §5: working days 2025 = 249, 2026 = 251, December 2025 = 19
    def count(start: date, end: date) -> int:
        return sum(is_working_day(start + timedelta(days=i)) for i in range((end - start).days + 1))

    assert count(date(2025, 1, 1), date(2025, 12, 31)) == 249
    assert count(date(2026, 1, 1), date(2026, 12, 31)) == 251
    assert count(date(2025, 12, 1), date(2025, 12, 31)) == 19
