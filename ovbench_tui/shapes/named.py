"""`name[value]` lists, the form -shape, -layout and --mean_values share."""

from __future__ import annotations

from dataclasses import dataclass

from ovbench_tui.errors import UsageError

# Second example per option, used in hints so they read like the option's own
# syntax rather than a generic placeholder.
_SECOND_EXAMPLE: dict[str, str] = {
    "shape": "1,4",
    "data_shape": "1,4",
    "layout": "NC",
    "mean_values": "0.5",
    "scale_values": "255",
}
FIRST_EXAMPLE: dict[str, str] = {
    "shape": "1,3,224,224",
    "data_shape": "1,3,224,224",
    "layout": "NCHW",
    "mean_values": "123.675,116.28,103.53",
    "scale_values": "58.395,57.12,57.375",
}


def option_key(option: str) -> str:
    return option.lstrip("-").strip().lower()


def _hint(option: str, first: str | None = None) -> str:
    key = option_key(option)
    value = first if first else FIRST_EXAMPLE.get(key, "value")
    second = _SECOND_EXAMPLE.get(key, "value2")
    everyone = "all image inputs" if key in ("mean_values", "scale_values") else "all inputs"
    if key == "data_shape":
        return (
            f"write [{value}] for {everyone} or name[{value}],name2[{second}] per input "
            "(several groups: name[1,4][2,4])"
        )
    return f"write [{value}] for {everyone} or name[{value}],name2[{second}] per input"


def for_input(name: str) -> str:
    return f" for input '{name}'" if name else ""


@dataclass(frozen=True)
class _Group:
    """One `[...]` group and the raw text that preceded it."""

    prefix: str
    value: str


def scan_groups(text: str, option: str) -> list[_Group]:
    """Split text into bracket groups, checking that brackets balance.

    Nested brackets are kept inside the value so that `data[[N,C,H,W]]` hands
    the bracketed layout through intact (benchmark_app's regex would cut it at
    the first `]`).
    """
    groups: list[_Group] = []
    depth = 0
    last_end = 0
    start = 0
    for i, char in enumerate(text):
        if char == "[":
            if depth == 0:
                start = i
            depth += 1
        elif char == "]":
            if depth == 0:
                raise UsageError(
                    f"{option}: unexpected ']' at position {i + 1} in '{text}'; {_hint(option)}"
                )
            depth -= 1
            if depth == 0:
                groups.append(_Group(text[last_end:start], text[start + 1 : i]))
                last_end = i + 1
    if depth:
        raise UsageError(
            f"{option}: '[' at position {start + 1} in '{text}' has no closing ']'; {_hint(option)}"
        )
    if not groups:
        raise UsageError(f"{option}: can't parse '{text}'; {_hint(option, text.strip())}")
    trailing = text[last_end:].strip(", \t\r\n")
    if trailing:
        raise UsageError(
            f"{option}: '{trailing}' at the end of '{text}' has no [value]; {_hint(option)}"
        )
    return groups


def group_name(group: _Group, option: str) -> str:
    # Stray separators around names are noise (`a[1], ,b[2]`), but a comma
    # inside what is left means an entry lost its value (`a[1],b,c[2]`).
    name = group.prefix.strip(", \t\r\n")
    if "," in name:
        raise UsageError(
            f"{option}: '{name}' is not an input name; every input needs its own [value]: "
            f"{_hint(option)}"
        )
    return name


def separated(group: _Group) -> bool:
    """True if the group starts a new entry rather than continuing the last one."""
    return bool(group.prefix.strip(", \t\r\n")) or "," in group.prefix


def parse_named_values(text: str, option: str) -> dict[str, str]:
    """Parse `name[value],name2[value]` into {name: raw value}; key "" = all inputs.

    As in benchmark_app, an unnamed `[value]` applies to every input: earlier
    named entries are dropped and later ones are ignored (they are still
    syntax-checked).
    """
    if not text or not text.strip():
        return {}
    groups = scan_groups(text, option)
    names = [group_name(group, option) for group in groups]
    for index, group in enumerate(groups[1:], start=1):
        if not separated(group):
            owner = f"input '{names[index - 1]}'" if names[index - 1] else "all inputs"
            extra = "; use -data_shape for several shapes" if option_key(option) == "shape" else ""
            raise UsageError(
                f"{option}: {owner} has two [values] in a row in '{text}'; "
                f"give one value per input{extra}"
            )
    result: dict[str, str] = {}
    for name, group in zip(names, groups, strict=True):
        if not name:
            return {"": group.value}
        if name in result:
            raise UsageError(
                f"{option}: input '{name}' is given twice in '{text}'; keep one {name}[...]"
            )
        result[name] = group.value
    return result
