"""Experiment runners: a grid point in, a tidy table out (no plotting, no config parsing)."""
