"""Which package code a workflow script runs, as a content digest (a rerun trigger for the workflow).

Snakemake reruns a job when its rule or script changes, but the package a script imports is not part
of that. Every rule therefore carries ``params: code=code_digest(script)``: a hash of the source of every
``banditlab`` module the script imports, followed transitively (a module's parent packages included,
since importing ``a.b.c`` runs ``a/__init__`` and ``a/b/__init__``). Editing one estimator changes the
digest of the rules whose scripts reach it, and Snakemake's ``params`` trigger reruns exactly those jobs;
a pareto point, which never imports the estimators, is left alone. The digest hashes contents, not
modification times, so a fresh clone or a ``git checkout`` of unchanged files reruns nothing.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.util
from pathlib import Path

PACKAGE = "banditlab"


def _imported_names(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """Absolute names of the modules an AST imports (``from x import y`` may name a submodule ``x.y``)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the importing module's package
                package = module if is_package else module.rpartition(".")[0]
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{node.module}" if node.module else package
            else:
                base = node.module or ""
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


@functools.cache
def _module_file(name: str) -> Path | None:
    """Source file of a ``banditlab`` module, or None for names that are not modules (``from m import f``)."""
    if name != PACKAGE and not name.startswith(PACKAGE + "."):
        return None
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return None
    return Path(spec.origin)


def _with_parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def package_sources(script: str | Path) -> list[Path]:
    """Every ``banditlab`` source file ``script`` imports, transitively, sorted.

    ``script`` is a Python file (a workflow script or a module); its own imports are the roots.
    """
    script = Path(script)
    pending = [
        n for root in _imported_names(ast.parse(script.read_text()), "__main__", False) for n in _with_parents(root)
    ]
    seen: dict[str, Path] = {}
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        path = _module_file(name)
        if path is None:
            continue
        seen[name] = path
        is_package = path.name == "__init__.py"
        imports = _imported_names(ast.parse(path.read_text()), name, is_package)
        pending.extend(n for imported in imports for n in _with_parents(imported))
    return sorted(set(seen.values()))


def code_digest(script: str | Path) -> str:
    """Short SHA-256 of the package code ``script`` runs (file paths relative to the package, and contents).

    Independent of where the package is installed, so two clones of the same commit give one digest.
    """
    sources = package_sources(script)
    root = _module_file(PACKAGE).parent
    digest = hashlib.sha256()
    for path in sources:
        digest.update(str(path.relative_to(root.parent)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]
