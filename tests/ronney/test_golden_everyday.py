"""The journal notes of the golden scenario's everyday cases (issue 18), end to end in Chromium.

Statuses, findings and amounts of cases 1023–1029 are checked with the whole scenario in test_golden.py
(worked in golden_everyday.py); here: what the caseworker reads in "Underlag från Ronney", line by line.
Riksnorm 2025 (SoF 2025:468 12 kap. 2 §); December 2025 has 31 days; incomes of November 2025.
"""

from __future__ import annotations

from tests.ronney.conftest import ronney_notes, run_ronney

NB = "\u00a0"


def kr(amount: int) -> str:
    return f"{amount:,}".replace(",", NB) + f"{NB}kr"


def income_section(text: str) -> list[str]:
    """The note's income lines: from 'Inkomster november 2025' to '= Inkomster som räknas'."""
    lines = text.splitlines()
    start = lines.index("Inkomster november 2025")
    end = next(i for i, line in enumerate(lines) if line.strip().startswith("= Inkomster som räknas"))
    return [line.strip() for line in lines[start + 1:end]]


def test_the_notes_show_each_everyday_case_with_its_arithmetic(tmp_path, golden):
    result = run_ronney(tmp_path, golden)
    assert result.run.status == "completed"
    notes = {case_id: found[0]["text"] for case_id, found in ronney_notes(golden).items() if found}

    # a child's pay inside the prisbasbelopp (prop. 2012/13:94) is never listed among the incomes that count:
    # 1021's 2 400 (28 500 earned Jun–Aug 2025, 58 800 − 28 500 = 30 300 left) is a 0 kr line saying why
    incomes = income_section(notes["1021"])
    child = [line for line in incomes if line.startswith("Lön efter skatt, barn")]
    assert len(child) == 1 and child[0].startswith(f"Lön efter skatt, barn ({kr(2400)}) räknas inte: barns arbetsinkomst")
    assert f"kvar {kr(30300)}): 0{NB}kr" in child[0]
    assert not any(line.endswith(f": {kr(2400)}  [SSBTEK (SKV)]") for line in incomes)
    # a-kassa 7 000 + CSN bidrag 1 250 = 8 250 counted
    assert f"= Inkomster som räknas: {kr(8250)}" in notes["1021"]

    # växelvis boende 15 of 31 days: 3 790 × 15/31 → 1 834; common 1 270 × 16/31 + 1 400 × 15/31 → 1 333
    text = notes["1023"]
    assert f"(växelvis boende: {kr(3790)} × 15/31): {kr(1834)}" in text
    assert f"({kr(1270)} × 16/31 + {kr(1400)} × 15/31): {kr(1333)}" in text
    assert f"= Riksnorm: {kr(7077)}" in text

    # umgänge: the days are named and the costs left to the caseworker
    text = notes["1024"]
    assert f"(umgänge: {kr(3030)} × 8/31): {kr(782)}" in text
    assert "8 av 31 dagar i december 2025" in text and "Umgängeskostnader (resor m.m.) bedöms av handläggaren" in text

    # skolungdom 19 in gymnasieskolan: the 19–20 cell, 4 960
    assert f"Personliga kostnader, barn 19 år (19–20 år, med lunch): {kr(4960)}" in notes["1025"]

    # a 19-year-old not in school: not in the norm, own pay not counted, common costs shared 1 400 × 1/2 = 700
    text = notes["1026"]
    assert "19 år" not in "".join(line for line in text.splitlines() if line.strip().startswith("Personliga kostnader, barn"))
    assert f"Lön efter skatt, ung vuxen med eget ärende ({kr(5000)}) räknas inte: 0{NB}kr" in text
    assert f"= Riksnorm: {kr(4610)}" in text and "12 kap. 3 § SoF" in text

    # the typed age against the birth date
    assert "Åldern för ett barn är 9 år i Ekonomi men 10 år enligt personnumret" in notes["1027"]

    # payment dates: December's sjukpenning does not count in a calculation on November's incomes
    text = notes["1028"]
    assert f"Sjukpenning, sökande ({kr(1500)}) räknas inte: utbetald" in text and "utanför november 2025: 0" in text
    assert f"= Inkomster som räknas: {kr(9000)}" in text

    # normöverskott: October's 3 000 over the need, 1 000 of it used in November, 2 000 counted in December
    text = notes["1029"]
    assert f"Normöverskott från oktober 2025 (inkomster {kr(13000)} − behov {kr(10000)}, kvar): {kr(2000)}" in text
    assert "HFD 2017 ref. 51" in text
    assert f"Preliminärt belopp: {kr(10000)} − {kr(9000)} = {kr(1000)}" in text
