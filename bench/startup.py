"""Process start to the first painted main window, against a bare PySide6 QMainWindow.

    QT_QPA_PLATFORM=offscreen python bench/startup.py [--rounds 5] [--persons 50000]
                                                      [--keep DIR]

What a worker waits for when the app starts with a passphrase file (`wijkteam gui
--passphrase-file ...`), measured from outside: the parent starts a fresh Python process and
reads two lines from its stdout: "paint" when the main window has painted for the first
time, "ready" when the caseload is shown in it (the main window's `ready` signal; a window
without it is counted as ready at its first paint). The child then quits.

Three kinds of process run interleaved, in a rotating order, in each round of one run:
  * bare: `QApplication` + an empty `QMainWindow` of the same size (the reference);
  * demo: the app on a profile with 12 demo households (`wijkteam demo`);
  * 50k: the app on a profile with --persons generated persons (bench/search.py's file).
Profiles use the real key derivation (default `KdfParams`) and a file-based test keyring
(`tests/helpers/file_keyring.py`), so no D-Bus is needed; a real Secret Service adds its own
round trip. Byte code is compiled into a private cache first (PYTHONPYCACHEPREFIX), as in an
installed app; the first round warms it and the disk cache and is not counted.

Prints medians per kind, the ratio to bare and the targets (first paint <= 2.0x bare and
<= 1.5 s). Run by hand; always exits 0.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSPHRASE = "startbench wachtwoord alleen voor de meting"  # noqa: S105 - throw-away profile

# The child: `python bench/startup.py --child KIND -- <wijkteam arguments>`.
PROBE_SOURCE = r'''
import os
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget


class Probe(QObject):
    """Says "paint" after the first paint of a main window, "ready" once it is ready."""

    def __init__(self) -> None:
        super().__init__()
        self.window = None
        self.poll = QTimer(self)
        self.poll.setInterval(1)
        self.poll.timeout.connect(self._check_ready)

    def eventFilter(self, obj, event):  # noqa: N802
        if (self.window is None and event.type() == QEvent.Type.Paint
                and isinstance(obj, QWidget) and isinstance(obj.window(), QMainWindow)):
            self.window = obj.window()
            QTimer.singleShot(0, self._painted)  # after this whole paint pass
        return False

    def _painted(self) -> None:
        os.write(1, b"paint\n")
        ready = getattr(self.window, "ready", None)
        if ready is not None and not getattr(self.window, "is_ready", True):
            ready.connect(self._check_ready)  # said at the moment it is emitted
            return
        self._check_ready()
        if self.window is not None and not self.poll.isActive():
            self.poll.start()

    def _check_ready(self) -> None:
        if self.window is None or not getattr(self.window, "is_ready", True):
            return
        self.poll.stop()
        os.write(1, b"ready\n")
        window, self.window = self.window, None
        window.close()
        QApplication.instance().quit()
'''


def child(kind: str, argv: list[str]) -> int:
    namespace: dict[str, object] = {}
    exec(PROBE_SOURCE, namespace)  # noqa: S102 - our own probe, shared by both kinds
    probe_class = namespace["Probe"]
    if kind == "bare":
        from PySide6.QtWidgets import QApplication, QMainWindow

        app = QApplication(sys.argv[:1])
        probe = probe_class()  # type: ignore[operator]
        app.installEventFilter(probe)
        window = QMainWindow()
        window.resize(1280, 760)
        window.show()
        return app.exec()
    from wijkteam_app import cli
    from wijkteam_app.ui import app as ui_app

    create = ui_app.create_application
    keep: list[object] = []

    def create_with_probe():  # type: ignore[no-untyped-def]
        app = create()
        probe = probe_class()  # type: ignore[operator]
        keep.append(probe)
        app.installEventFilter(probe)
        return app

    ui_app.create_application = create_with_probe  # type: ignore[assignment]
    return cli.main(argv)


# --- the parent ----------------------------------------------------------------------------

def child_env(root: Path, work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update({
        "PYTHONPATH": str(root),
        "QT_QPA_PLATFORM": env.get("QT_QPA_PLATFORM", "offscreen"),
        "PYTHON_KEYRING_BACKEND": "tests.helpers.file_keyring.FileKeyring",
        "WIJKTEAM_TEST_KEYRING_FILE": str(work / "keyring.json"),
        "PYTHONPYCACHEPREFIX": str(work / "pycache"),
    })
    return env


def run_once(root: Path, work: Path, kind: str, profile: Path | None) -> tuple[float, float]:
    """Seconds from spawning the process to its "paint" and "ready" lines."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", kind, "--"]
    if profile is not None:
        cmd += ["--data-dir", str(profile), "--passphrase-file", str(work / "wachtwoord.txt"),
                "gui"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=child_env(root, work), cwd=str(work))
    assert proc.stdout is not None
    marks: dict[str, float] = {}
    for line in proc.stdout:
        marks[line.decode().strip()] = time.perf_counter() - start
        if "ready" in marks:
            break
    _out, err = proc.communicate(timeout=120)
    if "paint" not in marks or "ready" not in marks:
        raise RuntimeError(f"{kind}: no window ({proc.returncode}): {err.decode()[-2000:]}")
    return marks["paint"], marks["ready"]


def make_profiles(root: Path, work: Path, persons: int) -> dict[str, Path]:
    """A demo profile and a large one, with the real KDF and the file keyring."""
    sys.path.insert(0, str(root))
    os.environ.update({k: v for k, v in child_env(root, work).items()
                       if k == "WIJKTEAM_TEST_KEYRING_FILE"})
    import keyring

    from tests.helpers.file_keyring import FileKeyring

    keyring.set_keyring(FileKeyring(work / "keyring.json"))
    from bench.search import build, history_household
    from wijkteam_app.paths import ProfilePaths
    from wijkteam_app.services.demo import fill_demo
    from wijkteam_app.services.profile import init_profile, unlock

    (work / "wachtwoord.txt").write_text(PASSPHRASE + "\n", encoding="utf-8")
    profiles = {"demo": work / "demo", f"{persons // 1000}k": work / f"p{persons}"}
    for name, folder in profiles.items():
        paths = ProfilePaths(folder)
        if paths.casefile.exists():
            continue
        start = time.perf_counter()
        init_profile(paths, PASSPHRASE)
        workspace = unlock(paths, PASSPHRASE)
        try:
            if name == "demo":
                fill_demo(workspace, households=12, seed=2026)
            else:
                build(workspace, persons, random.Random(7))
                history_household(workspace, random.Random(7))
        finally:
            workspace.close()
        print(f"profiel {name}: opgebouwd in {time.perf_counter() - start:.0f} s")
    return profiles


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--persons", type=int, default=50_000)
    parser.add_argument("--keep", type=Path, default=None,
                        help="keep the profiles in this folder (reused by the next run)")
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="the checkout whose app is started (default: this one)")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.child:
        return child(args.child, [a for a in rest if a != "--"])

    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        profiles = make_profiles(args.root.resolve(), work, args.persons)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(args.root / "wijkteam_app")],
                       env=child_env(args.root, work), check=True)
        kinds: list[tuple[str, Path | None]] = [("bare", None), *profiles.items()]
        samples: dict[str, list[tuple[float, float]]] = {k: [] for k, _ in kinds}
        for round_no in range(args.rounds + 1):  # round 0 warms caches; not counted
            order = kinds[round_no % len(kinds):] + kinds[:round_no % len(kinds)]
            for kind, profile in order:
                timing = run_once(args.root, work, kind, profile)
                if round_no:
                    samples[kind].append(timing)
        bare = statistics.median(p for p, _ in samples["bare"])
        print(f"\nStart tot eerste getekende hoofdvenster ({args.rounds} rondes, mediaan; "
              f"offscreen, wachtwoordbestand)")
        print(f"{'':8} {'paint s':>8} {'x bare':>7} {'ready s':>8} {'x bare':>7}  per ronde "
              f"(paint)")
        for kind, _ in kinds:
            paint = statistics.median(p for p, _ in samples[kind])
            ready = statistics.median(r for _, r in samples[kind])
            rounds = " ".join(f"{p:.2f}" for p, _ in samples[kind])
            print(f"{kind:8} {paint:8.3f} {paint / bare:7.2f} {ready:8.3f} {ready / bare:7.2f}  "
                  f"{rounds}")
        for kind, _ in kinds[1:]:
            paint = statistics.median(p for p, _ in samples[kind])
            ratio_ok = paint / bare <= 2.0
            print(f"{kind}: eerste paint {paint / bare:.2f}x bare (doel <= 2.0x) "
                  f"{'PASS' if ratio_ok else 'MISS'}; {paint:.2f} s (doel <= 1.5 s) "
                  f"{'PASS' if paint <= 1.5 else 'MISS'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
