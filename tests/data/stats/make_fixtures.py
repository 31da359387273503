#!/usr/bin/env python3
"""Reference values for the statistics in src/analysis/stats/, computed with scipy, statsmodels and
scikit-bio (and, where those have no function, plain numpy written from the textbook formula or an
exact brute-force enumeration). The Rust unit tests compare against the JSON files written here.

Run from the repository root (any folder works; the output goes beside this script):

    python3 -m venv /tmp/venv-stats
    /tmp/venv-stats/bin/pip install -r tests/data/stats/requirements.txt
    /tmp/venv-stats/bin/python tests/data/stats/make_fixtures.py

The output is deterministic: every random input comes from a seeded numpy Generator, and the one
random reference (scikit-bio's PERMANOVA p-value) is seeded too. Values are written with Python's
shortest round-trip float repr, so nothing is lost between numpy and Rust.
"""

import itertools
import json
import math
import os
from fractions import Fraction

import numpy as np
import scipy
import scipy.stats as st
import skbio
import statsmodels
from scipy.spatial.distance import pdist, squareform
from scipy.stats.contingency import association, expected_freq
from skbio.stats.composition import clr, closure, ilr, ilr_inv, multi_replace
from skbio.stats.distance import permanova
from statsmodels.stats.proportion import proportion_confint

OUT = os.path.dirname(os.path.abspath(__file__))
VERSIONS = {
    "numpy": np.__version__,
    "scipy": scipy.__version__,
    "statsmodels": statsmodels.__version__,
    "scikit-bio": skbio.__version__,
}


def f(x):
    """A plain Python float (or None for NaN), so json writes it exactly."""
    x = float(x)
    return None if math.isnan(x) else x


def fl(a):
    return [f(x) for x in np.ravel(a)] if np.ndim(a) == 1 else [fl(r) for r in a]


def write(name, payload):
    payload = {"generated_by": "tests/data/stats/make_fixtures.py", "versions": VERSIONS, **payload}
    path = os.path.join(OUT, name)
    with open(path, "w") as fh:
        # One case per line: small, and a diff shows which case changed.
        fh.write("{\n")
        items = list(payload.items())
        for i, (key, value) in enumerate(items):
            if isinstance(value, list):
                fh.write(f' "{key}": [\n')
                for j, case in enumerate(value):
                    fh.write("  " + json.dumps(case, separators=(",", ":")))
                    fh.write(",\n" if j + 1 < len(value) else "\n")
                fh.write(" ]")
            else:
                fh.write(f' "{key}": ' + json.dumps(value, separators=(",", ":")))
            fh.write(",\n" if i + 1 < len(items) else "\n")
        fh.write("}\n")
    print(f"{name}: {os.path.getsize(path)} bytes")


# ---------------------------------------------------------------------------------------------
# interval: Wilson score interval, statsmodels proportion_confint(method="wilson").


def make_interval():
    cases = []
    for k, n, conf in [
        (0, 10, 0.95), (10, 10, 0.95), (3, 10, 0.95), (1, 1, 0.95), (0, 1, 0.95),
        (50, 100, 0.95), (7, 250, 0.95), (999, 1000, 0.95), (17, 40, 0.90), (17, 40, 0.99),
        (5, 12, 0.80), (123456, 1000000, 0.95), (2, 5, 0.999),
    ]:
        low, high = proportion_confint(k, n, alpha=1 - conf, method="wilson")
        cases.append({"k": k, "n": n, "confidence": conf, "low": f(low), "high": f(high)})
    write("interval.json", {"wilson": cases})


# ---------------------------------------------------------------------------------------------
# contingency: chi-square (scipy chi2_contingency, correction=False), adjusted standardised
# residuals (Haberman 1973; numpy, scipy has none), Cramér's V (scipy association "cramer"),
# Fisher's exact test for 2×k (exact enumeration with integer arithmetic, see below).


def adjusted_residuals(table):
    table = np.asarray(table, dtype=float)
    n = table.sum()
    e = expected_freq(table)
    r = table.sum(axis=1, keepdims=True) / n
    c = table.sum(axis=0, keepdims=True) / n
    return (table - e) / np.sqrt(e * (1 - r) * (1 - c))


def fisher_2xk_exact(table):
    """Freeman–Halton p for a 2×k table by enumerating every first row with the observed margins.

    Exact integer arithmetic: the probability of a table is prod_j C(c_j, x_j) / C(n, r_1), so the
    weights W = prod_j C(c_j, x_j) are compared and summed as Python ints. A table counts when
    p <= p_obs * (1 + 1e-7), R's relative tolerance (fisher.test: relErr <- 1 + 10^(-7)), which
    here is W * 10^7 <= W_obs * (10^7 + 1), still exact.
    """
    table = np.asarray(table)
    cols = [int(c) for c in table.sum(axis=0)]
    r1 = int(table[0].sum())
    n = sum(cols)
    w_obs = math.prod(math.comb(c, int(x)) for c, x in zip(cols, table[0]))
    hits = 0
    count = 0
    for first in itertools.product(*[range(c + 1) for c in cols[:-1]]):
        last = r1 - sum(first)
        if last < 0 or last > cols[-1]:
            continue
        w = math.prod(math.comb(c, x) for c, x in zip(cols, (*first, last)))
        count += 1
        if w * 10**7 <= w_obs * (10**7 + 1):
            hits += w
    total = math.comb(n, r1)
    return float(Fraction(hits, total)), float(Fraction(w_obs, total)), count


def make_contingency():
    chi = []
    for name, table in [
        ("2x2", [[12, 5], [7, 15]]),
        ("2x2 with a zero cell", [[0, 8], [6, 4]]),
        ("2x2 small", [[1, 2], [3, 4]]),
        ("2x4 present/absent by perspective", [[12, 30, 7, 2], [40, 25, 20, 9]]),
        ("2x4 with a zero cell", [[0, 14, 6, 3], [18, 9, 11, 5]]),
        ("2x4 large counts", [[400, 150, 90, 60], [300, 500, 120, 200]]),
        ("3x3", [[10, 5, 3], [4, 12, 6], [2, 5, 11]]),
        ("3x5", [[3, 8, 2, 9, 1], [6, 2, 7, 3, 5], [1, 4, 4, 2, 8]]),
        ("4x2 independent", [[10, 20], [5, 10], [8, 16], [3, 6]]),
    ]:
        res = st.chi2_contingency(table, correction=False)
        chi.append({
            "name": name,
            "table": table,
            "statistic": f(res.statistic),
            "df": int(res.dof),
            "p": f(res.pvalue),
            "expected": fl(res.expected_freq),
            "adjusted_residuals": fl(adjusted_residuals(table)),
            "cramers_v": f(association(table, method="cramer", correction=False)),
        })

    fisher = []
    for name, table in [
        ("2x2 scipy docs example", [[6, 2], [1, 4]]),
        ("2x2 symmetric with tied probabilities", [[3, 1], [1, 3]]),
        ("2x2 with zeros", [[0, 5], [5, 0]]),
        ("2x2 one empty row", [[0, 0], [4, 3]]),
        ("2x3 tiny", [[2, 0, 1], [0, 3, 1]]),
        ("2x3", [[3, 1, 0], [1, 3, 4]]),
        ("2x4", [[2, 7, 1, 0], [5, 1, 3, 4]]),
        ("2x4 tied probabilities", [[2, 2, 0, 0], [0, 0, 2, 2]]),
        ("2x4 moderate n", [[8, 3, 5, 1], [10, 14, 6, 12]]),
        ("2x4 no association", [[5, 5, 5, 5], [5, 5, 5, 5]]),
        ("2x5 larger", [[10, 12, 8, 15, 9], [20, 5, 14, 7, 11]]),
    ]:
        p, p_obs, count = fisher_2xk_exact(table)
        case = {"name": name, "table": table, "p": p, "p_observed": p_obs, "tables": count}
        if len(table[0]) == 2:
            # Independent check of the enumeration: scipy's own 2×2 test.
            sp = st.fisher_exact(table).pvalue
            assert math.isclose(sp, p, rel_tol=1e-12), (name, sp, p)
            case["scipy_p"] = f(sp)
        elif sum(map(sum, table)) <= 7:
            # Independent check for a larger shape: scipy's permutation test over all n! pairings.
            sp = st.fisher_exact(table, method=st.PermutationMethod(n_resamples=np.inf)).pvalue
            assert math.isclose(sp, p, rel_tol=1e-9), (name, sp, p)
            case["scipy_p"] = f(sp)
        fisher.append(case)
    write("contingency.json", {"chi_square": chi, "fisher": fisher})


# ---------------------------------------------------------------------------------------------
# ranks: Kruskal–Wallis (scipy.stats.kruskal), Mann–Whitney U (scipy.stats.mannwhitneyu,
# asymptotic, continuity-corrected), quantiles (numpy default "linear"), histograms on [0, 1]
# (numpy.histogram with range=(0, 1)).


def make_ranks():
    rng = np.random.default_rng(20261203)
    kw_inputs = [
        ("three groups with ties", [[1, 2, 2, 3, 5], [2, 4, 4, 6], [5, 7, 8, 8, 9]]),
        ("four small groups rounded (many ties)",
         [list(np.round(rng.normal(m, 1, s), 1)) for m, s in [(0, 4), (0.5, 6), (1, 5), (0, 3)]]),
        ("four perspectives, dyad answers, 50 each",
         [list(np.round(rng.beta(a, 2, 50), 2)) for a in (2, 2.5, 3, 2)]),
        ("two groups of one", [[0.2], [0.7]]),
        ("an empty group is left out", [[0.1, 0.4, 0.4], [], [0.5, 0.9, 0.6, 0.6]]),
        ("strong difference", [list(np.round(rng.uniform(0, 0.3, 12), 3)), list(np.round(rng.uniform(0.5, 1, 15), 3))]),
    ]
    kruskal = []
    for name, groups in kw_inputs:
        groups = [[float(x) for x in g] for g in groups]
        used = [g for g in groups if g]
        res = st.kruskal(*used)
        n = sum(map(len, used))
        kruskal.append({
            "name": name, "groups": groups, "h": f(res.statistic), "df": len(used) - 1,
            "p": f(res.pvalue),
            # Tomczak & Tomczak (2014): epsilon^2 = H / ((n^2 - 1) / (n + 1)) = H / (n - 1).
            "epsilon_squared": f(res.statistic / ((n * n - 1) / (n + 1))),
        })

    mw_inputs = [
        ("small with ties", [1, 2, 2, 3, 5, 5], [2, 4, 4, 6, 7]),
        ("first group higher", list(np.round(rng.normal(1, 1, 20), 1)), list(np.round(rng.normal(0, 1, 25), 1))),
        ("first group lower", [0.1, 0.15, 0.2, 0.2, 0.3], [0.2, 0.5, 0.6, 0.9]),
        ("same distribution, large", list(np.round(rng.uniform(0, 1, 120), 2)),
         list(np.round(rng.uniform(0, 1, 90), 2))),
        ("one against one", [0.3], [0.6]),
        ("complete separation", [5, 6, 7, 8], [1, 2, 3]),
    ]
    mann_whitney = []
    for name, x, y in mw_inputs:
        x = [float(v) for v in x]
        y = [float(v) for v in y]
        res = st.mannwhitneyu(x, y, alternative="two-sided", method="asymptotic", use_continuity=True)
        u1 = float(res.statistic)  # scipy's statistic is U of the first sample
        n1, n2 = len(x), len(y)
        mann_whitney.append({
            "name": name, "x": x, "y": y, "u1": u1, "u2": n1 * n2 - u1, "p": f(res.pvalue),
            # Positive when the first group tends higher: P(X > Y) - P(X < Y).
            "rank_biserial": f(2 * u1 / (n1 * n2) - 1),
        })

    quantiles = []
    for values in [
        [0.5], [0.2, 0.8], [3, 1, 2], [0.1, 0.4, 0.4, 0.9], [5, 1, 4, 2, 3, 3, 9, 0.5],
        list(np.round(rng.uniform(0, 1, 37), 3)), [0.7, 0.7, 0.7, 0.7, 0.7],
    ]:
        values = [float(v) for v in values]
        q = np.percentile(values, [0, 25, 50, 75, 100])
        quantiles.append({
            "values": values, "min": f(q[0]), "q1": f(q[1]), "median": f(q[2]), "q3": f(q[3]),
            "max": f(q[4]), "p10": f(np.quantile(values, 0.1)), "p90": f(np.quantile(values, 0.9)),
        })

    histograms = []
    for values, bins in [
        ([0.0, 0.05, 0.1, 0.15, 0.3, 0.5, 0.7, 0.9, 0.95, 1.0], 10),
        ([0.0, 0.2, 0.4, 0.6, 0.8, 1.0], 5),
        ([1 / 3, 2 / 3, 0.5, 0.0, 1.0, 0.999], 3),
        (list(np.round(rng.beta(2, 5, 60), 3)), 7),
        ([0.25, 0.25, 0.75], 4),
        ([0.3, 0.6, 0.7, 0.1 * 3, 0.29999999999999999], 10),
    ]:
        counts, edges = np.histogram(values, bins=bins, range=(0.0, 1.0))
        histograms.append({"values": [float(v) for v in values], "bins": bins,
                           "counts": [int(c) for c in counts], "edges": fl(edges)})
    write("ranks.json", {"kruskal": kruskal, "mann_whitney": mann_whitney,
                         "quantiles": quantiles, "histogram": histograms})


# ---------------------------------------------------------------------------------------------
# composition: scikit-bio closure, multi_replace, clr, ilr / ilr_inv (default Gram–Schmidt
# basis), closed geometric mean (scipy gmean, closed), Aitchison distance (Euclidean on clr).


def make_composition():
    rng = np.random.default_rng(7)
    raw = [
        [1, 1, 1], [2, 3, 5], [0.1, 0.3, 0.6], [0.98, 0.01, 0.01], [5, 0.5, 0.05],
        [0.1, 0.3, 0.4, 0.2], [3, 1, 4, 1, 5],
    ]
    cases = []
    for x in raw:
        x = np.asarray(x, dtype=float)
        y = ilr(closure(x))
        cases.append({
            "parts": fl(x), "closed": fl(closure(x)), "clr": fl(clr(x)), "ilr": fl(y),
            "ilr_inv": fl(ilr_inv(y)),
        })
    coords = [[0.0, 0.0], [1.0, -2.0], [-3.5, 0.25], [0.1, 0.2, 0.3], [2.0]]
    inverse = [{"coords": c, "composition": fl(ilr_inv(np.asarray(c)))} for c in coords]

    zeros = []
    for x, delta in [
        ([0.5, 0.5, 0.0], None), ([1.0, 0.0, 0.0], None), ([0.2, 0.4, 0.4, 0.0], None),
        ([0.0, 0.5, 0.5, 0.0], None), ([3, 0, 1], 0.01), ([1, 0, 0], 0.005), ([0.2, 0.3, 0.5], None),
    ]:
        out = multi_replace(np.asarray([x], dtype=float), delta=delta)
        zeros.append({"parts": [float(v) for v in x], "delta": delta, "replaced": fl(np.ravel(out))})

    sets = []
    for size, d in [(6, 3), (12, 3), (8, 4)]:
        comps = np.round(rng.dirichlet(np.ones(d) * 2, size=size), 4)
        centre = closure(st.gmean(comps, axis=0))
        c = clr(comps)
        dist = squareform(pdist(c))
        # Aitchison distance equals the Euclidean distance of ilr coordinates (ilr is an isometry).
        assert np.allclose(dist, squareform(pdist(ilr(comps))), rtol=1e-12, atol=1e-12)
        sets.append({"compositions": fl(comps), "centre": fl(centre), "distances": fl(dist)})
    write("composition.json", {"transforms": cases, "ilr_inv": inverse, "zeros": zeros, "sets": sets})


# ---------------------------------------------------------------------------------------------
# hotelling: one-sample confidence region of the mean of ilr coordinates and two-sample
# Hotelling T², written plainly from the textbook formulas (Johnson & Wichern, Applied
# Multivariate Statistical Analysis, 6th ed., sections 5.4 and 6.3); scipy has neither.


def region(points, confidence, vertices):
    x = np.asarray(points, dtype=float)
    n, p = x.shape
    mean = x.mean(axis=0)
    cov = np.cov(x, rowvar=False)
    # n (xbar - mu)' S^-1 (xbar - mu) <= p (n - 1) / (n - p) F_{p, n-p}(confidence)
    crit = p * (n - 1) / (n - p) * st.f.ppf(confidence, p, n - p)
    chol = np.linalg.cholesky(cov)  # lower triangular, cov = L L'
    theta = 2 * np.pi * np.arange(vertices) / vertices
    circle = np.stack([np.cos(theta), np.sin(theta)])
    poly = (mean[:, None] + np.sqrt(crit / n) * chol @ circle).T
    return mean, cov, crit, poly


def two_sample(a, b):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    (n1, p), n2 = a.shape, b.shape[0]
    d = a.mean(axis=0) - b.mean(axis=0)
    pooled = ((n1 - 1) * np.cov(a, rowvar=False) + (n2 - 1) * np.cov(b, rowvar=False)) / (n1 + n2 - 2)
    t2 = n1 * n2 / (n1 + n2) * d @ np.linalg.solve(np.atleast_2d(pooled), d)
    df2 = n1 + n2 - p - 1
    fstat = df2 / (p * (n1 + n2 - 2)) * t2
    return {"t2": f(t2), "f": f(fstat), "df1": p, "df2": df2, "p": f(st.f.sf(fstat, p, df2)),
            "mean_difference": fl(d)}


def make_hotelling():
    rng = np.random.default_rng(11)
    regions = []
    for name, size, alpha, conf, vertices in [
        ("25 youth triads", 25, [4, 2, 1], 0.95, 12),
        ("8 parent triads, 90%", 8, [1, 1, 1], 0.90, 12),
        ("4 triads (n just above p)", 4, [2, 3, 2], 0.95, 8),
        ("60 triads", 60, [1, 5, 2], 0.95, 12),
    ]:
        # Rounded like stored answers; they need not sum to exactly 1 (clr ignores the scale).
        comps = np.round(rng.dirichlet(alpha, size=size), 3) + 0.001
        coords = ilr(comps)
        mean, cov, crit, poly = region(coords, conf, vertices)
        regions.append({
            "name": name, "compositions": fl(comps), "confidence": conf, "vertices": vertices,
            "mean": fl(mean), "covariance": fl(cov), "critical": f(crit),
            "polygon_ilr": fl(poly), "polygon": fl(ilr_inv(poly)),
            "centre": fl(ilr_inv(mean)),
        })

    tests = []
    for name, a, b in [
        ("two perspectives that differ", ilr(rng.dirichlet([4, 2, 1], 30)), ilr(rng.dirichlet([1, 2, 4], 20))),
        ("same distribution", ilr(rng.dirichlet([2, 2, 2], 40)), ilr(rng.dirichlet([2, 2, 2], 35))),
        ("smallest usable (2 and 2 points, p = 2)", ilr(rng.dirichlet([2, 2, 2], 2)), ilr(rng.dirichlet([2, 2, 2], 2))),
        ("four-part compositions (p = 3)", ilr(rng.dirichlet([3, 1, 2, 2], 15)), ilr(rng.dirichlet([2, 2, 2, 1], 12))),
        ("one dimension (dyad-like, p = 1)", rng.normal(0, 1, (10, 1)), rng.normal(0.8, 1, (9, 1))),
    ]:
        a, b = np.round(a, 4), np.round(b, 4)
        tests.append({"name": name, "a": fl(a), "b": fl(b), **two_sample(a, b)})
    write("hotelling.json", {"regions": regions, "two_sample": tests})


# ---------------------------------------------------------------------------------------------
# permanova: scikit-bio permanova on Euclidean distances of ilr coordinates (= Aitchison
# distances). The pseudo-F must match exactly; the p-value is random, so the fixture also has,
# for small cases, the exact permutation p over every distinct relabelling.


def pseudo_f_and_r2(dist, labels):
    d2 = np.asarray(dist) ** 2
    labels = np.asarray(labels)
    n = len(labels)
    groups = sorted(set(labels.tolist()))
    ss_total = d2[np.triu_indices(n, 1)].sum() / n
    ss_within = 0.0
    for g in groups:
        idx = np.flatnonzero(labels == g)
        sub = d2[np.ix_(idx, idx)]
        ss_within += sub[np.triu_indices(len(idx), 1)].sum() / len(idx)
    ss_between = ss_total - ss_within
    k = len(groups)
    return (ss_between / (k - 1)) / (ss_within / (n - k)), ss_between / ss_total


def exact_permutation_p(dist, labels):
    f_obs, _ = pseudo_f_and_r2(dist, labels)
    arrangements = set(itertools.permutations(labels))
    hits = sum(1 for perm in arrangements if pseudo_f_and_r2(dist, perm)[0] >= f_obs * (1 - 1e-9))
    return hits / len(arrangements), len(arrangements)


def make_permanova():
    rng = np.random.default_rng(5)
    cases = []
    specs = [
        ("clear difference, 3 perspectives", [(20, [6, 2, 1]), (20, [1, 6, 2]), (20, [2, 1, 6])], False),
        ("no difference, 2 perspectives", [(25, [2, 2, 2]), (30, [2, 2, 2])], False),
        ("moderate difference", [(15, [3, 2, 2]), (15, [2, 2.6, 2])], False),
        ("tiny, 4 and 4 (exact p)", [(4, [5, 1, 1]), (4, [1, 1, 5])], True),
        ("tiny, 3 groups of 3 (exact p)", [(3, [3, 2, 1]), (3, [1, 2, 3]), (3, [2, 3, 1])], True),
        ("four-part compositions", [(12, [2, 2, 2, 2]), (10, [3, 2, 2, 1])], False),
    ]
    names = ["youth", "parent", "professional", "other"]
    for name, groups, exact in specs:
        comps = np.vstack([rng.dirichlet(a, size=s) for s, a in groups])
        labels = [names[i] for i, (s, _) in enumerate(groups) for _ in range(s)]
        coords = np.round(ilr(comps), 4)
        dist = squareform(pdist(coords))
        res = permanova(skbio.DistanceMatrix(dist), labels, permutations=999, seed=42)
        fstat, r2 = pseudo_f_and_r2(dist, labels)
        assert math.isclose(fstat, res["test statistic"], rel_tol=1e-12)
        case = {"name": name, "points": fl(coords), "labels": labels,
                "pseudo_f": f(res["test statistic"]), "r_squared": f(r2),
                "skbio_p_999": f(res["p-value"])}
        if exact:
            case["exact_p"], case["arrangements"] = exact_permutation_p(dist, labels)
        cases.append(case)
    write("permanova.json", {"cases": cases})


# ---------------------------------------------------------------------------------------------
# multiple: Benjamini–Hochberg, scipy.stats.false_discovery_control(method="bh") on the
# p-values that are present; absent ones (null) stay absent.


def make_multiple():
    rng = np.random.default_rng(3)
    cases = []
    for ps in [
        [0.01, 0.04, 0.03, 0.2, 0.5],
        [0.001, None, 0.02, 0.02, None, 0.8, 0.049],
        [0.0, 1.0, 0.5],
        [0.3],
        [None, None],
        [],
        [float(x) for x in np.round(rng.uniform(0, 0.2, 20), 4)],
        [0.05, 0.05, 0.05, 0.05],
    ]:
        present = [p for p in ps if p is not None]
        q = iter(st.false_discovery_control(present, method="bh")) if present else iter([])
        cases.append({"p": ps, "q": [None if p is None else f(next(q)) for p in ps]})
    write("multiple.json", {"bh": cases})


# ---------------------------------------------------------------------------------------------
# words: Monroe, Colaresi & Quinn (2008), "Fightin' Words", Political Analysis 16(4), section
# 3.5.1 (p. 388): the log-odds-ratio with an informative Dirichlet prior. An independent numpy
# implementation of the paper's formulas (there is no library function to compare against):
#   delta_w = log[(y_w^i + a_w) / (n^i + a_0 - y_w^i - a_w)] - log[(y_w^j + a_w) / (n^j + a_0 - y_w^j - a_w)]
#   var(delta_w) ~= 1 / (y_w^i + a_w) + 1 / (y_w^j + a_w)
#   z_w = delta_w / sqrt(var(delta_w))
# with a_0 = sum_w a_w, and the prior a_w = prior_size * (corpus count of w) / (corpus size).


def fightin_words(group, rest, prior):
    yi, yj, a = (np.asarray(v, dtype=float) for v in (group, rest, prior))
    ni, nj, a0 = yi.sum(), yj.sum(), a.sum()
    delta = np.log((yi + a) / (ni + a0 - yi - a)) - np.log((yj + a) / (nj + a0 - yj - a))
    var = 1 / (yi + a) + 1 / (yj + a)
    return delta, var, delta / np.sqrt(var)


def make_words():
    rng = np.random.default_rng(8)
    cases = []
    vocab = 15
    base = rng.dirichlet(np.ones(vocab) * 0.7)
    for name, ni, nj, prior_size, tilt in [
        ("youth against the rest, prior of 100 tokens", 300, 900, 100.0, True),
        ("parents against the rest, prior the size of the corpus", 150, 1050, None, True),
        ("no real difference, prior of 10 tokens", 500, 700, 10.0, False),
    ]:
        p_i = base.copy()
        if tilt:
            p_i[:3] *= 4
            p_i[-2:] *= 0.1
            p_i /= p_i.sum()
        group = rng.multinomial(ni, p_i)
        rest = rng.multinomial(nj, base)
        corpus = group + rest
        if (corpus == 0).any():
            corpus = corpus + (corpus == 0)  # every word is in the corpus by construction
            rest = corpus - group
        size = float(corpus.sum()) if prior_size is None else prior_size
        prior = size * corpus / corpus.sum()
        delta, var, z = fightin_words(group, rest, prior)
        cases.append({"name": name, "group": group.tolist(), "rest": rest.tolist(),
                      "corpus": corpus.tolist(), "prior_size": size, "prior": fl(prior),
                      "delta": fl(delta), "variance": fl(var), "z": fl(z)})
    write("words.json", {"cases": cases})


# ---------------------------------------------------------------------------------------------
# map: the test a perspective map runs per theme, end to end. Each map is groups of stories and
# per theme how many stories of each group have it; the 2 x k table present/absent x group is
# tested by chi-square, or by Fisher's exact test (Freeman-Halton for k > 2) when Cochran's rule
# says the expected counts are too small (any below 1, or more than 20% below 5), as the map
# does; q-values are Benjamini-Hochberg over every test of the map.


def cochran_too_small(expected):
    e = np.asarray(expected).ravel()
    return bool((e < 1).any() or 5 * (e < 5).sum() > e.size)


def make_map():
    maps = []
    for name, sizes, themes in [
        ("three groups, small and large themes", [20, 22, 25],
         [("A", [1, 6, 0]), ("B", [3, 1, 2]), ("C", [10, 15, 4]), ("D", [0, 0, 4])]),
        ("two groups, one small theme", [20, 21], [("E", [1, 6])]),
    ]:
        cases = []
        for label, present in themes:
            table = [present, [n - x for n, x in zip(sizes, present)]]
            chi = st.chi2_contingency(table, correction=False)
            v = association(table, method="cramer", correction=False)
            if cochran_too_small(chi.expected_freq):
                p, _, count = fisher_2xk_exact(table)
                if len(present) == 2:
                    sp = st.fisher_exact(table).pvalue
                    assert math.isclose(sp, p, rel_tol=1e-12), (label, sp, p)
                method = "fisher_exact"
            else:
                p, count = float(chi.pvalue), None
                method = "chi_square"
            cases.append({"theme": label, "present": present, "method": method,
                          "statistic": f(chi.statistic), "p": f(p), "cramers_v": f(v)})
        q = st.false_discovery_control([c["p"] for c in cases], method="bh")
        for c, qi in zip(cases, q):
            c["q"] = f(qi)
        maps.append({"name": name, "sizes": sizes, "themes": cases})
    write("map.json", {"maps": maps})


if __name__ == "__main__":
    make_interval()
    make_contingency()
    make_ranks()
    make_composition()
    make_hotelling()
    make_permanova()
    make_multiple()
    make_words()
    make_map()
