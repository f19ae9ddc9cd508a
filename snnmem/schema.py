"""Parameters and the schema sections circuits share: pure declarations, importing nothing of snnmem.

A :class:`Param` declares one key of a model file (default, unit, limits, choices);
circuits and tasks declare their tables as ``section -> key -> Param``. The shared
sections (leaky integrate-and-fire cells, AMPA/NMDA/GABA_A synapses, the
``[simulation]`` table) live here too, so that circuits, tasks and the model-file
loader (:mod:`snnmem.config`) depend on this module and it on none of them: the
checks import :mod:`snnmem.errors` and :mod:`snnmem.units` only when a value is
validated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

__all__ = ["Param", "Schema", "lif_cell_params", "ampa_nmda_gaba_params", "simulation_params"]


@dataclass(frozen=True)
class Param:
    """One parameter a circuit understands.

    Parameters
    ----------
    default
        The default value. A string with a unit (``"20 ms"``) makes the parameter a
        physical quantity of that dimension; a float, int, bool or plain string
        makes it that type.
    doc
        What the parameter means (shown by ``snnmem info`` and the docs).
    minimum, maximum
        Inclusive limits (in SI units for quantities), ``None`` for none.
    positive
        Require a value strictly greater than zero.
    choices
        Allowed values for a string parameter.
    path
        The string names a file (empty: none); its existence is checked by the circuit
        that reads it, when the model is loaded.
    """

    default: Any
    doc: str = ""
    minimum: float | None = None
    maximum: float | None = None
    positive: bool = False
    choices: tuple[str, ...] | None = None
    path: bool = False

    @property
    def is_quantity(self) -> bool:
        return isinstance(self.default, str) and self.choices is None and not self.path

    def check(self, value: Any, key: str, where: str) -> Any:
        """Validate ``value`` for ``key``; return the parsed value.

        Quantities become Brian2 quantities; numbers are checked for type, finiteness
        and limits.
        """
        from .errors import ConfigError
        from .units import UnitParseError, dimension_name, parse_quantity

        prefix = f"{where}: {key}"
        if self.is_quantity:
            expected = parse_quantity(self.default)
            if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                raise ConfigError(f"{prefix}: expected a quantity like {self.default!r}, got {value!r}")
            if isinstance(value, (int, float)):
                if not expected.is_dimensionless:
                    raise ConfigError(f"{prefix}: {value!r} has no unit; write it with a unit like {self.default!r}")
                value = str(value)
            try:
                parsed = parse_quantity(value)
            except UnitParseError as error:
                raise ConfigError(f"{prefix}: {error} (expected something like {self.default!r})") from None
            if parsed.dim != expected.dim:
                raise ConfigError(
                    f"{prefix}: {value!r} has dimension {dimension_name(parsed)}, "
                    f"but {key} needs {dimension_name(expected)} (e.g. {self.default!r})"
                )
            self._check_limits(float(parsed), prefix, value)
            return parsed
        if isinstance(self.default, bool):
            if not isinstance(value, bool):
                raise ConfigError(f"{prefix}: expected true or false, got {value!r}")
            return value
        if isinstance(self.default, int):
            if isinstance(value, bool) or not isinstance(value, int):
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                else:
                    raise ConfigError(f"{prefix}: expected an integer, got {value!r}")
            self._check_limits(value, prefix, value)
            return value
        if isinstance(self.default, float):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ConfigError(f"{prefix}: expected a number, got {value!r}")
            value = float(value)
            self._check_limits(value, prefix, value)
            return value
        if isinstance(self.default, tuple):  # list of numbers (cue fractions) or of integers (items)
            return self._check_list(value, prefix)
        if self.path:
            if not isinstance(value, str):
                raise ConfigError(f"{prefix}: expected a file path (a string), got {value!r}")
            return value
        if isinstance(self.default, str):  # string with choices
            if not isinstance(value, str) or (self.choices and value not in self.choices):
                raise ConfigError(f"{prefix}: expected one of {list(self.choices or [])}, got {value!r}")
            return value
        raise TypeError(f"unsupported default for {key}: {self.default!r}")  # pragma: no cover

    def _check_list(self, value: Any, prefix: str) -> tuple:
        """A list of numbers; a single number counts as a list of one.

        A default made of integers (e.g. item numbers) makes every entry an integer.
        """
        from .errors import ConfigError

        integers = all(isinstance(v, int) and not isinstance(v, bool) for v in self.default)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = [value]
        if not isinstance(value, (list, tuple)) or not value:
            raise ConfigError(
                f"{prefix}: expected a number or a non-empty list of numbers like {list(self.default)}, got {value!r}"
            )
        numbers: list = []
        for item in value:
            if isinstance(item, bool) or not isinstance(item, (int, float)):
                raise ConfigError(f"{prefix}: expected a list of numbers, got the item {item!r}")
            if integers and not float(item).is_integer():
                raise ConfigError(f"{prefix}: expected integers, got the item {item!r}")
            self._check_limits(float(item), prefix, item)
            numbers.append(int(item) if integers else float(item))
        return tuple(numbers)

    def _check_limits(self, number: float, prefix: str, shown: Any) -> None:
        from .errors import ConfigError

        if not math.isfinite(number):
            raise ConfigError(f"{prefix}: {shown!r} is not a finite number")
        if self.positive and number <= 0:
            raise ConfigError(f"{prefix}: must be positive, got {shown!r}")
        if self.minimum is not None and number < self.minimum:
            raise ConfigError(f"{prefix}: must be >= {self.minimum:g} (SI units), got {shown!r}")
        if self.maximum is not None and number > self.maximum:
            raise ConfigError(f"{prefix}: must be <= {self.maximum:g} (SI units), got {shown!r}")


Schema = Mapping[str, Mapping[str, Param]]


# ----------------------------------------------------------------------------- shared sections
# The conductance-based circuits (ring, item attractors) follow Wang (1999, 2002) / Compte et al.
# (2000): the same cell and synapse parameters, with a few published values that differ (reset
# potential, GABA decay).
def lif_cell_params(
    capacitance: str, g_leak: str, v_reset: str, refractory: str, v_leak: str = "-70 mV", v_threshold: str = "-50 mV"
) -> dict[str, Param]:
    """Leaky integrate-and-fire cell: C_m, g_L, V_L (-70 mV), V_th (-50 mV), V_reset, refractory."""
    return {
        "capacitance": Param(capacitance, "membrane capacitance C_m", positive=True),
        "g_leak": Param(g_leak, "leak conductance g_L", positive=True),
        "v_leak": Param(v_leak, "leak reversal V_L"),
        "v_threshold": Param(v_threshold, "spike threshold V_th (its resting value where the threshold adapts)"),
        "v_reset": Param(v_reset, "reset potential V_reset"),
        "refractory": Param(refractory, "absolute refractory period", minimum=0.0),
    }


def ampa_nmda_gaba_params(gaba_doc: str = "GABA_A decay time constant") -> dict[str, Param]:
    """AMPA, saturating NMDA with Mg block (1 mM), GABA_A: reversal potentials and kinetics."""
    return {
        "e_ampa": Param("0 mV", "AMPA reversal potential"),
        "e_nmda": Param("0 mV", "NMDA reversal potential"),
        "e_gaba": Param("-70 mV", "GABA_A reversal potential"),
        "tau_ampa_decay": Param("2 ms", "AMPA decay time constant", positive=True),
        "tau_nmda_rise": Param("2 ms", "NMDA rise time constant (x)", positive=True),
        "tau_nmda_decay": Param("100 ms", "NMDA decay time constant (s)", positive=True),
        "alpha_nmda": Param("0.5 kHz", "NMDA saturation rate alpha (0.5 / ms)", positive=True),
        "tau_gaba_decay": Param("10 ms", gaba_doc, positive=True),
        "mg_block_slope": Param("0.062 / mV", "Mg block voltage slope: 1/(1+exp(-slope V)/factor)", positive=True),
        "mg_block_factor": Param(3.57, "Mg block factor (3.57 mM / [Mg2+], [Mg2+] = 1 mM)", positive=True),
    }


def simulation_params(
    dt: str = "0.1 ms",
    methods: tuple[str, ...] = ("euler", "rk2", "rk4", "heun"),
    method_doc: str = "Brian2 integration method",
    **extra: Param,
) -> dict[str, Param]:
    """The ``[simulation]`` table every circuit has: dt, method, device, runtime target, rate bin (+ ``extra``)."""
    return {
        "dt": Param(dt, "integration time step", minimum=1e-6, maximum=1e-3),
        "method": Param(methods[0], method_doc, choices=methods),
        "device": Param("cpp_standalone", "Brian2 device", choices=("cpp_standalone", "runtime")),
        "runtime_target": Param("cython", "code generation of the runtime device", choices=("cython", "numpy")),
        "rate_bin": Param("10 ms", "bin width of the rates stored in the run file", positive=True),
        "max_steps": Param(
            400_000_000, "refuse protocols of more time steps than this (an hour at 0.01 ms is 3.6e8)", minimum=1
        ),
        "max_neurons": Param(1_000_000, "refuse networks of more cells than this (E + I)", minimum=2),
        "max_memory_gib": Param(
            16.0, "refuse networks whose synapses need more memory than this (GiB, estimated)", positive=True
        ),
        "checkpoint_interval": Param(
            "0 s",
            "cpp_standalone: save the network's whole state every this much biological time, so that a killed run "
            "resumes from its last checkpoint with the same result (snnmem run --resume; 0 s: no checkpoints)",
            minimum=0.0,
        ),
        **extra,
    }
