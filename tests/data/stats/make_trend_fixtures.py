#!/usr/bin/env python3
"""Reference values for the steering dashboard's trend statistics (src/analysis/stats/interval.rs
`newcombe`, src/analysis/dashboard.rs): the interval of a change in share between two periods
(statsmodels' Newcombe hybrid score interval) and the test of that change (scipy: Pearson's
chi-square without continuity correction, or Fisher's exact test when expected counts are
small), with Benjamini-Hochberg q-values over all changes.

Run from the repository root, in the venv of make_fixtures.py:

    /tmp/venv-stats/bin/python tests/data/stats/make_trend_fixtures.py
"""

import json
import os

import numpy as np
import scipy
import scipy.stats as st
import statsmodels
from statsmodels.stats.proportion import confint_proportions_2indep

OUT = os.path.dirname(os.path.abspath(__file__))


def newcombe_cases():
    cases = []
    for name, (k1, n1, k2, n2, conf) in {
        "typical": (34, 100, 18, 100, 0.95),
        "small_groups": (3, 12, 7, 15, 0.95),
        "zero_before": (0, 25, 6, 30, 0.95),
        "all_after": (20, 20, 11, 19, 0.95),
        "both_zero": (0, 40, 0, 35, 0.95),
        "unequal_sizes": (120, 400, 9, 21, 0.95),
        "ninety": (50, 80, 40, 90, 0.90),
        "ninety_nine": (12, 60, 30, 70, 0.99),
    }.items():
        low, high = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb", compare="diff", alpha=1 - conf)
        cases.append({
            "name": name, "k1": k1, "n1": n1, "k2": k2, "n2": n2, "confidence": conf,
            "difference": k1 / n1 - k2 / n2, "low": float(low), "high": float(high),
        })
    return cases


def change_test(k1, n1, k2, n2):
    """The test the dashboard runs on a change between two periods."""
    table = np.array([[k1, n1 - k1], [k2, n2 - k2]])
    expected = st.contingency.expected_freq(table)
    small = (expected < 1).any() or (expected < 5).sum() > 0.2 * expected.size
    if small:
        return "fisher", float(st.fisher_exact(table).pvalue)
    chi2, p, _, _ = st.chi2_contingency(table, correction=False)
    return "chi_square", float(p)


def trend_case():
    """A worked theme trend: one theme, three periods, two groups, changes between consecutive
    periods per group, BH over the four tests."""
    counts = {"youth": [(12, 40), (25, 45), (24, 50)], "parent": [(2, 30), (6, 32), (15, 33)]}
    tests = []
    for group, cells in counts.items():
        for i in range(1, len(cells)):
            (k1, n1), (k2, n2) = cells[i], cells[i - 1]
            method, p = change_test(k1, n1, k2, n2)
            low, high = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb", compare="diff")
            tests.append({"group": group, "period": i, "method": method, "p": p,
                          "difference": k1 / n1 - k2 / n2, "low": float(low), "high": float(high)})
    q = st.false_discovery_control([t["p"] for t in tests], method="bh")
    for t, qi in zip(tests, q):
        t["q"] = float(qi)
    return {"counts": counts, "tests": tests}


fixture = {
    "versions": {"numpy": np.__version__, "scipy": scipy.__version__, "statsmodels": statsmodels.__version__},
    "newcombe": newcombe_cases(),
    "trend": trend_case(),
}
with open(os.path.join(OUT, "trend.json"), "w") as fh:
    json.dump(fixture, fh, indent=1)
    fh.write("\n")
