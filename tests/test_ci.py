"""The CI schedule's cost table names real test files that hold slow tests."""

from __future__ import annotations

from pathlib import Path

from conftest import SLOW_FILE_SECONDS

TESTS = Path(__file__).resolve().parent


def test_every_costed_file_exists_and_holds_slow_tests():
    for name, seconds in SLOW_FILE_SECONDS.items():
        path = TESTS / name
        assert path.is_file(), name
        assert "@pytest.mark.slow" in path.read_text(), f"{name} has no slow test: drop it from SLOW_FILE_SECONDS"
        assert seconds > 0, name
