"""The distributions an input may take, their central values and their samplers.

Central (deterministic) value: the mode for triangular and PERT (the most likely value, as an
analyst states it), the mean for uniform (its midpoint) and for lognormal.
"""

import math
from collections.abc import Callable, Mapping

import numpy as np

PERT_LAMBDA = 4.0
# The standard normal quantile of 0.95: lognormal inputs swing between their 5th and 95th
# percentiles in a tornado chart, as they have no bounds.
Z95 = 1.6448536269514722

PARAMETERS: dict[str, tuple[tuple[str, ...], ...]] = {
    "triangular": (("low", "mode", "high"),),
    "pert": (("low", "mode", "high"),),
    "uniform": (("low", "high"),),
    # By the variable's own mean and standard deviation, or by mu and sigma of its logarithm.
    "lognormal": (("mean", "sd"), ("mu", "sigma")),
}

Spec = float | Mapping[str, float | str]


def is_distribution(spec: Spec) -> bool:
    return isinstance(spec, Mapping)


def lognormal_mu_sigma(spec: Mapping) -> tuple[float, float]:
    if "mu" in spec:
        return float(spec["mu"]), float(spec["sigma"])
    mean, sd = float(spec["mean"]), float(spec["sd"])
    sigma2 = math.log1p((sd / mean) ** 2)
    return math.log(mean) - sigma2 / 2, math.sqrt(sigma2)


def central(spec: Spec) -> float:
    if not is_distribution(spec):
        return float(spec)
    kind = spec["distribution"]
    if kind in ("triangular", "pert"):
        return float(spec["mode"])
    if kind == "uniform":
        return (float(spec["low"]) + float(spec["high"])) / 2
    mu, sigma = lognormal_mu_sigma(spec)
    return math.exp(mu + sigma**2 / 2)


def range_of(spec: Mapping) -> tuple[float, float]:
    """The low and high values a tornado chart swings the input between."""
    if spec["distribution"] == "lognormal":
        mu, sigma = lognormal_mu_sigma(spec)
        return math.exp(mu - Z95 * sigma), math.exp(mu + Z95 * sigma)
    return float(spec["low"]), float(spec["high"])


def sample(spec: Mapping, rng: np.random.Generator, size: int) -> np.ndarray:
    kind = spec["distribution"]
    if kind == "lognormal":
        mu, sigma = lognormal_mu_sigma(spec)
        return rng.lognormal(mu, sigma, size) if sigma > 0 else np.full(size, math.exp(mu))
    low, high = float(spec["low"]), float(spec["high"])
    if high == low:
        # A collapsed distribution is a constant (numpy refuses zero-width ranges).
        return np.full(size, low)
    if kind == "uniform":
        return rng.uniform(low, high, size)
    mode = float(spec["mode"])
    if kind == "triangular":
        return rng.triangular(low, mode, high, size)
    alpha = 1 + PERT_LAMBDA * (mode - low) / (high - low)
    beta = 1 + PERT_LAMBDA * (high - mode) / (high - low)
    return low + (high - low) * rng.beta(alpha, beta, size)


def describe(spec: Mapping, show: Callable[[float], str]) -> str:
    """The distribution in words, e.g. "a triangular distribution from £1 to £3, most likely £2",
    with `show` writing each value."""
    kind = spec["distribution"]
    if kind in ("triangular", "pert"):
        name = "a triangular" if kind == "triangular" else "a PERT"
        return (
            f"{name} distribution from {show(spec['low'])} to {show(spec['high'])}, "
            f"most likely {show(spec['mode'])}"
        )
    if kind == "uniform":
        return f"a uniform distribution from {show(spec['low'])} to {show(spec['high'])}"
    if "mu" in spec:
        return (
            f"a lognormal distribution whose logarithm has mean {spec['mu']:g} and standard "
            f"deviation {spec['sigma']:g}"
        )
    return (
        f"a lognormal distribution with mean {show(spec['mean'])} and standard deviation "
        f"{show(spec['sd'])}"
    )
