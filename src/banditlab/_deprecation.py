"""Old module paths kept for one release after the studies moved into one package each (0.2).

``banditlab.simulate``, ``banditlab.theory``, ``banditlab.experiments.*`` and ``banditlab.plots.*``
are the modules of :mod:`banditlab.estimation` under their old names: importing one warns with a
``DeprecationWarning`` and hands back the new module itself, so every name (private ones included)
and every monkeypatch stays shared between the two paths.
"""

from __future__ import annotations

import importlib
import sys
import warnings

REMOVED_IN = "0.3"


def warn_moved(old: str, new: str) -> None:
    """Warn that module or package ``old`` is now ``new``."""
    warnings.warn(
        f"{old} moved to {new} and will be removed in banditlab {REMOVED_IN}; import {new} instead",
        DeprecationWarning,
        stacklevel=4,  # past this function, the shim module and the import machinery
    )


def alias_module(old: str, new: str) -> None:
    """Make ``import old`` return module ``new`` (after a DeprecationWarning)."""
    warn_moved(old, new)
    sys.modules[old] = importlib.import_module(new)
