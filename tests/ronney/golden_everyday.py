"""The golden scenario's everyday cases (issue 18, cases 1023–1029): expected status, findings and amount.

Worked by hand from the 2025 riksnorm (SoF 2025:468 12 kap. 2 §): ensamstående 3 910; children 4–6 år
3 030, 7–10 år 3 790, 19–20 år 4 960; household-common 1 person 1 270, 2 persons 1 400. December 2025 has
31 days; incomes are November's. Housing caps: 1 person 5 200, 2 persons 6 300 (RonneySettings' defaults).
A child here part of the month counts pro rata by days (SOSFS 2013:1; domain brief §1.1 [V]); the
household-common cost is the month's average over the household's size: the days with the child at the
2-person amount, the rest at the 1-person amount (rules/riksnorm.py). Amounts round to whole kronor.
test_golden.py merges these into its EXPECTED, so every run of the golden scenario checks them.
"""

from __future__ import annotations

from runner.api import Status

P, N = Status.prepared, Status.needs_attention

EVERYDAY: dict[str, tuple[Status, list[str], int | None]] = {
    # växelvis boende, 8 years, 15 of 31 days: 3 790 × 15/31 = 1 833.87 → 1 834
    # common: 1 270 × 16/31 + 1 400 × 15/31 = 655.48 + 677.42 = 1 332.90 → 1 333
    # norm 3 910 + 1 834 + 1 333 = 7 077; hyra 6 000 (cap 6 300) + el 300 → behov 13 377
    # a-kassa 8 000 + barnbidrag (half, växelvis) 625 = 8 625 → 4 752
    "1023": (P, ["VAXELVIS_BOENDE"], 4752),
    # umgänge, 6 years (lunch at home), 8 of 31 days: 3 030 × 8/31 = 781.94 → 782
    # common: 1 270 × 23/31 + 1 400 × 8/31 = 942.26 + 361.29 = 1 303.55 → 1 304
    # norm 3 910 + 782 + 1 304 = 5 996; hyra 5 000 → behov 10 996; sjukpenning 7 500 → 3 496
    # umgängeskostnader are the caseworker's assessment: to a person with the days
    "1024": (N, ["UMGANGE"], 3496),
    # 19 years (born 2006-09-15) in gymnasieskolan: the 19–20 cell (FB 7 kap. 1 §; SOSFS 2013:1)
    # norm 3 910 + 4 960 + 1 400 = 10 270; hyra 6 000 + el 300 = 6 300 → 16 570; a-kassa 9 000 → 7 570
    "1025": (P, [], 7570),
    # 19 years (born 2006-03-01), not in school: an adult with an own case (12 kap. 3 § SoF)
    # norm 3 910 + common for 2 sharing the home 1 400 × 1/2 = 700 → 4 610; hyra 5 000 (cap 5 200 for 1)
    # + el 300 → behov 9 910; sjukersättning 9 500 (the young adult's own pay 5 000 is not this household's) → 410
    "1026": (N, ["UNG_VUXEN"], 410),
    # typed 9, born 2015-02-20 → 10 on 1 December: the birth date counts (7–10 år: 3 790 either way)
    # norm 3 910 + 3 790 + 1 400 = 9 100; hyra 5 500 + el 250 → 14 850; sjukpenning 6 000 + barnbidrag 1 250 → 7 600
    "1027": (N, ["ALDER_AVVIKER"], 7600),
    # pay 9 000 net (12 000 gross) paid 25 November counts; sjukpenning 1 500 paid 5 December is outside
    # November, so it belongs to January's calculation
    # norm 5 180; hyra 4 800 + fackavgift 200 → 10 180; 9 000 → 1 180
    "1028": (N, ["INKOMST_ANNAN_MANAD"], 1180),
    # normöverskott (domain brief §1.5 [U]; carried 3 months, the default): October 13 000 − 10 000 = 3 000 over;
    # November needed 10 000 − 9 000 = 1 000 of it → 2 000 left in December
    # norm 5 180; hyra 4 600 + el 220 → 10 000; a-kassa 7 000 + 2 000 → 1 000; always to a person (HFD 2017 ref. 51)
    "1029": (N, ["NORMOVERSKOTT"], 1000),
}
