"""Files a run leaves behind: benchmark_app's CSV/JSON reports and our JSON result file."""

from .benchmark_reports import ReportSetup, command_line_pairs, write_reports
from .result_file import (
    build_result_document,
    collect_environment,
    read_result_file,
    write_result_file,
)

__all__ = [
    "ReportSetup",
    "build_result_document",
    "collect_environment",
    "command_line_pairs",
    "read_result_file",
    "write_reports",
    "write_result_file",
]
