"""The diagnostics' statistics: one pure function per kind, numbers in, a `Computed` out.

scipy and statsmodels are imported inside the functions: the TUI and the CLI start without them
(tests/cli/test_cli_lazy.py), and only a diagnostic being computed pays for them. Every edge case
(n = 0, k = 0, k = n, an empty arm, identical runs) gives a sentence, never an exception or a NaN.
"""

from __future__ import annotations

import math
import warnings as _warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from typing import Any

from .text import count, pct, pct_range, pval, signif


class InputError(ValueError):
    """Inputs that cannot be computed with (named field, one-line reason)."""

    def __init__(self, field_name: str, message: str) -> None:
        self.field = field_name
        super().__init__(f"{field_name}: {message}")


@dataclass
class Computed:
    result: dict[str, Any]
    sentence: str
    libraries: tuple[str, ...] = ()
    warnings: list[str] = field(default_factory=list)

    @property
    def computed_with(self) -> str:
        return ", ".join(f"{name} {version(name)}" for name in self.libraries)


def _quiet(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """A library call whose division-by-zero RuntimeWarnings (an edge case's NaN) are handled by the caller."""
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore", RuntimeWarning)
        return call(*args, **kwargs)


def _finite(value: float) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def _round(result: dict[str, Any]) -> dict[str, Any]:
    """Six significant digits: what a re-run compares, and what reads well in incident.toml."""
    out: dict[str, Any] = {}
    for key, value in result.items():
        if isinstance(value, bool) or value is None:
            if value is not None:
                out[key] = value
        elif isinstance(value, float) or hasattr(value, "dtype"):
            number = _finite(value)
            if number is not None:
                out[key] = float(f"{number:.6g}")
        elif isinstance(value, int):
            out[key] = value
        else:
            out[key] = value
    return out


def _int(name: str, value: Any, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
        raise InputError(name, f"a whole number is needed (got {value!r})")
    if value < minimum:
        raise InputError(name, f"must be at least {minimum} (got {int(value)})")
    return int(value)


def _num(name: str, value: Any, minimum: float | None = 0.0, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(name, f"a number is needed (got {value!r})")
    if positive and value <= 0:
        raise InputError(name, f"must be more than 0 (got {value:g})")
    if minimum is not None and value < minimum:
        raise InputError(name, f"must be at least {minimum:g} (got {value:g})")
    return float(value)


def _confidence(value: Any) -> float:
    level = _num("confidence", 0.95 if value is None else value)
    if not 0.5 <= level < 1:
        raise InputError("confidence", f"a level between 0.5 and 1, e.g. 0.95 (got {level:g})")
    return level


# ------------------------------------------------------------------------------ reproduction rate
def reproduction(k: Any, n: Any, method: str = "exact", confidence: Any = 0.95, what: str = "runs") -> Computed:
    """k failures (or reproductions) in n tries: the rate with an exact (Clopper-Pearson) or Wilson interval."""
    k, n = _int("k", k), _int("n", n)
    level = _confidence(confidence)
    if method not in ("exact", "wilson"):
        raise InputError("method", f"'exact' (Clopper-Pearson) or 'wilson' (got {method!r})")
    if k > n:
        raise InputError("k", f"cannot exceed n ({k} of {n})")
    label = f"{level:.0%} CI"
    if n == 0:
        return Computed({"k": 0, "n": 0}, f"No {what} recorded (n = 0): there is no rate to state.")
    from scipy.stats import binomtest

    ci = binomtest(k, n).proportion_ci(confidence_level=level, method=method)
    rate = k / n
    result = _round({"k": k, "n": n, "rate": rate, "low": ci.low, "high": ci.high, "confidence": level})
    name = "Clopper-Pearson" if method == "exact" else "Wilson"
    sentence = f"{count(k)} of {count(n)} {what} ({pct(rate)}, {label} {pct_range(ci.low, ci.high)}, {name})."
    warnings = []
    if n == 1:
        sentence = (
            f"{count(k)} of 1 ({what}): a single run proves nothing about rates — it shows what happened in "
            f"this run ({label} {pct_range(ci.low, ci.high)})."
        )
        warnings.append("n = 1: re-run it to get a rate")
    elif k == 0:
        sentence += f" Not seen in {count(n)} {what}; the rate may still be up to {pct(ci.high)}."
    elif k == n:
        sentence += f" Seen every time; the rate may still be as low as {pct(ci.low)}."
    return Computed(result, sentence, ("scipy",), warnings)


# -------------------------------------------------------------------------- sample ratio mismatch
SRM_ALPHA = 0.001
SRM_WORDING = (
    "sample ratio mismatch: the experiment's results are not trustworthy until the cause is found "
    "(Fabijan et al., 'Diagnosing Sample Ratio Mismatch in Online Controlled Experiments', KDD 2019)"
)


def srm(counts: Any, expected: Any = None, arms: Any = None) -> Computed:
    """Observed arm counts against the intended split: chi-square goodness of fit, flagged at p < 0.001."""
    if not isinstance(counts, list) or len(counts) < 2:
        raise InputError("counts", "give the count of each arm, at least two (e.g. 5012, 4988)")
    observed = [_int(f"counts[{i}]", c) for i, c in enumerate(counts)]
    weights = (
        [1.0] * len(observed)
        if not expected
        else [_num(f"expected[{i}]", w, positive=True) for i, w in enumerate(expected)]
    )
    if len(weights) != len(observed):
        raise InputError("expected", f"{len(weights)} weights for {len(observed)} arms")
    names = (
        [str(a) for a in arms]
        if isinstance(arms, list) and len(arms) == len(observed)
        else [chr(ord("A") + i) for i in range(len(observed))]
    )
    total = sum(observed)
    split = "/".join(f"{w / sum(weights) * 100:.3g}" for w in weights)
    if total == 0:
        return Computed({"total": 0}, "No exposures counted in any arm: there is no split to test.")
    from scipy.stats import chisquare

    exp_counts = [total * w / sum(weights) for w in weights]
    test = chisquare(observed, exp_counts)
    p = _finite(test.pvalue)
    flagged = p is not None and p < SRM_ALPHA
    result = _round(
        {
            "total": total,
            "chi2": test.statistic,
            "p": p if p is not None else 1.0,
            "flagged": flagged,
            "alpha": SRM_ALPHA,
        }
    )
    observed_text = " / ".join(f"{n} {count(c)}" for n, c in zip(names, observed, strict=True))
    empty = [n for n, c in zip(names, observed, strict=True) if c == 0]
    if flagged:
        sentence = (
            f"Sample ratio mismatch: {observed_text} against an intended {split} split "
            f"(χ² = {test.statistic:.2f}, p {pval(p)}, below the {SRM_ALPHA} threshold). The experiment's results are not "
            "trustworthy until the cause is found; its conclusions are an [ASSUMPTION]."
        )
        if empty:
            sentence += f" Arm {', '.join(empty)} received no exposures at all."
    else:
        sentence = (
            f"No sample ratio mismatch: {observed_text} is consistent with the intended {split} split "
            f"(χ² = {test.statistic:.2f}, p {pval(p)}, flagged only below {SRM_ALPHA})."
        )
    return Computed(result, sentence, ("scipy",))


# ------------------------------------------------------------------------------------ eval delta
POWER = 0.8


def _mde(p_a: float, n_a: int, n_b: int, alpha: float) -> float | None:
    """The smallest difference from p_a detectable at this n (80% power), via Cohen's h."""
    from statsmodels.stats.power import NormalIndPower

    try:
        h = _quiet(NormalIndPower().solve_power, effect_size=None, nobs1=n_a, alpha=alpha, power=POWER, ratio=n_b / n_a)
    except Exception:  # the solver does not converge for tiny n: nothing is detectable
        return None
    h = _finite(h)
    if h is None:
        return None
    base = math.asin(math.sqrt(min(max(p_a, 0.0), 1.0)))
    # Cohen's h = 2·asin√p1 − 2·asin√p2: the MDE is the larger of the moves down and up that stay in [0, 1].
    moves = [abs(math.sin(min(max(base + s * h / 2, 0.0), math.pi / 2)) ** 2 - p_a) for s in (-1, 1)]
    return max(moves)


def eval_delta_counts(
    k_a: Any,
    n_a: Any,
    k_b: Any,
    n_b: Any,
    alpha: Any = 0.05,
    claimed: Any = None,
    label_a: str = "A",
    label_b: str = "B",
) -> Computed:
    """Two eval runs as pass counts: the difference B − A with a Newcombe interval; a two-proportion z-test,
    or Fisher's exact test when any expected cell is under 5."""
    k_a, n_a, k_b, n_b = _int("k_a", k_a), _int("n_a", n_a), _int("k_b", k_b), _int("n_b", n_b)
    alpha = _num("alpha", alpha, positive=True)
    if k_a > n_a:
        raise InputError("k_a", f"cannot exceed n_a ({k_a} of {n_a})")
    if k_b > n_b:
        raise InputError("k_b", f"cannot exceed n_b ({k_b} of {n_b})")
    if n_a == 0 or n_b == 0:
        empty = label_a if n_a == 0 else label_b
        return Computed(
            {"n_a": n_a, "n_b": n_b, "significant": False},
            f"Run {empty} has no items: there is nothing to compare (not significant).",
        )
    from scipy.stats import fisher_exact
    from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

    p_a, p_b = k_a / n_a, k_b / n_b
    delta = p_b - p_a
    pooled = (k_a + k_b) / (n_a + n_b)
    cells = [n_a * pooled, n_a * (1 - pooled), n_b * pooled, n_b * (1 - pooled)]
    if min(cells) < 5:
        method = "Fisher's exact test"
        p = fisher_exact([[k_a, n_a - k_a], [k_b, n_b - k_b]]).pvalue
    else:
        method = "two-proportion z-test"
        p = _quiet(proportions_ztest, [k_b, k_a], [n_b, n_a])[1]
    low, high = _quiet(confint_proportions_2indep, k_b, n_b, k_a, n_a, compare="diff", method="newcomb", alpha=alpha)
    p = _finite(p)
    p = 1.0 if p is None else min(p, 1.0)
    significant = p < alpha
    mde = _mde(p_a, n_a, n_b, alpha)
    result = _round(
        {
            "p_a": p_a,
            "p_b": p_b,
            "delta": delta,
            "low": low,
            "high": high,
            "p": p,
            "significant": significant,
            "mde": mde,
            "method": method,
            "alpha": alpha,
        }
    )
    return _delta_sentence(
        result,
        f"{count(k_a)}/{count(n_a)}",
        f"{count(k_b)}/{count(n_b)}",
        label_a,
        label_b,
        claimed,
        ("scipy", "statsmodels"),
    )


def _delta_sentence(
    result: dict[str, Any],
    a: str,
    b: str,
    label_a: str,
    label_b: str,
    claimed: Any,
    libraries: tuple[str, ...],
    points: bool = True,
) -> Computed:
    delta, low, high, p = result["delta"], result.get("low"), result.get("high"), result["p"]

    def fmt(x: float) -> str:
        return f"{x * 100:+.1f} points" if points else f"{x:+.3g}"

    level = f"{1 - result['alpha']:.0%} CI"
    interval = f", {level} {fmt(low)} to {fmt(high)}" if low is not None and high is not None else ""
    verdict = "significant" if result["significant"] else "not significant"
    sentence = (
        f"{label_a} {a} vs {label_b} {b}: {fmt(delta)}{interval}; {result['method']} p {pval(p)}, "
        f"{verdict} at α = {result['alpha']:g}."
    )
    warnings: list[str] = []
    mde = result.get("mde")
    if delta == 0 and p >= 1.0:
        sentence = f"{label_a} {a} vs {label_b} {b}: identical results, no difference to test (not significant)."
        claimed = None  # nothing was seen, so "too small to see it" says nothing
    if mde is not None and points:
        sentence += f" At this n the smallest difference detectable with 80% power is {mde * 100:.1f} points."
        if claimed is not None:
            claim = abs(_num("claimed", claimed, minimum=None))
            claim = claim / 100 if claim >= 1 else claim
            result["claimed"] = float(f"{claim:.6g}")
            if claim < mde:
                warnings.append(
                    f"n is too small to see the claimed {claim * 100:.1f}-point delta (needs {mde * 100:.1f})"
                )
        elif 0 < abs(delta) < mde:
            warnings.append(f"n is too small to see a {abs(delta) * 100:.1f}-point delta (detectable: {mde * 100:.1f})")
    elif mde is None and points and not result.get("paired"):
        warnings.append("n is too small for any difference to be detectable with 80% power")
    if warnings:
        sentence += " Warning: " + "; ".join(warnings) + "."
    return Computed(result, sentence, libraries, warnings)


def eval_delta_paired(
    a: list[bool], b: list[bool], alpha: Any = 0.05, claimed: Any = None, label_a: str = "A", label_b: str = "B"
) -> Computed:
    """The same items in two runs: McNemar's test on the discordant pairs (exact below 25 of them), and a
    Newcombe interval for the difference."""
    alpha = _num("alpha", alpha, positive=True)
    if len(a) != len(b):
        raise InputError("items", f"paired runs need the same items ({len(a)} and {len(b)})")
    n = len(a)
    if n == 0:
        return Computed(
            {"n": 0, "significant": False}, "No items in common: there is nothing to compare (not significant)."
        )
    from statsmodels.stats.contingency_tables import mcnemar
    from statsmodels.stats.proportion import confint_proportions_2indep

    both = sum(1 for x, y in zip(a, b, strict=True) if x and y)
    only_a = sum(1 for x, y in zip(a, b, strict=True) if x and not y)
    only_b = sum(1 for x, y in zip(a, b, strict=True) if y and not x)
    neither = n - both - only_a - only_b
    k_a, k_b = both + only_a, both + only_b
    discordant = only_a + only_b
    exact = discordant < 25
    if discordant == 0:
        p = 1.0
    else:
        finite = _finite(mcnemar([[both, only_a], [only_b, neither]], exact=exact, correction=True).pvalue)
        p = 1.0 if finite is None else min(finite, 1.0)
    low, high = _quiet(confint_proportions_2indep, k_b, n, k_a, n, compare="diff", method="newcomb", alpha=alpha)
    method = f"McNemar's test ({'exact' if exact else 'chi-square'}, {discordant} discordant pairs)"
    result = _round(
        {
            "n": n,
            "p_a": k_a / n,
            "p_b": k_b / n,
            "delta": (k_b - k_a) / n,
            "low": low,
            "high": high,
            "only_a": only_a,
            "only_b": only_b,
            "p": p,
            "significant": p < alpha,
            "method": method,
            "alpha": alpha,
            "paired": True,
            "mde": _mde(k_a / n, n, n, alpha),
        }
    )
    return _delta_sentence(
        result, f"{count(k_a)}/{count(n)}", f"{count(k_b)}/{count(n)}", label_a, label_b, claimed, ("statsmodels",)
    )


def eval_delta_scores(
    a: list[float],
    b: list[float],
    paired: bool,
    alpha: Any = 0.05,
    seed: int = 0,
    label_a: str = "A",
    label_b: str = "B",
) -> Computed:
    """Per-item scores: a bootstrap interval (BCa, fixed seed so a re-run repeats) for the mean difference;
    significant when it excludes 0."""
    alpha = _num("alpha", alpha, positive=True)
    if not a or not b:
        return Computed(
            {"n_a": len(a), "n_b": len(b), "significant": False},
            f"Run {label_a if not a else label_b} has no scores: there is nothing to compare (not significant).",
        )
    import numpy as np
    from scipy.stats import bootstrap

    xa, xb = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    delta = float(xb.mean() - xa.mean())
    rng = np.random.default_rng(seed)
    if paired:
        diffs = xb - xa
        if np.all(diffs == diffs[0]):
            low = high = float(diffs[0])
        else:
            ci = bootstrap((diffs,), np.mean, confidence_level=1 - alpha, rng=rng, method="BCa").confidence_interval
            low, high = ci.low, ci.high
        method = "paired bootstrap (BCa, 9999 resamples)"
    elif np.ptp(np.concatenate([xa, xb])) == 0:
        low = high = 0.0
        method = "bootstrap (BCa, 9999 resamples)"
    else:

        def diff(x: Any, y: Any, axis: int = -1) -> Any:
            return np.mean(y, axis=axis) - np.mean(x, axis=axis)

        ci = bootstrap((xa, xb), diff, confidence_level=1 - alpha, rng=rng, method="BCa").confidence_interval
        low, high = ci.low, ci.high
        method = "bootstrap (BCa, 9999 resamples)"
    low_f, high_f = _finite(low), _finite(high)
    significant = low_f is not None and high_f is not None and (low_f > 0 or high_f < 0)
    result = _round(
        {
            "n_a": len(a),
            "n_b": len(b),
            "mean_a": xa.mean(),
            "mean_b": xb.mean(),
            "delta": delta,
            "low": low_f,
            "high": high_f,
            "significant": significant,
            "method": method,
            "alpha": alpha,
            "paired": paired,
        }
    )
    mean_a, mean_b = f"mean {xa.mean():.3g} (n = {len(a)})", f"mean {xb.mean():.3g} (n = {len(b)})"
    level = f"{1 - alpha:.0%} CI"
    interval = f", {level} {low_f:+.3g} to {high_f:+.3g}" if low_f is not None and high_f is not None else ""
    verdict = "significant (the interval excludes 0)" if significant else "not significant (the interval includes 0)"
    if delta == 0 and low_f == high_f == 0:
        sentence = f"{label_a} {mean_a} vs {label_b} {mean_b}: identical scores, no difference (not significant)."
    else:
        sentence = f"{label_a} {mean_a} vs {label_b} {mean_b}: {delta:+.3g}{interval}; {method}, {verdict}."
    return Computed(result, sentence, ("scipy",))


# ------------------------------------------------------------------------------------ rate change
def rate_change(
    before: Any,
    exposure_before: Any,
    after: Any,
    exposure_after: Any,
    unit: str = "hour",
    alpha: Any = 0.05,
    event: str = "the change",
) -> Computed:
    """Event counts before and after a deploy: the rate ratio after/before with a score interval and the
    conditional (exact binomial) test of equal rates."""
    before, after = _int("before", before), _int("after", after)
    e_before = _num("exposure_before", exposure_before, positive=True)
    e_after = _num("exposure_after", exposure_after, positive=True)
    alpha = _num("alpha", alpha, positive=True)
    r_before, r_after = before / e_before, after / e_after
    rates = (
        f"{count(before)} in {e_before:g} {unit}{'' if e_before == 1 else 's'} before, {count(after)} in "
        f"{e_after:g} {unit}{'' if e_after == 1 else 's'} after {event}"
    )
    if before == 0 and after == 0:
        return Computed(
            {"before": 0, "after": 0, "significant": False},
            f"No events before or after {event}: there is no rate to compare (not significant).",
        )
    from statsmodels.stats.rates import confint_poisson_2indep, test_poisson_2indep

    p = _finite(_quiet(test_poisson_2indep, after, e_after, before, e_before, method="exact-cond").pvalue)
    p = 1.0 if p is None else min(p, 1.0)
    # The score interval needs events on both sides; with a zero side, MOVER gives the bounded end.
    method = "score" if before and after else "mover"
    low, high = _quiet(
        confint_poisson_2indep, after, e_after, before, e_before, compare="ratio", method=method, alpha=alpha
    )
    low_f, high_f = _finite(low), _finite(high)
    if before == 0:
        high_f = None
    significant = p < alpha
    ratio = r_after / r_before if before else None
    result = _round(
        {
            "rate_before": r_before,
            "rate_after": r_after,
            "ratio": ratio,
            "low": low_f,
            "high": high_f,
            "p": p,
            "significant": significant,
            "alpha": alpha,
        }
    )
    level = f"{1 - alpha:.0%} CI"
    bounds = f"{signif(low_f) if low_f is not None else '?'}–{signif(high_f) if high_f is not None else 'unbounded'}"
    verdict = "significant" if significant else "not significant"
    if ratio is None:
        head = f"Rate rose from 0 to {signif(r_after)} per {unit} ({rates}); the ratio is unbounded"
        sentence = (
            f"{head} ({level} lower bound {signif(low_f) if low_f is not None else '?'}); "
            f"exact conditional test p {pval(p)}, {verdict}."
        )
    else:
        sentence = (
            f"Rate {signif(r_before)} → {signif(r_after)} per {unit} ({rates}): rate ratio "
            f"{signif(ratio)}×, {level} {bounds}; exact conditional test p {pval(p)}, {verdict}."
        )
    return Computed(result, sentence, ("statsmodels",))


# ---------------------------------------------------------------------------------------- impact
IMPACT_CALCS: dict[str, tuple[str, str]] = {
    # calc -> (the impact figure it feeds, its unit)
    "requests": ("requests_affected", "requests"),
    "compute": ("cost_usd", "USD"),
    "tokens": ("cost_usd", "USD"),
    "downtime": ("", "service-hours"),  # no Figure holds service time; the result stands on its own
}


def impact(calc: str, **values: Any) -> Computed:
    """Arithmetic, shown: affected requests = rate × traffic × window; GPU-hours × price; tokens × price;
    degraded service time = the sum of each service's window."""
    if calc not in IMPACT_CALCS:
        raise InputError("calc", f"one of {', '.join(IMPACT_CALCS)} (got {calc!r})")
    target, unit = IMPACT_CALCS[calc]
    if calc == "requests":
        rate = _num("rate", values.get("rate"))
        if rate > 1:
            raise InputError("rate", f"a fraction between 0 and 1 (15% is 0.15; got {rate:g})")
        window = _num("window_hours", values.get("window_hours"))
        if values.get("traffic_per_hour") is None:
            # The traffic is often unpublished: say what the stated rate gives, and that the count is a gap.
            per_thousand = rate * 1000
            return Computed(
                _round({"per_thousand": per_thousand, "unit": unit}),
                f"Affected requests = {rate:g} × [DATA GAP] requests/h × {window:g} h: the traffic is not "
                f"known, so the count is a [DATA GAP]; the stated rate is {per_thousand:,.4g} of every "
                "1,000 requests in the window.",
            )
        traffic = _num("traffic_per_hour", values.get("traffic_per_hour"))
        value = rate * traffic * window
        calculation = f"{rate:g} × {traffic:,.6g} requests/h × {window:g} h"
        result: dict[str, Any] = {"value": value, "field": target, "unit": unit}
        low, high = values.get("rate_low"), values.get("rate_high")
        if low is not None and high is not None:
            lo, hi = _num("rate_low", low), _num("rate_high", high)
            result.update(low=lo * traffic * window, high=hi * traffic * window)
            calculation += (
                f" (rate interval {lo:g}–{hi:g}: {count(round(lo * traffic * window))}–"
                f"{count(round(hi * traffic * window))})"
            )
        sentence = f"Affected requests = {calculation} = {count(round(value))} requests."
    elif calc == "compute":
        hours = _num("gpu_hours", values.get("gpu_hours"))
        price = _num("price_per_gpu_hour", values.get("price_per_gpu_hour"))
        value = hours * price
        calculation = f"{hours:,.6g} GPU-hours × ${price:,.4g}/GPU-hour"
        result = {"value": value, "field": target, "unit": unit, "gpu_hours": hours}
        sentence = f"Compute cost = {calculation} = ${value:,.2f}."
    elif calc == "downtime":
        windows = values.get("windows_minutes")
        if not isinstance(windows, list) or not windows:
            raise InputError("windows_minutes", "the minutes each service was degraded, e.g. 262, 225")
        minutes = [_num(f"windows_minutes[{i}]", m) for i, m in enumerate(windows)]
        names = values.get("services")
        names = (
            [str(n) for n in names]
            if isinstance(names, list) and len(names) == len(minutes)
            else [f"service {i + 1}" for i in range(len(minutes))]
        )
        total = sum(minutes)
        value = total / 60
        calculation = " + ".join(f"{n} {m:g} min" for n, m in zip(names, minutes, strict=True))
        result = {"value": value, "unit": unit, "minutes": total}
        sentence = f"Degraded service time = {calculation} = {total:,.0f} min ({value:,.3g} service-hours)."
    else:
        tokens = _num("tokens", values.get("tokens"))
        price = _num("price_per_million", values.get("price_per_million"))
        value = tokens / 1_000_000 * price
        calculation = f"{tokens:,.0f} tokens × ${price:,.4g} per million"
        result = {"value": value, "field": target, "unit": unit}
        sentence = f"Token cost = {calculation} = ${value:,.2f}."
    result["calculation"] = calculation
    return Computed(_round(result), sentence)
