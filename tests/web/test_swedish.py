"""Swedish numbers and schedules as staff read them (issue 21, item 13): one helper for "1 person" and
"2 personer", used by the pages and by the robots' own texts; cron strings in words."""

from __future__ import annotations

import pytest

from runner.swedish import count
from runner.web.format import cron_in_words

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("n", "text"),
    [(0, "0 personer"), (1, "1 person"), (2, "2 personer"), (1234, "1 234 personer")],
)
def test_a_count_agrees_with_its_number(n, text) -> None:
    # the number and its noun are kept together by no-break spaces, as are the thousands
    assert count(n, "person", "personer") == text.replace(" ", NBSP)


def test_ronneys_housing_cap_for_one_person_says_one_person() -> None:
    from robots.ronney.rules.costs import reasonable_costs
    from robots.ronney.rules.model import Cost

    result = reasonable_costs([Cost(type="Hyra", amount=9800)], persons=1, max_housing_cost={1: 7500, 2: 8500})
    texts = [f.message for f in result.findings] + [line.label for line in result.lines]
    assert any(f"för 1{NBSP}person (" in t for t in texts), texts
    assert not any("1 personer" in t or f"1{NBSP}personer" in t for t in texts)
    # the cap itself: 9 800 kr asked, 7 500 kr (one person's cap) counted
    assert result.total == 7500


@pytest.mark.parametrize(
    ("cron", "words"),
    [
        ("30 1 * * *", "varje dag kl. 01:30"),
        ("0 2 * * 1-5", "måndag–fredag kl. 02:00"),
        ("0 3 * * 6,0", "på lördagar och söndagar kl. 03:00"),
        ("15 4 * * 1", "på måndagar kl. 04:15"),
        ("*/10 * * * *", "cron: */10 * * * *"),
        (None, "inget schema"),
    ],
)
def test_cron_strings_in_words(cron, words) -> None:
    assert cron_in_words(cron) == words.replace("kl. ", f"kl.{NBSP}")


@pytest.mark.parametrize(
    ("cron", "calendar", "closed", "words"),
    [
        ("30 1 * * *", "working_days", 0, "varje arbetsdag kl. 01:30"),
        ("0 2 * * 1-5", "working_days", 0, "varje arbetsdag kl. 02:00"),
        ("0 3 * * 6,0", "working_days", 0, "på lördagar och söndagar kl. 03:00, bara arbetsdagar"),
        ("30 1 * * *", "every_day", 2, "varje dag kl. 01:30, utom 2 stängda dagar"),
        ("30 1 * * *", "working_days", 1, "varje arbetsdag kl. 01:30, utom 1 stängd dag"),
    ],
)
def test_schedule_and_calendar_in_words(cron, calendar, closed, words) -> None:
    from runner.web.format import schedule_in_words

    assert schedule_in_words(cron, calendar, closed) == words.replace("kl. ", f"kl.{NBSP}").replace(
        f"{closed} st", f"{closed}{NBSP}st")
