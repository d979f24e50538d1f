"""The built-in bandit policies by config name (the names ``bandits.policies`` and the experiments' lists use)."""

from __future__ import annotations

from ..agents import Agent
from .independent import GreedyBandit, LassoBandit, OLSBandit, Oracle
from .rmbandit import AveragingMultitaskBandit, MedianShrinkageBandit, PooledBandit, RMBandit

__all__ = ["POLICIES", "PAPER_POLICIES"]

POLICIES: dict[str, type[Agent]] = {
    "rmbandit": RMBandit,
    "am_bandit": AveragingMultitaskBandit,
    "pooled": PooledBandit,
    "ols_bandit": OLSBandit,
    "lasso_bandit": LassoBandit,
    "greedy": GreedyBandit,
    "oracle": Oracle,
    "median_bandit": MedianShrinkageBandit,
}
"""The built-in policies by config name: paper 000's RMBandit and the baselines it is compared with, and ours
(:class:`MedianShrinkageBandit`). A user's policy is named by import path instead (:mod:`banditlab.registry`)."""

PAPER_POLICIES = ("rmbandit", "am_bandit", "pooled", "ols_bandit", "lasso_bandit", "greedy", "oracle")
"""The policies the papers' claims speak of (RMBandit and its baselines); the others are beyond the papers."""
