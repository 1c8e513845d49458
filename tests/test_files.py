"""Atomic writes: a reader never sees half a file, and halves left by killed writers are cleared."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from bot.files import remove_abandoned, write_beside


def _half(folder: Path, name: str, age_seconds: float) -> Path:
    half = folder / name
    half.write_bytes(b"half")
    then = time.time() - age_seconds
    os.utime(half, (then, then))
    return half


def test_a_write_lands_whole_under_the_target_name(tmp_path: Path) -> None:
    target = tmp_path / "graph.onnx"
    write_beside(target, lambda tmp: tmp.write_bytes(b"whole"))
    assert target.read_bytes() == b"whole" and os.listdir(tmp_path) == ["graph.onnx"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    target = tmp_path / "graph.onnx"
    target.write_bytes(b"old")

    def fail(tmp: Path) -> None:
        tmp.write_bytes(b"ha")
        raise OSError("disk full")

    with pytest.raises(OSError):
        write_beside(target, fail)
    assert target.read_bytes() == b"old" and os.listdir(tmp_path) == ["graph.onnx"]


def test_a_half_left_by_a_killed_writer_long_ago_is_removed(tmp_path: Path) -> None:
    made: list[Path] = []

    def killed(tmp: Path) -> None:  # the name write_beside gives its temp file, as a kill leaves it
        made.append(tmp)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_beside(tmp_path / "graph.onnx", killed)
    half = _half(tmp_path, made[0].name, age_seconds=2 * 3600)
    remove_abandoned(tmp_path, ".onnx")
    assert not half.exists()


def test_a_recent_half_is_left_to_the_writer_that_may_own_it(tmp_path: Path) -> None:
    half = _half(tmp_path, ".graph.x1y2.onnx.tmp", age_seconds=60)
    remove_abandoned(tmp_path, ".onnx")
    assert half.exists()


def test_only_halves_of_the_named_kind_are_removed(tmp_path: Path) -> None:
    other = _half(tmp_path, ".arrays.x1y2.npz.tmp", age_seconds=2 * 3600)
    remove_abandoned(tmp_path, ".onnx")
    assert other.exists()
