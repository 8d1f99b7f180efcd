"""Each kind's results against answers computed here, independently, from the documented formulas
(Clopper-Pearson from beta quantiles, Wilson's closed form, Pearson's chi-square, the pooled z-test,
Newcombe's hybrid score interval, Fisher's and McNemar's exact tests by counting, Cohen's h power formula,
the Poisson conditional test) and from published values; then every edge case says a sentence."""

from __future__ import annotations

import math

import pytest
from scipy.stats import beta, norm

from workbench.services.diagnostics import kinds
from workbench.services.diagnostics.kinds import InputError

Z = norm.ppf(0.975)


def close(a: float, b: float, tol: float = 5e-6) -> bool:  # results keep six significant digits
    return abs(a - b) <= tol * max(1.0, abs(b))


def wilson(k: int, n: int, z: float = Z) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def clopper_pearson(k: int, n: int, alpha: float = 0.05) -> tuple[float, float]:
    low = 0.0 if k == 0 else beta.ppf(alpha / 2, k, n - k + 1)
    high = 1.0 if k == n else beta.ppf(1 - alpha / 2, k + 1, n - k)
    return low, high


def binom_pmf(k: int, n: int, p: float) -> float:
    return math.comb(n, k) * p**k * (1 - p) ** (n - k)


def binom_two_sided(k: int, n: int, p: float) -> float:
    """The 'minlike' two-sided binomial p-value: every outcome no more likely than the one seen."""
    seen = binom_pmf(k, n, p)
    return min(1.0, sum(binom_pmf(i, n, p) for i in range(n + 1) if binom_pmf(i, n, p) <= seen * (1 + 1e-7)))


# ------------------------------------------------------------------------------------ reproduction
@pytest.mark.parametrize("k,n", [(3, 20), (0, 20), (20, 20), (1, 1), (7, 50), (1, 1000)])
def test_reproduction_exact_matches_clopper_pearson_beta_quantiles(k, n):
    r = kinds.reproduction(k, n, "exact").result
    low, high = clopper_pearson(k, n)
    assert close(r["low"], low) and close(r["high"], high) and r["rate"] == round(k / n, 6)


def test_reproduction_published_value_3_of_20():
    r = kinds.reproduction(3, 20).result
    assert (round(r["low"], 4), round(r["high"], 4)) == (0.0321, 0.3789)  # the issue's own known answer
    assert "3 of 20 runs (15%, 95% CI 3.2–38%" in kinds.reproduction(3, 20).sentence


@pytest.mark.parametrize("k,n", [(3, 20), (0, 10), (10, 10), (45, 100)])
def test_reproduction_wilson_matches_the_closed_form(k, n):
    r = kinds.reproduction(k, n, "wilson").result
    low, high = wilson(k, n)
    assert close(r["low"], max(low, 0.0)) and close(r["high"], min(high, 1.0))


def test_reproduction_confidence_level_is_used():
    r = kinds.reproduction(3, 20, "exact", 0.9).result
    low, high = clopper_pearson(3, 20, 0.10)
    assert close(r["low"], low) and close(r["high"], high)


# -------------------------------------------------------------------------------------------- SRM
@pytest.mark.parametrize(
    "counts,weights",
    [([5012, 4988], None), ([5500, 4500], None), ([0, 100], None), ([510, 290, 200], [5, 3, 2]), ([821, 1179], [1, 1])],
)
def test_srm_matches_pearson_chi_square(counts, weights):
    weights = weights or [1] * len(counts)
    total = sum(counts)
    expected = [total * w / sum(weights) for w in weights]
    stat = sum((o - e) ** 2 / e for o, e in zip(counts, expected, strict=True))
    r = kinds.srm(counts, weights).result
    assert close(r["chi2"], stat)
    if len(counts) == 2:  # one degree of freedom: p = erfc(sqrt(stat / 2))
        assert close(r["p"], math.erfc(math.sqrt(stat / 2)), 1e-5) or r["p"] < 1e-20
    assert r["flagged"] is (r["p"] < 0.001)


def test_srm_wording_comes_from_the_literature():
    flagged = kinds.srm([5500, 4500])
    assert "not trustworthy until the cause is found" in flagged.sentence and "[ASSUMPTION]" in flagged.sentence
    assert kinds.srm([5012, 4988]).sentence.startswith("No sample ratio mismatch")


# ------------------------------------------------------------------------------------- eval delta
def newcombe(k_b: int, n_b: int, k_a: int, n_a: int) -> tuple[float, float]:
    p_b, p_a = k_b / n_b, k_a / n_a
    l_b, u_b = wilson(k_b, n_b)
    l_a, u_a = wilson(k_a, n_a)
    d = p_b - p_a
    return d - math.sqrt((p_b - l_b) ** 2 + (u_a - p_a) ** 2), d + math.sqrt((u_b - p_b) ** 2 + (p_a - l_a) ** 2)


@pytest.mark.parametrize("k_a,n_a,k_b,n_b", [(800, 1000, 760, 1000), (80, 100, 72, 100), (45, 60, 50, 70)])
def test_eval_delta_counts_z_test_and_newcombe_interval(k_a, n_a, k_b, n_b):
    r = kinds.eval_delta_counts(k_a, n_a, k_b, n_b).result
    pooled = (k_a + k_b) / (n_a + n_b)
    z = (k_b / n_b - k_a / n_a) / math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    assert r["method"] == "two-proportion z-test"
    assert close(r["p"], math.erfc(abs(z) / math.sqrt(2)), 1e-5)
    low, high = newcombe(k_b, n_b, k_a, n_a)
    assert close(r["low"], low, 1e-5) and close(r["high"], high, 1e-5)
    assert r["significant"] is (r["p"] < 0.05)


def fisher_two_sided(a: int, b: int, c: int, d: int) -> float:
    row1, col1, n = a + b, a + c, a + b + c + d

    def p(x: int) -> float:
        return math.comb(col1, x) * math.comb(n - col1, row1 - x) / math.comb(n, row1)

    seen = p(a)
    lo, hi = max(0, row1 + col1 - n), min(row1, col1)
    return min(1.0, sum(p(x) for x in range(lo, hi + 1) if p(x) <= seen * (1 + 1e-7)))


@pytest.mark.parametrize("k_a,n_a,k_b,n_b", [(9, 10, 3, 10), (1, 12, 6, 12), (0, 10, 0, 10), (10, 10, 10, 10)])
def test_eval_delta_small_counts_use_fisher_exact(k_a, n_a, k_b, n_b):
    r = kinds.eval_delta_counts(k_a, n_a, k_b, n_b).result
    assert r["method"] == "Fisher's exact test"
    assert close(r["p"], fisher_two_sided(k_a, n_a - k_a, k_b, n_b - k_b), 1e-5)


def test_eval_delta_mde_follows_cohens_h_power_formula():
    r = kinds.eval_delta_counts(800, 1000, 760, 1000).result
    h = (norm.ppf(0.975) + norm.ppf(0.8)) * math.sqrt(2 / 1000)  # two equal arms; the far tail is negligible
    up = math.sin(math.asin(math.sqrt(0.8)) + h / 2) ** 2 - 0.8
    down = 0.8 - math.sin(math.asin(math.sqrt(0.8)) - h / 2) ** 2
    assert close(r["mde"], max(up, down), 1e-4)


def test_eval_delta_warns_when_n_cannot_see_the_claimed_delta():
    c = kinds.eval_delta_counts(80, 100, 76, 100, claimed=4)
    assert c.result["claimed"] == 0.04 and any("too small to see the claimed 4.0-point" in w for w in c.warnings)
    assert "Warning: n is too small" in c.sentence
    assert not kinds.eval_delta_counts(8000, 10000, 7600, 10000, claimed=0.04).warnings


@pytest.mark.parametrize("only_a,only_b", [(2, 0), (9, 2), (20, 12), (30, 10)])
def test_paired_mcnemar_matches_counting(only_a, only_b):
    both, neither = 40, 10
    a = [True] * both + [True] * only_a + [False] * only_b + [False] * neither
    b = [True] * both + [False] * only_a + [True] * only_b + [False] * neither
    r = kinds.eval_delta_paired(a, b).result
    discordant = only_a + only_b
    if discordant < 25:  # exact: the binomial test of the discordant pairs at 1/2
        expected = min(1.0, 2 * sum(binom_pmf(i, discordant, 0.5) for i in range(min(only_a, only_b) + 1)))
    else:  # chi-square with continuity correction, one degree of freedom
        stat = (abs(only_a - only_b) - 1) ** 2 / discordant
        expected = math.erfc(math.sqrt(stat / 2))
    assert close(r["p"], expected, 1e-6) and r["paired"] is True
    assert r["only_a"] == only_a and r["only_b"] == only_b


def test_bootstrap_scores_are_repeatable_and_cover_the_difference():
    a = [0.61, 0.72, 0.55, 0.68, 0.7, 0.64, 0.59, 0.73, 0.66, 0.62]
    b = [x - 0.05 + (0.01 if i % 2 else -0.01) for i, x in enumerate(a)]
    first, second = kinds.eval_delta_scores(a, b, True), kinds.eval_delta_scores(a, b, True)
    assert first.result == second.result  # a fixed seed: a re-run gives the same interval
    r = first.result
    assert r["low"] < r["delta"] < r["high"] < 0 and r["significant"] is True
    assert close(r["delta"], sum(b) / 10 - sum(a) / 10)


# ------------------------------------------------------------------------------------ rate change
@pytest.mark.parametrize("before,e_b,after,e_a", [(10, 2, 30, 2), (12, 24, 9, 6), (3, 1, 4, 1)])
def test_rate_change_conditional_test_and_score_interval(before, e_b, after, e_a):
    r = kinds.rate_change(before, e_b, after, e_a).result
    share = e_a / (e_a + e_b)  # under equal rates, an event falls after with this probability
    assert close(r["p"], binom_two_sided(after, after + before, share), 1e-5)
    assert close(r["ratio"], (after / e_a) / (before / e_b))
    # The score interval's ends are where the score statistic (statsmodels' documented formula) is ±z.
    for bound, sign in ((r["low"], 1), (r["high"], -1)):
        r_d = bound * e_a / e_b
        stat = (after - before * r_d) / math.sqrt((after + before) * r_d)
        assert abs(stat - sign * Z) < 1e-3


# ----------------------------------------------------------------------------------------- impact
def test_impact_arithmetic():
    assert kinds.impact("requests", rate=0.16, traffic_per_hour=12_000, window_hours=3).result["value"] == 5760
    r = kinds.impact(
        "requests", rate=0.15, rate_low=0.032, rate_high=0.379, traffic_per_hour=1000, window_hours=2
    ).result
    assert (r["value"], r["low"], r["high"]) == (300, 64, 758)
    assert kinds.impact("compute", gpu_hours=128, price_per_gpu_hour=2.5).result["value"] == 320
    assert kinds.impact("tokens", tokens=3_000_000, price_per_million=15).result["value"] == 45
    with pytest.raises(InputError, match="rate: a fraction"):
        kinds.impact("requests", rate=16, traffic_per_hour=1, window_hours=1)


# ------------------------------------------------------------------------------------- edge cases
EDGES = [
    (lambda: kinds.reproduction(0, 0), "n = 0", {"k": 0, "n": 0}),
    (lambda: kinds.reproduction(0, 20), "Not seen in 20 runs", {"low": 0.0}),
    (lambda: kinds.reproduction(20, 20), "Seen every time", {"high": 1.0}),
    (lambda: kinds.reproduction(1, 1), "a single run proves nothing about rates", {"n": 1}),
    (lambda: kinds.srm([0, 0]), "No exposures", {"total": 0}),
    (lambda: kinds.srm([0, 500]), "Arm A received no exposures at all", {"flagged": True}),
    (lambda: kinds.eval_delta_counts(5, 10, 0, 0), "Run B has no items", {"significant": False}),
    (lambda: kinds.eval_delta_counts(0, 0, 0, 0), "Run A has no items", {"significant": False}),
    (lambda: kinds.eval_delta_counts(70, 100, 70, 100), "identical results", {"p": 1.0, "delta": 0.0}),
    (lambda: kinds.eval_delta_counts(0, 10, 0, 10), "identical results", {"p": 1.0}),
    (lambda: kinds.eval_delta_counts(10, 10, 10, 10), "identical results", {"p": 1.0}),
    (lambda: kinds.eval_delta_paired([True, False] * 5, [True, False] * 5), "identical results", {"p": 1.0}),
    (lambda: kinds.eval_delta_paired([], []), "No items in common", {"n": 0}),
    (lambda: kinds.eval_delta_scores([0.5] * 4, [0.5] * 4, True), "identical scores", {"significant": False}),
    (lambda: kinds.eval_delta_scores([], [0.5], False), "Run A has no scores", {"significant": False}),
    (lambda: kinds.rate_change(0, 1, 0, 1), "No events before or after", {"significant": False}),
    (lambda: kinds.rate_change(0, 2, 5, 2), "the ratio is unbounded", {"rate_before": 0.0}),
    (lambda: kinds.rate_change(5, 2, 0, 2), "rate ratio 0×", {"ratio": 0.0, "low": 0.0}),
]


@pytest.mark.parametrize("make,phrase,expected", EDGES)
def test_edge_cases_say_a_sentence_never_nan(make, phrase, expected):
    computed = make()
    assert phrase in computed.sentence
    for key, value in expected.items():
        assert computed.result[key] == value
    lowered = computed.sentence.lower()
    assert "nan" not in lowered.replace("nance", "") and "inf" not in lowered
    for value in computed.result.values():
        assert not (isinstance(value, float) and not math.isfinite(value))


@pytest.mark.parametrize(
    "make,field",
    [
        (lambda: kinds.reproduction(5, 3), "k"),
        (lambda: kinds.reproduction(-1, 3), "k"),
        (lambda: kinds.reproduction(1.5, 3), "k"),
        (lambda: kinds.reproduction(1, 3, "bayes"), "method"),
        (lambda: kinds.reproduction(1, 3, "exact", 2), "confidence"),
        (lambda: kinds.srm([5]), "counts"),
        (lambda: kinds.srm([5, 5], [1, 1, 1]), "expected"),
        (lambda: kinds.srm([5, 5], [1, 0]), "expected[1]"),
        (lambda: kinds.eval_delta_counts(11, 10, 1, 10), "k_a"),
        (lambda: kinds.rate_change(1, 0, 1, 1), "exposure_before"),
    ],
)
def test_bad_inputs_name_their_field(make, field):
    with pytest.raises(InputError) as caught:
        make()
    assert caught.value.field == field and "\n" not in str(caught.value)
