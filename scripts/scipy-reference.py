#!/usr/bin/python3
"""Writes test/fixtures/scipy/reference.json: the numbers lib/stats must reproduce.

Run with Debian's python3-scipy (/usr/bin/python3 scripts/scipy-reference.py). Only the JSON is
committed; the test run never needs SciPy. Every dataset is defined here (the large ones come from a
seeded numpy RNG) and stored in the JSON next to the values computed from it.

Encoding: NaN -> null, +inf -> "Infinity", -inf -> "-Infinity" (JSON has neither).
"""
import json
import math
import os
import sys

import numpy as np
import scipy
from scipy import stats

ALTERNATIVES = ["two-sided", "less", "greater"]
PERCENTILES = [0, 1, 5, 10, 25, 33.3, 50, 75, 90, 95, 99, 99.9, 100]
CONFIDENCES = [0.9, 0.95, 0.99]
TRIMS = [0, 0.1, 0.2, 0.25]


def num(x):
    x = float(x)
    if math.isnan(x):
        return None
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def rng_sample(seed, n, kind):
    rng = np.random.default_rng(seed)
    if kind == "lognormal":
        return [round(float(v), 4) for v in rng.lognormal(mean=2.5, sigma=0.35, size=n)]
    return [round(float(v), 4) for v in rng.normal(loc=100.0, scale=15.0, size=n)]


# Independent pairs: (name, a, b). Sizes chosen to hit both Mann-Whitney methods of method='auto'.
PAIRS = [
    ("small_no_ties", [12.1, 14.3, 11.8, 15.2, 13.9, 12.7], [15.8, 16.4, 14.9, 17.2, 16.1]),
    ("ties", [1, 2, 2, 3, 3, 3, 4, 5], [3, 4, 4, 5, 5, 6, 7, 7, 8]),
    (
        "unequal_variance",
        [100.2, 98.7, 101.5, 99.9, 100.8, 97.6, 102.3, 99.1, 100.4, 101.0, 98.9, 100.0],
        [88.0, 120.5, 95.3, 131.2, 104.8, 77.9, 112.6, 99.4, 140.1, 92.7, 118.3, 84.6, 126.9, 101.7, 109.2],
    ),
    ("tiny_2_vs_3", [3.0, 7.0], [2.0, 9.0, 4.5]),
    ("exact_5_vs_30", [21.5, 19.25, 23.0, 18.75, 22.125],
     [round(10 + 0.37 * i + (i % 7) * 0.9, 4) for i in range(30)]),
    ("shifted_8_vs_8", [5.1, 6.3, 4.8, 7.2, 5.9, 6.6, 5.4, 6.0], [7.7, 8.1, 6.9, 9.4, 8.8, 7.3, 8.5, 9.0]),
    ("large_200", rng_sample(12345, 200, "lognormal"), rng_sample(54321, 200, "lognormal")),
    ("large_unbalanced", rng_sample(7, 60, "normal"), rng_sample(8, 140, "normal")),
]

# Paired samples: (name, before, after).
PAIRED = [
    ("paired_10", [12.4, 15.1, 11.8, 14.6, 13.3, 16.0, 12.9, 14.1, 15.5, 13.7],
     [11.9, 14.2, 11.9, 13.5, 12.8, 15.1, 12.0, 13.8, 14.6, 13.0]),
    ("paired_3", [1.0, 2.0, 4.0], [1.5, 2.5, 3.0]),
    ("paired_200", rng_sample(99, 200, "normal"), rng_sample(100, 200, "normal")),
]

# Single samples for summary() and percentile().
SAMPLES = [
    ("n1", [5.0]),
    ("n2", [3.0, 7.0]),
    ("n3", [2.0, 9.0, 4.0]),
    ("n6", [4.0, 1.0, 3.0, 6.0, 5.0, 2.0]),
    ("constant", [2.5, 2.5, 2.5, 2.5]),
    ("with_ties", [1, 2, 2, 3, 3, 3, 4, 5, 8, 13, 21]),
    ("runtime_25", [round(10 + ((i * 37) % 23) * 0.41 + (i % 4) * 1.3, 3) for i in range(25)]),
    ("large_200", rng_sample(12345, 200, "lognormal")),
    ("large_1001", rng_sample(2024, 1001, "normal")),
]


def ttest_ci(diff, se, df, confidence, alternative):
    if alternative == "two-sided":
        q = stats.t.ppf(0.5 + confidence / 2, df)
        return [diff - q * se, diff + q * se]
    q = stats.t.ppf(confidence, df)
    return [-math.inf, diff + q * se] if alternative == "less" else [diff - q * se, math.inf]


def independent_cases(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    na, nb = len(a), len(b)
    va, vb = a.var(ddof=1), b.var(ddof=1)
    diff = a.mean() - b.mean()
    pooled = ((na - 1) * va + (nb - 1) * vb) / (na + nb - 2)
    cohens_d = diff / math.sqrt(pooled)
    out = []
    for equal_var in (False, True):
        if equal_var:
            df = na + nb - 2
            se = math.sqrt(pooled * (1 / na + 1 / nb))
        else:
            se2 = va / na + vb / nb
            df = se2 ** 2 / ((va / na) ** 2 / (na - 1) + (vb / nb) ** 2 / (nb - 1))
            se = math.sqrt(se2)
        for alternative in ALTERNATIVES:
            r = stats.ttest_ind(a, b, equal_var=equal_var, alternative=alternative)
            for confidence in (0.95, 0.99):
                out.append({
                    "equalVariance": equal_var, "alternative": alternative, "confidence": confidence,
                    "t": num(r.statistic), "p": num(r.pvalue), "df": num(df), "meanDiff": num(diff),
                    "ci": [num(v) for v in ttest_ci(diff, se, df, confidence, alternative)],
                    "cohensD": num(cohens_d),
                })
    return out


def paired_cases(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    d = a - b
    n = len(d)
    se = d.std(ddof=1) / math.sqrt(n)
    out = []
    for alternative in ALTERNATIVES:
        r = stats.ttest_rel(a, b, alternative=alternative)
        for confidence in (0.95, 0.99):
            out.append({
                "alternative": alternative, "confidence": confidence,
                "t": num(r.statistic), "p": num(r.pvalue), "df": n - 1, "meanDiff": num(d.mean()),
                "ci": [num(v) for v in ttest_ci(d.mean(), se, n - 1, confidence, alternative)],
                "cohensD": num(d.mean() / d.std(ddof=1)),
            })
    return out


def mann_whitney_cases(a, b):
    a_arr, b_arr = np.asarray(a, float), np.asarray(b, float)
    has_ties = len(np.unique(np.concatenate([a_arr, b_arr]))) != len(a) + len(b)
    # the method SciPy's 'auto' picks (1.10: asymptotic if both n > 8 or any tie, else exact)
    auto = "asymptotic" if (len(a) > 8 and len(b) > 8) or has_ties else "exact"
    cliffs = float(np.mean(np.sign(a_arr[:, None] - b_arr[None, :])))
    out = []
    # SciPy's exact recursion keeps an (m+1)(n+1)(mn+1) table: only force it on moderate sizes
    methods = ["auto", "asymptotic"] + ([] if has_ties or len(a) * len(b) > 1000 else ["exact"])
    for method in methods:
        for alternative in ALTERNATIVES:
            r = stats.mannwhitneyu(a_arr, b_arr, alternative=alternative, method=method)
            out.append({
                "method": method, "resolvedMethod": auto if method == "auto" else method,
                "alternative": alternative, "U": num(r.statistic), "p": num(r.pvalue),
                "cliffsDelta": cliffs,
            })
    return out


def median_ci(sorted_xs, confidence):
    """Largest j with P(j <= B <= n-j) >= confidence, B ~ Binomial(n, 1/2): [x_(j), x_(n+1-j)]."""
    n = len(sorted_xs)
    best = None
    for j in range(1, n // 2 + 1):
        coverage = 1 - 2 * stats.binom.cdf(j - 1, n, 0.5)
        if coverage >= confidence:
            best = (j, coverage)
        else:
            break
    if best is None:
        return None
    j, coverage = best
    return {"ranks": [j, n + 1 - j], "coverage": num(coverage),
            "interval": [num(sorted_xs[j - 1]), num(sorted_xs[n - j])]}


def summary_case(xs):
    x = np.asarray(xs, float)
    n = len(x)
    s = np.sort(x)
    out = {
        "n": n, "mean": num(x.mean()), "min": num(x.min()), "max": num(x.max()),
        "sd": num(x.std(ddof=1)) if n > 1 else None,
        "percentiles": [{"p": p, "value": num(np.percentile(x, p))} for p in PERCENTILES],
        "trimmedMeans": [{"trim": t, "value": num(stats.trim_mean(x, t))} for t in TRIMS],
        "ciMean": [], "ciMedian": [],
    }
    for c in CONFIDENCES:
        if n > 1 and x.std(ddof=1) > 0:
            lo, hi = stats.t.interval(c, n - 1, loc=x.mean(), scale=stats.sem(x))
            out["ciMean"].append({"confidence": c, "interval": [num(lo), num(hi)]})
        out["ciMedian"].append({"confidence": c, "result": median_ci(s, c)})
    return out


def distribution_cases():
    """Raw distribution values the special functions must reproduce (tails included)."""
    t_cdf = [{"x": x, "df": df, "value": num(stats.t.cdf(x, df))}
             for x in (-40, -8.5, -3.1, -1.0, -0.01, 0.0, 0.7, 2.2, 12.0)
             for df in (1, 2.5, 6.792626, 30, 457.3)]
    t_ppf = [{"q": q, "df": df, "value": num(stats.t.ppf(q, df))}
             for q in (0.0005, 0.025, 0.05, 0.3, 0.5, 0.9, 0.95, 0.975, 0.995, 0.9995)
             for df in (1, 2, 3.7, 10, 120, 5000)]
    norm_sf = [{"z": z, "value": num(stats.norm.sf(z))} for z in (-6, -1.5, 0, 0.3, 1.96, 4, 8.5, 20)]
    binom_cdf = [{"k": k, "n": n, "value": num(stats.binom.cdf(k, n, 0.5))}
                 for n, ks in ((6, (0, 1, 2, 3)), (25, (0, 7, 12)), (200, (85, 99, 100)),
                               (100001, (49689, 50000)))
                 for k in ks]
    return {"studentTCdf": t_cdf, "studentTQuantile": t_ppf, "normalSf": norm_sf, "binomialHalfCdf": binom_cdf}


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = {
        "generatedBy": "scripts/scipy-reference.py",
        "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__},
        "independent": [{"name": n, "a": a, "b": b, "tTest": independent_cases(a, b),
                         "mannWhitney": mann_whitney_cases(a, b)} for n, a, b in PAIRS],
        "paired": [{"name": n, "a": a, "b": b, "tTest": paired_cases(a, b)} for n, a, b in PAIRED],
        "summaries": [{"name": n, "xs": xs, **summary_case(xs)} for n, xs in SAMPLES],
        "distributions": distribution_cases(),
    }
    path = os.path.join(root, "test", "fixtures", "scipy", "reference.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(out, f, indent=1, allow_nan=False)
        f.write("\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
