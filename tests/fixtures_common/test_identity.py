"""Synthetic personnummer follow Skatteverket's rules and are reproducible from a seed."""

from __future__ import annotations

import random
from datetime import date

from fixtures.common import identity
from fixtures.common.identity import (
    age_on,
    birth_date,
    is_samordningsnummer,
    is_valid,
    luhn_ok,
    make_number,
    random_identity,
    sex_of,
    short_form,
)
from fixtures.common.names import FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES

TODAY = date(2026, 11, 23)


def test_skatteverkets_examples() -> None:
    assert luhn_ok("640823-3234") and luhn_ok("196408233234") and luhn_ok("701063-2391")
    assert not luhn_ok("640823-3235") and not luhn_ok("64082-3234") and not luhn_ok("abc")
    assert make_number(date(1964, 8, 23), 323) == "19640823-3234"
    assert make_number(date(1970, 10, 3), 239, samordning=True) == "19701063-2391"
    assert is_samordningsnummer("19701063-2391") and birth_date("19701063-2391") == date(1970, 10, 3)
    assert sex_of("19640823-3234") == "M" and sex_of("19701063-2391") == "M"


def test_dates_must_exist() -> None:
    nine = "640231323"
    assert not is_valid(f"19640231-323{identity.luhn_digit(nine)}")  # 31 February
    assert is_valid("19640823-3234")


def test_short_form_uses_plus_from_the_year_of_the_100th_birthday() -> None:
    assert short_form("19640823-3234", TODAY) == "640823-3234"
    old = make_number(date(1926, 12, 30), 101)
    assert short_form(old, TODAY).startswith("261230+")
    assert short_form(old, date(2025, 12, 31)).startswith("261230-")


def test_random_people_are_valid_in_range_and_named_by_sex() -> None:
    rng = random.Random("t")
    people = [random_identity(rng, TODAY, min_age=18, max_age=67) for _ in range(2000)]
    assert all(is_valid(p.personnummer) for p in people)
    assert all(18 <= p.age(TODAY) <= 67 for p in people)
    assert all(sex_of(p.personnummer) == p.sex for p in people)
    assert all(p.first_name in (MALE_FIRST_NAMES if p.sex == "M" else FEMALE_FIRST_NAMES) for p in people)
    assert {p.sex for p in people} == {"K", "M"}
    assert len({p.personnummer for p in people}) > 1990
    assert min(p.age(TODAY) for p in people) == 18 and max(p.age(TODAY) for p in people) == 67


def test_samordningsnummer_and_children() -> None:
    rng = random.Random(3)
    s = random_identity(rng, TODAY, samordning=True)
    assert is_samordningsnummer(s.personnummer) and is_valid(s.personnummer) and s.samordningsnummer
    child = random_identity(rng, TODAY, min_age=0, max_age=0, last_name="Berg")
    assert child.age(TODAY) == 0 and child.last_name == "Berg"


def test_same_seed_same_people() -> None:
    def people(seed: str) -> list[str]:
        rng = random.Random(seed)
        return [random_identity(rng, TODAY).personnummer for _ in range(50)]

    assert people("a") == people("a") != people("b")


def test_name_lists_are_large_and_unique() -> None:
    for names in (FEMALE_FIRST_NAMES, MALE_FIRST_NAMES, LAST_NAMES):
        assert len(names) >= 200 and len(set(names)) == len(names)
    assert not set(FEMALE_FIRST_NAMES) & set(MALE_FIRST_NAMES)


def test_age_on_birthday_boundaries() -> None:
    assert age_on(date(2000, 11, 23), TODAY) == 26
    assert age_on(date(2000, 11, 24), TODAY) == 25
