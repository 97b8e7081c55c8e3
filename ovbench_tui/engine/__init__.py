"""The measuring core: OpenVINO lives here, and nothing of the UI does.

Front ends build a `BenchmarkConfig`, give it to `Engine`, receive plain
dataclass events through an observer, pull live windows with
`Engine.sample_window()`, and get a `RunResult` at the end.
"""
