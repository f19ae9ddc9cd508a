"""Command line: ``snnmem run | info | plot | sweep | bench | export | models | validate``.

Thin by design: every sub-command parses its arguments and calls the library.
Errors print one line naming the key or file and exit with status 2 (bad input)
or 1 (a failed run or validation).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Sequence

from .errors import ConfigError, EnvironmentFailure, SimulationInterrupted, SnnmemError

__all__ = ["main", "build_parser"]


def _check_output(path: Path, suffixes: tuple[str, ...], what: str) -> Path:
    """Fail before simulating when ``path`` cannot receive the output."""
    if path.suffix.lower() not in suffixes:
        raise SnnmemError(f"{what} {path}: must end in {' or '.join(suffixes)}")
    # the temporary file written beside it is longer still: ".NAME.<host>.<pid>.XXXXXXXX.tmp"
    for part in path.parts:
        if len(part.encode()) + 48 > 255:
            raise SnnmemError(f"{what} {path}: the name {part[:40]!r}... is too long for a file system")
    if path.is_dir():
        raise SnnmemError(f"{what} {path}: is a directory")
    parent = path.parent
    while not parent.exists():  # the first folder that exists must be a writable folder
        parent = parent.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK):
        raise SnnmemError(f"{what} {path}: cannot create it ({parent} is not a writable folder)")
    return path


def _cmd_run(args: argparse.Namespace) -> int:
    from .config import load_model, parse_override
    from .simulation import simulate

    overrides = dict(parse_override(item) for item in args.set)
    if args.device:  # part of the resolved model, so the stored model says how it ran
        overrides["simulation.device"] = args.device
    model = load_model(args.model, overrides)
    out = _check_output(
        Path(args.out) if args.out else Path("runs") / f"{model.name}_seed{args.seed}.h5", (".h5", ".hdf5"), "--out"
    )
    figure_path = None
    if not args.no_plot:
        figure_path = _check_output(
            Path(args.figure) if args.figure else out.with_suffix(".png"), (".png", ".pdf", ".svg"), "--figure"
        )
    from .progress import TerminalProgress

    say = _Say(quiet=args.quiet)
    checkpoints = None
    if float(model["simulation.checkpoint_interval"]) > 0:
        checkpoints = Path(args.checkpoint_dir) if args.checkpoint_dir else out.with_name(out.name + ".checkpoint")
        say.status(f"checkpoints every {model['simulation.checkpoint_interval']:g} s in {checkpoints}")
    elif args.resume or args.checkpoint_dir:
        raise ConfigError(
            "--resume and --checkpoint-dir need checkpoints: --set simulation.checkpoint_interval='600 s'"
        )
    say.status(f"simulating {model.name} (seed {args.seed}, {model['simulation.device']})")
    progress = None if args.quiet else TerminalProgress()
    try:
        run = simulate(
            model,
            seed=args.seed,
            quiet=not args.verbose,
            progress=progress,
            checkpoint_dir=checkpoints,
            resume=args.resume,
        )
    finally:
        if progress is not None:
            progress.close()
    say.status("writing the run file ...")
    run.save(out)
    say.out(f"run file: {out}")
    if not run.scores:
        say.out("  (no scores: the protocol has no scoring window, e.g. a control run)")
    for key, value in sorted(run.scores.items()):
        say.out(f"  {key:<28} {value:.6g}")
    if figure_path is not None:
        from .plot import plot_run

        say.status("drawing the figure ...")
        plot_run(run, figure_path)
        say.out(f"figure:   {figure_path}")
    return 0


class _Say:
    """What a command prints: results on stdout, what it is doing on stderr; ``--quiet``: neither."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet

    def out(self, text: str) -> None:
        if not self.quiet:
            print(text)

    def status(self, text: str) -> None:
        if not self.quiet:
            print(text, file=sys.stderr, flush=True)


def _cmd_info(args: argparse.Namespace) -> int:
    from .io import is_foreign_spike_file, spikes_summary
    from .run import open_run

    if is_foreign_spike_file(args.run):  # another simulator's SONATA spikes (NEST, BMTK)
        print(spikes_summary(args.run))
        return 0
    run = open_run(args.run)
    print(run.summary())
    if args.model:
        print("\nresolved model:\n" + run.model_toml)
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from .nwb import write_nwb
    from .run import open_run

    out = _check_output(Path(args.nwb), (".nwb",), "--nwb")
    run = open_run(args.run)
    print(f"NWB file: {write_nwb(run, out)}")
    return 0


def _cmd_models(args: argparse.Namespace) -> int:
    from .installed import installed_models, models_folder

    shipped = installed_models()
    print(f"shipped models ({models_folder()}); run one from any folder: snnmem run NAME")
    width = max((len(m.name) for m in shipped), default=4)
    for model in shipped:
        doi = f"  doi:{model.doi}" if model.doi else ""
        print(f"  {model.name:<{width}}  [{model.circuit}]  {model.title}")
        if model.reference:
            print(f"  {'':<{width}}  {model.reference.split('. ')[0]}{doi}")
    return 0


def _cmd_plot(args: argparse.Namespace) -> int:
    from .plot import plot_run, save_figure
    from .run import open_run
    from .sweeps import is_sweep_dir

    sweep = is_sweep_dir(args.run)
    default = Path(args.run) / "sweep.png" if sweep else Path(args.run).with_suffix(".png")
    out = _check_output(Path(args.out) if args.out else default, (".png", ".pdf", ".svg"), "--out")
    try:
        if sweep:
            from .plot.sweep import sweep_figure

            save_figure(sweep_figure(args.run, score=args.score), out)
        else:
            if args.score:
                raise SnnmemError("--score applies to sweep folders, not to a run file")
            plot_run(open_run(args.run), out)
    except ValueError as error:  # a figure that cannot be drawn from this input (unknown score, no points)
        raise SnnmemError(f"{args.run}: {error}") from None
    print(f"figure: {out}")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from . import validation

    registry = validation.available()
    if args.list or not args.names:
        width = max(len(name) for name in registry) if registry else 0
        for name, item in sorted(registry.items()):
            print(f"{name:<{width}}  {item.description}\n{'':<{width}}  {item.reference}")
        return 0
    from .config import parse_override

    overrides = dict(parse_override(item) for item in args.set)
    return validation.run_validations(
        args.names, seeds=args.seeds, json_path=args.json, runs_dir=args.runs_dir, overrides=overrides or None
    )


def build_parser() -> argparse.ArgumentParser:
    """The ``snnmem`` argument parser (exposed for documentation and tests)."""
    from ._version import __version__

    parser = argparse.ArgumentParser(prog="snnmem", description="Memory in spiking neural networks.")
    parser.add_argument("--version", action="version", version=f"snnmem {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="simulate a model file, write a run file and a figure")
    run.add_argument("model", help="model file (TOML), or a shipped model's name (snnmem models), e.g. compte2000")
    run.add_argument("--out", help="run file to write (default runs/<model>_seed<N>.h5)")
    run.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    run.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a parameter, e.g. --set protocol.delay_duration='2 s' (repeatable)",
    )
    run.add_argument("--device", choices=("cpp_standalone", "runtime"), help="same as --set simulation.device=...")
    run.add_argument("--figure", help="figure file (default: the run file with .png)")
    run.add_argument(
        "--resume",
        action="store_true",
        help="continue an interrupted run from its last checkpoint (models with simulation.checkpoint_interval > 0)",
    )
    run.add_argument("--checkpoint-dir", help="folder of the run's checkpoints (default: the run file + .checkpoint)")
    run.add_argument("--no-plot", action="store_true", help="do not draw the figure")
    loudness = run.add_mutually_exclusive_group()
    loudness.add_argument("--verbose", action="store_true", help="also show the compiler's and the binary's output")
    loudness.add_argument("--quiet", action="store_true", help="print nothing but errors")
    run.set_defaults(func=_cmd_run)

    info = sub.add_parser("info", help="what a run file holds, scores first (or a SONATA spike file's spikes)")
    info.add_argument("run", help="run file (.h5), or a SONATA spike file of another simulator")
    info.add_argument("--model", action="store_true", help="also print the resolved model")
    info.set_defaults(func=_cmd_info)

    plot = sub.add_parser("plot", help="paper figure from a run file, or a score over a sweep folder")
    plot.add_argument("run", help="run file (.h5), or a sweep folder (with index.h5)")
    plot.add_argument("--out", help="figure file: .pdf (editable text), .png or .svg")
    plot.add_argument("--score", help="sweep folder: the score to plot (default: the first)")
    plot.set_defaults(func=_cmd_plot)

    from .cli_sweep import add_bench_parser, add_sweep_parser

    add_sweep_parser(sub)
    add_bench_parser(sub)

    export = sub.add_parser("export", help="a run file in another format: NWB")
    export.add_argument("run", help="run file (.h5)")
    export.add_argument("--nwb", required=True, help="NWB file to write (.nwb; needs pip install snnmem[nwb])")
    export.set_defaults(func=_cmd_export)

    models = sub.add_parser("models", help="the shipped model files: name, circuit, reference, DOI")
    models.set_defaults(func=_cmd_models)

    validate = sub.add_parser("validate", help="reproduce published checks")
    validate.add_argument("names", nargs="*", help="validations to run (see --list)")
    validate.add_argument("--list", action="store_true", help="list validations with their citations")
    validate.add_argument("--seeds", type=int, help="number of seeds, where a validation uses several")
    validate.add_argument("--json", help="write the results as JSON to this path")
    validate.add_argument(
        "--runs-dir",
        help="keep the simulations here and reuse those already there (validations that keep runs: "
        "assemblies_retention), so a long validation can be resumed",
    )
    validate.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="validate a variant of the model: override one of its parameters, e.g. --set ctx.ee_learning_rate=1 "
        "(repeatable; validations of a model file only; the bounds stay the published model's)",
    )
    validate.set_defaults(func=_cmd_validate)
    return parser


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread so that it unwinds like Ctrl-C (no file is half-written)."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``snnmem`` console script.

    Exit status: 0 success, 2 bad input or a failed check (one line on stderr naming the
    key or file), 1 an environment failure (an unwritable folder, an unreachable scheduler) or an
    unforeseen internal error (``SNNMEM_TRACEBACK=1`` shows its traceback),
    130 interrupted by SIGINT (Ctrl-C), 143 by SIGTERM. An interrupted
    simulation writes nothing and leaves every existing file as it was.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _raise_terminated) if main_thread else None
    try:
        return int(args.func(args) or 0)
    except SimulationInterrupted as error:
        print(f"snnmem {args.command}: interrupted: {error}", file=sys.stderr)
        return 130
    except EnvironmentFailure as error:
        print(f"snnmem {args.command}: error: {error}", file=sys.stderr)
        return 1
    except SnnmemError as error:
        print(f"snnmem {args.command}: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `snnmem info run.h5 | head`
        sys.stderr.close()
        return 0
    except Exception as error:  # noqa: BLE001 - a failure snnmem did not foresee: still one line, and no debug files
        if os.environ.get("SNNMEM_TRACEBACK"):
            raise
        first = str(error).strip().splitlines()[0] if str(error).strip() else ""
        print(
            f"snnmem {args.command}: internal error: {type(error).__name__}: {first} "
            "(set SNNMEM_TRACEBACK=1 for the traceback; please report it)",
            file=sys.stderr,
        )
        return 1
    except Terminated:
        print(f"snnmem {args.command}: terminated (SIGTERM); nothing more was written", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print(f"snnmem {args.command}: interrupted (SIGINT); nothing more was written", file=sys.stderr)
        return 130
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
