"""The Mongillo, Barak & Tsodyks (2008) network in Brian2: equations, stimulus port, build."""

from __future__ import annotations

from ...errors import ConfigError
from ...protocols import Schedule
from ..base import BuiltNetwork
from ..stimulus import window_namespace
from .parameters import connection_probabilities, memory_index, memory_size, psc_gain, stp_rule


# ----------------------------------------------------------------------------- network
_NEURON_EQUATIONS = """
dv/dt = (mu_ext*input_gain - v)/tau_m + sigma_ext*xi*tau_m**-0.5 : volt (unless refractory)
"""

#: with exponential synaptic currents (``synapses.tau_syn`` > 0): the inputs add to ``i_syn``
_CURRENT_EQUATIONS = """
dv/dt = (mu_ext*input_gain + i_syn - v)/tau_m + sigma_ext*xi*tau_m**-0.5 : volt (unless refractory)
di_syn/dt = -i_syn/tau_syn : volt
"""


def _effect(spec, target_tau_m: float, amount: str) -> tuple[str, dict]:
    """The on-spike effect of a synapse onto a cell of ``target_tau_m``, and its namespace.

    Instantaneous (``synapses.tau_syn`` = 0): ``v`` jumps by ``amount`` unless the cell is
    refractory. Exponential currents: ``i_syn`` jumps by ``amount`` x :func:`psc_gain`.
    """
    tau_syn = float(spec["synapses.tau_syn"])
    if tau_syn == 0:
        return f"v_post += {amount}*int(not_refractory_post)", {}
    gain = psc_gain(float(target_tau_m), tau_syn, spec["synapses.psc_normalisation"])
    return f"i_syn_post += {amount}*psc_gain", {"psc_gain": gain}


def _exc_gain(schedule: Schedule) -> str:
    """The stimulus port of the E cells: the gain of their external input.

    A cell stimulus of strength ``s`` adds ``s (cue_gain - 1) cells`` during its
    window; a global one adds ``s (readout_gain - 1)`` onto every E cell.
    """
    cells, globals_ = schedule.cell_stimuli(), schedule.global_stimuli()
    lines = "memory : integer (constant)\n" + "".join(f"stim{k}_cells : 1 (constant)\n" for k in range(len(cells)))
    terms = [
        f"{s.strength!r}*(cue_gain - 1)*stim{k}_cells*int(t >= stim{k}_start and t < stim{k}_stop)"
        for k, s in enumerate(cells)
        if s.active
    ]
    terms += [
        f"{s.strength!r}*(readout_gain - 1)*int(t >= glob{k}_start and t < glob{k}_stop)"
        for k, s in enumerate(globals_)
        if s.active
    ]
    return lines + "input_gain = 1" + "".join(f"\n    + {term}" for term in terms) + " : 1\n"


_INH_GAIN = """
input_gain = 1 : 1
"""


def build(spec, seed: int, schedule: Schedule) -> BuiltNetwork:
    """Create the Brian2 objects of the STP working-memory network (not yet run).

    ``schedule``: the stimuli of the run (default: the native protocol); see
    :func:`_exc_gain` for what a stimulus does.
    """
    import brian2 as b2

    net, syn, ext, proto = (spec.section(s) for s in ("network", "synapses", "external", "protocol"))
    p_exc, p_inh = connection_probabilities(spec)
    n_exc, n_inh, n_memories = net["n_exc"], net["n_inh"], net["n_memories"]
    gains = {
        "cue_gain": proto["cue_gain"],
        "readout_gain": proto["readout_gain"],
        **window_namespace("stim", schedule.cell_stimuli(), b2.second),
        **window_namespace("glob", schedule.global_stimuli(), b2.second),
    }

    currents = float(syn["tau_syn"]) > 0

    def population(name, n, cells, suffix, gain_equations):
        namespace = {
            "mu_ext": ext[f"mu_{suffix}"],
            "sigma_ext": ext[f"sigma_{suffix}"],
            **gains,
            **{k: cells[k] for k in ("tau_m", "v_threshold", "v_reset")},
            **({"tau_syn": syn["tau_syn"]} if currents else {}),
        }
        group = b2.NeuronGroup(
            n,
            (_CURRENT_EQUATIONS if currents else _NEURON_EQUATIONS) + gain_equations,
            threshold="v >= v_threshold",
            reset="v = v_reset",
            refractory=cells["refractory"],
            method=spec["simulation.method"],
            namespace=namespace,
            name=name,
        )
        group.v = "v_reset + rand()*(v_threshold - v_reset)"
        return group

    exc = population("exc", n_exc, spec.section("exc"), "exc", _exc_gain(schedule))
    inh = population("inh", n_inh, spec.section("inh"), "inh", _INH_GAIN)
    exc.memory = memory_index(spec)
    for k, stimulus in enumerate(schedule.cell_stimuli()):
        if len(stimulus.cells) != n_exc:
            raise ConfigError(
                f"stimulus {stimulus.label!r} names {len(stimulus.cells)} cells; the network has {n_exc} E cells"
            )
        setattr(exc, f"stim{k}_cells", stimulus.cells)

    delays = {"delay_min": syn["delay_min"], "delay_max": syn["delay_max"]}
    rule = stp_rule(spec)
    tau_m = {"exc": spec["exc.tau_m"], "inh": spec["inh.tau_m"]}
    effect, effect_namespace = _effect(spec, tau_m["exc"], "efficacy*release")
    ee = b2.Synapses(
        exc,
        exc,
        model=rule.model("event-driven") + "\nefficacy : volt (constant)",
        on_pre=rule.on_pre(effect),
        namespace={
            **rule.namespace(),
            **effect_namespace,
            **delays,
            "j_base": syn["j_exc_to_exc"],
            "j_memory": syn["j_exc_to_exc_memory"],
            "n_memories": n_memories,
            "gamma_0": spec["connectivity.nonselective_potentiated_fraction"],
        },
        name="ee_stp",
    )
    ee.connect(p=p_exc)
    # potentiated: within a memory, and a fraction gamma_0 of the synapses from non-selective
    # cells (drawn only when gamma_0 > 0: the default draws no random number here)
    potentiated = "int(memory_pre == memory_post and memory_pre < n_memories)"
    if spec["connectivity.nonselective_potentiated_fraction"] > 0:
        potentiated += " + int(memory_pre == n_memories)*int(rand() < gamma_0)"
    ee.efficacy = f"j_base + (j_memory - j_base)*({potentiated})"
    for name, value in rule.initial_values().items():
        setattr(ee, name, value)
    objects: list = [exc, inh, ee]
    for source, target, key, sign, p, name in (
        (exc, inh, "j_exc_to_inh", "", p_exc, "ei"),
        (inh, exc, "j_inh_to_exc", "-", p_inh, "ie"),
        (inh, inh, "j_inh_to_inh", "-", p_inh, "ii"),
    ):
        effect, effect_namespace = _effect(spec, tau_m[target.name], f"({sign}efficacy)")
        synapses = b2.Synapses(
            source,
            target,
            on_pre=effect,
            namespace={"efficacy": syn[key], **delays, **effect_namespace},
            name=name,
        )
        synapses.connect(p=p)
        objects.append(synapses)
    for synapses in objects[2:]:
        synapses.delay = "delay_min + rand()*(delay_max - delay_min)"

    monitors = {"exc": b2.SpikeMonitor(exc, name="spikes_exc"), "inh": b2.SpikeMonitor(inh, name="spikes_inh")}
    objects += list(monitors.values())
    info = {
        "connection_probability_from_exc": p_exc,
        "connection_probability_from_inh": p_inh,
        "cells_per_memory": memory_size(spec),
        "stp_U": rule.U,
    }
    return BuiltNetwork(objects, monitors, {"exc": n_exc, "inh": n_inh}, info)
