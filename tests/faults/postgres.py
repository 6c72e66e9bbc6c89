"""A throwaway PostgreSQL server of the test's own (initdb in a temporary folder, a free loopback port),
which a test restarts or stops as an administrator would, without touching the machine's server.

The server binaries come from Debian's PostgreSQL packages (/usr/lib/postgresql/<version>/bin,
installed by scripts/system-deps.sh); the tests fail, never skip, without them. As root, the server
runs as the ``postgres`` user: PostgreSQL refuses to run as root."""

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from .helpers import port_is_free

PORTS = range(55400, 55500)


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        pytest.fail("PostgreSQL's server programs are not installed (Debian package postgresql); "
                    "the database restart test needs them: run `make system-deps`")
    return Path(found[-1]).parent


class PostgresServer:
    """initdb, start, restart, stop; ``url(name)`` a DATABASE_URL on it (trust authentication)."""

    def __init__(self):
        self.bin = _bin_dir()
        # Not under pytest's tmp_path: its folders are readable by their owner only, and as root the
        # server runs as another user.
        self.folder = Path(tempfile.mkdtemp(prefix="cchc-pg-"))
        self.data = self.folder / "data"
        self.port = next((p for p in PORTS if port_is_free(p)), None)
        if self.port is None:
            pytest.fail(f"no free port for a private PostgreSQL in {PORTS}")
        self.as_user = []
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                pytest.fail("running as root, and there is no 'postgres' user to run PostgreSQL as")
            self.as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.folder, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")

    def _run(self, program: str, *args: str) -> str:
        done = subprocess.run([*self.as_user, str(self.bin / program), *args], capture_output=True, text=True,
                              timeout=120)
        if done.returncode != 0:
            log = (self.folder / "server.log")
            pytest.fail(f"{program} {' '.join(args)} failed:\n{done.stdout}{done.stderr}"
                        f"{log.read_text() if log.exists() else ''}")
        return done.stdout

    def _ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", action, "-D", str(self.data), "-w", "-t", "60", "-l", str(self.folder / "server.log"),
                  "-o", options, *extra)

    def start(self) -> None:
        self._ctl("start")

    def restart(self) -> None:
        """A fast restart: every session is ended, as when an administrator restarts the server."""
        self._ctl("restart", "-m", "fast")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "stop", "-D", str(self.data), "-w", "-m", "fast")

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def create_database(self, name: str) -> None:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"
