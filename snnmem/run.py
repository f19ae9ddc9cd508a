"""The :class:`Run` object and its HDF5 run file (format ``snnmem-run``, version 2; version 1 is read too).

One file per simulation, readable with h5py, HDFView or MATLAB ``h5read`` without
snnmem. Layout (see README "Run files")::

    /                         attrs: format, format_version, snnmem_version, brian2_version, created,
                                     seed, model_name, circuit, task, status="complete",
                                     manifest (every dataset path), digest_sha256,
                                     magic=0x0A7A, version=[0, 1] (SONATA)
    /model                    attrs: toml (resolved model, every default filled in), sha256
    /protocol                 compound table: name, start_s, stop_s, description, plasticity, lesion
    /spikes/<pop>             group attrs: sorting (SONATA enum none/by_id/by_time = by_time), n_neurons
    /spikes/<pop>/node_ids    uint64            (SONATA spike report; no deflate, so SONATA readers
    /spikes/<pop>/timestamps  float64 attrs: units="s"   built without zlib read it: 16 bytes per spike)
    /rates/<name>             float32 [n_bins] or [n_bins, n_groups], attrs: bin_s, t_start_s, units
    /weights/<syn>/{i, j, w_initial, w_final}   (plastic models)
    /scores                   attrs: every score, plain floats, unit in the name
    /analysis/<name>          arrays behind the scores
    /provenance               attrs: device, versions of every package, wall times

Files are written to a temporary file in the same folder and renamed into place
(:func:`snnmem.atomic.atomic_write`), so a run that fails leaves no half file and never replaces an
existing one. Datasets have fixed order and content: the same seed gives the same
data bytes.

Integrity: every non-empty dataset carries HDF5's Fletcher-32 checksum (HDF5 checks it on
every read, in any tool); ``digest_sha256`` covers what attributes hold (the identity
attributes, the model text and the scores), and ``manifest`` lists every dataset, so
:func:`open_run` refuses a file with flipped bytes, an edited score or a missing part.
"""

from __future__ import annotations

import datetime as _dt
import os
import platform
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Mapping, Sequence

import h5py
import numpy as np

from ._version import __version__
from .atomic import atomic_write
from .errors import RunFileError
from .protocols import Phase
from .snapshots import StreamedSnapshots

__all__ = ["Run", "open_run", "FORMAT", "FORMAT_VERSION", "READABLE_VERSIONS"]

FORMAT = "snnmem-run"
FORMAT_VERSION = 2
#: versions :func:`open_run` reads (1: spikes deflated, uint32 ids, sorting a string on the timestamps)
READABLE_VERSIONS = (1, 2)
#: SONATA's spike sorting enum (SONATA developer guide, "Spike file")
SONATA_SORTING = {"none": 0, "by_id": 1, "by_time": 2}
#: SONATA's file identification (root attributes ``magic`` and ``version``)
SONATA_MAGIC, SONATA_VERSION = 0x0A7A, (0, 1)
_PROTOCOL_DTYPE = np.dtype(
    [
        ("name", "S64"),
        ("start_s", "<f8"),
        ("stop_s", "<f8"),
        ("description", "S256"),
        ("plasticity", "S16"),
        ("lesion", "i1"),
    ]
)
_COMPRESSION = {"compression": "gzip", "compression_opts": 1, "shuffle": True}  # deflate: MATLAB reads it
#: root attributes covered by the file's digest (with the model text and the scores)
_DIGESTED_ATTRS = ("format", "format_version", "seed", "model_name", "circuit", "task")


def _create(group: h5py.Group, name: str, data: Any, compress: bool = False) -> h5py.Dataset:
    """A dataset with HDF5's Fletcher-32 checksum (checked by HDF5 on every read), deflated if ``compress``."""
    data = np.asarray(data)
    kw: dict[str, Any] = {}
    if data.ndim and data.size:  # the filters need a chunked, non-empty dataset
        kw["fletcher32"] = True
        if compress:
            kw.update(_COMPRESSION)
    return group.create_dataset(name, data=data, **kw)


def _create_by_rows(group: h5py.Group, name: str, rows: Any) -> h5py.Dataset:
    """A 2-D dataset written one row (one HDF5 chunk) at a time from an object with ``shape`` and ``row(k)``.

    For streamed weight snapshots: memory holds one row, however many there are.
    """
    n_rows, n_columns = rows.shape
    kw: dict[str, Any] = {"fletcher32": True, "chunks": (1, max(n_columns, 1)), **_COMPRESSION} if rows.shape[0] else {}
    dataset = group.create_dataset(name, shape=rows.shape, dtype=rows.dtype, **kw)
    for k in range(n_rows):
        dataset[k] = rows.row(k)
    return dataset


def _file_digest(attrs: Mapping[str, Any], model_toml: str, scores: Mapping[str, float]) -> str:
    """sha256 of what attributes hold (HDF5 checksums datasets only): identity, model text, scores."""
    import hashlib

    text = repr([(k, str(_decode(attrs.get(k)))) for k in _DIGESTED_ATTRS])
    text += model_toml + repr(sorted((k, float(v).hex()) for k, v in scores.items()))
    return hashlib.sha256(text.encode()).hexdigest()


def _package_versions() -> dict[str, str]:
    versions = {"snnmem": __version__, "python": platform.python_version()}
    for name in ("brian2", "numpy", "numba", "h5py", "matplotlib"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


@dataclass(repr=False)
class Run:
    """One simulation: spikes, rates, scores, the resolved model and provenance.

    Attributes
    ----------
    model_toml
        The resolved model (every default filled in), as TOML text.
    model_name, circuit, seed
        Identity of the run.
    task
        The memory task the run followed (``""``: the circuit's native protocol).
    phases
        The protocol: named intervals in seconds.
    spikes
        population -> ``(node_ids uint32, timestamps float64 s)``, sorted by time.
    n_neurons
        population -> size.
    rates
        name -> ``(array Hz, attrs)``; attrs hold at least ``bin_s`` and ``t_start_s``.
    scores
        score name -> float (unit in the name: ``_hz``, ``_deg``).
    analysis
        name -> array behind the scores.
    weights
        synapse group -> ``{"i", "j", "w_initial", "w_final", ...}`` arrays.
    provenance
        device, package versions, wall times, circuit facts.
    created
        ISO 8601 time of the run.
    """

    model_toml: str
    model_name: str
    circuit: str
    seed: int
    phases: list[Phase]
    spikes: dict[str, tuple[np.ndarray, np.ndarray]]
    n_neurons: dict[str, int]
    rates: dict[str, tuple[np.ndarray, dict[str, Any]]] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)
    analysis: dict[str, np.ndarray] = field(default_factory=dict)
    weights: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    provenance: dict[str, Any] = field(default_factory=dict)
    created: str = ""
    path: Path | None = None
    task: str = ""

    # ------------------------------------------------------------------ creation
    @classmethod
    def from_simulation(
        cls,
        *,
        model,
        seed: int,
        device: str,
        phases: Sequence[Phase],
        spikes: Mapping[str, tuple[np.ndarray, np.ndarray]],
        n_neurons: Mapping[str, int],
        rates: Mapping[str, tuple[np.ndarray, dict[str, Any]]],
        scores: Mapping[str, float],
        analysis: Mapping[str, np.ndarray],
        timing: Mapping[str, float],
        info: Mapping[str, Any],
    ) -> "Run":
        """Assemble a run from a finished simulation (used by :func:`snnmem.simulate`)."""
        provenance = {"device": device, **{f"{k}_version": v for k, v in _package_versions().items()}}
        provenance.update({f"wall_{k}": float(v) for k, v in timing.items()})
        provenance.update({f"circuit_{k}": v for k, v in info.items()})
        return cls(
            model_toml=model.to_toml(),
            model_name=model.name,
            circuit=model.circuit,
            task=model.task or "",
            seed=int(seed),
            phases=list(phases),
            spikes=dict(spikes),
            n_neurons=dict(n_neurons),
            rates=dict(rates),
            scores={k: float(v) for k, v in scores.items()},
            analysis=dict(analysis),
            provenance=provenance,
            created=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        )

    @property
    def model(self):
        """The resolved :class:`~snnmem.config.ModelSpec` (re-validated from the stored TOML)."""
        from .config import spec_from_toml

        return spec_from_toml(self.model_toml, where=str(self.path or f"run of {self.model_name}"))

    @property
    def duration_s(self) -> float:
        return self.phases[-1].stop_s if self.phases else 0.0

    def phase(self, name: str) -> Phase:
        from .protocols import find_phase

        return find_phase(self.phases, name)

    # ------------------------------------------------------------------ writing
    def save(self, path: str | Path) -> Path:
        """Write the run file atomically; returns the path.

        The file is first written to a temporary file in the destination folder
        (``.NAME.<host>.<pid>.*.tmp``) and renamed into place, so an existing file is
        replaced only by a complete one (:func:`snnmem.atomic.atomic_write`). Temporary files
        of earlier writes to the same path whose process on this host is gone (killed while
        writing) are removed.

        Raises
        ------
        RunFileError
            ``path`` does not end in ``.h5`` or ``.hdf5``.
        EnvironmentFailure
            The folder cannot be written or the disk is full; an existing file is unchanged.
        """
        path = Path(path)
        if path.suffix not in (".h5", ".hdf5"):
            raise RunFileError(f"{path}: run files end in .h5 or .hdf5")

        # HDF5 must never meet a full disk: a failed write leaves the library holding a file it
        # can no longer close, and a later HDF5 call crashes (seen: a segfault on ENOSPC, and one
        # in an unrelated file after a file-object write failed). So the temporary file is first
        # given the disk blocks of an upper bound of its size (posix_fallocate: a full disk is a
        # plain OSError here), then HDF5 writes straight into it (memory does not grow with the
        # file: streamed snapshots can be gigabytes) and shrinks it to its real size on close.
        def write(tmp_name: str) -> None:
            with open(tmp_name, "r+b") as handle:
                os.posix_fallocate(handle.fileno(), 0, self._size_bound())
            with h5py.File(tmp_name, "w", track_order=True) as h5:
                self._write(h5)
                h5.attrs["status"] = "complete"

        atomic_write(path, write, "the run file")
        self.path = path
        return path

    def _size_bound(self) -> int:
        """Bytes the run file can take at most: every array uncompressed, plus room for metadata and chunks."""

        def nbytes(value: Any) -> int:
            if isinstance(value, StreamedSnapshots):
                return value.n_snapshots * value.n_synapses * 4 + 512 * value.n_snapshots
            return int(np.asarray(value).nbytes)

        total = sum(2 * ids.size * 8 for ids, _ in self.spikes.values())  # uint64 ids, float64 times
        total += sum(nbytes(values) for values, _ in self.rates.values())
        total += sum(nbytes(data) for group in self.weights.values() for data in group.values())
        total += sum(nbytes(data) for data in self.analysis.values())
        total += len(self.model_toml.encode()) + 256 * len(self.phases)
        n_datasets = 8 + len(self.rates) + len(self.analysis) + sum(len(g) for g in self.weights.values())
        return int(total * 1.05) + 4096 * n_datasets + (1 << 20)

    def _write(self, h5: h5py.File) -> None:
        versions = _package_versions()
        root = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "snnmem_version": __version__,
            "brian2_version": versions["brian2"],
            "created": self.created,
            "seed": self.seed,
            "model_name": self.model_name,
            "circuit": self.circuit,
            "task": self.task,
            "status": "incomplete",
        }
        for key, value in root.items():
            h5.attrs[key] = value
        h5.attrs["magic"] = np.uint32(SONATA_MAGIC)
        h5.attrs["version"] = np.asarray(SONATA_VERSION, dtype=np.uint32)
        model = h5.create_group("model")
        model.attrs["toml"] = self.model_toml
        import hashlib

        model.attrs["sha256"] = hashlib.sha256(self.model_toml.encode()).hexdigest()
        table = np.array(
            [
                (
                    p.name.encode(),
                    p.start_s,
                    p.stop_s,
                    p.description.encode()[:256],
                    p.plasticity.encode(),
                    int(p.lesion),
                )
                for p in self.phases
            ],
            dtype=_PROTOCOL_DTYPE,
        )
        _create(h5, "protocol", table)
        spikes = h5.create_group("spikes", track_order=True)
        for pop in sorted(self.spikes):
            ids, times = self.spikes[pop]
            group = spikes.create_group(pop)
            group.attrs["n_neurons"] = int(self.n_neurons[pop])
            # the SONATA spike report: sorting enum on the group, uint64 ids, no deflate (the SONATA
            # reader on PyPI, libsonata, is built without zlib); Fletcher-32 is core HDF5 and stays
            sorting = h5py.enum_dtype(SONATA_SORTING, basetype="u1")
            group.attrs.create("sorting", SONATA_SORTING["by_time"], dtype=sorting)
            _create(group, "node_ids", np.asarray(ids, dtype=np.uint64))
            ts = _create(group, "timestamps", np.asarray(times, dtype=np.float64))
            ts.attrs["units"] = "s"
        rates = h5.create_group("rates", track_order=True)
        for name in sorted(self.rates):
            values, attrs = self.rates[name]
            dataset = _create(rates, name, np.asarray(values, dtype=np.float32))
            for key, value in attrs.items():
                dataset.attrs[key] = value
        weights = h5.create_group("weights", track_order=True)
        for syn in sorted(self.weights):
            group = weights.create_group(syn)
            for key in sorted(self.weights[syn]):
                data = self.weights[syn][key]
                if isinstance(data, StreamedSnapshots):  # streamed to disk during the run: copied row by row
                    _create_by_rows(group, key, data)
                    continue
                data = np.asarray(data)
                _create(group, key, data, data.size > 1000)
        scores = h5.create_group("scores")
        for key in sorted(self.scores):
            scores.attrs[key] = float(self.scores[key])
        analysis = h5.create_group("analysis", track_order=True)
        for key in sorted(self.analysis):
            _create(analysis, key, self.analysis[key])
        provenance = h5.create_group("provenance")
        for key in sorted(self.provenance):
            value = self.provenance[key]
            provenance.attrs[key] = value if isinstance(value, (int, float, str, np.number)) else str(value)
        manifest: list[str] = []
        h5.visititems(lambda name, obj: manifest.append(name) if isinstance(obj, h5py.Dataset) else None)
        h5.attrs["manifest"] = "\n".join(sorted(manifest))
        h5.attrs["digest_sha256"] = _file_digest(h5.attrs, self.model_toml, self.scores)

    # ------------------------------------------------------------------ display
    # ------------------------------------------------------------------ views
    def to_neo(self) -> Any:
        """The run as a ``neo.Block``: a spike train per neuron, grouped by population (:func:`snnmem.views.to_neo`)."""
        from .views import to_neo

        return to_neo(self)

    def to_nwb(self, path: str | Path | None = None) -> Any:
        """The run as a ``pynwb.NWBFile`` (:mod:`snnmem.nwb`); with ``path``, also written there (``.nwb``)."""
        from .nwb import to_nwb, write_nwb

        nwbfile = to_nwb(self)
        if path is not None:
            write_nwb(self, path, nwbfile)
        return nwbfile

    def rate_array(self, name: str) -> Any:
        """A rate of :attr:`rates` as an ``xarray.DataArray`` with time and group coordinates (:mod:`snnmem.views`)."""
        from .views import rate_array

        return rate_array(self, name)

    def spikes_frame(self) -> Any:
        """Every spike as a ``pandas.DataFrame`` row (population, node_id, time_s); see :mod:`snnmem.views`."""
        from .views import spikes_frame

        return spikes_frame(self)

    def scores_frame(self) -> Any:
        """The scores as a one-row ``pandas.DataFrame`` indexed by (model, seed)."""
        from .views import scores_frame

        return scores_frame(self)

    def __repr__(self) -> str:
        """One line: identity, size and where the file is (the model text is in :attr:`model_toml`)."""
        n_spikes = sum(len(ids) for ids, _ in self.spikes.values())
        where = f", file {self.path}" if self.path else ""
        task = f", task {self.task}" if self.task else ""
        return (
            f"<Run {self.model_name!r} seed {self.seed}{task}: {self.duration_s:g} s, "
            f"{len(self.spikes)} populations, {n_spikes} spikes, {len(self.scores)} scores{where}>"
        )

    def _repr_html_(self) -> str:
        """Notebook summary: identity, scores, protocol and populations as HTML tables."""
        from html import escape

        def table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
            head = "".join(f"<th>{escape(str(h))}</th>" for h in header)
            body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
            return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

        what = f"{self.circuit}, task {self.task}" if self.task else f"{self.circuit}, native protocol"
        parts = [f"<p><b>{escape(self.model_name)}</b> ({escape(what)}), seed {self.seed}, {escape(self.created)}"]
        if self.path:
            parts[0] += f"<br><code>{escape(str(self.path))}</code>"
        parts[0] += "</p>"
        parts.append(table(["score", "value"], [(k, f"{v:.6g}") for k, v in sorted(self.scores.items())]))
        parts.append(
            table(
                ["phase", "start (s)", "stop (s)", "plasticity", "lesion", "description"],
                [
                    (p.name, f"{p.start_s:g}", f"{p.stop_s:g}", p.plasticity, "yes" if p.lesion else "", p.description)
                    for p in self.phases
                ],
            )
        )
        rows = []
        for pop, (ids, _) in sorted(self.spikes.items()):
            n = self.n_neurons[pop]
            rate = len(ids) / (n * self.duration_s) if self.duration_s > 0 and n else float("nan")
            rows.append((pop, n, len(ids), f"{rate:.3g}"))
        parts.append(table(["population", "neurons", "spikes", "mean rate (Hz)"], rows))
        return "\n".join(parts)

    def summary(self) -> str:
        """Human-readable description: scores first, then contents."""
        what = f"{self.circuit}, task {self.task}" if self.task else f"{self.circuit}, native protocol"
        lines = [f"run of {self.model_name!r} ({what}), seed {self.seed}, created {self.created}"]
        if self.path:
            lines[0] += f"\n  file: {self.path}"
        lines.append("scores:")
        lines += [f"  {k:<28} {v:.6g}" for k, v in sorted(self.scores.items())] or ["  (none)"]
        lines.append("protocol:")
        lines += [
            f"  {p.name:<14} {p.start_s:8.3f} - {p.stop_s:8.3f} s  {p.description}"
            + (f"  [plasticity {p.plasticity}]" if p.plasticity != "all" else "")
            + ("  [lesioned]" if p.lesion else "")
            for p in self.phases
        ]
        lines.append("spikes:")
        for pop, (ids, times) in sorted(self.spikes.items()):
            n = self.n_neurons[pop]
            rate = len(ids) / (n * self.duration_s) if self.duration_s > 0 and n else float("nan")
            lines.append(f"  {pop:<8} {n:6d} neurons  {len(ids):9d} spikes  mean {rate:.3g} Hz")
        if self.rates:
            lines.append("rates: " + ", ".join(f"{k} {v.shape}" for k, (v, _) in sorted(self.rates.items())))
        if self.analysis:
            lines.append("analysis: " + ", ".join(f"{k} {np.shape(v)}" for k, v in sorted(self.analysis.items())))
        if self.weights:
            lines.append("weights: " + ", ".join(sorted(self.weights)))
        keys = ("device", "brian2_version", "numpy_version", "wall_total_s")
        lines.append("provenance: " + ", ".join(f"{k}={self.provenance[k]}" for k in keys if k in self.provenance))
        return "\n".join(lines)


def _check_spike_values(path: Any, pop: str, ids: np.ndarray, times: np.ndarray, n_neurons: int) -> None:
    """Node ids within the population, timestamps finite and sorted by time: RunFileError otherwise."""
    where = f"{path}: /spikes/{pop}"
    if ids.size and (ids.min() < 0 or ids.max() >= n_neurons):
        raise RunFileError(f"{where}/node_ids: ids must lie in 0..{n_neurons - 1} (n_neurons), found {ids.max()}")
    if times.size and not np.all(np.isfinite(times)):
        raise RunFileError(f"{where}/timestamps: {int(np.sum(~np.isfinite(times)))} are not finite")
    if times.size > 1 and np.any(np.diff(times) < 0):
        raise RunFileError(f"{where}/timestamps: not sorted by time (the file's sorting is 'by_time')")


def _decode(value: Any) -> Any:
    return value.decode() if isinstance(value, bytes) else value


def open_hdf5(path: Path, what: str) -> h5py.File:
    """``path`` opened read-only; RunFileError naming the path if it is missing or not HDF5."""
    if not path.is_file():
        raise RunFileError(f"{what} not found: {path}")
    try:
        return h5py.File(path, "r")
    except OSError as error:
        raise RunFileError(f"{path}: not a readable HDF5 file ({error})") from None


def open_run(path: str | Path) -> Run:
    """Read a run file written by :meth:`Run.save`.

    Raises
    ------
    RunFileError
        The file is missing, not HDF5, not an snnmem run file, of an unsupported
        version, incomplete, or lacks a required part; the message names the path.
    """
    path = Path(path)
    h5 = open_hdf5(path, "run file")
    try:
        with h5:
            return _read(h5, path)
    except RunFileError:
        raise
    except (KeyError, OSError, ValueError, TypeError, IndexError, AttributeError) as error:
        # HDF5's checksum failures arrive here as OSError ("data error detected by fletcher32 checksum")
        raise RunFileError(f"{path}: corrupt or incomplete run file ({error})") from None


def _read(h5: h5py.File, path: Path) -> Run:
    attrs = {k: _decode(v) for k, v in h5.attrs.items()}
    if attrs.get("format") != FORMAT:
        raise RunFileError(f"{path}: not an snnmem run file (format attribute {attrs.get('format')!r})")
    if int(attrs.get("format_version", -1)) not in READABLE_VERSIONS:
        raise RunFileError(
            f"{path}: run-file format version {attrs.get('format_version')} is not supported "
            f"(this snnmem reads versions {', '.join(map(str, READABLE_VERSIONS))})"
        )
    if attrs.get("status") != "complete":
        raise RunFileError(f"{path}: run file is marked {attrs.get('status')!r}, not complete")
    for required in ("model", "protocol", "spikes", "scores"):
        if required not in h5:
            raise RunFileError(f"{path}: missing /{required}")
    for name in filter(None, str(attrs.get("manifest", "")).split("\n")):  # files before the manifest: none
        if name not in h5:
            raise RunFileError(f"{path}: missing /{name} (listed in the file's manifest)")
    model_toml = _decode(h5["model"].attrs["toml"])
    scores = {k: float(v) for k, v in h5["scores"].attrs.items()}
    if "digest_sha256" in attrs and _file_digest(attrs, model_toml, scores) != attrs["digest_sha256"]:
        raise RunFileError(
            f"{path}: the model, scores or identity attributes do not match the file's digest (the file was changed "
            "or damaged after it was written)"
        )
    table = h5["protocol"][()]
    columns = table.dtype.names or ()
    plastic = "plasticity" in columns  # files written before the column: "all"
    lesioned = "lesion" in columns  # files written before the column: no lesion
    phases = [
        Phase(
            _decode(row["name"]),
            float(row["start_s"]),
            float(row["stop_s"]),
            _decode(row["description"]),
            _decode(row["plasticity"]) if plastic else "all",
            bool(row["lesion"]) if lesioned else False,
        )
        for row in table
    ]
    spikes, n_neurons = {}, {}
    for pop, group in h5["spikes"].items():
        ids, times = group["node_ids"][()], group["timestamps"][()]
        if ids.shape != times.shape:
            raise RunFileError(f"{path}: /spikes/{pop}: node_ids and timestamps differ in length")
        n_neurons[pop] = int(group.attrs["n_neurons"])
        _check_spike_values(path, pop, ids, times, n_neurons[pop])
        spikes[pop] = (ids.astype(np.uint32), times.astype(np.float64))
    rates = {name: (ds[()], {k: _decode(v) for k, v in ds.attrs.items()}) for name, ds in h5.get("rates", {}).items()}
    weights = {syn: {key: ds[()] for key, ds in group.items()} for syn, group in h5.get("weights", {}).items()}
    return Run(
        model_toml=model_toml,
        model_name=attrs["model_name"],
        circuit=attrs["circuit"],
        seed=int(attrs["seed"]),
        phases=phases,
        spikes=spikes,
        n_neurons=n_neurons,
        rates=rates,
        scores=scores,
        analysis={k: ds[()] for k, ds in h5.get("analysis", {}).items()},
        weights=weights,
        provenance={k: _decode(v) for k, v in h5.get("provenance", {}).attrs.items()} if "provenance" in h5 else {},
        created=attrs.get("created", ""),
        path=path,
        task=_decode(attrs.get("task", "")),
    )
