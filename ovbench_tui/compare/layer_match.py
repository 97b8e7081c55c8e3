"""Which layer of run A is which layer of run B.

By name when the names match. Some readers name nodes anew on every read (TFLite:
`Convolution_83389` in one run, `Convolution_91204` in the next), and the CPU plugin
inserts Reorder/Convert nodes of its own; what no name pairs is matched by
structure: the k-th layer of a type in execution order in A with the k-th of that
type in B.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..engine.counters import LayerCounter

Timed = dict[str, tuple[str, float]]  # shown name -> (layer type, mean real ms)


def match_layers(a: Sequence[LayerCounter], b: Sequence[LayerCounter]) -> tuple[Timed, Timed, str]:
    """Both runs' layers keyed so that matched layers share a key, and how they were
    matched, in words for the note under the table (one clause, no semicolon)."""
    names_b = {layer.name for layer in b}
    by_name = [layer.name for layer in a if layer.name in names_b]
    named = set(by_name)
    timed_a: Timed = {}
    timed_b: Timed = {}
    for layer in a:
        if layer.name in named:
            timed_a[layer.name] = (layer.layer_type, layer.mean_real_ms)
    for layer in b:
        if layer.name in named:
            timed_b[layer.name] = (layer.layer_type, layer.mean_real_ms)
    keys_a = _occurrences([layer for layer in a if layer.name not in named])
    keys_b = _occurrences([layer for layer in b if layer.name not in named])
    structural = 0
    for keys, other, timed in ((keys_a, keys_b, timed_a), (keys_b, keys_a, timed_b)):
        for key, layer in keys.items():
            # Paired by type and place: one shared key; alone: its own name.
            shown = key if key in other else layer.name
            timed[shown] = (layer.layer_type, layer.mean_real_ms)
    structural = len(keys_a.keys() & keys_b.keys())
    return timed_a, timed_b, _how(len(by_name), structural)


def _occurrences(layers: list[LayerCounter]) -> dict[str, LayerCounter]:
    """`Type #k` -> the k-th layer of that type, in execution order."""
    seen: dict[str, int] = {}
    result = {}
    for layer in layers:
        seen[layer.layer_type] = seen.get(layer.layer_type, 0) + 1
        result[_key(layer, seen[layer.layer_type])] = layer
    return result


def _key(layer: LayerCounter, occurrence: int) -> str:
    return f"{layer.layer_type} #{occurrence}"


def _how(named: int, structural: int) -> str:
    if not structural:
        return "layers matched by name"
    if not named:
        return (
            f"layers matched by structure ({structural}, by type and place in execution "
            "order: the names differ between reads)"
        )
    return (
        f"layers matched by name ({named}), else by type and place in execution order "
        f"({structural})"
    )
