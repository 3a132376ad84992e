"""Style is not a review topic: ruff (lint and format) and djlint (templates) run with the suite and in CI."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run(*args):
    return subprocess.run([str(BIN / args[0]), *args[1:]], cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.parametrize(
    "command",
    [
        ("ruff", "check", "--output-format", "concise", "."),
        ("ruff", "format", "--check", "."),
        ("djlint", "templates", "--lint"),
    ],
    ids=["ruff-check", "ruff-format", "djlint"],
)
def test_the_code_passes_its_linters(command):
    result = run(*command)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
