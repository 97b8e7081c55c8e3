"""The steps of a run, one module per stretch of benchmark_app's 11 steps; `Engine`
(engine.py) inherits them and keeps their order."""
