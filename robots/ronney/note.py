"""The journal note "Underlag från Ronney": the calculation line by line with sources, and the findings.

Plain text, because that is what a case system's journal keeps. The title names the month, and the last
line carries the item key, so a rerun can see that its note is already there.
"""

from __future__ import annotations

from datetime import datetime

from runner.api import Finding, Severity

from robots.ronney.rules.calculation import Calculation
from robots.ronney.rules.units import Month, kr

NOTE_TITLE_PREFIX = "Underlag från Ronney"
KEY_MARK = "Ronney-nyckel:"


def note_title(month: Month) -> str:
    return f"{NOTE_TITLE_PREFIX} – {month.sv()}"


def _row(label: str, amount: int, source: str) -> str:
    return f"  {label}: {kr(amount)}  [{source}]"


def render_note(
    *,
    key: str,
    case_id: str,
    kind: str,
    calc: Calculation,
    findings: list[Finding],
    ready: bool,
    written_at: datetime,
) -> str:
    """The note's text. `ready`: no finding needs a person (the case goes to Väntar på beslut)."""
    lines: list[str] = []
    add = lines.append
    add(f"Underlag från Ronney för ansökan {calc.month.sv()} (ärende {case_id}, {kind.lower()}).")
    add("Ronney fattar inga beslut. Beloppet är preliminärt; handläggaren sparar normberäkningen och beslutar.")
    add("")
    if ready:
        add(f"Bedömning: klar för beslut. Preliminärt belopp {kr(calc.amount)}.")
    else:
        routed = [f for f in findings if f.severity != Severity.info]
        add(f"Bedömning: behöver handläggare ({len(routed)} iakttagelse{'r' if len(routed) != 1 else ''}). "
            f"Preliminärt belopp {kr(calc.amount)}.")
    add("")
    add(f"NORMBERÄKNING {calc.month.sv().upper()}")
    add("Riksnorm")
    for line in calc.lines:
        if line.section == "norm":
            add(_row(line.label, line.amount, line.source))
    add(f"  = Riksnorm: {kr(calc.norm)}")
    add("Skäliga kostnader")
    cost_lines = [line for line in calc.lines if line.section == "kostnad"]
    for line in cost_lines:
        add(_row(line.label, line.amount, line.source))
    if not cost_lines:
        add("  (inga)")
    add(f"  = Skäliga kostnader: {kr(calc.costs)}")
    add(f"Behov (riksnorm + skäliga kostnader): {kr(calc.needs)}")
    add(f"Inkomster {calc.income_month.sv()}")
    income_lines = [line for line in calc.lines if line.section in ("inkomst", "avdrag")]
    for line in income_lines:
        add(_row(line.label, line.amount, line.source))
    if not income_lines:
        add("  (inga)")
    add(f"  = Inkomster som räknas: {kr(calc.incomes)}")
    add(f"Preliminärt belopp: {kr(calc.needs)} − {kr(calc.incomes)} = {kr(calc.needs - calc.incomes)}"
        + (f", lägst 0 kr → {kr(calc.amount)}" if calc.needs - calc.incomes < 0 else ""))
    add("")
    add("IAKTTAGELSER")
    if findings:
        for f in findings:
            mark = "Info" if f.severity == Severity.info else "Kontrollera"
            add(f"- {mark}: {f.message}")
    else:
        add("- Inga avvikelser mot föregående månad eller SSBTEK.")
    add("")
    add(f"Riksnorm: {calc.table.source_label}.")
    add(f"{KEY_MARK} {key} · {written_at.strftime('%Y-%m-%d %H:%M')}")
    return "\n".join(lines)
