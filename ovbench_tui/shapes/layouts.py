"""-layout: layout text checked the way OpenVINO reads it."""

from __future__ import annotations

import re

import openvino as ov

from ovbench_tui.errors import UsageError

from .named import for_input, parse_named_values

_LAYOUT_CHARS = re.compile(r"[A-Za-z0-9_?.,\[\] \t]*")
_LAYOUT_HELP = (
    "use letters like NCHW, NHWC, N... or [N,C,H,W]: each name once, ? for an unnamed "
    "dimension, ... for any number of them"
)


def _openvino_reason(error: Exception) -> str:
    # OpenVINO's messages start with a "Check '...' failed at file:line" line;
    # the human-readable reason, when there is one, follows it.
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    reasons = [line for line in lines if not line.startswith("Check ")]
    return f" ({reasons[0].rstrip('.')})" if reasons else ""


def parse_layout(text: str, option: str, name: str = "") -> ov.Layout:
    """Parse a layout: `NCHW`, `nchw`, `N...`, `NC`, `[N,C,H,W]`, `N,C,H,W`, `...`.

    A comma list without brackets is the inside of `-layout data[N,C,H,W]`,
    which benchmark_app hands to `Layout()` as `N,C,H,W` and fails on; it is
    wrapped in brackets here. Empty text means "no layout".
    """
    body = text.strip()
    if not body:
        return ov.Layout()
    if "," in body and not (body.startswith("[") and body.endswith("]")):
        body = f"[{body}]"
    # Non-ASCII text makes OpenVINO fail with a UnicodeDecodeError instead of a
    # useful message, so reject it before it gets there.
    if not _LAYOUT_CHARS.fullmatch(body):
        raise UsageError(
            f"{option}: can't parse layout '{text.strip()}'{for_input(name)}; {_LAYOUT_HELP}"
        )
    try:
        return ov.Layout(body)
    except Exception as error:
        raise UsageError(
            f"{option}: can't parse layout '{text.strip()}'{for_input(name)}"
            f"{_openvino_reason(error)}; {_LAYOUT_HELP}"
        ) from None


def parse_layout_option(text: str, option: str) -> dict[str, ov.Layout]:
    """-layout: {input name or "" for all inputs: layout}.

    Unlike benchmark_app, a bare layout without brackets (`-layout NCHW`) is
    accepted and means all inputs.
    """
    if text and "[" not in text and "]" not in text and text.strip():
        return {"": parse_layout(text, option)}
    return {
        name: parse_layout(value, option, name)
        for name, value in parse_named_values(text, option).items()
    }
