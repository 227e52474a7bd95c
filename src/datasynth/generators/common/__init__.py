"""Vectorised sampling and Arrow building blocks shared by the generators."""
