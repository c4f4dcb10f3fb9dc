"""The salon layer as its Makefile builds it for SAM: every module compiled, in bytecode Python uses
without looking at the source, so Lambda compiles none of them at cold start."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LAYER = REPO / "layers" / "salon"
HASH_BASED_UNCHECKED = 0b01  # PEP 552 flags: hash-based, the source not checked


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The layer's ``python/`` directory, built by the Makefile's code step (no dependencies)."""
    artifacts = tmp_path_factory.mktemp("salon-layer")
    make = ["make", "--quiet", "-f", str(LAYER / "Makefile"), "package", f"ARTIFACTS_DIR={artifacts}"]
    subprocess.run([*make, f"PYTHON={sys.executable}"], check=True, capture_output=True)
    return artifacts / "python"


def test_the_salon_layer_ships_every_module_compiled(built: Path) -> None:
    sources = sorted(built.rglob("*.py"))
    assert len(sources) == len(list((LAYER / "salon").rglob("*.py")))
    for source in sources:
        header = Path(importlib.util.cache_from_source(str(source))).read_bytes()[:8]
        assert header[:4] == importlib.util.MAGIC_NUMBER, source
        assert int.from_bytes(header[4:8], "little") == HASH_BASED_UNCHECKED, source


def test_python_runs_the_shipped_bytecode_without_reading_the_source(built: Path) -> None:
    module = built / "salon" / "kernel" / "reply.py"
    module.write_text(module.read_text(encoding="utf-8") + "\nraise ImportError('compiled from source')\n")
    probe = "import salon.kernel.reply"
    env = {"PYTHONPATH": str(built), "PATH": "/usr/bin:/bin"}
    imported = subprocess.run([sys.executable, "-B", "-c", probe], env=env, capture_output=True, text=True)
    assert imported.returncode == 0, imported.stderr
