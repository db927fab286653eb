"""A real `wijkteam-server` process on loopback, against SQLite and a throw-away PostgreSQL.

PostgreSQL: `initdb` refuses to run as root, so the cluster is created and started as the
`postgres` user (runuser) in a temporary directory on a free port, and removed afterwards.
Without PostgreSQL binaries the PostgreSQL runs are skipped, except in CI (env CI set), where
their absence fails the run.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from wijkteam_server import admin
from wijkteam_server.db import make_engine

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "een-lang-test-wachtwoord"
STARTUP_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_command() -> list[str]:
    exe = shutil.which("wijkteam-server", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "wijkteam_server"]


def server_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    return env


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*server_command(), *args], capture_output=True, text=True,
                          env=server_env(), cwd=REPO, timeout=timeout, check=False)


# --------------------------------------------------------------------------- PostgreSQL


def _pg_bindir() -> Path | None:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                        else 0)
    if candidates:
        return candidates[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    bindir = _pg_bindir()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL binaries not found (install the 'postgresql' package)")
        pytest.skip("PostgreSQL binaries not found")
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        as_postgres = ["runuser", "-u", "postgres", "--"]
    root = Path(tempfile.mkdtemp(prefix="wijkteam-pg-"))
    if as_postgres:
        shutil.chown(root, "postgres", "postgres")
    data = root / "data"
    port = free_port()

    def pg(tool: str, *args: str) -> None:
        result = subprocess.run([*as_postgres, str(bindir / tool), *args], capture_output=True,
                                text=True, timeout=120, check=False, cwd=root)
        if result.returncode != 0:
            raise RuntimeError(f"{tool} failed: {result.stdout}\n{result.stderr}")

    started = False
    try:
        pg("initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
           "--locale=C", "--no-sync")
        options = (f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        pg("pg_ctl", "-D", str(data), "-l", str(root / "log"), "-o", options, "-w", "start")
        started = True
        pg("createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "wijkteam")
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/wijkteam"
    finally:
        if started:
            pg("pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


# --------------------------------------------------------------------------- server


@dataclass
class Account:
    username: str
    password: str
    id: str
    team: str
    role: str


class Server:
    """A running server process plus direct admin access to its database for set-up."""

    def __init__(self, data_dir: Path, database_url: str, port: int,
                 proc: subprocess.Popen[bytes]) -> None:
        self.data_dir = data_dir
        self.database_url = database_url
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}"
        self.proc = proc
        self.engine: Engine = make_engine(database_url)

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run `wijkteam-server <args> --data-dir <this server's folder>`."""
        return run_cli(*args, "--data-dir", str(self.data_dir))

    def team(self) -> str:
        name = f"Team {uuid.uuid4().hex[:8]}"
        admin.add_team(self.engine, name)
        return name

    def account(self, team: str, role: str = "wijkwerker") -> Account:
        username = f"{role[:5]}-{uuid.uuid4().hex[:8]}"
        user_id = admin.add_user(self.engine, username, team, role, PASSWORD,
                                 display_name=username.title())
        return Account(username, PASSWORD, user_id, team, role)

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=30)


def wait_ready(base_url: str, proc: subprocess.Popen[bytes],
               verify: ssl.SSLContext | bool = True) -> None:
    """Poll the health endpoint until it answers; fail at once if the process died."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    with httpx.Client(base_url=base_url, timeout=2, verify=verify) as client:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}")
            try:
                if client.get("/api/v1/health").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not become ready")
            # Back off a little between probes without fixed sleeps deciding readiness.
            time.sleep(0.05)


_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform == "linux" else None
_PR_SET_PDEATHSIG = 1


def _ends_with_parent() -> None:
    """In the server's process, before it starts (Linux): a SIGTERM when the thread that
    started it ends, so a test run or benchmark killed by a timeout leaves no server behind
    (the fixtures stop it only on a normal exit). The C library is loaded beforehand, in the
    parent: only the system call happens here."""
    if _LIBC is not None:
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def start_server(data_dir: Path, database_url: str | None, *, tls: tuple[Path, Path] | None = None,
                 ) -> Server:
    init = ["init", "--data-dir", str(data_dir)]
    if database_url:
        init += ["--database-url", database_url]
    result = run_cli(*init)
    assert result.returncode == 0, result.stderr
    assert "ingericht" in result.stdout
    port = free_port()
    extra = ["--certfile", str(tls[0]), "--keyfile", str(tls[1])] if tls else []
    proc = subprocess.Popen(
        [*server_command(), "serve", "--data-dir", str(data_dir), "--host", "127.0.0.1",
         "--port", str(port), *extra],
        env=server_env(), cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        preexec_fn=_ends_with_parent,
    )
    scheme = "https" if tls else "http"
    try:
        verify = ssl.create_default_context(cafile=str(tls[0])) if tls else True
        wait_ready(f"{scheme}://127.0.0.1:{port}", proc, verify)
    except BaseException:
        proc.kill()
        _, err = proc.communicate(timeout=10)
        raise RuntimeError(err.decode(errors="replace")) from None
    config_url = database_url or f"sqlite:///{(data_dir / 'server.db').resolve()}"
    server = Server(data_dir, config_url, port, proc)
    server.base_url = f"{scheme}://127.0.0.1:{port}"
    return server


def stop_server(server: Server) -> None:
    server.engine.dispose()
    server.proc.terminate()
    try:
        server.proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait(timeout=5)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    srv = start_server(tmp_path_factory.mktemp(f"server-{request.param}"), url)
    yield srv
    stop_server(srv)
