"""The deployment of docs/deploy.md as tests run it: PostgreSQL, a Chroma server, one
OpenAI-compatible model server and several `mentorprep serve` instances.

The commands live here once, as templates. The two-instance test runs them with its own values
(ports, folders, the small model); `test_deploy_doc_shows_the_commands_the_test_runs` checks that
docs/deploy.md shows every one of them with the documentation's values, so the guide cannot drift
from what is tested.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import BIN, stop_process, wait_for_http
from tests.support.postgres import PostgresCluster

# PostgreSQL programs run as its superuser (`sudo -u postgres …` in the guide)
POSTGRES = {
    "role": "psql -c \"CREATE ROLE mentorprep LOGIN PASSWORD '{password}'\"",
    "database": "createdb -O mentorprep mentorprep",
    "dump": "pg_dump --format=custom --file={dump} mentorprep",
    "restore": "pg_restore --dbname=mentorprep {dump}",
}
COMMANDS = {
    "chroma": "chroma run --path {chroma_path} --host 127.0.0.1 --port {chroma_port}",
    "model": "python -m llama_cpp.server --model {model} --model_alias mentorprep "
    "--host 127.0.0.1 --port {model_port} --n_ctx 4096 --n_threads {threads} "
    "--interrupt_requests False --verbose False",
    "upgrade": "mentorprep db upgrade",
    "ingest": "mentorprep ingest",
    "serve": "MENTORPREP_HOME={home} mentorprep serve --host 127.0.0.1 --port {port}",
    "backup_chroma": "cp -a {chroma_path} {chroma_backup}",
}
# the same on every app instance (and for `db upgrade` and `ingest`)
ENVIRONMENT = {
    "MENTORPREP_DATABASE_URL": "postgresql://mentorprep:{password}@127.0.0.1:{pg_port}/mentorprep",
    "MENTORPREP_CHROMA_URL": "http://127.0.0.1:{chroma_port}",
    "MENTORPREP_BACKEND": "openai",
    "OPENAI_BASE_URL": "http://127.0.0.1:{model_port}/v1",
    "MENTORPREP_CONTEXT_SIZE": "4096",
    "MENTORPREP_CONCURRENCY": "1",
    "MENTORPREP_AUTH_FILE": "{users_file}",
}
DOC_VALUES = {
    "password": "change-me",
    "pg_port": "5432",
    "dump": "/var/lib/postgresql/mentorprep.dump",
    "chroma_path": "/srv/mentorprep/chroma",
    "chroma_backup": "/srv/backup/chroma",
    "chroma_port": "8000",
    "model": "/srv/mentorprep/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    "model_port": "8080",
    "threads": "8",
    "users_file": "/etc/mentorprep/users",
    "home": "/srv/mentorprep/app1",
    "port": "7861",
}
USERS = {"ana": "ana-secret-1", "ben": "ben-secret-2"}  # the test's logins


def render(template: str, values: dict) -> str:
    return template.format(**values)


def client_as(url: str, user: str):
    """A Gradio API client signed in as `user` (one of USERS): the one place that knows how a
    user is identified, so a change of identity scheme changes only this."""
    from gradio_client import Client

    return Client(url, auth=(user, USERS[user]), verbose=False)


def _argv(command: str) -> tuple[dict[str, str], list[str]]:
    """Leading VAR=value words become environment; the program is found as installed here."""
    words, env = shlex.split(command), {}
    while "=" in words[0]:
        key, _, value = words.pop(0).partition("=")
        env[key] = value
    program = {
        "python": sys.executable,
        "chroma": str(BIN / "chroma"),
        "mentorprep": str(BIN / "mentorprep"),
    }.get(words[0], words[0])
    return env, [program, *words[1:]]


def clean_environ() -> dict[str, str]:
    """This process's environment without any MENTORPREP_/OPENAI_ setting of the developer's."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("MENTORPREP_", "OPENAI_"))}


@dataclass
class Deployment:
    """One deployment under `root`: start its pieces, then `serve` as many instances as wanted."""

    root: Path
    cluster: PostgresCluster
    model: Path
    values: dict = field(default_factory=dict)
    services: dict[str, subprocess.Popen] = field(default_factory=dict)

    def __post_init__(self) -> None:
        from tests.conftest import free_port

        users = self.root / "users"
        users.write_text("".join(f"{u}:{p}\n" for u, p in USERS.items()))
        self.values = {
            "password": "mentorprep-test-pw",
            "pg_port": str(self.cluster.port),
            "dump": str(self.root / "mentorprep.dump"),
            "chroma_path": str(self.root / "chroma"),
            "chroma_backup": str(self.root / "chroma-backup"),
            "chroma_port": str(free_port()),
            "model": str(self.model),
            "model_port": str(free_port()),
            "threads": "2",
            "users_file": str(users),
        }

    def env(self, **overrides: str) -> dict[str, str]:
        values = {**self.values, **overrides}
        return {**clean_environ(), **{k: render(v, values) for k, v in ENVIRONMENT.items()}}

    def postgres(self, name: str, cluster: PostgresCluster | None = None) -> None:
        """A PostgreSQL command of the guide, as the cluster's superuser."""
        _, argv = _argv(render(POSTGRES[name], self.values))
        (cluster or self.cluster).run(*argv)

    def run(self, name: str, **values: str) -> subprocess.CompletedProcess:
        extra, argv = _argv(render(COMMANDS[name], {**self.values, **values}))
        return subprocess.run(
            argv,
            env={**self.env(**values), **extra},
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        )

    def start(self, name: str, key: str = "", **values: str) -> subprocess.Popen:
        """The Chroma server or the model server, kept as services[key or name]; waits until it
        answers."""
        values = {**self.values, **values}
        extra, argv = _argv(render(COMMANDS[name], values))
        process = subprocess.Popen(
            argv,
            env={**self.env(**values), **extra},
            stdout=(self.root / f"{key or name}.log").open("a"),
            stderr=subprocess.STDOUT,
        )
        self.services[key or name] = process
        health = {
            "chroma": f"http://127.0.0.1:{values['chroma_port']}/api/v2/heartbeat",
            "model": f"http://127.0.0.1:{values['model_port']}/v1/models",
        }[name]
        wait_for_http(health, process, timeout=240)
        return process

    def stop(self, key: str) -> None:
        process = self.services.pop(key)
        if process.poll() is None:
            stop_process(process)

    def stop_all(self) -> None:
        for key in reversed(list(self.services)):
            self.stop(key)


@dataclass
class Instance:
    """One `mentorprep serve` of a deployment."""

    deployment: Deployment
    name: str
    port: int
    extra_env: dict = field(default_factory=dict)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self, **values: str) -> Instance:
        home = self.deployment.root / self.name
        home.mkdir(exist_ok=True)
        extra, argv = _argv(
            render(COMMANDS["serve"], {**self.deployment.values, "home": home, "port": self.port})
        )
        self.process = subprocess.Popen(
            argv,
            env={**self.deployment.env(**values), **extra, **self.extra_env},
            stdout=(home / "server.log").open("a"),
            stderr=subprocess.STDOUT,
        )
        wait_for_http(self.url, self.process, timeout=240)
        return self

    def kill(self) -> None:
        """kill -9: no clean shutdown."""
        assert self.process is not None
        self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            stop_process(self.process)

    def log_tail(self, chars: int = 3000) -> str:
        log = self.deployment.root / self.name / "server.log"
        return log.read_text(errors="replace")[-chars:] if log.exists() else "(no log)"
