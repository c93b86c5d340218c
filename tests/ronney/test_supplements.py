"""Requested supplements: arrived, still within time, past due (after moving off a holiday)."""

from __future__ import annotations

from datetime import date

from robots.ronney.rules.model import Attachment, SupplementRequest
from robots.ronney.rules.supplements import check_supplements

REQ = SupplementRequest(type="Hyresavi", requested=date(2025, 11, 3), due=date(2025, 11, 17))


def test_an_attachment_after_the_request_meets_it():
    check = check_supplements([REQ], [Attachment(type="hyresavi", received=date(2025, 11, 10))], date(2025, 11, 20))
    assert check.complete and not check.overdue


def test_an_attachment_from_before_the_request_does_not_count():
    check = check_supplements([REQ], [Attachment(type="Hyresavi", received=date(2025, 10, 30))], date(2025, 11, 10))
    assert not check.complete and not check.overdue
    assert check.missing[0].describe(date(2025, 11, 10)) == "hyresavi, begärd 3 nov, senast 17 nov"


def test_the_due_day_itself_is_still_in_time_the_day_after_is_not():
    assert not check_supplements([REQ], [], date(2025, 11, 17)).overdue
    assert check_supplements([REQ], [], date(2025, 11, 18)).overdue


def test_a_due_date_on_julafton_moves_past_the_christmas_holidays():
    # due Wed 24 Dec (julafton) → 25, 26 helgdagar, 27–28 weekend → Mon 29 Dec
    req = SupplementRequest(type="Lönespecifikation", requested=date(2025, 12, 10), due=date(2025, 12, 24))
    on_28th = check_supplements([req], [], date(2025, 12, 28))
    assert not on_28th.overdue  # the 24th has passed, but the moved date has not
    on_30th = check_supplements([req], [], date(2025, 12, 30))
    assert on_30th.overdue
    assert on_30th.overdue[0].describe(date(2025, 12, 30)) == (
        "lönespecifikation, begärd 10 dec, senast 29 dec (flyttat från 24 dec, julafton)"
    )


def test_year_is_written_when_it_differs():
    req = SupplementRequest(type="Kontoutdrag", requested=date(2025, 12, 22), due=date(2025, 12, 31))
    state = check_supplements([req], [], date(2025, 12, 30)).missing[0]
    assert state.describe(date(2025, 12, 30)) == (
        "kontoutdrag, begärd 22 dec, senast 2 jan 2026 (flyttat från 31 dec, nyårsafton)"
    )
