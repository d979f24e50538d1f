"""Figures, drawn only from results tables (never from simulation)."""

import matplotlib

matplotlib.use("Agg")
