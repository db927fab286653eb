"""What logging a view (NEN 7513) costs when a household is opened, side by side.

    python bench/access_log.py [--runs 200] [--households 40]

On one encrypted case file with demo households, in the same process, interleaved in small
blocks whose order alternates:
  A  the household page read alone (`HouseholdService.page`), the baseline;
  B  A + the view entry as the app writes it (`AccessLogService.viewed_household`: one
     transaction in the audit chain, committed with synchronous=NORMAL: no fsync);
  C  A + the same entry as a fully durable audit entry (synchronous=FULL: an fsync), what a
     naive implementation would add to every open.
Prints medians and p95 in ms and the ratios B/A and C/A. Run by hand; always exits 0.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import keyring  # noqa: E402

from wijkteam_app.paths import ProfilePaths  # noqa: E402
from wijkteam_app.services.access_log import AccessLogService  # noqa: E402
from wijkteam_app.services.demo import fill_demo  # noqa: E402
from wijkteam_app.services.households import HouseholdService  # noqa: E402
from wijkteam_app.services.profile import KdfParams, init_profile, unlock  # noqa: E402

PASSPHRASE = "benchmark passphrase only"  # noqa: S105 - throw-away profile in a temp dir
BLOCK = 10


def memory_keyring() -> None:
    path = ROOT / "tests" / "helpers" / "memory_keyring.py"
    spec = importlib.util.spec_from_file_location("memory_keyring", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    keyring.set_keyring(module.MemoryKeyring())


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--households", type=int, default=40)
    args = parser.parse_args()
    memory_keyring()
    with tempfile.TemporaryDirectory() as tmp:
        paths = ProfilePaths(Path(tmp) / "p")
        init_profile(paths, PASSPHRASE, kdf=KdfParams(1, 1024, 1))
        ws = unlock(paths, PASSPHRASE)
        fill_demo(ws, households=args.households)
        service = HouseholdService(ws)
        access = AccessLogService(ws)
        ids = [h.id for h in service.list(limit=args.households)]
        actor = ws.actor_id

        def durable_view(household_id: str) -> None:
            ws.casefile.audit(actor, "inzage.huishouden", "huishouden", household_id,
                              household_id=household_id, durable=True)

        sides: dict[str, Callable[[str], None]] = {
            "A page": lambda h: None,
            "B page + view (app)": access.viewed_household,
            "C page + view (fsync)": durable_view,
        }
        times: dict[str, list[float]] = {name: [] for name in sides}
        for hh in ids:  # warm the page cache
            service.page(hh)
        order = list(sides)
        done = 0
        while done < args.runs:
            for name in order:
                log_view = sides[name]
                for i in range(BLOCK):
                    hh = ids[(done + i) % len(ids)]
                    start = time.perf_counter()
                    service.page(hh)
                    log_view(hh)
                    times[name].append((time.perf_counter() - start) * 1000)
            order.reverse()
            done += BLOCK
        ws.close()
    base = statistics.median(times["A page"])
    print(f"Huishouden openen, {args.runs} keer per variant, versleuteld dossier "
          f"({args.households} demohuishoudens)\n")
    print(f"{'variant':26} {'p50 ms':>8} {'p95 ms':>8} {'p50 / A':>8}")
    for name, values in times.items():
        print(f"{name:26} {statistics.median(values):8.2f} {p95(values):8.2f} "
              f"{statistics.median(values) / base:8.2f}")
    added_b = statistics.median(times["B page + view (app)"]) - base
    added_c = statistics.median(times["C page + view (fsync)"]) - base
    print(f"\nextra per open: app {added_b:.2f} ms, with fsync {added_c:.2f} ms "
          f"(budget open-to-painted: 100 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
