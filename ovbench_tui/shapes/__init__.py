"""Parsers for benchmark_app's small option grammars.

Covers -shape, -data_shape, -layout, --mean_values/--scale_values, -ip/-op/-iop,
-d and the per-device -nstreams/-infer_precision. Everything here is pure text
processing: no model is touched, so checking names against a model's inputs is
left to the caller. Every failure is a one-line `UsageError` naming the option
and showing the form that would have worked.

The grammars follow benchmark_app 2026.4.1; where its regexes produce surprising
results (a name `,b` out of `a[1],,b[3]`, `IndexError` for an -iop item without
a colon, silently dropped device values) these parsers either do the evident
thing or reject the text with a message instead.
"""

from __future__ import annotations

from .devices import VIRTUAL_DEVICES, is_virtual_device, parse_devices, parse_value_per_device
from .dims import format_partial_shape, parse_data_shapes, parse_partial_shape, parse_shape_option
from .layouts import parse_layout, parse_layout_option
from .named import parse_named_values
from .precisions import PRECISIONS, parse_iop, parse_precision
from .values import parse_float_values, parse_mean_scale_option

__all__ = [
    "PRECISIONS",
    "VIRTUAL_DEVICES",
    "format_partial_shape",
    "is_virtual_device",
    "parse_data_shapes",
    "parse_devices",
    "parse_float_values",
    "parse_iop",
    "parse_layout",
    "parse_layout_option",
    "parse_mean_scale_option",
    "parse_named_values",
    "parse_partial_shape",
    "parse_precision",
    "parse_shape_option",
    "parse_value_per_device",
]
