"""The stimulus port's shared pieces: per-step drive tables, plasticity gates, schedule grids, phases."""

from __future__ import annotations

import numpy as np
import pytest

from snnmem.circuits.stimulus import check_step_grid, plasticity_gates, stimulus_table
from snnmem.errors import ConfigError
from snnmem.protocols import Phase, Schedule, Stimulus, sequential_phases


def _cells(*on: int, n: int = 5) -> np.ndarray:
    cells = np.zeros(n)
    cells[list(on)] = 1.0
    return cells


def test_stimulus_table_rows_add_overlaps_and_reuse_combinations():
    a = Stimulus(0.002, 0.005, _cells(0, 1), strength=1.0)
    b = Stimulus(0.004, 0.006, _cells(1, 2), strength=0.5)
    again = Stimulus(0.008, 0.009, _cells(0, 1), strength=1.0)  # same drive as `a` alone: its row again
    sham = Stimulus(0.006, 0.008, _cells(4), strength=0.0)  # drives nothing
    row, table = stimulus_table([a, b, again, sham], 5, 0.010, 0.001)
    assert row.shape == (11,)
    drive = table[row.astype(int)]  # [step, cell]
    np.testing.assert_array_equal(drive[:2], 0.0)
    np.testing.assert_allclose(drive[2], [1, 1, 0, 0, 0])
    np.testing.assert_allclose(drive[4], [1, 1.5, 0.5, 0, 0])  # overlapping stimuli add
    np.testing.assert_allclose(drive[5], [0, 0.5, 0.5, 0, 0])
    np.testing.assert_array_equal(drive[6:8], 0.0)  # the sham drives nothing
    np.testing.assert_allclose(drive[8], [1, 1, 0, 0, 0])
    np.testing.assert_array_equal(drive[9:], 0.0)
    assert table[0].sum() == 0  # row 0: no stimulus
    assert row[8] == row[2] and len(table) == 4  # none, a, a + b, b: a's drive has one row


def test_a_stimulus_from_time_zero_keeps_row_zero_empty():
    row, table = stimulus_table([Stimulus(0.0, 0.002, _cells(3))], 5, 0.004, 0.001)
    assert row.tolist() == [1, 1, 0, 0, 0] and table[0].sum() == 0 and table[1][3] == 1


def test_plasticity_gates_follow_the_phase_modes():
    phases = sequential_phases([("warm", 0.002, "", "homeostatic"), ("learn", 0.002, ""), ("test", 0.002, "", "none")])
    gates = plasticity_gates(phases, 0.006, 0.001)
    assert gates["all"].tolist() == [0, 0, 1, 1, 0, 0, 0]
    assert gates["homeostatic"].tolist() == [1, 1, 1, 1, 0, 0, 0]


def test_slow_phases_gate_only_slow_and_homeostatic_rules_and_lesions_have_their_own_gate():
    phases = sequential_phases(
        [("encode", 0.002, "", "all"), ("rest", 0.002, "", "slow", True), ("test", 0.001, "", "none")]
    )
    gates = plasticity_gates(phases, 0.005, 0.001)
    assert gates["all"].tolist() == [1, 1, 0, 0, 0, 0]
    assert gates["slow"].tolist() == [1, 1, 1, 1, 0, 0]
    assert gates["homeostatic"].tolist() == [1, 1, 1, 1, 0, 0]
    assert gates["lesion"].tolist() == [0, 0, 1, 1, 0, 0]


def test_phase_plasticity_is_checked():
    assert Phase("p", 0, 1).plasticity == "all"
    with pytest.raises(ValueError, match="plasticity must be one of"):
        Phase("p", 0, 1, "", "sometimes")


def test_schedule_times_must_lie_on_the_circuits_grid():
    ok = Schedule((Phase("p", 0.0, 0.010),), (Stimulus(0.002, 0.004, _cells(0)),))
    check_step_grid(ok, 0.001, "the test grid")
    off = Schedule((Phase("p", 0.0, 0.010),), (Stimulus(0.0025, 0.004, _cells(0), label="cue"),))
    with pytest.raises(ConfigError, match="stimulus 'cue'.*1 ms"):
        check_step_grid(off, 0.001, "the test grid")
