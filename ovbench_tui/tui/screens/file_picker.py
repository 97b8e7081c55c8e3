"""A modal file browser for picking a model file by keyboard."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DirectoryTree, Footer, Label

from ..widgets.path_suggester import MODEL_SUFFIXES


class ModelTree(DirectoryTree):
    """Folders and model files only; hidden entries left out."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [
            path
            for path in paths
            if not path.name.startswith(".")
            and (path.is_dir() or path.suffix.lower() in MODEL_SUFFIXES)
        ]


class FilePicker(ModalScreen[str | None]):
    BINDINGS = [
        Binding("escape", "dismiss_none", "Cancel"),
        Binding("backspace", "parent", "Parent folder"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label("", id="picker-title")
            yield ModelTree(Path.cwd(), id="tree")
        yield Footer()

    def on_mount(self) -> None:
        self._show_path()
        self.query_one(ModelTree).focus()

    def _show_path(self) -> None:
        tree = self.query_one(ModelTree)
        self.query_one("#picker-title", Label).update(
            f"{tree.path}  (enter: choose, backspace: parent, escape: cancel)"
        )

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        self.dismiss(str(event.path))

    def action_parent(self) -> None:
        tree = self.query_one(ModelTree)
        tree.path = Path(tree.path).resolve().parent
        self._show_path()

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
