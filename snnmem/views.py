"""A run's spikes, rates and protocol as other libraries' objects: Neo (for Elephant), pandas, xarray.

The libraries are optional (``pip install snnmem[neo]`` / ``snnmem[pandas]`` / ``snnmem[xarray]``); they are
imported when a view is asked for, never at import time. The views copy nothing they do
not need and convert no values: times stay the run file's float64 seconds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .optional import require

if TYPE_CHECKING:  # pragma: no cover
    from .run import Run


def trains_by_neuron(ids: np.ndarray, times: np.ndarray, n_neurons: int) -> list[np.ndarray]:
    """Each neuron's spike times (``0 .. n_neurons - 1``), in time order, from time-sorted ``(ids, times)``."""
    order = np.argsort(ids, kind="stable")  # by neuron; each neuron's times keep their order
    bounds = np.searchsorted(ids[order], np.arange(n_neurons + 1))
    return [times[order[bounds[node] : bounds[node + 1]]] for node in range(n_neurons)]


def to_neo(run: Run) -> Any:
    """The run as a ``neo.Block``: one segment, one spike train per neuron, the protocol as an epoch.

    Parameters
    ----------
    run : Run
        A run (from :func:`snnmem.simulate` or :func:`snnmem.open_run`).

    Returns
    -------
    neo.Block
        ``block.segments[0].spiketrains``: every neuron of every population, in population
        order then node id, each with ``t_start = 0 s``, ``t_stop`` = the run's duration and
        annotations ``population`` and ``node_id``; ``block.groups``: one ``neo.Group`` per
        population holding its trains (Elephant takes ``group.spiketrains`` directly);
        ``segments[0].epochs[0]``: the protocol's phases (labels = phase names).
        Annotations of the block: model, circuit, task, seed, file.
    """
    neo = require("neo", "neo")
    pq = require("quantities", "neo")
    duration = run.duration_s
    block = neo.Block(
        name=f"{run.model_name} seed {run.seed}",
        model=run.model_name,
        circuit=run.circuit,
        task=run.task,
        seed=run.seed,
        file=str(run.path or ""),
    )
    segment = neo.Segment(name="run")
    block.segments.append(segment)
    for pop in sorted(run.spikes):
        trains = [
            neo.SpikeTrain(mine, units=pq.s, t_start=0.0 * pq.s, t_stop=duration * pq.s, population=pop, node_id=node)
            for node, mine in enumerate(trains_by_neuron(*run.spikes[pop], run.n_neurons[pop]))
        ]
        segment.spiketrains.extend(trains)
        block.groups.append(neo.Group(trains, name=pop, population=pop))
    if run.phases:
        starts = np.array([p.start_s for p in run.phases])
        epoch = neo.Epoch(
            times=starts * pq.s,
            durations=np.array([p.stop_s - p.start_s for p in run.phases]) * pq.s,
            labels=np.array([p.name for p in run.phases]),
            name="protocol",
        )
        segment.epochs.append(epoch)
    block.check_relationships()
    return block


def spikes_frame(run: Run) -> Any:
    """Every spike as a row of a ``pandas.DataFrame``: ``population``, ``node_id``, ``time_s``.

    Rows are in population order, then by time (as stored); ``population`` is categorical.
    """
    pd = require("pandas", "pandas")
    pops = sorted(run.spikes)
    frames = [
        pd.DataFrame(
            {
                "population": pd.Categorical([pop] * len(run.spikes[pop][0]), categories=pops),
                "node_id": run.spikes[pop][0],
                "time_s": run.spikes[pop][1],
            }
        )
        for pop in pops
    ]
    if not frames:
        return pd.DataFrame({"population": pd.Categorical([]), "node_id": [], "time_s": []})
    return pd.concat(frames, ignore_index=True)


def scores_frame(run: Run) -> Any:
    """The run's scores as a one-row ``pandas.DataFrame`` indexed by model and seed."""
    pd = require("pandas", "pandas")
    index = pd.MultiIndex.from_tuples([(run.model_name, run.seed)], names=["model", "seed"])
    return pd.DataFrame([dict(sorted(run.scores.items()))], index=index)


def rate_array(run: Run, name: str) -> Any:
    """One of the run's rates as an ``xarray.DataArray`` with time (bin centres, s) and group coordinates.

    Parameters
    ----------
    run : Run
        A run.
    name : str
        A key of :attr:`Run.rates` (``"exc"``, ``"inh"``, ``"ctx_exc"`` ...).

    Returns
    -------
    xarray.DataArray
        Dimension ``time`` (and ``group`` for rates by group): coordinates ``time`` (bin
        centres, seconds), and ``group`` (item names), or ``preferred_angle_deg`` for a
        ring; attributes ``units`` ("Hz"), ``bin_s``, ``t_start_s``.
    """
    xr = require("xarray", "xarray")
    if name not in run.rates:
        raise KeyError(f"the run has no rate {name!r}; it has: {', '.join(sorted(run.rates))}")
    values, attrs = run.rates[name]
    values = np.asarray(values)
    bin_s, t0 = float(attrs["bin_s"]), float(attrs.get("t_start_s", 0.0))
    coords: dict[str, Any] = {"time": ("time", t0 + (np.arange(values.shape[0]) + 0.5) * bin_s, {"units": "s"})}
    dims = ["time"]
    if values.ndim == 2:
        dims.append("group")
        if "group_centres_deg" in attrs:
            coords["preferred_angle_deg"] = ("group", np.asarray(attrs["group_centres_deg"], dtype=float))
        names = str(attrs.get("groups", "")).split(",")
        coords["group"] = names if len(names) == values.shape[1] else np.arange(values.shape[1])
    return xr.DataArray(
        values,
        dims=dims,
        coords=coords,
        name=f"rate_{name}",
        attrs={"units": str(attrs.get("units", "Hz")), "bin_s": bin_s, "t_start_s": t0, "long_name": f"{name} rate"},
    )
