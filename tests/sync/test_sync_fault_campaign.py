"""The sync fault campaign (bench/sync_fault_campaign.py) in small: three laptops and a real
server through a loopback proxy that refuses, delays and cuts connections; afterwards nothing
is lost, nothing is doubled and every laptop holds what the server holds. The full campaign
(500 runs) is run by hand; see docs/reliability.md."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def test_small_sync_fault_campaign_converges_without_loss() -> None:
    result = subprocess.run([sys.executable, "bench/sync_fault_campaign.py", "--runs", "2",
                             "--seed", "17"], cwd=ROOT, capture_output=True, text=True,
                            timeout=900, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("edits lost: 0 of ") for line in lines)
    assert "duplicates: 0" in lines
    assert "runs that did not converge: 0 of 2" in lines
