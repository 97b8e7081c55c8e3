"""A modal file browser for picking a model file by keyboard, or by typing its path."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import DirectoryTree, Footer, Input, Label

from ...text_fit import cut_path
from ..widgets.path_suggester import MODEL_SUFFIXES, ModelPathSuggester


class ModelTree(DirectoryTree):
    """Folders and model files only; hidden entries (~/.cache...) when asked for."""

    show_hidden = False

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [
            path
            for path in paths
            if (self.show_hidden or not path.name.startswith("."))
            and (path.is_dir() or path.suffix.lower() in MODEL_SUFFIXES)
        ]


def start_folder(model: str) -> Path:
    """The current model's folder when it has one on disk, else the working folder."""
    if model and not model.startswith("demo:"):
        folder = Path(os.path.expanduser(model)).parent
        if folder.is_dir():
            return folder.resolve()
    return Path.cwd()


class FilePicker(ModalScreen[str | None]):
    BINDINGS = [
        Binding("escape", "dismiss_none", "Cancel"),
        Binding("backspace", "parent", "Parent folder"),
        Binding("full_stop", "toggle_hidden", "Hidden", key_display="."),
        Binding("slash", "type_path", "Type a path", key_display="/"),
    ]

    def __init__(self, model: str = "") -> None:
        super().__init__()
        self.start = start_folder(model)

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label("", id="picker-title")
            yield Input(
                placeholder="type a path (~ works), enter opens it; tab to the tree",
                id="picker-path",
                suggester=ModelPathSuggester([], show_hidden=True),
                select_on_focus=False,  # the first character typed from the tree stays
            )
            yield ModelTree(self.start, id="tree")
        yield Footer()

    def on_mount(self) -> None:
        self._show_path()
        self.query_one(ModelTree).focus()

    def _show_path(self) -> None:
        tree = self.query_one(ModelTree)
        hidden = "  [dim](hidden shown)[/]" if tree.show_hidden else ""
        room = max(20, self.size.width * 8 // 10 - 20)
        self.query_one("#picker-title", Label).update(
            escape(cut_path(str(tree.path), room)) + hidden
        )

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        self.dismiss(str(event.path))

    @on(Input.Submitted, "#picker-path")
    def _path_typed(self, event: Input.Submitted) -> None:
        # A relative path is from the folder shown (typed from the tree, as a file name).
        path = Path(self.query_one(ModelTree).path) / os.path.expanduser(event.value.strip())
        if path.is_file():
            self.dismiss(str(path))
        elif path.is_dir():
            self._open(path.resolve())
            event.input.value = ""
            self.query_one(ModelTree).focus()
        else:
            self.notify(f"{event.value.strip()}: no such file or folder", severity="warning")

    def _open(self, folder: Path) -> None:
        tree = self.query_one(ModelTree)
        if folder.name.startswith(".") and not tree.show_hidden:
            tree.show_hidden = True  # asked for a hidden folder by name: show its kind
        tree.path = folder
        self._show_path()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Typing in the path field: backspace, . and / are characters there.
        typing = isinstance(self.focused, Input)
        return not (typing and action in ("parent", "toggle_hidden", "type_path"))

    def action_parent(self) -> None:
        self._open(Path(self.query_one(ModelTree).path).resolve().parent)

    def action_toggle_hidden(self) -> None:
        tree = self.query_one(ModelTree)
        tree.show_hidden = not tree.show_hidden
        tree.reload()
        self._show_path()

    def action_type_path(self) -> None:
        self._start_path("/")

    def _start_path(self, first: str) -> None:
        """Into the path field, `first` typed: the hint says "type a path", so a path
        typed from the tree (~/.cache/..., /opt/..., models/...) lands there whole."""
        field = self.query_one("#picker-path", Input)
        field.value = first
        field.cursor_position = len(first)
        self.set_focus(field)  # at once: the next key goes there

    def on_key(self, event: events.Key) -> None:
        # From the tree, a printable key that is no binding of the screen or the tree
        # (., / and space are) starts a path: ~ and letters too.
        character = event.character
        if character is None or not character.isprintable():
            return
        field = self.query_one("#picker-path", Input)
        if self.focused is field:
            # The field stops the keys it types: this one reached the tree before the
            # focus moved (fast typing, a paste), so it belongs to the path too.
            field.insert_text_at_cursor(character)
        elif isinstance(self.focused, ModelTree) and event.key not in self.active_bindings:
            self._start_path(character)
        else:
            return
        event.stop()
        event.prevent_default()

    def action_dismiss_none(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one(ModelTree).focus()
        else:
            self.dismiss(None)
