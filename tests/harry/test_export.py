"""Reading the scheduling system's CSV export: by header, approved only, broken schedules kept."""

from __future__ import annotations

import pytest

from robots.harry.export import Broken, ExportChanged, parse_export

HEADER = "Schema-ID;Anställningsnr;Enhet;Giltig från;Giltig till;Version;Cykel (veckor);Vecka;Veckodag;Start;Slut;Rast (min);Status;Attesterad av;Attesterad\r\n"


def rows(*lines: str) -> bytes:
    return ("\ufeff" + HEADER + "".join(line + "\r\n" for line in lines)).encode("utf-8")


def test_one_schedule_per_id_and_version_approved_only() -> None:
    content = rows(
        "S-1;40101;Solgläntans förskola;2026-04-06;2026-06-28;1;2;1;Måndag;07:00;16:00;60;Godkänd;Rektor;2026-02-20",
        "S-1;40101;Solgläntans förskola;2026-04-06;2026-06-28;1;2;2;Tisdag;22:00;06:00;30;Godkänd;Rektor;2026-02-20",
        "S-2;40102;Högadalsskolan;2026-04-06;;1;1;1;Fredag;08:00;12:00;0;Preliminär;;",
    )
    [s] = list(parse_export(content))
    assert s.key == "40101:2026-04-06:1"
    assert s.cycle_weeks == 2 and s.period.end.isoformat() == "2026-06-28"
    assert [(x.week, x.weekday, x.break_minutes) for x in s.shifts] == [(1, 1, 60), (2, 2, 30)]
    assert s.shifts[1].length_minutes == 8 * 60  # 22:00–06:00 over midnight


def test_open_end_and_reordered_columns() -> None:
    cols = HEADER.strip().split(";")
    reordered = ";".join(reversed(cols)) + "\n"
    line = "S-3;40103;Kallinge skola;2026-03-30;;1;1;1;Måndag;07:30;15:30;60;Godkänd;Rektor;2026-02-20".split(";")
    content = reordered + ";".join(reversed(line)) + "\n"
    [s] = list(parse_export(content))
    assert s.period.end is None and s.employee == "40103"


def test_a_missing_column_means_the_export_changed() -> None:
    with pytest.raises(ExportChanged, match="Rast"):
        list(parse_export(HEADER.replace("Rast (min)", "Paus") + "x\n"))


def test_an_unreadable_schedule_is_kept_as_broken_with_its_key() -> None:
    content = rows("S-4;40104;Kallinge skola;2026-04-06;;1;1;1;Måndag;7;16:00;60;Godkänd;Rektor;2026-02-20")
    [b] = list(parse_export(content))
    assert isinstance(b, Broken) and b.key == "40104:2026-04-06:1" and "ogiltigt värde" in b.reason
