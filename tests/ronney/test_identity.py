"""Personnummer and samordningsnummer checks (Skatteverket's published examples, synthetic numbers)."""

from __future__ import annotations

from datetime import date

from robots.ronney.rules.identity import check_id, luhn_digit, make_id

TODAY = date(2025, 12, 30)


def test_skatteverkets_example_in_every_accepted_form():
    # 6 4 0 8 2 3 3 2 3 × 2 1 2 1 2 1 2 1 2 → 12 4 0 8 4 3 6 2 6 → digit sum 1+2+4+0+8+4+3+6+2+6 = 36
    # check digit 10 − (36 mod 10) = 4
    assert luhn_digit("640823323") == 4
    for text in ("640823-3234", "6408233234", "19640823-3234", "196408233234"):
        result = check_id(text, today=TODAY)
        assert result.valid and result.kind == "personnummer"
        assert result.birth_date == date(1964, 8, 23)


def test_wrong_check_digit():
    result = check_id("640823-3235", today=TODAY)
    assert not result.valid and result.reason == "kontrollsiffran stämmer inte"


def test_samordningsnummer_day_plus_sixty():
    # Skatteverket: a man born 1970-10-03 with individual number 239 has 701063-2391
    result = check_id("701063-2391", today=TODAY)
    assert result.valid and result.kind == "samordningsnummer"
    assert result.birth_date == date(1970, 10, 3)


def test_a_date_that_does_not_exist_is_refused_even_with_a_correct_check_digit():
    nine = "650230123"  # 30 February 1965
    text = f"19650230-123{luhn_digit(nine)}"
    assert check_id(text, today=TODAY).reason == "datumet finns inte"


def test_future_birth_dates_and_bad_formats():
    assert check_id(make_id(date(2026, 3, 1), 123), today=TODAY).reason == "födelsedatumet ligger i framtiden"
    assert check_id("12345", today=TODAY).reason.startswith("fel format")


def test_century_from_ten_digits_and_plus_sign():
    # '-': the latest year not in the future (64 → 1964; 251230 → 2025-12-30, today itself)
    # '+': the person is 100 or older (251230 → 1925-12-30)
    assert check_id("640823-3234", today=TODAY).birth_date.year == 1964
    plus = f"251230+123{luhn_digit('251230123')}"
    assert check_id(plus, today=TODAY).birth_date == date(1925, 12, 30)
    minus = f"251230-123{luhn_digit('251230123')}"
    assert check_id(minus, today=TODAY).birth_date == date(2025, 12, 30)


def test_make_id_round_trips():
    for samordning in (False, True):
        text = make_id(date(1990, 2, 28), 457, samordning=samordning)
        result = check_id(text, today=TODAY)
        assert result.valid and result.birth_date == date(1990, 2, 28)
        assert result.kind == ("samordningsnummer" if samordning else "personnummer")
