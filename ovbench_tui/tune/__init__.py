"""The tuner: search a few settings for a latency budget, then confirm the winner."""
