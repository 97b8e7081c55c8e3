"""Completion for the model path: demo models, recent models, then the file system."""

from __future__ import annotations

import os

from textual.suggester import Suggester

from ...demo_names import DEMO_MODELS

MODEL_SUFFIXES = (".xml", ".onnx", ".tflite", ".pdmodel", ".pb", ".blob")


class ModelPathSuggester(Suggester):
    def __init__(self, recent: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.fixed = [f"demo:{name}" for name in DEMO_MODELS] + recent

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        for candidate in self.fixed:
            if candidate.startswith(value) and candidate != value:
                return candidate
        folder, prefix = os.path.split(os.path.expanduser(value))
        try:
            names = sorted(os.listdir(folder or "."))
        except OSError:
            return None
        for name in names:
            if not name.startswith(prefix) or name == prefix or name.startswith("."):
                continue
            full = os.path.join(folder, name)
            if os.path.isdir(full):
                return value[: len(value) - len(prefix)] + name + os.sep
            if name.endswith(MODEL_SUFFIXES):
                return value[: len(value) - len(prefix)] + name
        return None
