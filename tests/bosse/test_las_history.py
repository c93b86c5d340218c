"""LAS days from the employment history, hand-worked (lag 1982:80 om anställningsskydd, 2022:836 version):
3 § three SÄVA in a calendar month, 5 a § conversion (five years, or a chain), 25–27 §§ företrädesrätt.
Source: domain brief §4.1 [V]; a LAS month is 30 days (ka.se [S]).
"""

from __future__ import annotations

from datetime import date

from robots.bosse import las
from robots.bosse.las import Engagement as E

D = date


def days(*dates: date) -> list[E]:
    return las.day_engagements(dates)


def test_a_summer_sava_and_day_contracts_with_three_in_january():
    # SÄVA 2024-06-10..08-18: June 10–30 = 21, July 31, August 1–18 = 18 → 70 days
    # day contracts 2025: Jan 8, 15, 29 — three SÄVA in January → Jan 8..29 = 22 days; Feb 5 and 12 → 2
    # 70 + 22 + 2 = 94
    history = [E(D(2024, 6, 10), D(2024, 8, 18)), *days(D(2025, 1, 8), D(2025, 1, 15), D(2025, 1, 29)),
               *days(D(2025, 2, 5), D(2025, 2, 12))]
    count = las.conversion_count(history, D(2025, 2, 28))
    assert (count.five_years, count.in_chain, count.days) == (94, 94, 94)


def test_a_booking_that_makes_three_in_a_month_adds_the_days_between():
    # Two day contracts in January (8th and 15th) count 2 days; booking the 29th makes three in the month:
    # Jan 8..29 = 22 days, so the booking adds 22 − 2 = 20 days, not 1
    history = days(D(2026, 1, 8), D(2026, 1, 15))
    assert las.added_days([D(2026, 1, 29)], history) == 20
    # without the history only the one date is known
    assert las.added_days([D(2026, 1, 29)]) == 1


def test_the_five_year_window_drops_old_time():
    # SÄVA 2020-03-02..2020-05-29 lies before the window that starts 2021-03-31 (five years to 2026-03-30):
    # only the 2025 day contracts count; the gap to them is far more than 6 months, so no chain either
    history = [E(D(2020, 3, 2), D(2020, 5, 29)), *days(D(2025, 11, 3), D(2025, 12, 1))]
    count = las.conversion_count(history, D(2026, 3, 30))
    assert (count.five_years, count.in_chain) == (2, 2)


def test_a_chain_of_employments_counts_sava_beyond_five_years():
    # A SÄVA 2019-09-02..2020-02-28: Sep 2–30 = 29 + Oct 31 + Nov 30 + Dec 31 + Jan 31 + Feb 1–28 = 28 → 180
    # B vikariat 2020-06-01..2022-03-31 (started within 6 months of 2020-02-28, before 2020-08-28)
    # C SÄVA 2022-09-05..2023-03-03: Sep 26 + Oct 31 + Nov 30 + Dec 31 + Jan 31 + Feb 28 + Mar 3 → 180
    # D vikariat 2023-06-01..2024-11-30 (within 6 months of 2023-03-03)
    # E SÄVA days 2025-01-13 and 2025-01-20 (within 6 months of 2024-11-30) → 2
    history = [E(D(2019, 9, 2), D(2020, 2, 28)), E(D(2020, 6, 1), D(2022, 3, 31), "vikariat"),
               E(D(2022, 9, 5), D(2023, 3, 3)), E(D(2023, 6, 1), D(2024, 11, 30), "vikariat"),
               *days(D(2025, 1, 13), D(2025, 1, 20))]
    count = las.conversion_count(history, D(2025, 1, 20))
    # five years back from 2025-01-20 begins 2020-01-21: A counts Jan 21–31 = 11 + Feb 28 = 39; + C 180 + E 2
    assert count.five_years == 39 + 180 + 2 == 221
    # the chain A–B–C–D–E: 180 + 180 + 2 = 362 ≥ 361 → the SÄVA converts by the chain rule
    assert count.in_chain == 362 and count.days >= las.CONVERSION_DAYS
    # a gap of more than 6 months breaks the chain: E a year later stands alone
    late = [*history[:4], *days(D(2025, 7, 1))]
    assert las.conversion_count(late, D(2025, 7, 1)).in_chain == 1


def test_vikariat_time_is_counted_apart():
    # vikariat 2023-01-02..2024-12-31: 364 + 366 = 730 ≥ 721 (more than two years)
    count = las.conversion_count([E(D(2023, 1, 2), D(2024, 12, 31), "vikariat")], D(2025, 1, 1))
    assert count.vikariat_five_years == 730 and count.days == 0


def test_foretradesratt_qualifies_lasts_nine_months_and_needs_a_claim():
    # SÄVA 2023-06-01..08-31 = 92 and 2024-01-08..07-04 = Jan 24 + Feb 29 + Mar 31 + Apr 30 + May 31
    # + Jun 30 + Jul 4 = 179 → 271 days of SÄVA in the three years up to 2024-07-04 → more than 9 months
    history = [E(D(2023, 6, 1), D(2023, 8, 31)), E(D(2024, 1, 8), D(2024, 7, 4))]
    right = las.foretradesratt(history, D(2025, 3, 1), claimed=D(2024, 7, 10))
    assert (right.qualifies, right.holds, right.sava_days_3y, right.until) == (True, True, 271, D(2025, 4, 4))
    # until 9 months after the last day: 2024-07-04 + 9 months = 2025-04-04
    assert not las.foretradesratt(history, D(2025, 4, 5), claimed=D(2024, 7, 10)).holds
    # not claimed (27 §): no right, unless the municipality does not require the claim
    assert not las.foretradesratt(history, D(2025, 3, 1)).holds
    assert las.foretradesratt(history, D(2025, 3, 1), requires_claim=False).holds
    # a reasonable offer turned down after the claim forfeits it
    assert not las.foretradesratt(history, D(2025, 3, 1), claimed=D(2024, 7, 10), declined=D(2024, 12, 1)).holds
    # a day less of SÄVA (ending 2024-07-03): 270 < 271 → does not qualify
    short = [history[0], E(D(2024, 1, 8), D(2024, 7, 3))]
    assert not las.foretradesratt(short, D(2025, 3, 1), claimed=D(2024, 7, 10)).qualifies


def test_foretradesratt_also_after_twelve_months_of_any_employment():
    # vikariat 2022-01-01..2022-12-31 = 365 ≥ 361 days of employment in the three years to its last day
    right = las.foretradesratt([E(D(2022, 1, 1), D(2022, 12, 31), "vikariat")], D(2023, 5, 2), claimed=D(2023, 1, 2))
    assert (right.holds, right.employment_days_3y, right.sava_days_3y) == (True, 365, 0)


def test_holders_are_ordered_by_employment_time_then_age():
    # 26 §: C 500 days first; A and B 400 days each → the older, B (born 1975), before A (born 1980)
    ranks = las.holder_order({"A": (400, D(1980, 5, 1)), "B": (400, D(1975, 2, 3)), "C": (500, D(1990, 1, 1))})
    assert ranks == {"C": 1, "B": 2, "A": 3}
