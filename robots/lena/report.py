"""Lena's morning report for the planners, as the framework's structured report (Swedish throughout)."""

from __future__ import annotations

from runner.api import Cell, Report, RunReport, Section, Status, count_section

REMINDER = ("Lena ändrar aldrig ett beslut och publicerar ingen plan: förslagen är utkast i Hemtjänst tills en "
            "planerare godkänner dem.")


def _yes(value: bool) -> str:
    return "Ja" if value else "Nej"


def _mean(values: list[int]) -> str:
    return f"{sum(values) / len(values):.1f}".replace(".", ",") if values else "–"


def lena_report(run: RunReport) -> Report:
    decide: list[list[Cell]] = []
    days: list[tuple[str, list[Cell]]] = []
    left: list[list[Cell]] = []
    drafts: list[tuple[str, list[Cell]]] = []
    continuity: list[tuple[str, list[Cell]]] = []
    measured_before: list[int] = []
    measured_after: list[int] = []
    for item, outcome in run.outcomes():
        d = outcome.data or {}
        if outcome.status in (Status.needs_attention, Status.failed):
            reasons = [f.message for f in outcome.findings if f.severity.value != "info"] or [outcome.summary]
            decide.append([item.title, outcome.status.label_sv, reasons])
        if d.get("kind") == "dag":
            days.append((item.key, [d["group"], d["day"], d["granted"], d["planned"], d["travel"],
                                    str(d["travel_share"]).replace(".", ",") + " %", d["available"], d["unplaced"],
                                    _yes(d["over_capacity"])]))
        elif d.get("kind") == "brukare":
            for u in d.get("unplaced", []):
                left.append([d["recipient"], u["need"], u["activity"], u["date"], u["reason"]])
            drafts.append((item.key, [d["recipient"], d.get("draft") or d.get("waiting_draft") or "–",
                                      outcome.status.label_sv, outcome.summary]))
            before, after = d.get("continuity_before"), d.get("continuity_after")
            if after is not None:
                continuity.append((item.key, [d["recipient"], d["group"], before if before is not None else "–", after,
                                              _yes(d.get("measured", False))]))
                if d.get("measured") and before is not None:
                    measured_before.append(before)
                    measured_after.append(after)
    text = (f"Medel för de {len(measured_after)} brukare som ingår i Socialstyrelsens mått (65 år eller äldre, minst "
            f"två besök varje dag, 07–22, utan matleveranser och larm): gällande plan {_mean(measured_before)}, "
            f"förslagen {_mean(measured_after)} olika personal på 14 dagar.")
    return Report(
        heading="Lena – nattens planering av hemtjänsten",
        sections=[
            Section(heading="Sammanfattning", text=REMINDER, columns=[], rows=[]),
            count_section(run),
            Section(heading="Att avgöra för planeraren", columns=["Ärende", "Status", "Vad"], rows=decide,
                    empty="Inget att avgöra."),
            Section(heading="Grupper och dagar", columns=["Grupp", "Dag", "Beviljad tid (min)", "Planerad tid (min)",
                                                          "Restid (min)", "Restidsandel", "Personalens tid (min)",
                                                          "Ej planerade besök", "Över kapacitet"],
                    rows=[r for _, r in sorted(days)]),
            Section(heading="Besök som inte fick plats", columns=["Brukare", "Besök", "Aktivitet", "Dag", "Skäl"],
                    rows=sorted(left, key=lambda r: (str(r[0]), str(r[1]))), empty="Alla besök fick plats."),
            Section(heading="Personalkontinuitet per brukare",
                    text=text + " Siffran är antalet olika personal brukaren möter på de 14 dagar som slutar med periodens sista dag.",
                    columns=["Brukare", "Grupp", "Gällande plan", "Förslaget", "Ingår i måttet"],
                    rows=[r for _, r in sorted(continuity)]),
            Section(heading="Förslag per brukare", columns=["Brukare", "Förslag", "Status", "Sammanfattning"],
                    rows=[r for _, r in sorted(drafts)]),
        ],
    )
