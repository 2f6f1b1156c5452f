"""What every test shares: where the real reports are (`../shared`, beside the checkout), and a clear skip where
they are not. A test module that reads them says so with `pytestmark = pytest.mark.shared`."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REPORTS = SHARED / "reports"
MISSING = f"the real reports are not here: {SHARED} (../shared beside the checkout) does not exist"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "shared: reads the real reports in ../shared")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if SHARED.is_dir():
        return
    for item in items:
        if item.get_closest_marker("shared"):
            item.add_marker(pytest.mark.skip(reason=MISSING))
