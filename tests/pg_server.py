"""A throwaway PostgreSQL server for the tests and benchmarks: Debian's binaries, a cluster in a temporary
directory, a free loopback port, trust authentication on loopback only (no password, no password file),
durability switched off (a test cluster is thrown away). As root — CI runs as root and ``initdb`` refuses
it — the server runs as the ``postgres`` system user through ``runuser``.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

SKIP_REASON = ("PostgreSQL isn't installed here (no initdb): the PostgreSQL half of the tests is skipped. "
               "Install Debian's `postgresql` and run `make test-pg` (CI installs it and fails without it).")


def binaries() -> Path | None:
    """The folder of ``initdb`` / ``pg_ctl`` / ``postgres``, or None."""
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    bin: Path
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="assessbot-pg-")))
    port: int = field(default_factory=_free_port)
    user: str = "assessbot"
    _as: list[str] = field(default_factory=list)
    _options: str = ""

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as, *args], check=True, capture_output=True, text=True)

    def start(self) -> PgServer:
        if os.geteuid() == 0:
            system = pwd.getpwnam("postgres")
            os.chown(self.root, system.pw_uid, system.pw_gid)
            os.chmod(self.root, 0o700)
            self._as = ["runuser", "-u", "postgres", "--"]
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", self.user, "-A", "trust",
                  "--no-sync", "-E", "UTF8", "--locale=C")
        self._options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
                   "-c shared_buffers=128MB")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"), "-w",
                  "-t", "60", "-o", self._options, "start")
        return self

    def stop(self, mode: str = "fast") -> None:
        if self.data.exists():
            subprocess.run([*self._as, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"],
                           capture_output=True)

    def restart(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"), "-w",
                  "-t", "60", "-o", self._options, "start")

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def admin(self, sql: str) -> None:
        """Run ``sql`` outside a transaction (CREATE / DROP DATABASE) on the maintenance database."""
        import psycopg
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql)

    def wait_until_up(self, timeout: float = 30.0) -> None:
        import psycopg
        deadline = time.monotonic() + timeout
        while True:
            try:
                psycopg.connect(self.url(), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
