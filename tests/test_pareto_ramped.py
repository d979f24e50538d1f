"""The ramped Appendix H instance (Assumption 1 holds) and the exact range of the means over a bin."""

import numpy as np
import pytest

from banditlab.pareto.env import (
    ParetoBanditEnv,
    appendix_h_jumps,
    appendix_h_lipschitz,
    appendix_h_means,
    jump_zones,
    mean_range,
)

S = np.linspace(0.0, 1.0, 400_001)[:-1]  # steps of 2.5e-6 on [0, 1)


@pytest.mark.parametrize("width", [0.02, 0.05, 0.1])
def test_ramped_means_are_lipschitz_with_the_stated_constant(width):
    """The largest slope between neighbouring grid points equals max(4, (1 - 4w)/w), and no step jumps."""
    means = appendix_h_means(S, 10, width)
    slopes = np.abs(np.diff(means, axis=0)).max(axis=(1, 2)) / np.diff(S)
    assert slopes.max() == pytest.approx(appendix_h_lipschitz(width), rel=1e-3)
    assert appendix_h_lipschitz(width) == pytest.approx(max(4.0, (1 - 4 * width) / width))
    assert appendix_h_lipschitz(0.05) == pytest.approx(16.0)


def test_the_printed_instance_jumps_and_the_ramped_one_only_differs_on_the_ramps():
    printed, ramped = appendix_h_means(S, 10), appendix_h_means(S, 10, 0.05)
    steps = np.abs(np.diff(printed, axis=0)).max(axis=(1, 2))
    assert steps.max() == pytest.approx(1.0, abs=1e-4)  # the jumps of Appendix H (one grid step short of 1)
    on_ramp = np.zeros(S.size, bool)
    for _, start, end in jump_zones(10, 0.05):
        on_ramp |= (S >= start) & (S < end)
    np.testing.assert_array_equal(printed[~on_ramp], ramped[~on_ramp])
    assert (printed[on_ramp] != ramped[on_ramp]).any()
    np.testing.assert_array_equal(appendix_h_means(S, 10, 0.0), printed)  # the default is the printed instance
    assert [x for _, x, _ in appendix_h_jumps(10)] == [end for _, _, end in jump_zones(10, 0.05)]


def test_env_carries_the_instance_and_its_constant():
    printed = ParetoBanditEnv.appendix_h(n_arms=5, nu=1.0, t_p=100)
    ramped = ParetoBanditEnv.appendix_h(n_arms=5, nu=1.0, t_p=100, ramp_width=0.05)
    assert (printed.instance, printed.lipschitz_constant) == ("printed", 4.0)
    assert (ramped.instance, ramped.lipschitz_constant) == ("ramped", pytest.approx(16.0))
    draw = ramped.draw(300, np.random.default_rng(0))
    np.testing.assert_array_equal(draw.means, appendix_h_means(draw.contexts[:, 0], 5, 0.05))
    assert draw.lipschitz == pytest.approx(16.0)
    with pytest.raises(ValueError, match="ramp_width"):
        ParetoBanditEnv.appendix_h(n_arms=5, ramp_width=0.3)


@pytest.mark.parametrize("width", [0.0, 0.05])
def test_mean_range_over_a_bin_matches_a_dense_grid(width):
    """Every dyadic bin down to depth 6: the range from :func:`mean_range` contains the means at 2000 points of the
    bin and is reached by them up to the grid's resolution (a jump inside a bin counts its left limit)."""
    for depth in range(7):
        n = 2**depth
        low, high = mean_range(np.arange(n) / n, np.arange(1, n + 1) / n, 10, width)
        for i in range(n):
            s = np.linspace(i / n, (i + 1) / n, 2001)[:-1]
            means = appendix_h_means(s, 10, width)
            assert (means >= low[i] - 1e-12).all() and (means <= high[i] + 1e-12).all()
            np.testing.assert_allclose(means.min(axis=0), low[i], atol=2e-2 / n + 1e-9)
            np.testing.assert_allclose(means.max(axis=0), high[i], atol=2e-2 / n + 1e-9)
    # the bin [0.5, 1) holds the jump of arm 2 at 0.625 (left limit 1) and its value 0 there
    low, high = mean_range([0.5], [1.0], 10)
    assert (low[0, 1, 1], high[0, 1, 1]) == (0.0, 1.0)
