"""Shared fixtures: where the conformance streams are, and which simdsse is
under test (the build tree's or the installed one, never the source tree's,
which has no _core)."""
import json
import os
from pathlib import Path

import pytest

import simdsse

REPO = Path(__file__).resolve().parents[3]


def pytest_report_header(config):
    return f"simdsse {simdsse.__version__} from {os.path.dirname(simdsse.__file__)}"


@pytest.fixture(scope="session")
def conformance():
    """[(name, stream bytes, [(event, data, id), ...])] for the 300 cases."""
    root = Path(os.environ.get("SIMDSSE_CONFORMANCE", REPO / "tests" / "conformance"))
    browser = json.loads((root / "browser.json").read_text(encoding="utf-8"))
    cases = []
    for name in sorted(browser):
        stream = (root / "cases" / name).read_bytes()
        expected = [(e["event"], e["data"], e["id"]) for e in browser[name]]
        cases.append((name, stream, expected))
    assert len(cases) == 300
    return cases


def chunks(data, size):
    """data cut into pieces of `size` bytes (0: whole)."""
    if size == 0:
        return [data]
    return [data[i : i + size] for i in range(0, len(data), size)]
