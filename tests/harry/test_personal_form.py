"""The payroll system's register form takes a delad tur, a placed rast and the schedule kind, and refuses
what the real system would: a rast outside its pass, two overlapping passes on a day, a placeringsschema
with no grundschema under it. The employee page lists registered absence."""

from __future__ import annotations

import httpx
import pytest

from fixtures.server import start_systems

PASSWORD = "personal-golden-1"


@pytest.fixture
def personal():
    with start_systems("harry_golden", systems=["personal"], ports=0) as systems:
        yield systems


def send(systems, form: dict[str, str]) -> httpx.Response:
    with httpx.Client(base_url=systems.url("personal"), follow_redirects=False, timeout=10) as web:
        web.post("/login", data={"username": "harry", "password": PASSWORD})
        return web.post("/scheman/nytt", data=form)


BASE = {"employee": "40101", "period_start": "2026-10-05", "cycle_weeks": "1", "version": "1"}


def test_a_delad_tur_with_a_placed_rast_is_stored_as_sent(personal):
    form = {**BASE, "v1_1_start": "06:30", "v1_1_end": "09:00", "v1_1_2_start": "14:00", "v1_1_2_end": "18:00",
            "v1_2_start": "07:00", "v1_2_end": "16:00", "v1_2_break": "60", "v1_2_break_start": "11:00"}
    assert send(personal, form).status_code == 303
    stored = next(s for s in personal.state("personal")["schedules"] if s["period_start"] == "2026-10-05")
    assert stored["kind"] == "grundschema"
    assert [(x["weekday"], x["start"], x["end"], x["break_start"]) for x in stored["shifts"]] == [
        (1, "06:30", "09:00", None), (1, "14:00", "18:00", None), (2, "07:00", "16:00", "11:00")]


@pytest.mark.parametrize(("extra", "field", "message"), [
    ({"v1_1_start": "07:00", "v1_1_end": "16:00", "v1_1_break": "60", "v1_1_break_start": "15:30"},
     "v1_1_break_start", "Rastens start ska ligga inne i passet"),
    ({"v1_1_start": "07:00", "v1_1_end": "12:00", "v1_1_2_start": "11:00", "v1_1_2_end": "15:00"},
     "v1_1_2_start", "Dagens andra pass överlappar det första."),
    ({"v1_1_start": "07:00", "v1_1_end": "16:00", "v1_1_break_start": "11:00"},
     "v1_1_break", "Ange rastens längd när du anger när den börjar."),
])
def test_the_form_refuses_a_pass_the_system_cannot_hold(personal, extra, field, message):
    answer = send(personal, {**BASE, **extra})
    assert answer.status_code == 422
    error = f'id="{field.replace("_", "-")}-error">{message}'
    assert error in answer.text  # next to the field it is about


def test_a_placeringsschema_needs_a_grundschema_under_it(personal):
    form = {**BASE, "schedule_kind": "placeringsschema", "v1_1_start": "08:00", "v1_1_end": "12:00"}
    answer = send(personal, form)
    assert answer.status_code == 422
    assert "registrera först ett grundschema som täcker perioden 2026-10-05–tills vidare" in answer.text
    # on top of a registered grundschema it is taken, and may overlap it
    base = send(personal, {**BASE, "period_end": "2026-12-20", "v1_1_start": "07:00", "v1_1_end": "16:00",
                           "v1_1_break": "60"})
    assert base.status_code == 303
    on_top = send(personal, {**form, "period_start": "2026-11-02", "period_end": "2026-11-29"})
    assert on_top.status_code == 303
    kinds = sorted(s["kind"] for s in personal.state("personal")["schedules"] if s["employee"] == "40101")
    assert kinds == ["grundschema", "placeringsschema"]


def test_the_employee_page_lists_absence(personal):
    with httpx.Client(base_url=personal.url("personal"), timeout=10) as web:
        web.post("/login", data={"username": "harry", "password": PASSWORD})
        empty = web.get("/anstallda/40101").text
        assert 'id="absences"' in empty and "Ingen registrerad frånvaro." in empty
