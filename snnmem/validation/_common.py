"""Helpers shared by the validation modules (no Brian2 import at module level)."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def codeobj_class(target: str | None) -> Any:
    """Brian2 code-object class for ``target`` ('numpy', 'cython' or None: preference)."""
    from snnmem.plasticity.drive import _codeobj_class

    return _codeobj_class(target)


def within(measured: float, mean: float, tolerance: float) -> bool:
    """``|measured - mean| <= tolerance``."""
    return abs(measured - mean) <= tolerance


def frequency_key(frequency_hz: float) -> str:
    """Key of a pairing frequency in the values dicts: 0.1 -> "0.1", 20.0 -> "20"."""
    return f"{frequency_hz:g}"


def seed_count(seeds: Any, default: int) -> int:
    """Number of seeds of a model validation (``None``: ``default``); ValueError below 1."""
    n_seeds = default if seeds is None else int(seeds)
    if n_seeds < 1:
        raise ValueError(f"seeds must be >= 1, got {seeds}")
    return n_seeds


def model_file(name: str):
    """The shipped ``models/<name>.toml`` (the published values live in its ``[expected]``)."""
    from ..errors import ConfigError
    from ..installed import models_folder

    path = models_folder() / f"{name}.toml"
    if not path.is_file():
        raise ConfigError(
            f"model file not found: {path} (the validations read the published values from the shipped models/ folder)"
        )
    return path


@contextlib.contextmanager
def runs_folder(runs_dir: str | Path | None, prefix: str) -> Iterator[Path]:
    """The folder a validation keeps its runs in: ``runs_dir`` (created, kept), or a temporary one removed after."""
    if runs_dir is not None:
        folder = Path(runs_dir)
        folder.mkdir(parents=True, exist_ok=True)
        yield folder
        return
    with tempfile.TemporaryDirectory(prefix=prefix) as scratch:
        yield Path(scratch)


#: the ``[expected]`` keys of the assembly models (formation, retention through rest, recall, controls)
_ASSEMBLY_KEYS = (
    "weight_ratio_after_training",
    "retention",
    "recall_specificity",
    "largest_other_f0p5",
    "no_cue_max_overlap",
    "random_cue_max_overlap",
    "completion_growth",
    "completion_step_down",
)

#: the assembly keys of the controls that assume a network quiet without a cue (not the LKD 2014 model's)
_QUIET_NETWORK_KEYS = ("largest_other_f0p5", "no_cue_max_overlap", "random_cue_max_overlap")

#: The ``[expected]`` keys each shipped model's validations read: a key outside these (a typo) is
#: an error, not a silently unchecked number. The values live in the model files.
EXPECTED_KEYS = {
    "consolidation": (
        "ribot_rank_correlation",
        "transfer_lesioned",
        "youngest_lesioned_above_baseline",
        "intact_recall_min",
        "replay_events_per_min",
        "replay_longest_event_s",
    ),
    "assemblies_retention": (
        "weight_ratio_after_training",
        "retention",
        "recall_specificity",
        "probe_recall_specificity",
    ),
    "assemblies": _ASSEMBLY_KEYS,
    "litwin_kumar_doiron2014": (
        *(key for key in _ASSEMBLY_KEYS if key not in _QUIET_NETWORK_KEYS),
        "cue_over_spontaneous",
        "random_cue_over_spontaneous",
        "largest_other_over_spontaneous",
        "reactivations_per_min",
        "reactivation_over_random",
    ),
    "brunel_wang2001": (
        "rate_baseline_nonselective_hz",
        "rate_baseline_inh_hz",
        "rate_delay1_item1_hz",
        "max_uncued_rate_delay1_hz",
        "reset_success",
        "distractor_switch_threshold",
        "two_item_lifetime_s",
    ),
    "compte2000": (
        "bump_peak_rate_hz",
        "background_rate_hz",
        "inhibitory_rate_hz",
        "decoded_angle_error_deg",
        "persistence_fraction",
        "no_cue_max_peak_hz",
    ),
    "mongillo2008": (
        "delay_rate_cued_above_baseline_hz",
        "cued_u_facilitated_s",
        "readout_popspike_cued",
        "readout_popspikes_uncued",
        "popspike_regime_delay_popspikes_cued",
        "popspike_regime_period_s",
        "persistent_regime_delay_rate_above_baseline_hz",
        "persistent_regime_delay_popspikes_cued",
        "persistent_regime_uncued_above_spontaneous_hz",
    ),
}


def check_expected_keys(spec: Any) -> None:
    """Every key of the model's ``[expected]`` is one its validations read (ConfigError naming a typo)."""
    import difflib

    from ..errors import ConfigError

    known = EXPECTED_KEYS.get(spec.name)
    if known is None:
        return
    for key in spec.expected:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(
                f"{spec.source}: [expected] {key!r} is not a value any validation of {spec.name} checks{hint}; "
                f"known: {', '.join(known)}"
            )


def expected_range(spec: Any, key: str) -> tuple[float, float]:
    """``[expected] key`` of a model as ``(low, high)`` (a single number gives ``(x, x)``).

    The whole table is checked first (:func:`check_expected_keys`), so a misspelt key fails
    the validation instead of leaving a number unchecked.
    """
    from ..errors import ConfigError

    check_expected_keys(spec)
    try:
        value = spec.expected[key]
    except KeyError:
        raise ConfigError(f"{spec.source}: [expected] has no {key!r} (the validation needs it)") from None
    return (float(value[0]), float(value[1])) if isinstance(value, (list, tuple)) else (float(value), float(value))


def circuit_model(name: str, circuit: str, reference: str, overrides: Any = None, where: str | None = None):
    """A model built from a circuit's defaults (the published values), independent of the repository's files."""
    from ..config import resolve

    document = {"model": {"name": name, "circuit": circuit, "reference": reference}}
    return resolve(document, overrides, where=where or f"{name} validation")
