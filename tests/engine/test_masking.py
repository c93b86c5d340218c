"""Masking cannot be slipped past: every way a personnummer is typed or pasted is masked, in all places.

The three places that mask (the lists' `mask_personnummer`, the exports' `mask_deep`, the log scrubber)
share one matcher; these tests feed each of them the same generated numbers. Hypothesis draws the date,
the last four digits, the separator (en dash, no-break space, U+2011, a zero-width space, " - ", …), the
digits' script (ASCII, full-width, Arabic-Indic, mixed) and invisible characters between any two
characters, inside arbitrary text without digits. Whether a number is gone is judged on the output's
digits read back through `unicodedata`, never through the matcher under test.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import structlog
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runner.logging import attach_run_log, configure_logging, detach
from runner.redact import scrub, scrub_text
from runner.web.masking import mask_deep, mask_personnummer

SEPARATORS = [
    "", "-", "+", " ",
    "\u2013",  # en dash
    "\u2014",  # em dash
    "\u2010",  # hyphen
    "\u2011",  # non-breaking hyphen
    "\u2212",  # minus sign
    "\ufe63",  # small hyphen-minus
    "\uff0d",  # full-width hyphen-minus
    "\uff0b",  # full-width plus
    "\u00a0",  # no-break space
    "\u202f",  # narrow no-break space
    "\u2009",  # thin space
    "\u200b",  # zero-width space
    "\u2060",  # word joiner
    "\u00ad",  # soft hyphen
    " - ", " \u2013 ", "\u00a0-\u00a0", "  -  ", " + ",
]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", "\u202c", "\u2066", "\u2069",
             "\u200e", "\u200f", "\u0301"]
DIGIT_ZERO = {"ascii": 0x30, "full-width": 0xFF10, "arabic-indic": 0x0660, "devanagari": 0x0966}
#: Text around a number: anything but digits (a digit next to the number would make it a longer number).
AROUND = st.text(st.characters(exclude_categories=("Nd", "Cs")), max_size=12)


def digits_of(text: str) -> str:
    """The decimal digits in `text`, as ASCII, in order: what a reader could make of the output."""
    return "".join(str(unicodedata.decimal(c)) for c in text if unicodedata.decimal(c, None) is not None)


def strings_of(value: Any) -> str:
    """Every string in a JSON-like value, dict keys included, joined."""
    if isinstance(value, dict):
        return "".join(strings_of(k) + strings_of(v) for k, v in value.items())
    if isinstance(value, list):
        return "".join(strings_of(v) for v in value)
    return value if isinstance(value, str) else ""


@st.composite
def typed_personnummer(draw: st.DrawFn) -> tuple[str, str, str]:
    """(text holding one personnummer as someone typed it, its birth digits, its last four digits)."""
    year = draw(st.integers(1900, 2029))
    month = draw(st.integers(1, 13))  # 13: a mistyped month is still someone's number
    day = draw(st.integers(1, 31) | st.integers(61, 91))  # 61–91: samordningsnummer
    long_form = draw(st.booleans())
    birth = f"{year:04d}{month:02d}{day:02d}" if long_form else f"{year % 100:02d}{month:02d}{day:02d}"
    serial = f"{draw(st.integers(0, 9999)):04d}"
    scripts = draw(st.lists(st.sampled_from(list(DIGIT_ZERO)), min_size=1, max_size=2))
    digits = [chr(DIGIT_ZERO[draw(st.sampled_from(scripts))] + int(d)) for d in birth + serial]
    chars = digits[: len(birth)] + [draw(st.sampled_from(SEPARATORS))] + digits[len(birth):]
    typed = ""
    for i, ch in enumerate(chars):
        if i and draw(st.integers(0, 5)) == 0:
            typed += draw(st.sampled_from(INVISIBLE))
        typed += ch
    text = draw(AROUND) + typed + draw(AROUND)
    return text, birth, serial


FAST = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(typed_personnummer())
def test_lists_show_the_date_and_never_the_last_four_digits(case: tuple[str, str, str]) -> None:
    text, birth, _serial = case
    masked = mask_personnummer(text)
    assert digits_of(masked) == birth
    assert "****" in masked


@FAST
@given(typed_personnummer())
def test_the_log_scrubber_leaves_no_digit_of_the_number(case: tuple[str, str, str]) -> None:
    text, _birth, _serial = case
    assert digits_of(scrub_text(text)) == ""
    assert "<personnummer>" in scrub_text(text)


@FAST
@given(typed_personnummer(), typed_personnummer())
def test_exports_and_logs_mask_dict_keys_too(key: tuple[str, str, str], value: tuple[str, str, str]) -> None:
    data: dict[str, Any] = {key[0]: [{"x": value[0]}], "n": True}
    exported = mask_deep(data)
    assert [digits_of(k) for k in exported] == [key[1], ""]
    assert digits_of(strings_of(exported)) == key[1] + value[1]
    assert digits_of(strings_of(scrub(data))) == ""


def test_two_keys_that_mask_alike_are_both_kept() -> None:
    data = {"19121212-1212": "a", "19121212-2222": "b"}
    assert mask_deep(data) == {"19121212-****": "a", "19121212-**** (2)": "b"}
    assert scrub(data) == {"<personnummer>": "a", "<personnummer> (2)": "b"}


#: Text without a personnummer: amounts, dates, times, run ids and references as the robots write them.
ORDINARY = st.lists(
    st.sampled_from(["4\u00a0400 kr", "2025-11-24", "01:30", "20251124013000-ronn0003", "EB-2025-00017:2025-11",
                     "12 345", "tel. 0457-618 00", "Dnr 2025/1234", "Körning", "–", " ", "\u00a0", "\u2013"])
    | st.integers(0, 99_999).map(str),
    max_size=8,
).map("".join)


@FAST
@given(ORDINARY)
def test_ordinary_numbers_are_left_alone(text: str) -> None:
    runs = "".join(c if c.isdigit() else " " for c in text).split()
    if any(len(run) in (6, 8, 10, 12) for run in runs):
        return  # the draw joined numbers into a personnummer's birth date or whole length: masked, rightly
    assert mask_personnummer(text) == text
    assert scrub_text(text) == text


def test_planted_numbers_typed_oddly_never_reach_the_log_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    configure_logging(level="info", console="never", log_dir=tmp_path / "logs")
    handler = attach_run_log(tmp_path / "logs", "masking-test")
    log = structlog.get_logger("robots.test")
    odd = ["19121212\u20131212", "121212\u00a01212", "19121212\u20111212", "1912\u200b12121212",
           "121212 - 1212", "\uff11\uff19\uff11\uff12\uff11\uff12\uff11\uff12\uff0d\uff11\uff12\uff11\uff12"]
    try:
        for value in odd:
            log.info("case.read", note=f"sökande {value}", per_person={value: 1})
    finally:
        detach(handler)
    text = (tmp_path / "logs" / "runs" / "masking-test.jsonl").read_text(encoding="utf-8")
    lines = [json.loads(line) for line in text.splitlines()]
    assert len(lines) == len(odd)
    for line in lines:
        assert line["note"] == "sökande <personnummer>"
        assert list(line["per_person"]) == ["<personnummer>"]
