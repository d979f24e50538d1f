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
import re
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
def _module_file(name: str, package: str = PACKAGE) -> Path | None:
    """Source file of a module of ``package``, or None for names that are not modules (``from m import f``)."""
    if name != package and not name.startswith(package + "."):
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
    roots = _imported_names(ast.parse(script.read_text()), "__main__", False)
    return sorted(set(_follow(roots, PACKAGE).values()))


def _follow(roots, package: str) -> dict[str, Path]:
    """``{module name: source file}`` of the modules of ``package`` among ``roots`` and what they import."""
    pending = [n for root in roots for n in _with_parents(root)]
    seen: dict[str, Path] = {}
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        path = _module_file(name, package)
        if path is None:
            continue
        seen[name] = path
        stat = path.stat()
        imports = _module_imports(name, path, stat.st_mtime_ns, stat.st_size)
        pending.extend(n for imported in imports for n in _with_parents(imported))
    return seen


@functools.cache
def _module_imports(name: str, path: Path, mtime_ns: int, size: int) -> tuple[str, ...]:
    """What module ``name`` (file ``path``) imports, parsed once per version of the file (the workflow asks for
    the same modules for every job; the modification time and size in the key see an edit)."""
    tree = ast.parse(path.read_text())
    return tuple(sorted(_imported_names(tree, name, path.name == "__init__.py")))


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


def modules_digest(modules) -> str:
    """Short SHA-256 of the source of user modules (named in the config by import path, ``module:Class``).

    Each module is followed like the package: the module, its parent packages and every module of its own
    top-level package it imports, transitively (modules of other top-level packages are not followed). The
    digest hashes module names and contents, so it does not depend on where the modules live. An empty
    list gives ``""``. The workflow adds it to the params of the point jobs that run those modules, so
    editing a user's estimator or policy reruns them.
    """
    digest = hashlib.sha256()
    files: dict[str, Path] = {}
    for module in sorted(set(modules)):
        files |= _follow([module], module.split(".")[0])
    if not files:
        return ""
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name].read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def functions_digest(paths) -> str:
    """:func:`modules_digest` of the modules that define the functions named by import paths ``module:function``
    (a study's run, table and figure functions, the package's or a user's): a job that calls them by path, not
    by an import statement, reruns when their code changes."""
    return modules_digest([path.partition(":")[0] for path in paths])


_CACHED_KERNEL = re.compile(rb"^@numba\.njit\([^)]*cache=True", re.M)


def kernels_digest(paths) -> str:
    """Short SHA-256 of the modules that define cached numba kernels (``cache=True``) among those the functions
    ``paths`` (``module:function``) import, transitively: what numba's on-disk cache depends on. The workflow's
    ``kernels`` rule reruns when it changes (and with it every point of the study, whose code changed too)."""
    digest = hashlib.sha256()
    for path in sorted({path.partition(":")[0] for path in paths}):
        for name, source in sorted(_follow([path], path.split(".")[0]).items()):
            text = source.read_bytes()
            if _CACHED_KERNEL.search(text):
                digest.update(name.encode() + b"\0" + text + b"\0")
    return digest.hexdigest()[:16]
