"""Methods beyond the papers and the extension path: the resolver (banditlab.registry), the guide's example
(docs/extending.md, run as written), the median shrinkage bandit, the figures' fallbacks, the beyond-the-papers
table, the user-code digest, and the workflow with a user's estimator and policy (snakemake)."""

from __future__ import annotations

import copy
import importlib
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from snakemake.utils import validate
from workflow_copy import copy_workflow

from banditlab import registry, style
from banditlab.agents import simulate
from banditlab.bandits import MedianShrinkageBandit, RMBandit, make_problem
from banditlab.bandits.experiments import check_config as check_bandits_config
from banditlab.bandits.rmbandit import median_shrinkage_fit
from banditlab.bandits.schedules import data_poor_sources
from banditlab.batches import plan_batches
from banditlab.beyond import BEYOND, COLUMNS, bandit_rows, beyond_papers_table, estimation_rows
from banditlab.claims import claims_ledger, findings_table, ledger_markdown
from banditlab.estimation.experiments import check_estimation_config
from banditlab.estimation.simulate import make_instances
from banditlab.estimation.study import STUDY as ESTIMATION_STUDY
from banditlab.estimators import MedianShrinkage, RobustMultitask, SufficientStatistics
from banditlab.figures import read_legend, save_figure
from banditlab.provenance import modules_digest
from banditlab.registry import RegistryError
from banditlab.runner import run_config_point
from banditlab.seeding import replicate_rng
from banditlab.style import USER_COLORS

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "workflow" / "schemas"
SNAKEMAKE = Path(sys.executable).with_name("snakemake")


def smoke() -> dict:
    return yaml.safe_load((ROOT / "config" / "smoke.yaml").read_text())


def run_bandit_point(experiment, label, bandits, seed, scale):
    return run_config_point("bandits", bandits, experiment, label, seed=seed, scale=scale)


def run_estimation_point(estimation, experiment, label, estimators, replicates=2, seed=1):
    block = {**estimation, "estimators": list(estimators), "replicates": replicates}
    return run_config_point("estimation", block, experiment, label, seed=seed)


def guide_module() -> str:
    """The guide's example module, exactly as printed in docs/extending.md."""
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "extending.md").read_text(), re.S)
    (block,) = [b for b in blocks if b.startswith('"""mymethods.py')]
    return block


def write_module(folder: Path, monkeypatch, name: str, source: str):
    (folder / f"{name}.py").write_text(textwrap.dedent(source))
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.setattr(registry, "_CHECKED", {})  # a fresh resolver: no class checked by another test
    return importlib.import_module(name)


@pytest.fixture
def mymethods(tmp_path, monkeypatch):
    module = write_module(tmp_path, monkeypatch, "mymethods", guide_module())
    yield module
    sys.modules.pop("mymethods", None)


# --- the resolver ------------------------------------------------------------------------------------------


def test_builtin_names_resolve_to_the_registries():
    from banditlab.estimators import ALL_ESTIMATORS

    assert registry.estimator_class("robust_multitask") is RobustMultitask
    assert registry.estimator_class("median_shrinkage") is MedianShrinkage
    assert set(registry.builtin_estimators()) == set(ALL_ESTIMATORS)
    assert registry.policy_class("median_bandit") is MedianShrinkageBandit
    assert registry.policy_class("rmbandit") is RMBandit
    assert registry.method_label("median_bandit") == "Median shrinkage bandit (ours)"
    assert registry.method_label("median_shrinkage") == "Median shrinkage (ours)"


def test_the_guides_example_resolves_with_its_labels(mymethods):
    assert registry.estimator_class("mymethods:RidgeToMean") is mymethods.RidgeToMean
    assert registry.policy_class("mymethods:EpsilonGreedy") is mymethods.EpsilonGreedy
    assert registry.method_label("mymethods:RidgeToMean") == "Ridge toward the mean (mine)"
    assert registry.method_label("mymethods:EpsilonGreedy") == "Epsilon-greedy (mine)"
    assert registry.method_label("not_importable_xyz:Thing") == "not_importable_xyz:Thing"  # re-plotted elsewhere


def test_schema_pattern_is_the_resolvers():
    estimation = yaml.safe_load((SCHEMAS / "estimation.schema.yaml").read_text())
    bandits = yaml.safe_load((SCHEMAS / "bandits.schema.yaml").read_text())
    patterns = {
        estimation["properties"]["estimators"]["items"]["anyOf"][1]["pattern"],
        bandits["$defs"]["policy"]["anyOf"][1]["pattern"],
    }
    assert patterns == {registry.IMPORT_PATH.pattern}
    assert registry.is_import_path("pkg.sub.module:Class") and registry.is_import_path("m:C")
    for bad in ("robust_multitask", "pkg.module", "pkg module:C", "pkg.module:", ":C", "pkg.module:C.D", 3):
        assert not registry.is_import_path(bad), bad


BROKEN = {
    "no fit": ("class Thing:\n    pass\n", r"lacks the estimator protocol: it has no fit\(Xs, ys, target=None\)"),
    "needs arguments": (
        "class Thing:\n    def __init__(self, alpha):\n        self.alpha = alpha\n"
        "    def fit(self, Xs, ys, target=None):\n        return self\n",
        r"lacks the protocol: it cannot be built with no arguments \(TypeError",
    ),
    "no target": (
        "class Thing:\n    def fit(self, Xs, ys):\n        return self\n",
        r"fit has no 'target' parameter",
    ),
    "no coef_": (
        "class Thing:\n    def fit(self, Xs, ys, target=None):\n        return self\n",
        r"its coef_ must be a finite \(N, d\) = \(3, 2\) array, got no coef_",
    ),
    "wrong shape": (
        "import numpy as np\nclass Thing:\n    def fit(self, Xs, ys, target=None):\n"
        "        self.coef_ = np.zeros(2)\n        return self\n",
        r"coef_ must be a finite \(N, d\) = \(3, 2\) array, got shape \(2,\)",
    ),
    "fails": (
        "class Thing:\n    def fit(self, Xs, ys, target=None):\n        raise RuntimeError('boom')\n",
        r"fails on a tiny problem \(3 instances, d = 2\): RuntimeError: boom",
    ),
    "not a class": ("def Thing():\n    pass\n", r"'.*:Thing' is not a class \(got function\)"),
    "no such class": ("class Other:\n    pass\n", r"module '.*' has no attribute 'Thing'"),
    "syntax error": ("class Thing(:\n", r"module '.*' does not import \(SyntaxError"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_class_that_lacks_the_estimator_protocol_is_refused_by_name(case, tmp_path, monkeypatch):
    source, message = BROKEN[case]
    name = "broken_" + re.sub(r"\W", "_", case)
    if case != "syntax error":
        write_module(tmp_path, monkeypatch, name, source)
    else:
        (tmp_path / f"{name}.py").write_text(source)
        monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(RegistryError, match=r"estimation\.estimators\[1\]: '" + name + ":Thing'.*") as info:
        registry.check_names(["robust_multitask", f"{name}:Thing"], "estimator", "estimation.estimators")
    assert re.search(message, str(info.value)), str(info.value)


def test_a_path_that_does_not_import_is_refused_by_name():
    with pytest.raises(RegistryError) as info:
        registry.check_names(["rmbandit", "no_such_pkg_xyz.mod:Thing"], "policy", "bandits.policies")
    message = str(info.value)
    assert message.startswith("bandits.policies[1]: 'no_such_pkg_xyz.mod:Thing': module 'no_such_pkg_xyz.mod'")
    assert "does not import (ModuleNotFoundError" in message and "PYTHONPATH" in message


def test_an_unknown_builtin_name_lists_the_allowed_ones():
    with pytest.raises(
        RegistryError,
        match=r"estimation\.estimators\[0\]: unknown estimator 'robust_multitsk'; "
        r"allowed: independent_ols, .*median_shrinkage, or the import path",
    ):
        registry.check_names(["robust_multitsk"], "estimator", "estimation.estimators")
    with pytest.raises(RegistryError, match=r"unknown policy 'rm_bandit'; allowed: rmbandit, .*median_bandit"):
        registry.check_names(["rm_bandit"], "policy", "bandits.policies")


POLICY_BROKEN = {
    "no act": (
        "class Thing:\n    def reset(self, problem, T, rng): pass\n    def next_stop(self, t): return t + 1\n"
        "    def update(self, *args): pass\n",
        r"lacks the policy protocol: no act",
    ),
    "subclass without act": (
        "from banditlab.agents import Agent\nclass Thing(Agent):\n"
        "    def reset(self, problem, T, rng): pass\n    def next_stop(self, t): return t + 1\n",
        r"lacks the policy protocol: no act",
    ),
    "arms out of range": (
        "import numpy as np\nclass Thing:\n    def reset(self, problem, T, rng): pass\n"
        "    def next_stop(self, t): return t + 10\n    def act(self, t0, Z, X): return np.full(len(Z), 5)\n"
        "    def update(self, *args): pass\n",
        r"Thing' (fails on a tiny problem|lacks the policy protocol: act returned arms outside)",
    ),
    "does not advance": (
        "import numpy as np\nclass Thing:\n    def reset(self, problem, T, rng): pass\n"
        "    def next_stop(self, t): return t\n    def act(self, t0, Z, X): return np.zeros(len(Z), int)\n"
        "    def update(self, *args): pass\n",
        r"fails on a tiny problem .*does not advance",
    ),
}


@pytest.mark.parametrize("case", sorted(POLICY_BROKEN))
def test_a_class_that_lacks_the_policy_protocol_is_refused_by_name(case, tmp_path, monkeypatch):
    source, message = POLICY_BROKEN[case]
    name = "broken_policy_" + re.sub(r"\W", "_", case)
    write_module(tmp_path, monkeypatch, name, source)
    with pytest.raises(RegistryError, match=r"bandits\.data_poor\.policies\[0\]: '" + name + r":Thing'") as info:
        registry.check_names([f"{name}:Thing"], "policy", "bandits.data_poor.policies")
    assert re.search(message, str(info.value)), str(info.value)


def test_styles_of_unknown_names_follow_the_fixed_cycles():
    known = {"a": style.SeriesStyle("A", "#4477AA")}
    names = ["x", "a", "y", "x", *[f"z{i}" for i in range(len(style.USER_COLORS))]]
    looks = style.series_styles(names, known, label=str.upper)
    assert looks["a"] is known["a"]
    assert (looks["x"].color, looks["y"].color) == style.USER_COLORS[:2]
    assert looks["x"].label == "X" and looks["x"].linestyle == style.USER_LINESTYLE
    assert looks["x"].marker == style.USER_MARKERS[0] and looks["y"].marker == style.USER_MARKERS[1]
    assert looks[f"z{len(style.USER_COLORS) - 2}"].color == style.USER_COLORS[0]  # cycled after the last colour


# --- the config checks ---------------------------------------------------------------------------------------


def test_configs_name_user_classes_and_the_checks_resolve_them(mymethods):
    config = smoke()
    estimation, bandits = config["estimation"], config["bandits"]
    estimation["estimators"].append("mymethods:RidgeToMean")
    bandits["policies"].append("mymethods:EpsilonGreedy")
    bandits["experiments"]["data_poor"]["policies"].append("mymethods:EpsilonGreedy")
    validate(estimation, str(SCHEMAS / "estimation.schema.yaml"))
    validate(bandits, str(SCHEMAS / "bandits.schema.yaml"))
    check_estimation_config(estimation)
    check_bandits_config(bandits)


@pytest.mark.parametrize("name", ["robust multitask", "mymethods:Ridge:ToMean", "pkg.:C"])
def test_schema_refuses_names_that_are_neither_builtin_nor_an_import_path(name):
    estimation = smoke()["estimation"]
    estimation["estimators"] = [name]
    with pytest.raises(Exception, match=re.escape(repr(name))):
        validate(estimation, str(SCHEMAS / "estimation.schema.yaml"))
    bandits = smoke()["bandits"]
    bandits["experiments"]["data_poor"]["policies"] = [name]
    with pytest.raises(Exception, match=re.escape(repr(name))):
        validate(bandits, str(SCHEMAS / "bandits.schema.yaml"))


def test_schema_default_is_the_six_builtin_estimators():
    estimation = smoke()["estimation"]
    del estimation["estimators"]
    validate(estimation, str(SCHEMAS / "estimation.schema.yaml"))
    assert estimation["estimators"] == list(registry.builtin_estimators())


def test_an_estimator_without_fit_statistics_is_refused_for_statistics_studies(tmp_path, monkeypatch):
    write_module(
        tmp_path,
        monkeypatch,
        "fitonly",
        """
        import numpy as np
        class FitOnly:
            def fit(self, Xs, ys, target=None):
                self.coef_ = np.array([np.linalg.lstsq(X, y, rcond=None)[0] for X, y in zip(Xs, ys)])
                return self
        """,
    )
    estimation = smoke()["estimation"]
    estimation["estimators"] = ["robust_multitask", "fitonly:FitOnly"]
    with pytest.raises(
        ValueError,
        match=r"estimation\.estimators\[1\] \('fitonly:FitOnly'\) has no fit_statistics.*"
        r"experiment 'data_poor_vs_d' needs \(draw: statistics",
    ):
        check_estimation_config(estimation)
    experiments = estimation["experiments"]
    statistics_only = {name for name, spec in experiments.items() if spec.get("draw") == "statistics"}
    assert "data_poor_vs_d" in statistics_only
    estimation["experiments"] = {name: spec for name, spec in experiments.items() if name not in statistics_only}
    check_estimation_config(estimation)
    table = run_estimation_point(estimation, "error_vs_n", "60", ("robust_multitask", "fitonly:FitOnly"))
    ols = table[(table["estimator"] == "fitonly:FitOnly") & (table["metric"] == "l1")]
    assert len(ols) == 2 * (estimation["base"]["n_instances"] + 1) and np.isfinite(ols["error"]).all()


def test_median_shrinkage_at_zero_noise_is_refused_before_any_job():
    estimation = smoke()["estimation"]
    estimation["experiments"]["error_vs_n"]["noise_sd"] = 0.0
    with pytest.raises(
        ValueError,
        match=r"estimation\.estimators\[5\] \('median_shrinkage'\) needs noise_sd > 0.*"
        r"experiment 'error_vs_n' has noise_sd = 0",
    ):
        check_estimation_config(estimation)
    estimation["estimators"] = estimation["estimators"][:5]
    check_estimation_config(estimation)


# --- the guide's example, run as written ---------------------------------------------------------------------


def test_the_guides_estimator_is_ridge_toward_the_mean(mymethods):
    data = make_instances(6, 4, 1, 50, np.random.default_rng(3), noise_sd=0.5)
    stats = SufficientStatistics.from_data(data.Xs, data.ys)
    ols = np.linalg.solve(stats.grams, stats.xtys[..., None])[..., 0]
    model = mymethods.RidgeToMean()
    np.testing.assert_allclose(model.fit(data.Xs, data.ys).coef_, model.fit_statistics(stats).coef_)
    np.testing.assert_allclose(mymethods.RidgeToMean(alpha=1e-9).fit(data.Xs, data.ys).coef_, ols, atol=1e-8)
    far = mymethods.RidgeToMean(alpha=1e12).fit(data.Xs, data.ys, target=2).coef_
    np.testing.assert_allclose(far, np.tile(np.delete(ols, 2, axis=0).mean(axis=0), (6, 1)), atol=1e-6)


def test_the_guides_policy_learns_and_is_reproducible(mymethods):
    problem = make_problem(3, 2, 4, 1, replicate_rng(0, "guide"))
    stream = problem.sample(3000, replicate_rng(0, "guide-stream"))
    arms = simulate(mymethods.EpsilonGreedy(), problem, stream, replicate_rng(0, "guide-policy"))
    again = simulate(mymethods.EpsilonGreedy(), problem, stream, replicate_rng(0, "guide-policy"))
    np.testing.assert_array_equal(arms, again)
    late = np.arange(3000) >= 1500
    assert (arms[late] == stream.optimal_arms()[late]).mean() > 0.8  # it learns (random play: about 0.5)


def test_a_user_estimator_runs_beside_the_others_without_changing_them(mymethods):
    estimation = smoke()["estimation"]
    for study, label in (("error_vs_n", "60"), ("data_poor_vs_d", "8")):  # rows, and statistics only (fit_statistics)

        def table(names, study=study, label=label):
            return run_estimation_point(estimation, study, label, names, seed=3)

        alone = table(("robust_multitask", "median_shrinkage"))
        both = table(("robust_multitask", "median_shrinkage", "mymethods:RidgeToMean"))
        mine = both[both["estimator"] == "mymethods:RidgeToMean"]
        assert set(mine["metric"]) == {"l1", "l2"} and np.isfinite(mine["error"]).all()
        pd.testing.assert_frame_equal(alone, both[both["estimator"] != "mymethods:RidgeToMean"].reset_index(drop=True))


def test_a_user_policy_runs_beside_the_others_without_changing_them(mymethods):
    bandits = smoke()["bandits"]
    bandits["policies"] = ["rmbandit", "median_bandit"]
    alone = run_bandit_point("regret_vs_d", "d4", bandits, seed=5, scale="test")
    bandits["policies"] = ["rmbandit", "median_bandit", "mymethods:EpsilonGreedy"]
    both = run_bandit_point("regret_vs_d", "d4", bandits, seed=5, scale="test")
    mine = both[both["policy"] == "mymethods:EpsilonGreedy"]
    assert len(mine) == bandits["replicates"] and (mine["value"] > 0).all()
    pd.testing.assert_frame_equal(alone, both[both["policy"] != "mymethods:EpsilonGreedy"].reset_index(drop=True))


# --- the median shrinkage bandit ---------------------------------------------------------------------------------


def _statistics(N=6, d=4, n=30, seed=0):
    data = make_instances(N, d, 1, n, np.random.default_rng(seed), noise_sd=0.7)
    return data, SufficientStatistics.from_data(data.Xs, data.ys)


@pytest.mark.parametrize("target", [None, 2])
def test_median_shrinkage_fit_is_the_estimator_exactly(target):
    data, stats = _statistics()
    N = data.n_instances
    sources = np.ones((N, N), dtype=bool)
    if target is not None:
        sources[:, target] = False  # every instance shares from all but the data-poor target, as the estimator
    coef = median_shrinkage_fit(stats.grams, stats.xtys, stats.n_obs, data.noise_sds, sources, 0.7, 0.1)
    expected = MedianShrinkage(noise_sd=data.noise_sds, threshold_multiplier=0.7, confidence=0.1)
    np.testing.assert_array_equal(coef, expected.fit_statistics(stats, target=target).coef_)


def test_median_shrinkage_fit_gives_an_instance_without_ols_the_median_of_its_sources():
    data, stats = _statistics(N=5, d=4)
    count = stats.n_obs.copy()
    count[1] = 3  # fewer than d observations: no OLS estimate
    sources = data_poor_sources(5, target=1, neighbour=4)
    coef = median_shrinkage_fit(stats.grams, stats.xtys, count, data.noise_sds, sources)
    ols = np.linalg.solve(stats.grams[4], stats.xtys[4])
    np.testing.assert_allclose(coef[1], ols)  # the median of one source, the neighbour, is its OLS estimate
    full = median_shrinkage_fit(stats.grams, stats.xtys, stats.n_obs, data.noise_sds, np.ones((5, 5), bool))
    np.testing.assert_array_equal(
        coef[[0, 2, 3, 4]],
        np.delete(
            median_shrinkage_fit(stats.grams, stats.xtys, count, data.noise_sds, np.ones((5, 5), bool)), 1, axis=0
        ),
    )
    assert not np.array_equal(coef[[0, 2, 3, 4]], np.delete(full, 1, axis=0))  # instance 1 left every median


@pytest.fixture(scope="module")
def bandit_setting():
    rng = replicate_rng(11, "median-bandit")
    problem = make_problem(5, 2, 6, 1, rng)
    return problem, problem.sample(4000, rng)


def test_median_bandit_has_rmbandits_schedule_and_forced_phase(bandit_setting):
    problem, stream = bandit_setting
    rm, median = RMBandit(), MedianShrinkageBandit()
    rm_arms = simulate(rm, problem, stream, replicate_rng(1, "p"))
    median_arms = simulate(median, problem, stream, replicate_rng(1, "p"))
    assert median.batch_ends_ == rm.batch_ends_ and median.b0_ == rm.b0_
    np.testing.assert_array_equal(median_arms[: rm.b0_], rm_arms[: rm.b0_])  # round robin in B_0
    assert not np.array_equal(median.forced_coef_, rm.forced_coef_)  # the estimator is swapped
    assert [fit["kind"] for fit in median.fits_] == [fit["kind"] for fit in rm.fits_]
    again = simulate(MedianShrinkageBandit(), problem, stream, replicate_rng(1, "p"))
    np.testing.assert_array_equal(median_arms, again)
    regret = stream.regret(median_arms)
    random_regret = stream.regret(np.arange(stream.T) % problem.K)
    assert regret[stream.T // 2 :].sum() < 0.5 * random_regret[stream.T // 2 :].sum()  # it learns


def test_median_bandit_runs_in_data_poor_mode_and_refuses_bad_settings(bandit_setting):
    problem, stream = bandit_setting
    policy = MedianShrinkageBandit(target=0, neighbour=1)
    simulate(policy, problem, stream, replicate_rng(1, "p"))
    assert policy.sources_[0].tolist() == [False, True, False, False, False]
    for kwargs, message in (
        ({"threshold_multiplier": -1.0}, r"threshold_multiplier must be a finite number >= 0, got -1.0"),
        ({"confidence": 1.0}, r"confidence must be in \(0, 1\), got 1.0"),
    ):
        with pytest.raises(ValueError, match=message):
            simulate(MedianShrinkageBandit(**kwargs), problem, stream, replicate_rng(1, "p"))
    silent = make_problem(3, 2, 4, 1, replicate_rng(0, "x"), sigma=0.0)
    with pytest.raises(ValueError, match=r"median_bandit needs a noise level sigma_j > 0 for every instance"):
        simulate(MedianShrinkageBandit(), silent, silent.sample(100, replicate_rng(0, "y")), replicate_rng(0, "z"))


# --- the figures -----------------------------------------------------------------------------------------------


def test_estimation_figures_draw_every_estimator_with_the_resolvers_style(mymethods, tmp_path):
    from banditlab.estimation import figures as plots
    from banditlab.estimation.study import STUDY
    from banditlab.study import points

    estimation = smoke()["estimation"]
    names = ("robust_multitask", "median_shrinkage", "mymethods:RidgeToMean")
    frames = []
    for study in ("error_vs_n", "support_alignment", "lower_bound"):
        for point in points(STUDY, estimation, study):
            frames.append(run_estimation_point(estimation, study, point.label, names))
    table = pd.concat(frames, ignore_index=True)
    style = plots.styles(plots.estimators_of(table))
    assert list(style) == list(names)
    assert style["mymethods:RidgeToMean"] == ("Ridge toward the mean (mine)", USER_COLORS[0])
    assert style["median_shrinkage"] == ("Median shrinkage (ours)", plots.COLORS["median_shrinkage"])
    labels = [style[name][0] for name in names]
    draw = {"error_vs_n": plots.error_curve, "support_alignment": plots.support_alignment, "lower_bound": plots.bounds}
    for study, plot in draw.items():
        png = tmp_path / f"{study}.png"
        save_figure(plot({study: table[table["study"] == study]}, {}), tmp_path / f"{study}.pdf", png)
        legend = read_legend(png)
        assert all(label in legend for label in labels), (study, legend)
    without = table[table["estimator"] != "mymethods:RidgeToMean"]
    drawn = plots.error_curve({"error_vs_n": without[without["study"] == "error_vs_n"]}, {})
    save_figure(drawn, tmp_path / "w.pdf", tmp_path / "w.png")
    assert "Ridge toward the mean (mine)" not in read_legend(tmp_path / "w.png")  # the check can fail


def test_bandit_figures_draw_every_policy_with_the_resolvers_style(mymethods, tmp_path):
    from banditlab.bandits import figures as plots

    bandits = smoke()["bandits"]
    bandits["policies"] = ["rmbandit", "median_bandit", "mymethods:EpsilonGreedy", "oracle"]
    table = pd.concat([run_bandit_point("regret_vs_d", p, bandits, seed=2, scale="t") for p in ("d4", "d8")])
    save_figure(plots.regret_vs_d({"regret_vs_d": table}, {}), tmp_path / "f.pdf", tmp_path / "f.png")
    legend = read_legend(tmp_path / "f.png")
    assert legend[:3] == ["RMBandit", "Median shrinkage bandit (ours)", "Epsilon-greedy (mine)"]
    assert all(entry.startswith("shape of") for entry in legend[3:])  # the bounds' reference shapes
    assert plots.styles(["mymethods:EpsilonGreedy"])["mymethods:EpsilonGreedy"][1] == USER_COLORS[0]


# --- the beyond-the-papers table -------------------------------------------------------------------------------


def _estimation_frame(factor: float, power: float) -> pd.DataFrame:
    """l1 errors of robust_multitask ~ n^-1/2 (noise per replicate) and of 'mine' = factor * n^power times it."""
    rng = np.random.default_rng(0)
    rows = []
    for n in (50, 100, 200, 400):
        for r in range(6):
            base = n**-0.5 * rng.uniform(0.8, 1.2)
            for name, error in (
                ("robust_multitask", base),
                ("averaging", 2 * base),
                ("mine:M", factor * n**power * base),
            ):
                rows.append(
                    {
                        "study": "error_vs_n",
                        "axis": "n_per_instance",
                        "axis_value": n,
                        "n_per_instance": n,
                        "regime": "standard",
                        "case": "benign",
                        "replicate": r,
                        "estimator": name,
                        "instance": "mean",
                        "metric": "l1",
                        "error": error,
                    }
                )
    return pd.DataFrame(rows)


def test_beyond_rows_measure_ratios_and_slopes_against_the_robust_estimator():
    rows = pd.DataFrame(estimation_rows(_estimation_frame(factor=3.0, power=0.0), resamples=50, seed=0))
    assert set(rows["method"]) == {"mine:M"} and (rows["claim"] == BEYOND).all()
    points = rows[rows["point"] != "50..400"]
    assert len(points) == 4
    np.testing.assert_allclose(points["comparison"], 3.0)  # paired: exactly three times the reference
    np.testing.assert_allclose(points["comparison_se"], 0.0, atol=1e-12)
    (slope,) = rows[rows["point"] == "50..400"].itertuples()
    assert slope.comparison_kind == "difference to reference"
    assert abs(slope.value - slope.reference_value) < 1e-12 and abs(slope.comparison) < 1e-12
    assert -0.6 < slope.reference_value < -0.4
    steeper = pd.DataFrame(estimation_rows(_estimation_frame(factor=1.0, power=-0.5), resamples=50, seed=0))
    (row,) = steeper[steeper["point"] == "50..400"].itertuples()
    np.testing.assert_allclose(row.comparison, -0.5, atol=1e-12)
    assert np.isclose(row.comparison_se, 0.0, atol=1e-12)  # the same resamples for both: a paired difference


def test_beyond_rows_of_the_bandits_and_no_row_for_the_papers_methods():
    rows = []
    for r in range(4):
        for d in (4, 8, 16):
            for policy, value in (
                ("rmbandit", d * (1 + r)),
                ("ols_bandit", d**2),
                ("median_bandit", 0.5 * d**1.5 * (1 + r)),
            ):
                rows.append(
                    {
                        "replicate": r,
                        "policy": policy,
                        "d": d,
                        "t": 100,
                        "T": 100,
                        "metric": "regret_per_instance",
                        "value": float(value),
                    }
                )
    frame = pd.DataFrame(rows)
    out = pd.DataFrame(bandit_rows({"regret_vs_d": frame}))
    assert set(out["method"]) == {"median_bandit"} and len(out) == 4
    points = out[out["point"] != "4..16"]
    np.testing.assert_allclose(points["comparison"], 0.5 * np.array([4, 8, 16]) ** 0.5)
    (slope,) = out[out["point"] == "4..16"].itertuples()
    np.testing.assert_allclose([slope.value, slope.reference_value, slope.comparison], [1.5, 1.0, 0.5])
    assert slope.label == "Median shrinkage bandit (ours)"
    only_paper = frame[frame["policy"] != "median_bandit"]
    table = beyond_papers_table(None, {"regret_vs_d": only_paper})
    assert table.empty and list(table.columns) == COLUMNS and "verdict" not in COLUMNS


def test_the_ledger_links_the_beyond_the_papers_table():
    text = ledger_markdown(claims_ledger({}, "smoke"), findings_table())
    assert "[beyond_papers.md](beyond_papers.md)" in text


# --- the user-code digest --------------------------------------------------------------------------------------


def test_user_modules_digest_follows_their_source(tmp_path, monkeypatch):
    from banditlab import provenance

    assert modules_digest([]) == ""
    digests = {}
    for folder, text in (("one", "X = 1\n"), ("two", "X = 1\n"), ("three", "X = 2\n")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "digested.py").write_text(text)
        with monkeypatch.context() as patch:
            patch.syspath_prepend(str(tmp_path / folder))
            patch.delitem(sys.modules, "digested", raising=False)
            provenance._module_file.cache_clear()
            digests[folder] = modules_digest(["digested"])
    provenance._module_file.cache_clear()
    assert digests["one"] == digests["two"] != ""  # the same module elsewhere: the same digest
    assert digests["three"] != digests["one"]  # edited: another digest


# --- through snakemake ---------------------------------------------------------------------------------------------


def snakemake(work: Path, *args: str, timeout: float = 1200) -> subprocess.CompletedProcess:
    path = os.pathsep.join(p for p in (str(work / "mine"), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": path}
    command = [str(SNAKEMAKE), *args, "--cores", "1", "--configfile", "mine.yaml"]  # --configfile takes several
    return subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=timeout)


def user_workflow(tmp_path: Path, estimator: str, policy: str) -> Path:
    """A copy of the workflow whose smoke config names ``estimator`` and ``policy`` (the guide's module in mine/)."""
    work = copy_workflow(tmp_path / "work")
    (work / "mine").mkdir()
    (work / "mine" / "mymethods.py").write_text(guide_module())
    config = copy.deepcopy(smoke())
    config["estimation"]["estimators"].append(estimator)
    config["bandits"]["policies"].append(policy)
    config["bandits"]["experiments"]["data_poor"]["policies"].append(policy)
    (work / "mine.yaml").write_text(yaml.safe_dump(config))
    return work


@pytest.mark.slow
def test_a_user_estimator_and_policy_run_through_the_workflow(tmp_path):
    work = user_workflow(tmp_path, "mymethods:RidgeToMean", "mymethods:EpsilonGreedy")
    targets = [
        "results/tables/beyond_papers.md",
        "results/tables/claims.md",
        "figures/error_vs_n.png",
        "figures/data_poor_vs_d.png",
        "figures/regret_vs_d.png",
        "figures/regret_data_poor.png",
        "results/bandits/sensitivity.csv",  # runs the built-in rmbandit and am_bandit only
    ]
    result = snakemake(work, *targets)
    assert result.returncode == 0, result.stderr[-4000:]
    for study in ("error_vs_n", "data_poor_vs_d", "support_alignment"):
        table = pd.read_csv(work / "results" / "estimation" / f"{study}.csv")
        assert {"mymethods:RidgeToMean", "median_shrinkage", "robust_multitask"} <= set(table["estimator"]), study
    for experiment in ("regret_vs_d", "data_poor"):
        table = pd.read_csv(work / "results" / "bandits" / f"{experiment}.csv")
        assert {"mymethods:EpsilonGreedy", "median_bandit", "rmbandit"} <= set(table["policy"]), experiment
    for figure, label in (
        ("error_vs_n", "Ridge toward the mean (mine)"),
        ("data_poor_vs_d", "Ridge toward the mean (mine)"),
        ("regret_vs_d", "Epsilon-greedy (mine)"),
        ("regret_data_poor", "Epsilon-greedy (mine)"),
    ):
        legend = read_legend(work / "figures" / f"{figure}.png")
        assert label in legend and any("Median shrinkage" in entry for entry in legend), (figure, legend)
    beyond = pd.read_csv(work / "results" / "tables" / "beyond_papers.csv")
    assert set(beyond["method"]) == {
        "median_shrinkage",
        "mymethods:RidgeToMean",
        "median_bandit",
        "mymethods:EpsilonGreedy",
    }
    assert (beyond["claim"] == BEYOND).all() and "verdict" not in beyond
    mine = beyond[beyond["method"] == "mymethods:RidgeToMean"]
    # every experiment that fits the study's estimators, every point (lemma1_tail has its own run: no estimator)
    fitted = set(smoke()["estimation"]["experiments"]) - set(ESTIMATION_STUDY.experiments)
    assert fitted and set(mine["experiment"]) == fitted
    assert "Ridge toward the mean (mine)" in (work / "results" / "tables" / "beyond_papers.md").read_text()
    rates = pd.read_csv(work / "results" / "tables" / "rate_check.csv")
    assert not set(rates["estimator"].dropna()) - {  # (rows of no estimator: Lemma 1's tail, the theory)
        "independent_ols",
        "averaging",
        "pooling",
        "averaging_multitask",
        "robust_multitask",
    }  # the checks read the paper's estimators only
    assert "beyond_papers.md" in (work / "results" / "tables" / "claims.md").read_text()
    # editing the user's module reruns the points that run it (params.user_code), not the others
    assert planned_jobs(snakemake(work, *targets, "-n")) == {}
    (work / "mine" / "mymethods.py").write_text(guide_module().replace("alpha: float = 10.0", "alpha: float = 5.0"))
    planned = planned_jobs(snakemake(work, *targets, "-n"))
    experiments = smoke()["estimation"]["experiments"]
    estimation_points = sum(len(*spec["grid"].values()) for spec in experiments.values())
    bandits = smoke()["bandits"]["experiments"]
    runs_it = len(bandits["regret_vs_d"]["grid"]["d"]) + len(bandits["regret_vs_n"]["grid"]["N"])
    runs_it += len(bandits["data_poor"]["grid"]["d"]) + 1
    # regret_vs_t, _d, _n and data_poor run it; no_diversity, network and sensitivity (built-ins only) are not rerun,
    # though the ledger's regret check reads their tables
    batches = plan_batches(yaml.safe_load((work / "mine.yaml").read_text()))
    rerun = sum(len(batch.labels) for batch in batches if batch.rule in planned)
    assert rerun == estimation_points + runs_it, planned


def planned_jobs(result: subprocess.CompletedProcess) -> dict[str, int]:
    """``{rule: count}`` of a dry run's 'Job stats' table (empty: nothing to do)."""
    assert result.returncode == 0, result.stderr[-3000:]
    output = result.stdout + result.stderr
    if "Nothing to be done" in output:
        return {}
    table = output.split("Job stats:", 1)[1].split("total", 1)[0]
    return {rule: int(count) for rule, count in re.findall(r"^(\w+)\s+(\d+)$", table, flags=re.M)}


@pytest.mark.slow
def test_a_broken_path_is_refused_before_any_job(tmp_path):
    work = user_workflow(tmp_path, "mymethods:RidgeToMean", "mymethods:NoSuchPolicy")
    result = snakemake(work, "-n", timeout=300)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "bandits.policies[8]: 'mymethods:NoSuchPolicy': module 'mymethods' has no attribute 'NoSuchPolicy'" in output
    work = user_workflow(tmp_path / "again", "not_a_module_xyz:Ridge", "rmbandit")
    result = snakemake(work, "-n", timeout=300)
    assert result.returncode != 0
    assert (
        "estimation.estimators[6]: 'not_a_module_xyz:Ridge': module 'not_a_module_xyz' does not import"
        in result.stdout + result.stderr
    )
    assert not (work / "results").exists() and not (work / "logs").exists()
