"""A throwaway PostgreSQL cluster for tests: `initdb` into a temporary folder, the server on
127.0.0.1 on a free port with its socket in that folder, everything removed at the end.

PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user (which
Debian's package creates) and its programs run through `runuser`. Administration goes through the
Unix socket (trust); apps connect over TCP with a password, as in a real deployment.
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.conftest import free_port

INSTALL_HINT = "PostgreSQL is missing: `make test` installs Debian's postgresql package"


def pg_bin() -> Path | None:
    """The newest installed server's programs (Debian keeps them out of PATH), else PATH's."""
    found = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    if found:
        newest = max(found, key=lambda p: int(re.search(r"/(\d+)/bin/", p).group(1)))
        return Path(newest).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PostgresCluster:
    """One PostgreSQL server of its own: `start()`, then `new_database()`; `stop()` removes it."""

    def __init__(self, root: Path | None = None) -> None:
        self.bin = pg_bin()
        if self.bin is None:
            raise FileNotFoundError(INSTALL_HINT)
        self.root = Path(root or tempfile.mkdtemp(prefix="mentorprep-pg-"))
        self.data, self.socket = self.root / "data", self.root / "socket"
        self.port = free_port()
        self.owner = "postgres" if os.geteuid() == 0 else None
        self._databases = 0

    def _as_owner(self, *command: str) -> list[str]:
        return ["runuser", "-u", self.owner, "--", *command] if self.owner else list(command)

    def start(self) -> PostgresCluster:
        self.socket.mkdir(parents=True, exist_ok=True)
        if self.owner:
            entry = pwd.getpwnam(self.owner)
            for path in (self.root, self.socket):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        subprocess.run(
            self._as_owner(
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ),
            check=True,
            capture_output=True,
            text=True,
            cwd=self.root,
        )
        options = (
            f"-h 127.0.0.1 -p {self.port} -k {self.socket} -c fsync=off -c max_connections=200"
        )
        subprocess.run(
            self._as_owner(
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.data),
                "-o",
                options,
                "-l",
                str(self.root / "server.log"),
                "-w",
                "start",
            ),
            check=True,
            capture_output=True,
            text=True,
            cwd=self.root,
        )
        return self

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                self._as_owner(
                    str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"
                ),
                capture_output=True,
                cwd=self.root,  # the owner may not enter the test's cwd
            )
        shutil.rmtree(self.root, ignore_errors=True)

    def client_env(self) -> dict[str, str]:
        """Environment for psql, pg_dump, createdb…: the superuser over the Unix socket."""
        return {
            **os.environ,
            "PGHOST": str(self.socket),
            "PGPORT": str(self.port),
            "PGUSER": "postgres",
        }

    def run(self, program: str, *args: str, **kwargs) -> subprocess.CompletedProcess:
        """A PostgreSQL client program (psql, createdb, pg_dump, pg_restore) as the superuser."""
        return subprocess.run(
            [str(self.bin / program), *args],
            env=self.client_env(),
            check=True,
            capture_output=True,
            text=True,
            **kwargs,
        )

    def sql(self, statement: str, database: str = "postgres") -> str:
        return self.run(
            "psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", statement
        ).stdout.strip()

    def url(self, database: str, user: str = "mentorprep", password: str = "mentorprep") -> str:
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/{database}"

    def create_role(self, user: str = "mentorprep", password: str = "mentorprep") -> None:
        exists = self.sql(f"SELECT 1 FROM pg_roles WHERE rolname = '{user}'")
        if not exists:
            self.sql(f"CREATE ROLE {user} LOGIN PASSWORD '{password}'")

    def new_database(self, name: str | None = None, owner: str = "mentorprep") -> str:
        """A new, empty database owned by an ordinary (not super) user; its SQLAlchemy URL."""
        self._databases += 1
        name = name or f"t{self._databases}"
        self.create_role(owner)
        self.run("createdb", "-O", owner, name)
        return self.url(name, owner)
