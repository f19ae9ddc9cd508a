"""The Compte ring's resistance to a distractor 180 deg from the cue (issue 12).

The full curve (7 strengths x 3 seeds, about 10 minutes) is ``long``; its results are
committed in docs/validation/compte2000_distractor.json (``snnmem validate
compte2000_distractor --json ...``). The ``slow`` version reruns seed 1 at two of those
strengths and checks the same quantities: the cue is held without a distractor, and
the run reproduces the committed run spike for spike (same scores).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from snnmem.validation import distractor

COMMITTED = Path(__file__).resolve().parents[1] / "docs" / "validation" / "compte2000_distractor.json"
COMPARED = ("outcome", "held_a", "held_b", "rate_180deg_hz", "rate_0deg_hz", "recalled_angle_deg")


def _committed_runs():
    return {(r["strength"], r["seed"]): r for r in json.loads(COMMITTED.read_text())["values"]["runs"]}


def _assert_reproduces(result):
    committed = _committed_runs()
    for run in result.values["runs"]:
        reference = committed[(run["strength"], run["seed"])]
        for key in COMPARED:
            np.testing.assert_allclose(run[key], reference[key], rtol=1e-9, err_msg=f"{key} at {run['strength']}")


@pytest.mark.slow
def test_ring_holds_the_cue_and_reproduces_the_committed_curve():
    result = distractor.run_ring(seeds=1, strengths=(0.0, 2.0))
    assert result.checks[0].passed, result.checks[0]
    _assert_reproduces(result)


@pytest.mark.long
def test_ring_resistance_curve_three_seeds():
    result = distractor.run_ring(seeds=3)
    assert result.passed, [c for c in result.checks if not c.passed]
    _assert_reproduces(result)
