"""Writes fixtures/scenarios/ronney_golden.json, demo_ronney.json and ronney_rule_years.json (run: .venv/bin/python -m tests.ronney.build_scenarios).

The scenarios are data files that people read and edit; this script is how they were made, kept so that
a change to them is a change here plus a regenerated file. Every expected amount is worked by hand in
tests/ronney/test_golden.py, not here.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from fixtures.common.identity import make_number

OUT = Path(__file__).parents[2] / "fixtures" / "scenarios"


def pn(y: int, m: int, d: int, serial: int) -> str:
    return make_number(date(y, m, d), serial)


def wrong(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 3) % 10)


def person(number: str, name: str, role: str, age: int | str | None, lunch: bool = True, **kw: Any) -> dict[str, Any]:
    """`age` is the typed "Ålder" field (None: not filled in); `kw`: living, days, studies."""
    return {"personnummer": number, "name": name, "role": role, "age": age, "lunch_at_home": lunch, **kw}


def inc(p: dict, typ: str, amount: int, **kw: Any) -> dict[str, Any]:
    """`kw`: gross, paid."""
    return {"personnummer": p["personnummer"], "type": typ, "amount": amount, **kw}


def cost(typ: str, amount: int) -> dict[str, Any]:
    return {"type": typ, "amount": amount}


def ss(p: dict, month: str, agency: str, typ: str, amount: int, **kw: Any) -> dict[str, Any]:
    """`kw`: gross, paid."""
    return {"personnummer": p["personnummer"], "month": month, "agency": agency, "type": typ, "amount": amount, **kw}


def granted(months: list[str], amount: int = 4000) -> list[dict[str, Any]]:
    return [{"month": m, "decision": "Beviljad", "amount": amount} for m in months]


def saved(month: str, amount: int, household, incomes, costs, **kw: Any) -> dict[str, Any]:
    """`kw`: decision, needs, counted_incomes."""
    return {"month": month, "decision": "Beviljad", "amount": amount, "household": household,
            "incomes": incomes, "costs": costs, **kw}


def application(month, kind, status, received, household, incomes=(), costs=(), attachments=(), supplements=(), **kw):
    return {"month": month, "kind": kind, "status": status, "received": received, "household": list(household),
            "incomes": list(incomes), "costs": list(costs), "attachments": list(attachments),
            "supplements": list(supplements), **kw}


def case(case_id, applications, *, calculations=(), notes=(), caseworker="Anna Berg", jobbstimulans_start=None):
    return {"case_id": case_id, "caseworker": caseworker, "jobbstimulans_start": jobbstimulans_start,
            "calculations": list(calculations), "applications": applications, "notes": list(notes)}


# -- the golden scenario: 2025-12-30, applications for December 2025, incomes of November 2025 --------

def golden() -> dict[str, Any]:
    M, P = "2025-12", "2025-11"
    cases: list[dict] = []
    ssbtek: list[dict] = []
    errors: list[dict] = []

    # 1001 steady single adult, sjukpenning from FK as reported → prepared
    a = person(pn(1979, 4, 2, 238), "Karin Lund", "sökande", 46)
    i, c = [inc(a, "Sjukpenning", 7000)], [cost("Hyra", 5100), cost("Hushållsel", 350), cost("Hemförsäkring", 120), cost("A-kasseavgift", 150)]
    cases.append(case("1001", [application(M, "Återansökan", "Inkommen", "2025-12-22", [a], i, c)],
                      calculations=[*granted(["2025-09", "2025-10"]), saved(P, 3900, [a], i, c)],
                      notes=[{"id": 1, "created": "2025-12-19T10:15:00+01:00", "author": "Anna Berg", "title": "Telefonsamtal",
                              "text": "Sökande ringde och frågade om utbetalningsdag.", "month": P}]))
    ssbtek.append(ss(a, P, "FK", "Sjukpenning", 7000))

    # 1002 couple with children 2 (förskola), 5, 9, 16 → prepared
    a = person(pn(1986, 9, 14, 457), "Mohammed Haddad", "sökande", 39)
    b = person(pn(1988, 2, 3, 662), "Lina Haddad", "medsökande", 37)
    k = [person(pn(2023, 5, 11, 284), "Sami Haddad", "barn", 2, lunch=False),
         person(pn(2020, 8, 30, 391), "Nour Haddad", "barn", 5),
         person(pn(2016, 3, 7, 246), "Adam Haddad", "barn", 9),
         person(pn(2009, 10, 21, 513), "Yara Haddad", "barn", 16)]
    hh = [a, b, *k]
    i = [inc(a, "A-kassa", 9000), inc(a, "Barnbidrag", 5000), inc(a, "Flerbarnstillägg", 1740)]
    c = [cost("Hyra", 9500), cost("Hushållsel", 600), cost("Hemförsäkring", 180), cost("Fackavgift", 320)]
    cases.append(case("1002", [application(M, "Återansökan", "Inkommen", "2025-12-20", hh, i, c)],
                      calculations=[saved(P, 19050, hh, i, c)], caseworker="Johan Lind"))
    ssbtek += [ss(a, P, "SO", "A-kassa", 9000), ss(a, P, "FK", "Barnbidrag", 5000), ss(a, P, "FK", "Flerbarnstillägg", 1740)]

    # 1003 nine persons: couple + 7 children (above 7 persons) → prepared
    a = person(pn(1983, 1, 19, 275), "Ahmed Warsame", "sökande", 42)
    b = person(pn(1985, 6, 5, 840), "Hodan Warsame", "medsökande", 40)
    k = [person(pn(2024, 7, 2, 312), "Liban Warsame", "barn", 1),
         person(pn(2022, 4, 15, 428), "Sahra Warsame", "barn", 3),
         person(pn(2020, 11, 8, 137), "Abdi Warsame", "barn", 5),
         person(pn(2017, 2, 27, 664), "Amina Warsame", "barn", 8),
         person(pn(2014, 9, 13, 551), "Ilhan Warsame", "barn", 11),
         person(pn(2012, 5, 29, 786), "Farah Warsame", "barn", 13),
         person(pn(2008, 1, 4, 193), "Khadra Warsame", "barn", 17)]
    hh = [a, b, *k]
    i = [inc(b, "Sjukersättning", 9000), inc(a, "Barnbidrag", 8750), inc(a, "Flerbarnstillägg", 5490), inc(a, "Bostadsbidrag", 2500)]
    c = [cost("Hyra", 9800), cost("Hushållsel", 900), cost("Hemförsäkring", 250)]
    cases.append(case("1003", [application(M, "Återansökan", "Inkommen", "2025-12-21", hh, i, c)],
                      calculations=[saved(P, 21620, hh, i, c)]))
    ssbtek += [ss(b, P, "FK", "Sjukersättning", 9000), ss(a, P, "FK", "Barnbidrag", 8750),
               ss(a, P, "FK", "Flerbarnstillägg", 5490), ss(a, P, "FK", "Bostadsbidrag", 2500)]

    # 1004 jobbstimulans: 8 months in a row on support, net pay 10 000 → prepared
    a = person(pn(1991, 12, 1, 319), "Emil Sandberg", "sökande", 34)
    i = [inc(a, "Lön efter skatt", 10000)]
    c = [cost("Hyra", 4800), cost("Hushållsel", 300), cost("Fackavgift", 250), cost("Arbetsresor", 600)]
    cases.append(case("1004", [application(M, "Återansökan", "Inkommen", "2025-12-19", [a], i, c)],
                      calculations=[*granted(["2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09", "2025-10"]),
                                    saved(P, 3630, [a], i, c)]))
    ssbtek.append(ss(a, P, "SKV", "Lön efter skatt", 10000))

    # 1005 rent above the cap for 2 persons → needs attention (capped)
    a = person(pn(1975, 3, 23, 154), "Peter Nyström", "sökande", 50)
    b = person(pn(1977, 8, 16, 248), "Maria Nyström", "medsökande", 48)
    i = [inc(a, "Etableringsersättning", 6500), inc(b, "A-kassa", 5200)]
    c = [cost("Hyra", 7200), cost("Hushållsel", 400), cost("Hemförsäkring", 150)]
    cases.append(case("1005", [application(M, "Återansökan", "Inkommen", "2025-12-23", [a, b], i, c)],
                      calculations=[saved(P, 3600, [a, b], i, c)]))
    ssbtek += [ss(a, P, "AF", "Etableringsersättning", 6500), ss(b, P, "SO", "A-kassa", 5200)]

    # 1006 supplement due on julafton, moved to 29 Dec, not in → needs attention
    a = person(pn(1969, 11, 9, 471), "Birgitta Holm", "sökande", 56)
    i, c = [inc(a, "A-kassa", 6000)], [cost("Hyra", 4500)]
    cases.append(case("1006", [application(M, "Återansökan", "Komplettering begärd", "2025-12-05", [a], i, c,
                                           attachments=[{"type": "Hyresavi", "received": "2025-12-05"}],
                                           supplements=[{"type": "Lönespecifikation", "requested": "2025-12-10", "due": "2025-12-24"}])],
                      calculations=[saved(P, 3680, [a], i, c)]))
    ssbtek.append(ss(a, P, "SO", "A-kassa", 6000))

    # 1007 supplement due on nyårsafton, moved to 2 Jan, not in yet → waiting
    a = person(pn(1994, 6, 27, 582), "Elin Björk", "sökande", 31)
    i, c = [inc(a, "CSN Bidrag", 3400)], [cost("Hyra", 4200)]
    cases.append(case("1007", [application(M, "Återansökan", "Komplettering begärd", "2025-12-18", [a], i, c,
                                           supplements=[{"type": "Hyresavi", "requested": "2025-12-22", "due": "2025-12-31"}])],
                      calculations=[saved(P, 5980, [a], i, c)]))
    ssbtek.append(ss(a, P, "CSN", "CSN Bidrag", 3400))

    # 1008 supplement arrived in time → prepared, moves to Väntar på beslut
    a = person(pn(1982, 10, 12, 136), "Jonas Ek", "sökande", 43)
    i = [inc(a, "Aktivitetsstöd", 5800)]
    c = [cost("Hyra", 4500), cost("Hushållsel", 250), cost("Hemförsäkring", 100)]
    cases.append(case("1008", [application(M, "Återansökan", "Komplettering begärd", "2025-12-04", [a], i, c,
                                           attachments=[{"type": "Kontoutdrag", "received": "2025-12-19"}],
                                           supplements=[{"type": "Kontoutdrag", "requested": "2025-12-08", "due": "2025-12-22"}])],
                      calculations=[saved(P, 4230, [a], i, c)]))
    ssbtek.append(ss(a, P, "AF", "Aktivitetsstöd", 5800))

    # 1009 SSBTEK cannot answer for this person (Försäkringskassan times out) → needs attention, no note
    a = person(pn(1972, 7, 7, 357), "Leif Strand", "sökande", 53)
    i, c = [inc(a, "Sjukpenning", 6800)], [cost("Hyra", 4600)]
    cases.append(case("1009", [application(M, "Återansökan", "Inkommen", "2025-12-22", [a], i, c)],
                      calculations=[saved(P, 2980, [a], i, c)]))
    errors.append({"personnummer": a["personnummer"], "agency": "FK", "message": "Tjänsten svarade inte i tid"})

    # 1010 nyansökan → needs attention (note with the calculation)
    a = person(pn(2001, 1, 28, 244), "Alva Lindqvist", "sökande", 24)
    cases.append(case("1010", [application(M, "Nyansökan", "Inkommen", "2025-12-27", [a], [inc(a, "A-kassa", 6000)],
                                           [cost("Hyra", 4900)])], caseworker=""))
    ssbtek.append(ss(a, P, "SO", "A-kassa", 6000))

    # 1011 a baby has arrived: household changed, flerbarnstillägg new → needs attention
    a = person(pn(1993, 3, 3, 520), "Sofia Karlsson", "sökande", 32)
    k4 = person(pn(2021, 9, 1, 437), "Leo Karlsson", "barn", 4, lunch=False)
    k0 = person(pn(2025, 10, 2, 118), "Ella Karlsson", "barn", 0)
    c = [cost("Hyra", 6900), cost("Hushållsel", 450), cost("Hemförsäkring", 130)]
    now_i = [inc(a, "Barnbidrag", 2500), inc(a, "Flerbarnstillägg", 150), inc(a, "Underhållsstöd", 1673)]
    prev_i = [inc(a, "Barnbidrag", 1250), inc(a, "Underhållsstöd", 1673)]
    cases.append(case("1011", [application(M, "Återansökan", "Inkommen", "2025-12-20", [a, k4, k0], now_i, c)],
                      calculations=[saved(P, 10810, [a, k4], prev_i, c)]))
    ssbtek += [ss(a, P, "FK", "Barnbidrag", 2500), ss(a, P, "FK", "Flerbarnstillägg", 150), ss(a, P, "FK", "Underhållsstöd", 1673)]

    # 1012 a-kassa ended, work started; SSBTEK (SKV) shows more pay than reported → needs attention
    a = person(pn(1987, 5, 17, 691), "Oscar Wikström", "sökande", 38)
    c = [cost("Hyra", 5000), cost("Arbetsresor", 500)]
    cases.append(case("1012", [application(M, "Återansökan", "Inkommen", "2025-12-22", [a], [inc(a, "Lön efter skatt", 6000)], c)],
                      calculations=[*granted(["2025-09", "2025-10"]), saved(P, 3680, [a], [inc(a, "A-kassa", 7000)], c)]))
    ssbtek.append(ss(a, P, "SKV", "Lön efter skatt", 6400))

    # 1013 SSBTEK (PM) has bostadstillägg the application left out → needs attention
    a = person(pn(1966, 2, 11, 823), "Gunilla Åberg", "sökande", 59)
    i, c = [inc(a, "Sjukersättning", 8000)], [cost("Hyra", 4700), cost("Hushållsel", 300)]
    cases.append(case("1013", [application(M, "Återansökan", "Inkommen", "2025-12-21", [a], i, c)],
                      calculations=[saved(P, 2180, [a], i, c)]))
    ssbtek += [ss(a, P, "FK", "Sjukersättning", 8000), ss(a, P, "PM", "Bostadstillägg", 1200)]

    # 1014 rent went up → needs attention
    a = person(pn(1990, 8, 8, 345), "Fredrik Olsson", "sökande", 35)
    i = [inc(a, "A-kassa", 6100)]
    cases.append(case("1014", [application(M, "Återansökan", "Inkommen", "2025-12-22", [a], i,
                                           [cost("Hyra", 4950), cost("Hushållsel", 280)])],
                      calculations=[saved(P, 3960, [a], i, [cost("Hyra", 4600), cost("Hushållsel", 280)])]))
    ssbtek.append(ss(a, P, "SO", "A-kassa", 6100))

    # 1015 the co-applicant's personnummer has a wrong check digit → needs attention
    a = person(pn(1980, 12, 24, 219), "Anders Pettersson", "sökande", 45)
    b = person(wrong(pn(1984, 4, 4, 602)), "Eva Pettersson", "medsökande", 41)
    i, c = [inc(a, "Sjukpenning", 8000)], [cost("Hyra", 6000)]
    cases.append(case("1015", [application(M, "Återansökan", "Inkommen", "2025-12-23", [a, b], i, c)],
                      calculations=[saved(P, 6450, [a, b], i, c)]))
    ssbtek.append(ss(a, P, "FK", "Sjukpenning", 8000))

    # 1016 shares a flat with a lodger who is not a sambo → prepared
    a = person(pn(1998, 11, 30, 133), "Nils Berglund", "sökande", 27)
    lodger = person(pn(1995, 3, 12, 455), "Viktor Ström", "annan vuxen", 30)
    i, c = [inc(a, "Aktivitetsstöd", 4000)], [cost("Hyra", 3200), cost("Hushållsel", 200)]
    cases.append(case("1016", [application(M, "Återansökan", "Inkommen", "2025-12-20", [a, lodger], i, c)],
                      calculations=[saved(P, 4010, [a, lodger], i, c)]))
    ssbtek.append(ss(a, P, "AF", "Aktivitetsstöd", 4000))

    # 1017 pension above the need → prepared with 0 kr
    a = person(pn(1959, 6, 18, 781), "Rolf Engström", "sökande", 66)
    i, c = [inc(a, "Pension", 12000)], [cost("Hyra", 4000)]
    cases.append(case("1017", [application(M, "Återansökan", "Inkommen", "2025-12-22", [a], i, c)],
                      calculations=[saved(P, 0, [a], i, c)]))
    ssbtek.append(ss(a, P, "PM", "Pension", 12000))

    # 1018 tilläggsansökan (glasögon) → skipped
    a = person(pn(1976, 9, 9, 662), "Helena Sjöberg", "sökande", 49)
    cases.append(case("1018", [application(M, "Tilläggsansökan", "Inkommen", "2025-12-28", [a], [], [cost("Glasögon", 1800)])]))

    # 1021 a 16-year-old earns money; what was earned earlier in 2025 (SSBTEK) leaves room under the
    # prisbasbelopp, so none of November's pay counts → prepared
    a = person(pn(1981, 1, 30, 364), "Malin Eriksson", "sökande", 44)
    k = person(pn(2009, 4, 18, 275), "Alva Eriksson", "barn", 16)
    i = [inc(a, "A-kassa", 7000), inc(k, "CSN Bidrag", 1250), inc(k, "Lön efter skatt", 2400)]
    c = [cost("Hyra", 6200), cost("Hushållsel", 380)]
    cases.append(case("1021", [application(M, "Återansökan", "Inkommen", "2025-12-21", [a, k], i, c)],
                      calculations=[saved(P, 8560, [a, k], i, c)]))
    ssbtek += [ss(a, P, "SO", "A-kassa", 7000), ss(k, P, "CSN", "CSN Bidrag", 1250), ss(k, P, "SKV", "Lön efter skatt", 2400),
               ss(k, "2025-06", "SKV", "Lön efter skatt", 9000), ss(k, "2025-07", "SKV", "Lön efter skatt", 11000),
               ss(k, "2025-08", "SKV", "Lön efter skatt", 8500)]

    # 1022 a 17-year-old who has almost earned a prisbasbelopp this year: part of November's pay counts → prepared
    a = person(pn(1976, 10, 3, 482), "Jan Holmberg", "sökande", 49)
    k = person(pn(2008, 2, 9, 393), "Theo Holmberg", "barn", 17)
    i = [inc(a, "Sjukersättning", 9500), inc(k, "CSN Bidrag", 1250), inc(k, "Lön efter skatt", 4000)]
    c = [cost("Hyra", 5900), cost("Hushållsel", 300)]
    cases.append(case("1022", [application(M, "Återansökan", "Inkommen", "2025-12-22", [a, k], i, c)],
                      calculations=[saved(P, 3980, [a, k], i, c)]))
    ssbtek += [ss(a, P, "FK", "Sjukersättning", 9500), ss(k, P, "CSN", "CSN Bidrag", 1250), ss(k, P, "SKV", "Lön efter skatt", 4000)]
    ssbtek += [ss(k, m, "SKV", "Lön efter skatt", v) for m, v in
               (("2025-06", 14000), ("2025-07", 16000), ("2025-08", 15000), ("2025-09", 6000), ("2025-10", 5500))]

    everyday_cases, everyday_ssbtek = everyday_golden(M, P)
    cases += everyday_cases
    ssbtek += everyday_ssbtek

    # 1019 already waiting for a decision, 1020 already decided: not Ronney's
    a = person(pn(1985, 12, 12, 274), "Kim Larsson", "sökande", 40)
    cases.append(case("1019", [application(M, "Återansökan", "Väntar på beslut", "2025-12-15", [a], [], [cost("Hyra", 4400)])],
                      notes=[{"id": 1, "created": "2025-12-16T09:00:00+01:00", "author": "Sara Ek",
                              "title": "Bedömning påbörjad", "text": "Inväntar planeringssamtal.", "month": M}]))
    a = person(pn(1992, 2, 2, 318), "Tove Hedlund", "sökande", 33)
    cases.append(case("1020", [application(M, "Återansökan", "Beviljad", "2025-12-10", [a], [], [cost("Hyra", 4300)])]))

    return {
        "name": "ronney_golden",
        "description": ("Ronneys gyllene scenario (issue 4, 18): 29 ärenden för december 2025 som täcker varje väg – klart för "
                        "beslut, familj med barn i flera åldrar, hushåll över 7 personer, jobbstimulans, hyra över taket, "
                        "komplettering efter julhelgen, väntar på komplettering, SSBTEK-fel, nyansökan, ändrat hushåll, "
                        "ny och upphörd inkomst, SSBTEK-avvikelser, ändrad hyra, ogiltigt personnummer, inneboende, "
                        "inkomst över behovet, tilläggsansökan, redan hanterade ansökningar, barns arbetsinkomst inom och över "
                        "prisbasbeloppet, växelvis boende, umgänge, skolungdom 19 år, ung vuxen utan studier, fel ålder, "
                        "utbetalningsdagar, normöverskott. Påhittade personer."),
        "today": "2025-12-30",
        "accounts": {"ekonomi": {"username": "ronney", "password": "ekonomi-golden-1"},
                     "ssbtek": {"username": "ronney", "password": "ssbtek-golden-1", "api_key": "ssbtek-golden-nyckel-1"}},
        "faults": {},
        "ekonomi": {"page_size": 5, "decision_users": ["anna.berg"], "cases": cases},
        "ssbtek": {"incomes": ssbtek, "agency_errors": errors},
    }


def everyday_golden(M: str, P: str) -> tuple[list[dict], list[dict]]:
    """Issue 18's everyday cases for the golden scenario (1023–1029), amounts worked in test_golden_everyday.py."""
    cases: list[dict] = []
    ssbtek: list[dict] = []

    # 1023 a child in växelvis boende, 15 of December's 31 days → prepared
    a = person(pn(1984, 6, 12, 271), "Sanna Mäkinen", "sökande", 41)
    k = person(pn(2017, 5, 10, 386), "Elsa Mäkinen", "barn", 8, living="växelvis", days=15)
    i, c = [inc(a, "A-kassa", 8000), inc(a, "Barnbidrag", 625)], [cost("Hyra", 6000), cost("Hushållsel", 300)]
    cases.append(case("1023", [application(M, "Återansökan", "Inkommen", "2025-12-21", [a, k], i, c)],
                      calculations=[saved(P, 4752, [a, k], i, c)]))
    ssbtek += [ss(a, P, "SO", "A-kassa", 8000), ss(a, P, "FK", "Barnbidrag", 625)]

    # 1024 a child here for umgänge 8 days → needs attention (umgängeskostnader are assessed)
    a = person(pn(1979, 8, 22, 413), "Kristian Lööf", "sökande", 46)
    k = person(pn(2019, 3, 3, 529), "Vera Lööf", "barn", 6, living="umgänge", days=8)
    i, c = [inc(a, "Sjukpenning", 7500)], [cost("Hyra", 5000)]
    cases.append(case("1024", [application(M, "Återansökan", "Inkommen", "2025-12-22", [a, k], i, c)],
                      calculations=[saved(P, 3496, [a, k], i, c)]))
    ssbtek.append(ss(a, P, "FK", "Sjukpenning", 7500))

    # 1025 a 19-year-old in gymnasieskolan: the 19–20 cell → prepared
    a = person(pn(1978, 2, 14, 337), "Lena Åkesson", "sökande", 47)
    k = person(pn(2006, 9, 15, 452), "Hugo Åkesson", "barn", 19, studies="gymnasieskola")
    i, c = [inc(a, "A-kassa", 9000)], [cost("Hyra", 6000), cost("Hushållsel", 300)]
    cases.append(case("1025", [application(M, "Återansökan", "Inkommen", "2025-12-20", [a, k], i, c)],
                      calculations=[saved(P, 7570, [a, k], i, c)]))
    ssbtek.append(ss(a, P, "SO", "A-kassa", 9000))

    # 1026 a 19-year-old who has left school and works: an adult with an own case → needs attention
    a = person(pn(1975, 11, 2, 248), "Monica Vik", "sökande", 50)
    k = person(pn(2006, 3, 1, 363), "Albin Vik", "barn", 19)
    c = [cost("Hyra", 5000), cost("Hushållsel", 300)]
    cases.append(case("1026", [application(M, "Återansökan", "Inkommen", "2025-12-22", [a, k],
                                           [inc(a, "Sjukersättning", 9500), inc(k, "Lön efter skatt", 5000)], c)],
                      calculations=[saved(P, 410, [a, k], [inc(a, "Sjukersättning", 9500)], c)]))
    ssbtek += [ss(a, P, "FK", "Sjukersättning", 9500), ss(k, P, "SKV", "Lön efter skatt", 5000)]

    # 1027 the typed age is a year behind the birth date → needs attention (the birth date counts)
    a = person(pn(1988, 4, 9, 164), "Amanda Rask", "sökande", 37)
    k = person(pn(2015, 2, 20, 279), "Milo Rask", "barn", 9)
    i, c = [inc(a, "Sjukpenning", 6000), inc(a, "Barnbidrag", 1250)], [cost("Hyra", 5500), cost("Hushållsel", 250)]
    cases.append(case("1027", [application(M, "Återansökan", "Inkommen", "2025-12-19", [a, k], i, c)],
                      calculations=[saved(P, 7600, [a, k], i, c)]))
    ssbtek += [ss(a, P, "FK", "Sjukpenning", 6000), ss(a, P, "FK", "Barnbidrag", 1250)]

    # 1028 pay with gross amount and payment date; sjukpenning paid in December → needs attention
    a = person(pn(1990, 3, 17, 288), "Daniel Norén", "sökande", 35)
    pay = inc(a, "Lön efter skatt", 9000, gross=12000, paid="2025-11-25")
    c = [cost("Hyra", 4800), cost("Fackavgift", 200)]
    cases.append(case("1028", [application(M, "Återansökan", "Inkommen", "2025-12-23", [a],
                                           [pay, inc(a, "Sjukpenning", 1500, paid="2025-12-05")], c)],
                      calculations=[*granted(["2025-09", "2025-10"]), saved(P, 1180, [a], [pay], c)]))
    ssbtek += [ss(a, P, "SKV", "Lön efter skatt", 9000, gross=12000, paid="2025-11-25"),
               ss(a, M, "FK", "Sjukpenning", 1500, gross=1900, paid="2025-12-05")]

    # 1029 a normöverskott from October, partly used in November, carried into December → needs attention
    a = person(pn(1970, 7, 30, 352), "Tomas Falk", "sökande", 55)
    c = [cost("Hyra", 4600), cost("Hushållsel", 220)]
    cases.append(case("1029", [application(M, "Återansökan", "Inkommen", "2025-12-22", [a], [inc(a, "A-kassa", 7000)], c)],
                      calculations=[
                          {"month": "2025-09", "decision": "Beviljad", "amount": 2000, "needs": 10000, "counted_incomes": 8000},
                          {"month": "2025-10", "decision": "Avslagen", "amount": 0, "needs": 10000, "counted_incomes": 13000},
                          saved(P, 0, [a], [inc(a, "A-kassa", 9000)], c, decision="Avslagen", needs=10000,
                                counted_incomes=9000)]))
    ssbtek.append(ss(a, P, "SO", "A-kassa", 7000))
    return cases, ssbtek


# -- demo: 2026-11-23 (the demo's Monday night), applications for December 2026 ------------------------

def demo() -> dict[str, Any]:
    M, P = "2026-12", "2026-11"
    cases: list[dict] = []
    ssbtek: list[dict] = []
    errors: list[dict] = []

    def single(case_id, name, born, serial, incomes, costs, *, kind="Återansökan", status="Inkommen",
               prev_costs=None, prev_incomes=None, agency=None, **app_kw):
        a = person(pn(*born, serial), name, "sökande", 2026 - born[0] - (1 if (born[1], born[2]) > (11, 23) else 0))
        i = [inc(a, t, v) for t, v, _ in incomes]
        c = [cost(t, v) for t, v in costs]
        calcs = [] if kind == "Nyansökan" else [saved(P, 4000, [a], [inc(a, t, v) for t, v, _ in (prev_incomes or incomes)],
                                                      [cost(t, v) for t, v in (prev_costs or costs)])]
        cases.append(case(case_id, [application(M, kind, status, "2026-11-20", [a], i, c, **app_kw)], calculations=calcs))
        for t, v, ag in incomes:
            if ag:
                ssbtek.append(ss(a, P, ag, t, v))
        return a

    single("2001", "Lars Nilsson", (1978, 5, 5), 113, [("Sjukpenning", 7200, "FK")], [("Hyra", 5000), ("Hushållsel", 300)])
    single("2002", "Maja Forsberg", (1990, 1, 15), 224, [("A-kassa", 8100, "SO")], [("Hyra", 4700), ("Hemförsäkring", 110)])
    a = person(pn(1984, 3, 3, 335), "Ali Rahimi", "sökande", 42)
    b = person(pn(1986, 7, 7, 446), "Zahra Rahimi", "medsökande", 40)
    kids = [person(pn(2023, 2, 2, 557), "Omid Rahimi", "barn", 3, lunch=False),
            person(pn(2015, 6, 6, 668), "Sara Rahimi", "barn", 11)]
    i = [inc(a, "Etableringsersättning", 7400), inc(a, "Barnbidrag", 2500), inc(a, "Flerbarnstillägg", 150)]
    c = [cost("Hyra", 8600), cost("Hushållsel", 500)]
    cases.append(case("2003", [application(M, "Återansökan", "Inkommen", "2026-11-19", [a, b, *kids], i, c)],
                      calculations=[saved(P, 9000, [a, b, *kids], i, c)]))
    ssbtek += [ss(a, P, "AF", "Etableringsersättning", 7400), ss(a, P, "FK", "Barnbidrag", 2500), ss(a, P, "FK", "Flerbarnstillägg", 150)]
    single("2004", "Ida Svensson", (1999, 9, 9), 558, [("A-kassa", 5900, "SO")], [("Hyra", 4800)], kind="Nyansökan")
    single("2005", "Stefan Ek", (1970, 10, 10), 119, [("A-kassa", 6300, "SO")], [("Hyra", 7900)])
    single("2006", "Hanna Lind", (1988, 8, 8), 226, [("Aktivitetsstöd", 5100, "AF")], [("Hyra", 5300)],
           prev_costs=[("Hyra", 4900)])
    single("2007", "Erik Dahl", (1981, 4, 4), 337, [("Lön efter skatt", 9000, None)], [("Hyra", 4600)])
    ssbtek.append(ss(cases[-1]["applications"][0]["household"][0], P, "SKV", "Lön efter skatt", 9600))
    single("2008", "Josefin Berg", (1995, 12, 24), 448, [("CSN Bidrag", 3400, "CSN")], [("Hyra", 4300)],
           status="Komplettering begärd", supplements=[{"type": "Hyresavi", "requested": "2026-11-16", "due": "2026-11-28"}])
    single("2009", "Mikael Holm", (1973, 3, 30), 559, [("Sjukpenning", 6900, "FK")], [("Hyra", 4400)],
           status="Komplettering begärd", supplements=[{"type": "Lönespecifikation", "requested": "2026-11-02", "due": "2026-11-14"}])
    a = single("2010", "Anneli Sjögren", (1968, 6, 19), 662, [("Sjukersättning", 9100, None)], [("Hyra", 4900)])
    errors.append({"personnummer": a["personnummer"], "agency": "FK", "message": "Tjänsten svarade inte i tid"})
    # a teenager's summer job: within the prisbasbelopp (59 200 kr for 2026), so none of it counts
    a = person(pn(1983, 4, 14, 791), "Petra Sandell", "sökande", 43)
    k = person(pn(2010, 5, 20, 382), "Wilma Sandell", "barn", 16)
    i = [inc(a, "Sjukpenning", 8200), inc(k, "CSN Bidrag", 1250), inc(k, "Lön efter skatt", 1800)]
    c = [cost("Hyra", 6100), cost("Hushållsel", 350)]
    cases.append(case("2013", [application(M, "Återansökan", "Inkommen", "2026-11-18", [a, k], i, c)],
                      calculations=[saved(P, 8700, [a, k], i, c)]))
    ssbtek += [ss(a, P, "FK", "Sjukpenning", 8200), ss(k, P, "CSN", "CSN Bidrag", 1250), ss(k, P, "SKV", "Lön efter skatt", 1800),
               ss(k, "2026-06", "SKV", "Lön efter skatt", 7500), ss(k, "2026-07", "SKV", "Lön efter skatt", 9000)]
    everyday_demo(M, P, cases, ssbtek)
    single("2011", "Patrik Lund", (1983, 11, 11), 773, [], [("Tandvård", 2400)], kind="Tilläggsansökan")
    single("2012", "Camilla Öberg", (1979, 2, 22), 884, [("A-kassa", 7000, "SO")], [("Hyra", 5100)], broken=True)

    return {
        "name": "demo_ronney",
        "description": ("Ronneys del av demon: ansökningar för december 2026 som ger varje utfall – klart för beslut, "
                        "behöver handläggare (nyansökan, hyra över taket, ändrad hyra, SSBTEK-avvikelse, komplettering "
                        "saknas, SSBTEK-fel), väntar på komplettering, inget att göra (tilläggsansökan) och tekniskt fel "
                        "(en ansökan som ekonomi inte kan visa) – och vardagens fall: barns arbetsinkomst, växelvis boende, umgänge, "
                        "skolungdom 19 år, ung vuxen utan studier, fel ålder, utbetalningsdagar, normöverskott och en "
                        "ansökan för januari 2027 utan riksnormtabell. Påhittade personer."),
        "today": "2026-11-23",
        "accounts": {"ekonomi": {"username": "ronney", "password": "ekonomi-demo-1"},
                     "ssbtek": {"username": "ronney", "password": "ssbtek-demo-1", "api_key": "ssbtek-demo-nyckel-1"}},
        "faults": {},
        "ekonomi": {"page_size": 25, "decision_users": [], "cases": cases},
        "ssbtek": {"incomes": ssbtek, "agency_errors": errors},
    }


def everyday_demo(M: str, P: str, cases: list[dict], ssbtek: list[dict]) -> None:
    """Issue 18's everyday cases once each in the demo (2014–2021)."""
    def family(case_id, adult, kids, incomes, costs, *, prev_incomes=None, calculations=(), agency_rows=()):
        hh = [adult, *kids]
        cases.append(case(case_id, [application(M, "Återansökan", "Inkommen", "2026-11-20", hh, incomes, costs)],
                          calculations=[*calculations, saved(P, 5000, hh, prev_incomes or incomes, costs)]))
        ssbtek.extend(agency_rows)

    a = person(pn(1985, 2, 2, 111), "Johanna Lind", "sökande", 41)
    family("2014", a, [person(pn(2018, 4, 4, 222), "Ella Lind", "barn", 8, living="växelvis", days=15)],
           [inc(a, "A-kassa", 7600), inc(a, "Barnbidrag", 625)], [cost("Hyra", 6100)],
           agency_rows=[ss(a, P, "SO", "A-kassa", 7600), ss(a, P, "FK", "Barnbidrag", 625)])
    a = person(pn(1980, 5, 5, 333), "Niklas Berg", "sökande", 46)
    family("2015", a, [person(pn(2020, 6, 6, 444), "Alve Berg", "barn", 6, living="umgänge", days=6)],
           [inc(a, "Sjukpenning", 7800)], [cost("Hyra", 5200)], agency_rows=[ss(a, P, "FK", "Sjukpenning", 7800)])
    a = person(pn(1979, 7, 7, 555), "Susanne Wall", "sökande", 47)
    family("2016", a, [person(pn(2007, 9, 9, 666), "Max Wall", "barn", 19, studies="gymnasieskola")],
           [inc(a, "A-kassa", 9200)], [cost("Hyra", 6200)], agency_rows=[ss(a, P, "SO", "A-kassa", 9200)])
    a = person(pn(1976, 8, 8, 777), "Göran Ahl", "sökande", 50)
    k = person(pn(2007, 3, 3, 888), "Tilde Ahl", "barn", 19)
    family("2017", a, [k], [inc(a, "Sjukersättning", 9700), inc(k, "Lön efter skatt", 6000)], [cost("Hyra", 5000)],
           prev_incomes=[inc(a, "Sjukersättning", 9700)],
           agency_rows=[ss(a, P, "FK", "Sjukersättning", 9700), ss(k, P, "SKV", "Lön efter skatt", 6000)])
    a = person(pn(1987, 10, 10, 999), "Fatima Noor", "sökande", 39)
    family("2018", a, [person(pn(2016, 1, 15, 121), "Adam Noor", "barn", 9)],
           [inc(a, "Sjukpenning", 6200), inc(a, "Barnbidrag", 1250)], [cost("Hyra", 5600)],
           agency_rows=[ss(a, P, "FK", "Sjukpenning", 6200), ss(a, P, "FK", "Barnbidrag", 1250)])
    a = person(pn(1992, 4, 21, 232), "Oskar Frid", "sökande", 34)
    pay = inc(a, "Lön efter skatt", 9400, gross=12500, paid="2026-11-25")
    family("2019", a, [], [pay, inc(a, "Sjukpenning", 1200, paid="2026-12-04")], [cost("Hyra", 4700)],
           prev_incomes=[pay], agency_rows=[ss(a, P, "SKV", "Lön efter skatt", 9400, gross=12500, paid="2026-11-25")])
    a = person(pn(1969, 12, 1, 343), "Lisbeth Moberg", "sökande", 57)
    family("2020", a, [], [inc(a, "A-kassa", 7200)], [cost("Hyra", 4700), cost("Hushållsel", 240)],
           calculations=[{"month": "2026-09", "decision": "Beviljad", "amount": 1500, "needs": 10160,
                          "counted_incomes": 8660},
                         {"month": "2026-10", "decision": "Avslagen", "amount": 0, "needs": 10160,
                          "counted_incomes": 13660}],
           agency_rows=[ss(a, P, "SO", "A-kassa", 7200)])
    cases[-1]["calculations"][-1].update(decision="Avslagen", amount=0, needs=10160, counted_incomes=9160)
    # an application for January 2027, early: no riksnorm table for 2027 is loaded → a person, never the 2026 table
    a = person(pn(1983, 6, 30, 454), "Karl Strömberg", "sökande", 43)
    cases.append(case("2021", [application("2027-01", "Återansökan", "Inkommen", "2026-11-22", [a],
                                           [inc(a, "A-kassa", 7000)], [cost("Hyra", 4900)])],
                      calculations=[saved(P, 3900, [a], [inc(a, "A-kassa", 7000)], [cost("Hyra", 4900)])]))


# -- rule years: 2026-12-20, an application for January 2027 before the 2027 table is loaded ---------------

def rule_years() -> dict[str, Any]:
    a = person(pn(1983, 6, 30, 454), "Karl Strömberg", "sökande", 43)
    b = person(pn(1991, 1, 8, 565), "Nora Ahlin", "sökande", 35)
    jan = application("2027-01", "Återansökan", "Inkommen", "2026-12-18", [a], [inc(a, "A-kassa", 7000)],
                      [cost("Hyra", 4900)])
    dec = application("2026-12", "Återansökan", "Inkommen", "2026-12-02", [b], [inc(b, "A-kassa", 6000)],
                      [cost("Hyra", 4500)])
    return {
        "name": "ronney_rule_years",
        "description": ("Ronney och regelåren (issue 18): natten till 20 december 2026 kommer en ansökan för januari "
                        "2027 innan 2027 års riksnorm finns, och en för december 2026. Påhittade personer."),
        "today": "2026-12-20",
        "accounts": {"ekonomi": {"username": "ronney", "password": "ekonomi-regelar-1"},
                     "ssbtek": {"username": "ronney", "password": "ssbtek-regelar-1", "api_key": "ssbtek-regelar-nyckel-1"}},
        "faults": {},
        "ekonomi": {"page_size": 25, "decision_users": [], "cases": [
            case("3001", [jan], calculations=[saved("2026-12", 3900, [a], [inc(a, "A-kassa", 7000)], [cost("Hyra", 4900)])]),
            case("3002", [dec], calculations=[saved("2026-11", 3720, [b], [inc(b, "A-kassa", 6000)], [cost("Hyra", 4500)])]),
        ]},
        "ssbtek": {"incomes": [ss(a, "2026-12", "SO", "A-kassa", 7000, gross=8750, paid="2026-12-15"),
                               ss(b, "2026-11", "SO", "A-kassa", 6000, gross=7500, paid="2026-11-16")],
                   "agency_errors": []},
    }


def main() -> None:
    for data in (golden(), demo(), rule_years()):
        path = OUT / f"{data['name']}.json"
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {path.name}: {len(data['ekonomi']['cases'])} cases")


if __name__ == "__main__":
    main()
