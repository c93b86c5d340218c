"""Reasonable costs outside the riksnorm (boende, hushållsel, arbetsresor, hemförsäkring, fack och a-kassa).

Housing is accepted up to the municipality's maximum for the household size (a local rule, from
settings). Costs outside this list belong to "livsföring i övrigt" and are a caseworker's assessment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from runner.api import Finding
from runner.swedish import count

from robots.ronney.rules.lines import Line
from robots.ronney.rules.model import Cost
from robots.ronney.rules.units import kr

#: Accepted cost types (casefolded) → the label printed in the underlag.
REASONABLE_COSTS: dict[str, str] = {
    "hyra": "Hyra",
    "boendekostnad": "Hyra",
    "hushållsel": "Hushållsel",
    "hemförsäkring": "Hemförsäkring",
    "fackavgift": "Fackavgift",
    "a-kasseavgift": "A-kasseavgift",
    "arbetsresor": "Arbetsresor",
}


def housing_cap(max_housing_cost: Mapping[int, int], persons: int) -> int | None:
    """The local maximum for `persons`; the largest size listed also covers bigger households."""
    if not max_housing_cost:
        return None
    sizes = sorted(max_housing_cost)
    fitting = [s for s in sizes if s <= persons]
    return max_housing_cost[fitting[-1] if fitting else sizes[0]]


def housing_cost(costs: list[Cost]) -> int | None:
    rents = [c.amount for c in costs if REASONABLE_COSTS.get(c.type.strip().casefold()) == "Hyra"]
    return sum(rents) if rents else None


@dataclass(frozen=True)
class CostResult:
    lines: tuple[Line, ...]
    total: int
    findings: tuple[Finding, ...]


def reasonable_costs(costs: list[Cost], persons: int, max_housing_cost: Mapping[int, int]) -> CostResult:
    lines: list[Line] = []
    findings: list[Finding] = []
    grouped: dict[str, int] = {}
    for cost in costs:
        label = REASONABLE_COSTS.get(cost.type.strip().casefold())
        if label is None:
            findings.append(Finding(
                code="KOSTNAD_PROVAS",
                message=(f"Kostnaden ”{cost.type.strip()}” ({kr(cost.amount)}) ingår inte i normberäkningen "
                         "(livsföring i övrigt) och prövas av handläggare."),
            ))
            continue
        grouped[label] = grouped.get(label, 0) + cost.amount

    for label, amount in grouped.items():
        if label == "Hyra":
            cap = housing_cap(max_housing_cost, persons)
            if cap is not None and amount > cap:
                lines.append(Line("kostnad", f"Hyra {kr(amount)}, begränsad till kommunens högsta godtagbara "
                                             f"boendekostnad för {count(persons, 'person', 'personer')}", cap,
                                  "ansökan; tak enligt kommunens riktlinje"))
                findings.append(Finding(
                    code="KOSTNAD_KAPAD",
                    message=(f"Hyran {kr(amount)} är högre än kommunens högsta godtagbara boendekostnad för "
                             f"{count(persons, 'person', 'personer')} ({kr(cap)}); {kr(cap)} är medräknat."),
                ))
                continue
        lines.append(Line("kostnad", label, amount, "ansökan"))
    return CostResult(tuple(lines), sum(line.amount for line in lines), tuple(findings))
