"""Compiled parts of Algorithm 1's tree (paper 004) shared by the step kernels of :mod:`.kernels`: the descent of
the dyadic tree of Definition 11 and the two dominance tests of lines 10-11 under a cone ``C = {z : A z >= 0}``."""

from __future__ import annotations

import numba

__all__ = ["FIRST_CHILD", "HEAD", "LEVEL", "NBIN", "TAIL"]

# node_int (int64, one row per node): child pointer, level, contexts in the bin, its list of rounds
FIRST_CHILD, LEVEL, NBIN, HEAD, TAIL = range(5)


@numba.njit(cache=True, nogil=True)
def _leaf_of(X, row, node_int):  # pragma: no cover - compiled
    """Descend from the root to the leaf containing ``X[row]`` (dyadic, 2^D children per split); (node, level)."""
    node = 0
    level = 0
    d = X.shape[1]
    while node_int[node, FIRST_CHILD] >= 0:
        offset = 0
        for j in range(d):
            scaled = int(X[row, j] * (1 << (level + 1)))
            if scaled >= (1 << (level + 1)):
                scaled = (1 << (level + 1)) - 1
            offset += (scaled & 1) << j
        node = node_int[node, FIRST_CHILD] + offset
        level += 1
    return node, level


@numba.njit(cache=True, nogil=True)
def _child_offset(X, row, level):  # pragma: no cover - compiled
    """Index (0 .. 2^D - 1) of the child at ``level`` (the parent's level + 1) that contains ``X[row]``."""
    offset = 0
    for j in range(X.shape[1]):
        scaled = int(X[row, j] * (1 << level))
        if scaled >= (1 << level):
            scaled = (1 << level) - 1
        offset += (scaled & 1) << j
    return offset


@numba.njit(cache=True, nogil=True)
def _strictly_dominates(ineq, ucb, j, k):  # pragma: no cover - compiled
    """``ucb[j] - ucb[k]`` in int C."""
    for r in range(ineq.shape[0]):
        s = 0.0
        for m in range(ucb.shape[1]):
            s += ineq[r, m] * (ucb[j, m] - ucb[k, m])
        if not s > 0.0:
            return False
    return True


@numba.njit(cache=True, nogil=True)
def _confidently_dominates(ineq, row_l1, mu_hat, j, k, width):  # pragma: no cover - compiled
    """``mu_j(x) - mu_k(x)`` in int C for every ``x`` with ``|mu_.(x) - mu_hat_.| <= width``.

    Row by row: ``a_r (mu_hat_j - mu_hat_k) > width ||a_r||_1`` (``width = ubar_j + ubar_k``, the
    2C of line 11), the worst case of ``a_r d`` over the box ``|d - (mu_hat_j - mu_hat_k)| <= width``.
    For the orthant this is "the lower confidence vector of j strictly dominates the upper one of k".
    """
    for r in range(ineq.shape[0]):
        s = 0.0
        for m in range(mu_hat.shape[1]):
            s += ineq[r, m] * (mu_hat[j, m] - mu_hat[k, m])
        if not s > width * row_l1[r]:
            return False
    return True
