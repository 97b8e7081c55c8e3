"""ovbench-tui: benchmark_app-compatible OpenVINO benchmarking, headless and in a Textual app."""

__version__ = "0.1.0"
