"""Ronney end to end on the golden scenario: real engine, real Chromium, ekonomi and ssbtek stand-ins.

Scenario: the night of 2025-12-30, applications for December 2025, incomes of November 2025 (the
comparison month), riksnorm 2025 (official), the default housing caps of RonneySettings:
1 person 5 200, 2 → 6 300, 3 → 7 400, 4 → 8 200, 5 → 9 000, 6 or more → 9 800 kr.

Every expected amount below is worked by hand from the 2025 table (SoF 2025:468 12 kap. 2 §):
ensamstående 3 910, sambo 7 050; children 0 år 2 720, 1–2 år 3 030 (utan lunch 2 780), 3 år 2 700,
4–6 år 3 030 (utan lunch 2 700), 7–10 år 3 790, 11–14 år 4 350, 15–18 år 4 920; household-common
1–7 persons 1 270 / 1 400 / 1 770 / 2 010 / 2 310 / 2 620 / 2 810, +190 per person above 7.
"""

from __future__ import annotations

from collections import Counter

from runner.api import Report, Status

from tests.ronney.conftest import ronney_notes, run_ronney, statuses
from tests.ronney.golden_everyday import EVERYDAY

P, N, W, S = Status.prepared, Status.needs_attention, Status.waiting, Status.skipped

EXPECTED: dict[str, tuple[Status, list[str], int | None]] = {
    # single adult: 3 910 + 1 270 = 5 180; hyra 5 100 + el 350 + hemförsäkring 120 + a-kasseavgift 150 = 5 720
    # behov 10 900; sjukpenning 7 000 (FK) → 3 900
    "1001": (P, [], 3900),
    # couple + children 2 (förskola), 5, 9, 16: 7 050 + 2 780 + 3 030 + 3 790 + 4 920 + common(6) 2 620 = 24 190
    # hyra 9 500 (cap 9 800) + el 600 + hemförsäkring 180 + fackavgift 320 = 10 600 → behov 34 790
    # a-kassa 9 000 + barnbidrag 5 000 + flerbarnstillägg 1 740 = 15 740 → 19 050
    "1002": (P, [], 19050),
    # 9 persons: 7 050 + children 1, 3, 5, 8, 11, 13, 17: 3 030 + 2 700 + 3 030 + 3 790 + 4 350 + 4 350 + 4 920
    # = 26 170; common 2 810 + 2 × 190 = 3 190 → norm 36 410
    # hyra 9 800 (= cap) + el 900 + hemförsäkring 250 = 10 950 → behov 47 360
    # sjukersättning 9 000 + barnbidrag 8 750 + flerbarnstillägg 5 490 + bostadsbidrag 2 500 = 25 740 → 21 620
    "1003": (P, [], 21620),
    # 8 months granted in a row → jobbstimulans: 5 180 + hyra 4 800 + el 300 + fack 250 + arbetsresor 600 = 11 130
    # lön 10 000 − 25 % (2 500) = 7 500 counted → 3 630
    "1004": (P, ["JOBBSTIMULANS"], 3630),
    # couple: 7 050 + 1 400 = 8 450; hyra 7 200 capped to 6 300 + el 400 + hemförsäkring 150 = 6 850 → 15 300
    # etableringsersättning 6 500 + a-kassa 5 200 = 11 700 → 3 600
    "1005": (N, ["KOSTNAD_KAPAD"], 3600),
    # lönespecifikation due Wed 24 Dec (julafton) → 25, 26 helgdag, 27–28 weekend → Mon 29 Dec; today 30 Dec
    "1006": (N, ["KOMPLETTERING_SAKNAS"], None),
    # hyresavi due Wed 31 Dec (nyårsafton) → 1 Jan nyårsdagen → Fri 2 Jan 2026: still in time
    "1007": (W, ["VANTAR_KOMPLETTERING"], None),
    # kontoutdrag arrived 19 Dec: 5 180 + hyra 4 500 + el 250 + hemförsäkring 100 = 10 030; aktivitetsstöd 5 800 → 4 230
    "1008": (P, [], 4230),
    # Försäkringskassan does not answer for this person: no calculation
    "1009": (N, ["SSBTEK_LASFEL"], None),
    # nyansökan: 5 180 + hyra 4 900 = 10 080; a-kassa 6 000 → 4 080
    "1010": (N, ["NYANSOKAN"], 4080),
    # a baby: 3 910 + 4 år utan lunch 2 700 + 0 år 2 720 + common(3) 1 770 = 11 100
    # hyra 6 900 + el 450 + hemförsäkring 130 = 7 480 → 18 580; barnbidrag 2 500 + flerbarnstillägg 150
    # + underhållsstöd 1 673 = 4 323 → 14 257
    "1011": (N, ["HUSHALL_ANDRAT", "NY_INKOMST"], 14257),
    # a-kassa ended, pay started; SSBTEK (SKV) 6 400 counts (application 6 000); 3 months only: no jobbstimulans
    # 5 180 + hyra 5 000 + arbetsresor 500 = 10 680 − 6 400 = 4 280
    "1012": (N, ["INKOMST_BORTFALLEN", "NY_INKOMST", "SSBTEK_AVVIKER"], 4280),
    # 5 180 + hyra 4 700 + el 300 = 10 180; sjukersättning 8 000 + bostadstillägg 1 200 (PM, not reported) = 9 200 → 980
    "1013": (N, ["NY_INKOMST", "SSBTEK_EJ_REDOVISAD"], 980),
    # rent 4 600 → 4 950: 5 180 + 4 950 + el 280 = 10 410; a-kassa 6 100 → 4 310
    "1014": (N, ["BOENDEKOSTNAD_ANDRAD"], 4310),
    # co-applicant's number has a wrong check digit: 7 050 + 1 400 + hyra 6 000 = 14 450; sjukpenning 8 000 → 6 450
    "1015": (N, ["OGILTIGT_PERSONNUMMER"], 6450),
    # lodger who is not a sambo: 3 910 + 1 400 / 2 = 4 610; hyra 3 200 + el 200 → 8 010; aktivitetsstöd 4 000 → 4 010
    "1016": (P, [], 4010),
    # 5 180 + hyra 4 000 = 9 180; pension 12 000 → 9 180 − 12 000 < 0 → 0
    "1017": (P, [], 0),
    # tilläggsansökan: not a monthly application
    "1018": (S, [], None),
    # a 16-year-old's pay (prop. 2012/13:94): prisbasbelopp 2025 58 800; SSBTEK (SKV) shows 9 000 + 11 000
    # + 8 500 = 28 500 earned Jun–Aug 2025 → 30 300 left ≥ November's 2 400 → none of it counts
    # norm 3 910 + 15–18 år 4 920 + common(2) 1 400 = 10 230; hyra 6 200 + el 380 = 6 580 → behov 16 810
    # a-kassa 7 000 + CSN bidrag 1 250 + lön 2 400 − 2 400 = 8 250 → 8 560
    "1021": (P, ["BARN_ARBETSINKOMST"], 8560),
    # a 17-year-old: 14 000 + 16 000 + 15 000 + 6 000 + 5 500 = 56 500 earned Jun–Oct → 2 300 left;
    # of November's 4 000, 2 300 does not count and 1 700 does
    # norm 10 230; hyra 5 900 + el 300 = 6 200 → 16 430; sjukersättning 9 500 + CSN 1 250 + 4 000 − 2 300
    # = 12 450 → 3 980
    "1022": (P, ["BARN_ARBETSINKOMST"], 3980),
}
EXPECTED.update(EVERYDAY)  # issue 18's everyday cases, worked in tests/ronney/golden_everyday.py
WITH_NOTE = {k for k, (status, codes, amount) in EXPECTED.items() if amount is not None}
PREPARED = {k for k, (status, _, _) in EXPECTED.items() if status == P}
TITLE = "Underlag från Ronney – december 2025"


def assert_expected(outcomes) -> None:
    assert sorted(outcomes) == sorted(f"{k}:2025-12" for k in EXPECTED)
    for case_id, (status, codes, amount) in EXPECTED.items():
        outcome = outcomes[f"{case_id}:2025-12"]
        assert (case_id, outcome.status) == (case_id, status)
        assert (case_id, sorted(f.code for f in outcome.findings)) == (case_id, sorted(codes))
        assert (case_id, outcome.data.get("amount")) == (case_id, amount)


def test_run_then_rerun_then_rerun_with_a_lost_ledger(tmp_path, golden):
    before = statuses(golden)
    first = run_ronney(tmp_path, golden)
    assert first.run.status == "completed"
    assert first.run.counts == dict(Counter(status.value for status, _, _ in EXPECTED.values()))
    assert_expected(first.outcomes)

    # exactly one note per calculated application, nothing where nothing was calculated
    notes = ronney_notes(golden)
    for case_id in EXPECTED:
        assert (case_id, [n["title"] for n in notes[case_id]]) == (case_id, [TITLE] if case_id in WITH_NOTE else [])
    assert notes["1019"] == [] and notes["1020"] == []
    state = {c["case_id"]: c for c in golden.state("ekonomi")["cases"]}
    assert [n["author"] for n in state["1001"]["notes"]] == ["Anna Berg", "ronney"]  # the caseworker's note is kept
    assert [n["author"] for n in state["1019"]["notes"]] == ["Sara Ek"]

    # the note shows each value with its source
    text = notes["1004"][0]["text"]
    assert "Lön efter skatt, sökande: 10\u00a0000\u00a0kr  [SSBTEK (SKV)]" in text
    assert "Jobbstimulans: 25 % av lön efter skatt, sökande (10\u00a0000\u00a0kr): −2\u00a0500\u00a0kr" in text
    assert "Personliga kostnader, ensamstående vuxen: 3\u00a0910\u00a0kr  [riksnorm 2025, SoF (SFS 2025:468) 12 kap. 2 §]" in text
    assert "Hyra: 4\u00a0800\u00a0kr  [ansökan]" in text
    assert "Preliminärt belopp: 11\u00a0130\u00a0kr − 7\u00a0500\u00a0kr = 3\u00a0630\u00a0kr" in text
    assert "Ronney-nyckel: 1004:2025-12" in text
    assert "Kontrollera: Hyran 7\u00a0200\u00a0kr är högre" in notes["1005"][0]["text"]
    # a child's pay is shown, then taken off as far as the prisbasbelopp rule says, and the sum agrees
    text = notes["1022"][0]["text"]
    assert ("Lön efter skatt, barn (4\u00a0000\u00a0kr, varav 2\u00a0300\u00a0kr räknas inte: barns arbetsinkomst upp "
            "till ett prisbasbelopp per år; prisbasbelopp 2025 58\u00a0800\u00a0kr, intjänat tidigare i år "
            "56\u00a0500\u00a0kr, kvar 2\u00a0300\u00a0kr): 1\u00a0700\u00a0kr  [SSBTEK (SKV); prop. 2012/13:94") in text
    assert "= Inkomster som räknas: 12\u00a0450\u00a0kr" in text
    assert "Info: Barns arbetsinkomst: 2\u00a0300\u00a0kr av 4\u00a0000\u00a0kr räknas inte; 1\u00a0700\u00a0kr räknas" in text

    # prepared cases wait for a decision; every other status is as it was
    after = statuses(golden)
    for case_id, status in after.items():
        assert (case_id, status) == (case_id, "Väntar på beslut" if case_id in PREPARED else before[case_id])
    changes = [ch for c in state.values() for ch in c["applications"][0]["status_changes"]]
    assert len(changes) == len(PREPARED) and {ch["by"] for ch in changes} == {"ronney"}
    assert {ch["new"] for ch in changes} == {"Väntar på beslut"}

    # the morning report: the cases needing a person, each with its reasons
    report = Report.parse(first.report)
    counts = Counter(s for s, _, _ in EXPECTED.values())
    assert dict(report.section("Antal ärenden").rows) == {status.label_sv: n for status, n in counts.items()}
    # the "Ärende" column shows the item's title, "Ärende 1006 – december 2025 (…)": the case id is its second word
    attention = {f"{row['Ärende'].split()[1]}:2025-12": row["Skäl"] for row in report.section("Behöver en handläggare").records()}
    assert sorted(attention) == sorted(f"{k}:2025-12" for k, (s, _, _) in EXPECTED.items() if s == N)
    assert any("julafton" in reason for reason in attention["1006:2025-12"])
    amounts = [row["Preliminärt belopp (kr)"] for row in report.section("Klara för beslut").records()]
    # 3900 + 19050 + 21620 + 3630 + 4230 + 4010 + 0 + 8560 + 3980, and the everyday cases' prepared amounts
    assert sum(amounts) == sum(a for s, _, a in EXPECTED.values() if s == P)

    # the next night, same ledger: only the waiting application is looked at again; nothing is written
    notes_after_first = golden.state("ekonomi")
    second = run_ronney(tmp_path, golden)
    assert second.run.counts == {"waiting": 1}
    assert golden.state("ekonomi") == notes_after_first

    # a lost ledger: everything still open is processed again, read back, and nothing is written twice
    third = run_ronney(tmp_path, golden, ledger="b")
    assert third.run.status == "completed"
    assert set(third.outcomes) == {f"{k}:2025-12" for k, (s, _, _) in EXPECTED.items() if s != P}
    for key, outcome in third.outcomes.items():
        assert (key, outcome.status) == (key, EXPECTED[key.split(":")[0]][0])
        if key.split(":")[0] in WITH_NOTE:
            assert (key, outcome.data["note_already_there"], outcome.data["note_written"]) == (key, True, False)
    assert golden.state("ekonomi") == notes_after_first


def test_dry_run_writes_nothing(tmp_path, golden):
    before = golden.state("ekonomi")
    result = run_ronney(tmp_path, golden, dry_run=True)
    assert result.run.status == "completed"
    assert_expected(result.outcomes)
    assert all(o.data.get("dry_run") is True for o in result.outcomes.values())
    assert golden.state("ekonomi") == before
