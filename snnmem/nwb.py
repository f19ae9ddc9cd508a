"""A run as a Neurodata Without Borders (NWB) file: units, epochs, rates, scores, the model.

``pynwb`` is optional (``pip install snnmem[nwb]``) and imported only here. Layout of the
file :func:`to_nwb` builds:

- **units**: one row per simulated neuron (every population), its spike times in
  seconds (resolution: the simulation step), and the columns ``population``,
  ``node_id``, ``memory_item`` (the memory-map item the cell belongs to, weight >= 0.5;
  "" for none) and ``preferred_angle_deg`` (ring circuits; NaN elsewhere).
- **epochs**: one per protocol phase, tagged with its plasticity mode (and ``lesioned``),
  with columns ``phase`` and ``phase_description``.
- **processing/misc**: every population rate as a ``TimeSeries`` (Hz) and the scores
  as a one-row ``DynamicTable``.
- a subject (NWB requires one): the simulated network, species NCBI "unidentified"
  (taxon 32644), sex unknown, born at the simulation's start;
- the resolved model (TOML) in ``notes``; versions, seed, device and wall times in
  ``data_collection``; the model's reference in ``related_publications``.
"""

from __future__ import annotations

import datetime as _dt
import json
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .optional import require
from .views import trains_by_neuron

if TYPE_CHECKING:  # pragma: no cover
    from .run import Run

#: weight from which a cell counts as a member of a memory item
MEMBER_WEIGHT = 0.5
#: NCBI taxonomy "unidentified" (taxid 32644): the species of a simulated network's subject
UNIDENTIFIED_TAXON = "http://purl.obolibrary.org/obo/NCBITaxon_32644"


def _cell_columns(run: Run) -> dict[str, dict[str, Any]]:
    """Per population: ``memory_item`` labels and ``preferred_angle_deg`` of its cells (if the circuit maps it)."""
    from . import registry

    memory = registry.get("circuit", run.circuit).memory_map(run.model, run.seed)
    n = int(run.n_neurons.get(memory.population, 0))
    items = np.full(n, "", dtype=object)
    weights = np.asarray(memory.weights)[:, :n]
    strongest = weights.argmax(axis=0)
    member = weights.max(axis=0) >= MEMBER_WEIGHT
    items[member] = [memory.labels[k] for k in strongest[member]]
    angles = np.full(n, np.nan)
    if memory.cell_angles_deg is not None:
        angles = np.asarray(memory.cell_angles_deg, dtype=float)[:n]
    return {memory.population: {"memory_item": items, "preferred_angle_deg": angles}}


def to_nwb(run: Run) -> Any:
    """The run as an in-memory ``pynwb.NWBFile`` (write it with :func:`write_nwb`).

    Parameters
    ----------
    run : Run
        A run (from :func:`snnmem.simulate` or :func:`snnmem.open_run`).

    Returns
    -------
    pynwb.NWBFile
        Module docstring: units, epochs, rates and scores, the resolved model.
    """
    pynwb = require("pynwb", "nwb")
    from hdmf.common import DynamicTable

    model = run.model
    created = _dt.datetime.fromisoformat(run.created) if run.created else _dt.datetime.now(_dt.timezone.utc)
    if created.tzinfo is None:
        created = created.replace(tzinfo=_dt.timezone.utc)
    digest = f"{run.model_name}|{run.seed}|{run.created}|{model.sha256}"
    title = model.raw.get("model", {}).get("title", run.model_name)
    reference = model.raw.get("model", {}).get("reference", "")
    doi = model.raw.get("model", {}).get("doi", "")
    nwb = pynwb.NWBFile(
        session_description=f"snnmem simulation: {title} (circuit {run.circuit}, seed {run.seed})",
        identifier=str(uuid.uuid5(uuid.NAMESPACE_URL, "snnmem:" + digest)),
        session_start_time=created,
        file_create_date=created,
        experiment_description=f"model {run.model_name!r}, task {run.task or 'native protocol'}; {title}",
        session_id=f"{run.model_name}_seed{run.seed}",
        institution="simulation (no institution)",
        lab="simulation (no lab)",
        notes=run.model_toml,
        data_collection=json.dumps({"seed": run.seed, **run.provenance}, sort_keys=True, default=str),
        related_publications=[f"doi:{doi}" if doi else reference] if (doi or reference) else None,
        keywords=["spiking neural network", "simulation", "memory", run.circuit],
    )
    # a simulation has no animal: NWB (and DANDI) still require a subject with species, sex and
    # age; NCBI's taxon 32644 is "unidentified", sex "U" unknown, born when the simulation started
    nwb.subject = pynwb.file.Subject(
        subject_id=f"{run.model_name}_seed{run.seed}",
        description=f"simulated spiking network, no animal: {title}",
        species=UNIDENTIFIED_TAXON,
        sex="U",
        date_of_birth=created,
    )
    # spike times are multiples of the simulation step: that is their resolution
    nwb.units = pynwb.misc.Units(
        name="units",
        description="every simulated neuron of every population (snnmem run file /spikes)",
        resolution=float(model["simulation.dt"]),
    )
    nwb.add_unit_column("population", "spike population of the run file (/spikes/<population>)")
    nwb.add_unit_column("node_id", "index of the neuron within its population")
    nwb.add_unit_column("memory_item", "memory-map item the cell encodes (weight >= 0.5); empty: none")
    nwb.add_unit_column("preferred_angle_deg", "preferred angle of a ring cell in degrees; NaN: not a ring cell")
    columns = _cell_columns(run)
    for pop in sorted(run.spikes):
        extra = columns.get(pop)
        for node, mine in enumerate(trains_by_neuron(*run.spikes[pop], run.n_neurons[pop])):
            nwb.add_unit(
                spike_times=mine,
                obs_intervals=[[0.0, run.duration_s]],
                population=pop,
                node_id=node,
                memory_item=str(extra["memory_item"][node]) if extra else "",
                preferred_angle_deg=float(extra["preferred_angle_deg"][node]) if extra else float("nan"),
            )
    nwb.add_epoch_column("phase", "protocol phase name (/protocol of the run file)")
    nwb.add_epoch_column("phase_description", "what happens in the phase")
    for phase in run.phases:
        tags = [f"plasticity_{phase.plasticity}"] + (["lesioned"] if phase.lesion else [])
        nwb.add_epoch(
            start_time=float(phase.start_s),
            stop_time=float(phase.stop_s),
            tags=tags,
            phase=phase.name,
            phase_description=phase.description or phase.name,
        )
    module = nwb.create_processing_module("misc", "snnmem: population rates and scores of the simulation")
    for name in sorted(run.rates):
        values, attrs = run.rates[name]
        module.add(
            pynwb.TimeSeries(
                name=f"rate_{name}",
                data=np.asarray(values, dtype=np.float32),
                unit="Hz",
                rate=1.0 / float(attrs["bin_s"]),
                starting_time=float(attrs.get("t_start_s", 0.0)),
                description=f"rate of {name} in {float(attrs['bin_s']) * 1e3:g} ms bins ({attrs.get('groups', '')})",
            )
        )
    scores = DynamicTable(name="scores", description="the run's scores (unit in the name: _hz, _deg, _s)")
    for key in sorted(run.scores):
        scores.add_column(key, f"score {key}")
    if run.scores:
        scores.add_row({key: float(value) for key, value in run.scores.items()})
    module.add(scores)
    return nwb


def write_nwb(run: Run, path: str | Path, nwbfile: Any = None) -> Path:
    """Write ``nwbfile`` (default: :func:`to_nwb` of ``run``) to ``path`` (``.nwb``), atomically; returns the path."""
    from .atomic import atomic_write
    from .errors import SnnmemError

    pynwb = require("pynwb", "nwb")
    path = Path(path)
    if path.suffix != ".nwb":
        raise SnnmemError(f"{path}: NWB files end in .nwb")
    nwb = to_nwb(run) if nwbfile is None else nwbfile

    def write(tmp_name: str) -> None:
        with pynwb.NWBHDF5IO(tmp_name, "w") as io:
            io.write(nwb)

    return atomic_write(path, write, "the NWB file")
