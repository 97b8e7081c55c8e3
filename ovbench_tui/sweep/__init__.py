"""Parameter sweeps: a grid of settings run point by point, throughput against latency."""
