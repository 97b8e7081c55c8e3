"""Capacity under a latency target: the highest open-loop rate within it (no UI here)."""
