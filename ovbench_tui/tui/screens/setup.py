"""The setup form: every knob of a run, validated as you leave each field."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label, Select, Static, Switch

from ...demo_names import DEMO_MODELS
from ...form_state import FIELD_BY_KEY, FIELDS, Field, FormValues, validate_field
from ..app_api import ovbench_app
from ..messages import DevicesFound, ModelInspected
from ..recent import load_recent
from ..widgets.path_suggester import ModelPathSuggester
from ..widgets.title_bar import TitleBar

UNSET = "(default)"
OTHER_DEVICE = "__other__"
# Every label, then every flag, in its own column: the longest of each sets its width
# ("Arrival rate (req/s)", "-latency_percentile"), so none runs into the next.
LABEL_WIDTH = max(len(field.label) for field in FIELDS) + 1
FLAG_WIDTH = max(len(field.flag) for field in FIELDS)


def _on_off(value: bool) -> str:
    return "on" if value else "off"


class SetupScreen(Screen[None]):
    BINDINGS = [
        Binding("ctrl+r", "start", "Run", priority=True),
        Binding("f5", "start", "Run", show=False),
        Binding("ctrl+o", "browse", "Browse"),
        Binding("f2", "demo", "Demo", show=False),  # in the help (?) and the palette
        Binding("f3", "app.open_history", "History"),
        Binding("f4", "sweep", "Sweep"),
        Binding("f6", "capacity", "Capacity"),
        Binding("f7", "tune", "Tune"),
        # Shown: the focus sits in a field here, where ? is typed.
        Binding("f1", "app.help", "Keys", priority=True),
        Binding("ctrl+q", "app.quit", "Quit", priority=True),
    ]

    def __init__(self, values: FormValues, demo_keys: frozenset[str] = frozenset()) -> None:
        """`demo_keys`: fields --demo filled in, cleared when a user's model is chosen."""
        super().__init__()
        self.values = dict(values)
        self.devices: list[str] = ["CPU"]
        self._inspected: str | None = None
        self._resumed_once = False
        self._last_model: str | None = None  # the last model read without error
        self.demo_keys = demo_keys
        self._shown: dict[str, str] = {}  # what the panel ("") and the Model field say now

    # -- layout ----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar("ovbench-tui", "set up a run — ctrl+r starts", id="title-bar")
        with VerticalScroll(id="form"):
            yield Static("", id="error-panel", classes="hidden")
            section = ""
            for field in FIELDS:
                if field.section != section:
                    section = field.section
                    yield Label(section, classes="section")
                yield from self._field_row(field)
                if field.key == "path_to_model":
                    demos = ", ".join(f"demo:{name}" for name in DEMO_MODELS)
                    yield Static(f"Built-in: {demos}", classes="hint")
                    inputs_table: DataTable[str] = DataTable(
                        id="model-inputs", show_cursor=False, zebra_stripes=True
                    )
                    inputs_table.can_focus = False  # information, not a stop on the Tab path
                    yield inputs_table
                    yield Static("", id="model-status", classes="hint")
        # Every key and Quit within 80 columns: F1 (which lists ctrl+p) in place of the
        # palette's own hint.
        yield Footer(compact=True, show_command_palette=False)

    def _field_row(self, field: Field) -> ComposeResult:
        value = self.values.get(field.key, "")
        with Horizontal(classes="row", id=f"row-{field.key}"):
            yield Label(
                f"{field.label:<{LABEL_WIDTH}}[dim]{field.flag:<{FLAG_WIDTH}}[/]",
                classes="field-label",
            )
            with Vertical(classes="field-body"):
                if field.key == "target_device":
                    yield Select(
                        [(value or "CPU", value or "CPU"), ("Other (type below)", OTHER_DEVICE)],
                        value=value or "CPU",
                        allow_blank=False,
                        id="device-select",
                    )
                    yield Input(
                        value="",
                        placeholder="HETERO:GPU,CPU / MULTI:CPU,GPU / GPU.1",
                        id="field-target_device",
                        classes="hidden",
                    )
                elif field.kind == "choice":
                    options = [(UNSET, "")] + [(c, c) for c in field.choices]
                    yield Select(options, value=value, allow_blank=False, id=f"field-{field.key}")
                elif field.kind == "switch":
                    # The state in words too: under NO_COLOR a switch is a grey block.
                    with Horizontal(classes="switch-row"):
                        yield Switch(value=value == "true", id=f"field-{field.key}")
                        yield Label(_on_off(value == "true"), id=f"state-{field.key}")
                else:
                    suggester = (
                        ModelPathSuggester(load_recent()) if field.key == "path_to_model" else None
                    )
                    yield Input(
                        value=value,
                        placeholder=field.placeholder,
                        id=f"field-{field.key}",
                        suggester=suggester,
                    )
                yield Static("", id=f"error-{field.key}", classes="field-error hidden")

    def on_mount(self) -> None:
        self.query_one(TitleBar).set_text("ovbench-tui", "set up a run — ctrl+r starts")
        table = self.query_one("#model-inputs", DataTable)
        table.add_columns("input", "shape", "type", "layout")
        table.display = False
        self.query_one("#field-path_to_model", Input).focus()
        # OpenVINO's import holds the GIL for ~0.5 s: start it after the first paint.
        self.set_timer(0.3, self._after_first_paint)

    def on_screen_resume(self) -> None:
        # Back from another screen: no field takes the next key (a `b` meant for
        # the results would land in whichever field had the focus before the run).
        if self._resumed_once:
            self.call_after_refresh(self.set_focus, None)
        self._resumed_once = True

    def _after_first_paint(self) -> None:
        self._load_devices()
        if self.values.get("path_to_model"):
            self._inspect(self.values["path_to_model"])

    # -- values ----------------------------------------------------------------

    def read_values(self) -> FormValues:
        values: FormValues = {}
        for field in FIELDS:
            if field.key == "target_device":
                choice = self.query_one("#device-select", Select).value
                typed = self.query_one("#field-target_device", Input).value.strip()
                values[field.key] = typed if choice == OTHER_DEVICE else str(choice)
            elif field.kind == "choice":
                selected = self.query_one(f"#field-{field.key}", Select).value
                values[field.key] = "" if selected in (Select.BLANK, None) else str(selected)
            elif field.kind == "switch":
                values[field.key] = (
                    "true" if self.query_one(f"#field-{field.key}", Switch).value else ""
                )
            else:
                values[field.key] = self.query_one(f"#field-{field.key}", Input).value
        return values

    def load_values(self, values: FormValues) -> None:
        """Fill every field from `values` (a stored run's settings), as if typed."""
        self.values = dict(values)
        for field in FIELDS:
            value = values.get(field.key, "")
            if field.key == "target_device":
                self._load_device(value or "CPU")
            elif field.kind == "choice":
                select = self.query_one(f"#field-{field.key}", Select)
                select.value = value if value in field.choices else ""
            elif field.kind == "switch":
                self.query_one(f"#field-{field.key}", Switch).value = value == "true"
            else:
                self.query_one(f"#field-{field.key}", Input).value = value
            self._field_error(field.key, None)
        self.show_error(None)
        self._inspect(values.get("path_to_model", "").strip())
        self.query_one("#field-path_to_model", Input).focus()

    def _load_device(self, device: str) -> None:
        select = self.query_one("#device-select", Select)
        typed = self.query_one("#field-target_device", Input)
        names = list(dict.fromkeys([device, *self.devices]))
        select.set_options(
            [(name, name) for name in names] + [("Other (type below)", OTHER_DEVICE)]
        )
        select.value = device
        typed.value = ""
        typed.add_class("hidden")

    def show_error(self, message: str | None) -> None:
        panel = self.query_one("#error-panel", Static)
        self._shown[""] = message or ""
        if message and message == self._shown.get("path_to_model"):
            message = None  # an unreadable model, said under the Model field: once is enough
        if message:
            panel.update(f"[b]Error[/b]  {message}")
            panel.remove_class("hidden")
            self.query_one("#form", VerticalScroll).scroll_home(animate=False)
        else:
            panel.add_class("hidden")

    def _field_error(self, key: str, message: str | None) -> None:
        label = self.query_one(f"#error-{key}", Static)
        if key == "path_to_model":  # a long reader's message: not twice on one screen
            self._shown[key] = message or ""
            if message and message == self._shown.get(""):
                self.query_one("#error-panel", Static).add_class("hidden")
        if message:
            label.update(message)
            label.remove_class("hidden")
        else:
            label.add_class("hidden")

    # -- events ----------------------------------------------------------------

    @on(Input.Blurred)
    def _validate_on_leave(self, event: Input.Blurred) -> None:
        key = (event.input.id or "").removeprefix("field-")
        values = self.read_values()
        if key == "path_to_model":
            self._inspect(values[key].strip())
            return
        self._field_error(key, validate_field(key, values))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "field-path_to_model":
            self._inspect(event.value.strip())
        self.focus_next()

    @on(Switch.Changed)
    def _switch_changed(self, event: Switch.Changed) -> None:
        key = (event.switch.id or "").removeprefix("field-")
        self.query_one(f"#state-{key}", Label).update(_on_off(event.value))

    @on(Select.Changed, "#device-select")
    def _device_changed(self, event: Select.Changed) -> None:
        other = self.query_one("#field-target_device", Input)
        other.set_class(event.value != OTHER_DEVICE, "hidden")
        if event.value == OTHER_DEVICE:
            other.focus()

    def on_devices_found(self, message: DevicesFound) -> None:
        select = self.query_one("#device-select", Select)
        current = select.value
        names = list(dict.fromkeys([*message.devices, "AUTO"]))
        if current not in (OTHER_DEVICE, Select.BLANK) and str(current) not in names:
            names.insert(0, str(current))
        self.devices = names
        options = [(name, name) for name in names] + [("Other (type below)", OTHER_DEVICE)]
        select.set_options(options)
        select.value = current if current in [v for _, v in options] else names[0]

    def on_model_inspected(self, message: ModelInspected) -> None:
        table = self.query_one("#model-inputs", DataTable)
        status = self.query_one("#model-status", Static)
        table.clear()
        if message.error:
            table.display = False
            self._field_error("path_to_model", message.error)
            status.update("")
            return
        self._field_error("path_to_model", None)
        self._clear_stale(message)
        for row in message.rows:
            table.add_row(*row)
        table.display = True
        given = self.read_values().get("data_shape", "").strip()
        status.update(
            escape(f"Dynamic inputs need -data_shape, e.g. {message.example}")
            if message.example and not given
            else ""
        )

    def _clear_stale(self, message: ModelInspected) -> None:
        """A different model than the last one read: drop what it cannot use, and say so."""
        from ..model_change import describe, stale_fields

        previous, self._last_model = self._last_model, message.path
        if previous is None or previous == message.path:
            return
        demo = self.demo_keys if previous.startswith("demo:") else frozenset()
        if not message.path.startswith("demo:"):
            self.demo_keys = frozenset()  # --demo's settings never reach the user's models
        stale = stale_fields(self.read_values(), message.rows, demo)
        if not stale:
            return
        for key in stale:
            if FIELD_BY_KEY[key].kind == "switch":
                self.query_one(f"#field-{key}", Switch).value = False
            else:
                self.query_one(f"#field-{key}", Input).value = ""
            self._field_error(key, None)
        self.notify(describe(stale), timeout=8)

    # -- background work -------------------------------------------------------

    @work(thread=True, exclusive=True, group="devices", exit_on_error=False)
    def _load_devices(self) -> None:
        from ..model_info import available_devices

        self.post_message(DevicesFound(available_devices()))

    def _inspect(self, path: str) -> None:
        if not path or path == self._inspected:
            return
        self._inspected = path
        self._inspect_worker(path)

    @work(thread=True, exclusive=True, group="inspect", exit_on_error=False)
    def _inspect_worker(self, path: str) -> None:
        from ..model_info import inspect_model

        rows, example, error = inspect_model(path)
        self.post_message(ModelInspected(path, rows, error, example))

    # -- actions ---------------------------------------------------------------

    def action_start(self) -> None:
        values = self.read_values()
        for field in FIELDS:
            if field.kind == "text" and field.key != "path_to_model":
                self._field_error(field.key, validate_field(field.key, values))
        ovbench_app(self).start_run(values)

    def action_sweep(self) -> None:
        ovbench_app(self).open_sweep(self.read_values())

    def action_capacity(self) -> None:
        ovbench_app(self).open_capacity(self.read_values())

    def action_tune(self) -> None:
        ovbench_app(self).open_tune(self.read_values())

    def action_demo(self) -> None:
        model = self.query_one("#field-path_to_model", Input)
        model.value = "demo:cnn" if model.value != "demo:cnn" else "demo:dynamic"
        self._inspect(model.value)

    def action_browse(self) -> None:
        from .file_picker import FilePicker

        def picked(path: str | None) -> None:
            if path:
                self.query_one("#field-path_to_model", Input).value = path
                self._inspect(path)

        model = self.query_one("#field-path_to_model", Input).value.strip()
        self.app.push_screen(FilePicker(model), picked)
