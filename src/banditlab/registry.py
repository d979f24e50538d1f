"""Estimators and policies by name: the built-in registries, a user's classes by import path, labels.

A config names a method either by a built-in name (``robust_multitask``, ``median_shrinkage``,
``rmbandit``, ``median_bandit``, ...) or by the import path of a class of the user's own,
``package.module:ClassName`` (:data:`IMPORT_PATH`), for example
``estimators: [robust_multitask, mymethods:RidgeToMean]``. The studies, tables and figures then run
and show it with no file of ``banditlab`` edited (``docs/extending.md``).

Protocols (checked by :func:`estimator_class` and :func:`policy_class` before any job starts):

* an **estimator** is a class built with no arguments (its defaults must work on their own) with
  ``fit(Xs, ys, target=None)`` (``Xs[j]`` (n_j, d), ``ys[j]`` (n_j,), ``target`` the data-poor instance
  to leave out of every shared estimate) and, optionally, ``fit_statistics(stats, target=None)`` on a
  :class:`~banditlab.estimators.SufficientStatistics`; after fitting, ``coef_`` holds an (N, d) array,
  one estimate per instance. The estimation study fits with ``fit_statistics`` when the class has it,
  else with ``fit``; the studies that draw the statistics only (``draw: statistics``) need
  ``fit_statistics``.
* a **policy** is a :class:`~banditlab.agents.Agent` subclass, or any class with the methods
  :func:`~banditlab.agents.simulate` calls: ``reset(problem, T, rng)``, ``next_stop(t)`` (end of the
  segment starting at t, > t), ``act(t0, Z, X)`` (one arm in ``[0, problem.K)`` per arrival of the
  segment) and ``update(t0, Z, X, arms, y)``; built with no arguments; every random draw from the
  ``rng`` given to ``reset``.

A class may set ``label`` (its name in legends and tables; default: the class name). How the figures draw
a method they do not know (colour, marker, line) is :func:`banditlab.style.series_styles`'s business.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Iterable, Mapping

import numpy as np

IMPORT_PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*$")
"""``package.module:ClassName`` (the schemas' ``pattern`` for names that are not built in)."""

POLICY_METHODS = ("reset", "next_stop", "act", "update")
"""What :func:`banditlab.agents.simulate` calls on a policy."""


def _package(module: str):
    """``banditlab.<module>``, imported when first needed.

    Imported by name rather than by an import statement so that :func:`banditlab.provenance.code_digest`,
    which follows import statements, does not tie every job that uses names (the estimation points, the
    figures) to the code of both studies: editing a bandit policy must not rerun an estimation point. The
    modules that build and run the methods import them themselves.
    """
    return importlib.import_module(f"banditlab.{module}")


class RegistryError(ValueError):
    """A method name that does not resolve to a class following its protocol (the message names it)."""


def is_import_path(name: object) -> bool:
    """Whether ``name`` has the form ``package.module:ClassName``."""
    return isinstance(name, str) and IMPORT_PATH.match(name) is not None


def load_class(path: str, where: str = "name") -> type:
    """The class ``package.module:ClassName`` names; errors name ``where`` (the config field) and the path."""
    if not is_import_path(path):
        raise RegistryError(f"{where}: {path!r} is not an import path 'package.module:ClassName'")
    module_name, _, class_name = path.partition(":")
    try:
        module = importlib.import_module(module_name)
    except Exception as error:  # any failure while importing the user's module is reported the same way
        raise RegistryError(
            f"{where}: {path!r}: module {module_name!r} does not import ({type(error).__name__}: {error}); "
            "put its folder on PYTHONPATH (PYTHONPATH=<folder> snakemake ...) or install it"
        ) from error
    cls = getattr(module, class_name, None)
    if cls is None:
        raise RegistryError(f"{where}: {path!r}: module {module_name!r} has no attribute {class_name!r}")
    if not isinstance(cls, type):
        raise RegistryError(f"{where}: {path!r} is not a class (got {type(cls).__name__})")
    return cls


def _build(cls: type, path: str, where: str):
    try:
        return cls()
    except Exception as error:
        raise RegistryError(
            f"{where}: {path!r} lacks the protocol: it cannot be built with no arguments "
            f"({type(error).__name__}: {error}); give every parameter a default"
        ) from error


def _accepts_target(method) -> bool:
    try:
        parameters = inspect.signature(method).parameters.values()
    except (TypeError, ValueError):  # no signature to read (a builtin): let the tiny fit decide
        return True
    return any(p.name == "target" or p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters)


# ------------------------------------------------------------------------------------------- estimators


def builtin_estimators() -> dict[str, type]:
    """The built-in estimators by config name (:data:`banditlab.estimators.ALL_ESTIMATORS`)."""
    return dict(_package("estimators").ALL_ESTIMATORS)


def _tiny_problem() -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Three instances, d = 2, 20 rows each, from a fixed generator: the protocol check's data."""
    rng = np.random.default_rng(0)
    Xs = [rng.uniform(-1, 1, (20, 2)) for _ in range(3)]
    ys = [X @ np.array([1.0, -0.5]) + 0.1 * rng.standard_normal(20) for X in Xs]
    return Xs, ys


def check_estimator_protocol(cls: type, path: str, where: str = "estimator") -> None:
    """Refuse a class that does not follow the estimator protocol (module docstring), naming it.

    Builds it with no arguments, checks ``fit`` (and ``fit_statistics`` if present) accept ``target``,
    fits it on a tiny fixed problem (3 instances, d = 2; with ``fit_statistics`` if it has it, as the
    studies do) and checks ``coef_`` is a finite (3, 2) array.
    """
    SufficientStatistics = _package("estimators").SufficientStatistics
    model = _build(cls, path, where)
    fit = getattr(model, "fit", None)
    if not callable(fit):
        raise RegistryError(f"{where}: {path!r} lacks the estimator protocol: it has no fit(Xs, ys, target=None)")
    for method in (fit, getattr(model, "fit_statistics", None)):
        if callable(method) and not _accepts_target(method):
            raise RegistryError(
                f"{where}: {path!r} lacks the estimator protocol: {method.__name__} has no 'target' parameter "
                "(the data-poor instance, None in the standard regime)"
            )
    Xs, ys = _tiny_problem()
    try:
        if callable(getattr(model, "fit_statistics", None)):
            model.fit_statistics(SufficientStatistics.from_data(Xs, ys), target=None)
        else:
            model.fit(Xs, ys, target=None)
    except Exception as error:
        raise RegistryError(
            f"{where}: {path!r} fails on a tiny problem (3 instances, d = 2): {type(error).__name__}: {error}"
        ) from error
    coef = getattr(model, "coef_", None)
    shape = np.shape(coef) if coef is not None else None
    if shape != (3, 2) or not np.isfinite(np.asarray(coef, dtype=float)).all():
        raise RegistryError(
            f"{where}: {path!r} lacks the estimator protocol: after fitting 3 instances in d = 2 its coef_ must be a "
            f"finite (N, d) = (3, 2) array, got {'no coef_' if coef is None else f'shape {shape}'}"
        )


_CHECKED: dict[tuple[str, str], type] = {}


def _method_class(
    kind: str, name: str, where: str, builtins: Mapping[str, type], check_protocol: Callable[[type, str, str], None]
) -> type:
    """A built-in class of ``kind`` ("estimator" or "policy") by name, or a user's class by import path,
    checked by ``check_protocol`` once per process."""
    if name in builtins:
        return builtins[name]
    if (kind, name) in _CHECKED:
        return _CHECKED[kind, name]
    if not is_import_path(name):
        raise RegistryError(
            f"{where}: unknown {kind} {name!r}; allowed: {', '.join(builtins)}, or the import path of a class of "
            "your own, 'package.module:ClassName' (docs/extending.md)"
        )
    cls = load_class(name, where)
    check_protocol(cls, name, where)
    _CHECKED[kind, name] = cls
    return cls


def estimator_class(name: str, where: str = "estimator") -> type:
    """The estimator class ``name`` stands for: a built-in name, or an import path whose class follows the
    protocol (checked once per process). Errors name ``where`` and the allowed values."""
    return _method_class("estimator", name, where, builtin_estimators(), check_estimator_protocol)


def fits_statistics(name: str) -> bool:
    """Whether estimator ``name`` fits from sufficient statistics (``fit_statistics``)."""
    return callable(getattr(estimator_class(name), "fit_statistics", None))


# --------------------------------------------------------------------------------------------- policies


def builtin_policies() -> dict[str, type]:
    """The built-in policies by config name (:data:`banditlab.bandits.policies.POLICIES`)."""
    return dict(_package("bandits.policies").POLICIES)


def check_policy_protocol(cls: type, path: str, where: str = "policy") -> None:
    """Refuse a class that does not follow the policy protocol (module docstring), naming it.

    A :class:`~banditlab.agents.Agent` subclass must override ``reset``, ``next_stop`` and ``act``; another
    class must have the four methods of :data:`POLICY_METHODS`. Then the class is built with no arguments and
    run on a tiny problem (N = 2, K = 2, d = 3, T = 200; fixed generators).
    """
    make_problem = _package("bandits.env").make_problem
    agents = _package("agents")
    Agent, simulate = agents.Agent, agents.simulate
    if issubclass(cls, Agent):
        missing = [m for m in POLICY_METHODS[:3] if getattr(cls, m) is getattr(Agent, m)]
    else:
        missing = [m for m in POLICY_METHODS if not callable(getattr(cls, m, None))]
    if missing:
        raise RegistryError(
            f"{where}: {path!r} lacks the policy protocol: no {', '.join(missing)} (a policy subclasses "
            "banditlab.agents.Agent or has reset, next_stop, act and update; docs/extending.md)"
        )
    policy = _build(cls, path, where)
    problem = make_problem(2, 2, 3, 1, np.random.default_rng(0))
    stream = problem.sample(200, np.random.default_rng(1))
    try:
        arms = simulate(policy, problem, stream, np.random.default_rng(2))
    except Exception as error:
        raise RegistryError(
            f"{where}: {path!r} fails on a tiny problem (N = 2, K = 2, d = 3, T = 200): {type(error).__name__}: {error}"
        ) from error
    if arms.min() < 0 or arms.max() >= problem.K:
        raise RegistryError(f"{where}: {path!r} lacks the policy protocol: act returned arms outside [0, K)")


def policy_class(name: str, where: str = "policy") -> type:
    """The policy class ``name`` stands for: a built-in name, or an import path whose class follows the
    protocol (checked once per process). Errors name ``where`` and the allowed values."""
    return _method_class("policy", name, where, builtin_policies(), check_policy_protocol)


def check_names(names: Iterable[str], kind: str, where: str) -> None:
    """Resolve every name of a config list (``kind`` "estimator" or "policy"); errors name ``where[i]``."""
    resolve = {"estimator": estimator_class, "policy": policy_class}[kind]
    for index, name in enumerate(names):
        resolve(name, f"{where}[{index}]")


# ----------------------------------------------------------------------------------- labels and colours


def method_label(name: str) -> str:
    """A method's name in legends and tables: its class's ``label`` attribute, else the class name.

    Never raises: a name that does not resolve (a table re-plotted without the user's module on the path)
    is shown as it is.
    """
    cls = builtin_estimators().get(name) or builtin_policies().get(name)
    if cls is None and is_import_path(name):
        try:
            cls = load_class(name)
        except RegistryError:
            cls = None
    if cls is None:
        return name
    label = getattr(cls, "label", "")
    return label if isinstance(label, str) and label else cls.__name__


def user_modules(names: Iterable[str]) -> list[str]:
    """The modules of the import-path names among ``names`` (sorted, unique)."""
    return sorted({name.partition(":")[0] for name in names if is_import_path(name)})


__all__ = [
    "IMPORT_PATH",
    "POLICY_METHODS",
    "RegistryError",
    "builtin_estimators",
    "builtin_policies",
    "check_estimator_protocol",
    "check_names",
    "check_policy_protocol",
    "estimator_class",
    "fits_statistics",
    "is_import_path",
    "load_class",
    "method_label",
    "policy_class",
    "user_modules",
]
