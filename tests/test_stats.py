"""The bootstrap slope of the checks: closed-form resample slopes equal the per-resample least-squares fits."""

import numpy as np
import pytest

from banditlab.stats import bootstrap_slope, loglog_slope


def reference(values_by_point, axis, resamples, rng):
    """The same resamples (drawn in the same order), each slope fitted by numpy's polyfit."""
    indices = [rng.integers(0, len(values), (resamples, len(values))) for values in values_by_point]
    draws = [
        loglog_slope(axis, [values[index[b]].mean() for values, index in zip(values_by_point, indices)])
        for b in range(resamples)
    ]
    return np.std(draws, ddof=1)


@pytest.mark.parametrize("sizes", [(20, 20, 20), (5, 12, 40, 7)])
def test_bootstrap_se_equals_the_per_resample_fits(sizes):
    rng = np.random.default_rng(3)
    axis = np.geomspace(10, 80, len(sizes))
    values = [np.exp(rng.normal(-0.5 * np.log(x), 0.3, size)) for x, size in zip(axis, sizes)]
    slope, se = bootstrap_slope(values, axis, 300, np.random.default_rng(11))
    assert slope == loglog_slope(axis, [v.mean() for v in values])
    assert se == pytest.approx(reference(values, axis, 300, np.random.default_rng(11)), rel=1e-10)
    assert -0.8 < slope < -0.2 and 0 < se < 0.2  # the slope drawn, with a plausible spread


def test_bootstrap_needs_two_resamples():
    with pytest.raises(ValueError, match="resamples must be >= 2"):
        bootstrap_slope([np.ones(3), np.ones(3)], np.array([1.0, 2.0]), 1, np.random.default_rng(0))
