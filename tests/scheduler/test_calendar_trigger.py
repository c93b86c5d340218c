"""Fire times computed by NightlyTrigger: calendars across whole months, and the two DST switch days.

Every expected list is written out by hand from the calendar, with the holidays named in comments.
"""

from __future__ import annotations

import pickle
from datetime import UTC, date, datetime, timedelta

import pytest
from apscheduler.triggers.cron import CronTrigger

from runner.scheduler.calendars import closed_reason, is_open, is_swedish_working_day, parse_closed_dates
from runner.scheduler.trigger import NightlyTrigger
from runner.settings import SettingsError
from tests.scheduler.helpers import SE, local


def fires(trigger: NightlyTrigger | CronTrigger, start: datetime, end: datetime) -> list[datetime]:
    """Every fire time in [start, end), the way APScheduler walks a trigger."""
    out: list[datetime] = []
    t = trigger.get_next_fire_time(None, start)
    while t is not None and t < end:
        out.append(t)
        t = trigger.get_next_fire_time(t, t)
    return out


# -- calendars -------------------------------------------------------------------------------------------


def test_working_day_counts_match_the_published_calendar() -> None:
    # domain brief §5 (holidays 0.109 cross-checked with the Riksbank's list): 2025 = 249, 2026 = 251
    for year, expected in ((2025, 249), (2026, 251)):
        days = [date(year, 1, 1) + timedelta(d) for d in range(365)]
        assert sum(is_swedish_working_day(d) for d in days) == expected


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (date(2026, 6, 19), "Midsommarafton"),  # a Friday: de facto holiday, not a helgdag by law
        (date(2026, 12, 24), "Julafton"),  # Thursday
        (date(2026, 12, 31), "Nyårsafton"),  # Thursday
        (date(2026, 4, 3), "Långfredagen"),
        (date(2026, 4, 6), "Annandag påsk"),
        (date(2026, 5, 14), "Kristi himmelsfärdsdag"),
        (date(2026, 1, 6), "Trettondedag jul"),
        (date(2026, 11, 28), "helg"),  # a plain Saturday
    ],
)
def test_working_days_calendar_closes_holidays_and_eves(day: date, why: str) -> None:
    assert not is_open(day, "working_days")
    assert closed_reason(day, "working_days") == why
    assert is_open(day, "every_day")


def test_closed_dates_close_any_calendar_and_bad_ones_name_the_key() -> None:
    closed = parse_closed_dates(["2026-11-24"], "tiny")
    assert not is_open(date(2026, 11, 24), "every_day", closed)
    assert is_open(date(2026, 11, 25), "every_day", closed)
    with pytest.raises(SettingsError, match=r"robots\.tiny\.closed_dates"):
        parse_closed_dates(["24/11/2026"], "tiny")


# -- a month of fire times ----------------------------------------------------------------------------------


def days_of(times: list[datetime]) -> list[int]:
    assert all((t.hour, t.minute) == (1, 30) for t in times)  # always 01:30 local
    return [t.day for t in times]


def test_december_2025_working_days() -> None:
    trigger = NightlyTrigger("30 1 * * *", "Europe/Stockholm", "working_days")
    times = fires(trigger, local(2025, 12, 1), local(2026, 1, 1))
    # Dec 2025 starts on a Monday: 23 weekdays, minus julafton (24 Wed), juldagen (25 Thu),
    # annandag jul (26 Fri) and nyårsafton (31 Wed) = 19 working days
    assert days_of(times) == [1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 15, 16, 17, 18, 19, 22, 23, 29, 30]


def test_december_2025_every_day_with_closed_dates() -> None:
    trigger = NightlyTrigger("30 1 * * *", "Europe/Stockholm", "every_day", ("2025-12-24", "2025-12-31"))
    times = fires(trigger, local(2025, 12, 1), local(2026, 1, 1))
    # 31 days minus the two closed dates = 29; weekends and juldagen run
    assert days_of(times) == [d for d in range(1, 32) if d not in (24, 31)]


def test_june_2026_working_days_skip_midsommarafton() -> None:
    trigger = NightlyTrigger("30 1 * * *", "Europe/Stockholm", "working_days")
    times = fires(trigger, local(2026, 6, 1), local(2026, 7, 1))
    # June 2026 starts on a Monday: 22 weekdays; nationaldagen (6th) is a Saturday anyway;
    # midsommarafton Fri 19th is closed: 22 - 1 = 21
    assert days_of(times) == [1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 15, 16, 17, 18, 22, 23, 24, 25, 26, 29, 30]


def test_april_2026_every_day_runs_through_easter() -> None:
    trigger = NightlyTrigger("30 1 * * *", "Europe/Stockholm", "every_day")
    assert days_of(fires(trigger, local(2026, 4, 1), local(2026, 5, 1))) == list(range(1, 31))
    working = NightlyTrigger("30 1 * * *", "Europe/Stockholm", "working_days")
    # 22 weekdays minus långfredagen (Fri 3rd) and annandag påsk (Mon 6th) = 20
    assert days_of(fires(working, local(2026, 4, 1), local(2026, 5, 1))) == [
        1, 2, 7, 8, 9, 10, 13, 14, 15, 16, 17, 20, 21, 22, 23, 24, 27, 28, 29, 30
    ]


def test_weekday_cron_and_calendar_combine() -> None:
    # cron Mon-Fri at 23:00 plus working_days: the calendar still removes julafton and nyårsafton
    trigger = NightlyTrigger("0 23 * * mon-fri", "Europe/Stockholm", "working_days")
    times = fires(trigger, local(2026, 12, 21), local(2027, 1, 4))
    # Mon 21, Tue 22, Wed 23 open; Thu 24, Fri 25 closed; Mon 28, Tue 29, Wed 30 open; Thu 31, Fri 1 Jan closed
    assert [t.date() for t in times] == [date(2026, 12, d) for d in (21, 22, 23, 28, 29, 30)]


# -- daylight saving time ------------------------------------------------------------------------------


def test_autumn_switch_plain_cron_fires_twice_ours_once() -> None:
    # 2026-10-25: 03:00 CEST becomes 02:00 CET, so 02:30 happens twice (00:30Z and 01:30Z)
    day_start, day_end = local(2026, 10, 25, 0, 0), local(2026, 10, 26, 0, 0)
    plain = fires(CronTrigger.from_crontab("30 2 * * *", timezone=SE), day_start, day_end)
    assert [t.astimezone(UTC).hour for t in plain] == [0, 1]  # APScheduler's own: twice (the reason for ours)
    ours = fires(NightlyTrigger("30 2 * * *"), day_start, day_end)
    assert [t.astimezone(UTC) for t in ours] == [datetime(2026, 10, 25, 0, 30, tzinfo=UTC)]  # once, 02:30 CEST
    nxt = NightlyTrigger("30 2 * * *").get_next_fire_time(ours[0], ours[0])
    assert nxt == datetime(2026, 10, 26, 1, 30, tzinfo=UTC)  # next night 02:30 CET


def test_spring_switch_runs_once_when_the_time_exists() -> None:
    # 2026-03-29: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist that night
    ours = fires(NightlyTrigger("30 2 * * *"), local(2026, 3, 29, 0, 0), local(2026, 3, 30, 0, 0))
    assert len(ours) == 1
    assert ours[0].astimezone(UTC) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # 03:00 CEST, the gap's end
    assert (ours[0].hour, ours[0].minute, ours[0].utcoffset()) == (3, 0, timedelta(hours=2))
    nxt = NightlyTrigger("30 2 * * *").get_next_fire_time(ours[0], ours[0])
    assert nxt == datetime(2026, 3, 30, 0, 30, tzinfo=UTC)  # next night 02:30 CEST


def test_hourly_job_runs_every_elapsed_hour_on_both_switch_days() -> None:
    """Issue 20, point 7: an hourly schedule lost the repeated hour (the 01:00Z slot) on the autumn night."""
    hourly = NightlyTrigger("0 * * * *")
    assert hourly.runs_repeated_hour and not NightlyTrigger("30 2 * * *").runs_repeated_hour
    autumn = fires(hourly, local(2026, 10, 25, 0, 0), local(2026, 10, 25, 5, 0))
    # local 00, 01, 02 (CEST = 00Z), 02 again (CET = 01Z: the repeated hour, an hour of its own), 03, 04 (CET)
    assert [t.astimezone(UTC).hour for t in autumn] == [22, 23, 0, 1, 2, 3]
    assert [t.astimezone(SE).hour for t in autumn] == [0, 1, 2, 2, 3, 4]
    quarter = fires(NightlyTrigger("*/15 2 * * *"), local(2026, 10, 25, 0, 0), local(2026, 10, 25, 5, 0))
    assert len(quarter) == 8  # 02:00–02:45 twice: a wildcard minute is work per elapsed quarter
    spring = fires(hourly, local(2026, 3, 29, 0, 0), local(2026, 3, 29, 5, 0))
    # local 00, 01 (CET), 02 does not exist -> 03:00 CEST, which is also the 03 slot: once; 04
    assert [t.hour for t in spring] == [0, 1, 3, 4]


def test_a_job_outside_the_switch_hours_is_untouched() -> None:
    for day in (local(2026, 3, 29, 0, 0), local(2026, 10, 25, 0, 0)):
        ours = fires(NightlyTrigger("30 1 * * *"), day, day + timedelta(days=1))
        assert [(t.hour, t.minute) for t in ours] == [(1, 30)]


def test_trigger_pickles_as_plain_values_and_compares_by_them() -> None:
    trigger = NightlyTrigger("30  1 * * *", "Europe/Stockholm", "working_days", ("2026-12-23",))
    state = trigger.__getstate__()
    assert state == {"version": 1, "cron": "30 1 * * *", "timezone": "Europe/Stockholm",
                     "calendar": "working_days", "closed_dates": ["2026-12-23"]}
    copy = pickle.loads(pickle.dumps(trigger))
    assert copy == trigger
    assert copy != NightlyTrigger("30 1 * * *", "Europe/Stockholm", "working_days")
    assert fires(copy, local(2026, 12, 21), local(2026, 12, 25)) == fires(trigger, local(2026, 12, 21), local(2026, 12, 25))
