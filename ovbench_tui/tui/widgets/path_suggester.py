"""Completion for the model path: demo models, recent models, then the file system."""

from __future__ import annotations

import os

from textual.suggester import Suggester

from ...demo_names import DEMO_MODELS

MODEL_SUFFIXES = (".xml", ".onnx", ".tflite", ".pdmodel", ".pb", ".blob")


def _common_prefix(names: list[str]) -> str:
    """Character by character: `ppocr_` of two file names, not a path component."""
    if not names:
        return ""
    first, last = min(names), max(names)
    size = 0
    while size < len(first) and first[size] == last[size]:
        size += 1
    return first[:size]


class ModelPathSuggester(Suggester):
    """Suggests what every match shares, as a shell's Tab does: with `…/pp` matching
    two files, Right completes `ppocr_` and not the first file it happens to list."""

    def __init__(self, recent: list[str], show_hidden: bool = False) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.fixed = [f"demo:{name}" for name in DEMO_MODELS] + recent
        self.show_hidden = show_hidden

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        fixed = [c for c in self.fixed if c.startswith(value) and c != value]
        if fixed:
            shared = _common_prefix(fixed)
            return shared if shared != value else None
        folder, prefix = os.path.split(os.path.expanduser(value))
        try:
            names = sorted(os.listdir(folder or "."))
        except OSError:
            return None
        hidden_ok = self.show_hidden or prefix.startswith(".")
        matches = []
        for name in names:
            if not name.startswith(prefix) or name == prefix:
                continue
            if name.startswith(".") and not hidden_ok:
                continue
            if os.path.isdir(os.path.join(folder, name)):
                matches.append(name + os.sep)
            elif name.endswith(MODEL_SUFFIXES):
                matches.append(name)
        shared = _common_prefix(matches)
        if len(shared) <= len(prefix):
            return None
        return value[: len(value) - len(prefix)] + shared
