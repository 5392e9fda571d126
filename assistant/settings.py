"""One typed settings object, read from `MENTORPREP_*` environment variables and `.env`."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


def _default_home() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "mentorprep"


class Settings(BaseSettings):
    """Everything MentorPrep can be configured with. Each field maps to `MENTORPREP_<NAME>`."""

    model_config = SettingsConfigDict(
        env_prefix="MENTORPREP_", env_file=".env", extra="ignore", validate_default=True
    )

    backend: Literal["local", "openai"] = Field(
        "local",
        description="Which LLM runs: `local` (llama.cpp in-process) or `openai` "
        "(any OpenAI-compatible server at OPENAI_BASE_URL).",
    )
    model: str = Field(
        "default",
        description="Local model: `default` (Qwen2.5-Coder-1.5B-Instruct), `small` (SmolLM2-135M, "
        "fast, for tests) or a path to any GGUF file.",
    )
    home: Path = Field(
        default_factory=_default_home,
        description="Data home: models, the vector index, conversations. "
        "Default: $XDG_DATA_HOME/mentorprep or ~/.local/share/mentorprep.",
    )
    models_dir_override: Path | None = Field(
        None,
        validation_alias=AliasChoices("MENTORPREP_MODELS_DIR"),
        description="Where assembled model files live. Default: <home>/models.",
    )
    chroma_url: str = Field(
        "",
        description="Chroma server URL, e.g. http://127.0.0.1:8000. Empty: embedded Chroma "
        "in the data home.",
    )
    database_url: str = Field(
        "",
        description="SQLAlchemy URL of the store for conversations and artifacts. Empty: SQLite "
        "in the data home. Use postgresql://… when several app instances share one store.",
    )
    collection_prefix: str = Field(
        "mentorprep",
        pattern=r"^[a-zA-Z0-9][a-zA-Z0-9_-]{1,40}$",
        description="Prefix of the Chroma collection names, so several deployments can share "
        "one Chroma server.",
    )
    auth: str = Field(
        "",
        description="Optional login for the web app: `user:secret` pairs separated by commas, "
        "each secret an argon2 hash from `mentorprep passwd` (plain text still works, with a "
        "warning). Empty (and no auth file): no login; each browser gets its own private history.",
    )
    auth_file: Path | None = Field(
        None,
        description="A file with one `user:secret` per line, written by `mentorprep passwd`. "
        "Default: <home>/auth when it exists.",
    )
    login_max_failures: int = Field(
        5, ge=1, le=1000, description="Failed logins from one address before it has to wait."
    )
    login_lockout_minutes: float = Field(
        15,
        gt=0,
        description="How long an address waits after too many failed logins; failures older "
        "than this are forgotten.",
    )
    insecure_serve_without_login: bool = Field(
        False,
        description="Allow `serve --host` on an address other than loopback with no login. "
        "Anyone who reaches the address can then use the app: leave it off and set a login "
        "(`mentorprep passwd NAME`), or keep the app on 127.0.0.1 behind a proxy.",
    )
    queue_size: int = Field(
        16,
        ge=1,
        le=10_000,
        description="Requests that may wait for the model at once; beyond this the web app "
        "answers 'busy, try again'.",
    )
    concurrent_jobs: int = Field(
        1,
        ge=1,
        le=64,
        description="Model jobs (answers, drafts, uploads…) the web app runs at once, for all "
        "users together; each user has at most one. Raise it for an OpenAI-compatible server "
        "with parallel slots.",
    )
    temperature: float = Field(0.3, ge=0.0, le=2.0, description="Sampling temperature.")
    max_tokens: int = Field(512, ge=1, le=8192, description="Most tokens generated per answer.")
    context_size: int = Field(
        8192,
        ge=512,
        le=32768,
        description="Context window (prompt + answer) in tokens. Earlier turns stay in it "
        "verbatim, so the KV cache is reused; the oldest are dropped when it is full.",
    )
    state_cache: int = Field(
        6,
        ge=0,
        le=32,
        description="How many workflows' llama.cpp states (system prompt and conversation) stay "
        "in memory, so switching between workflows does not evaluate their prompts again; each "
        "costs about 28 kB per token in context with the default model, 512 MB at most "
        "together. 0 turns it off.",
    )
    threads: int = Field(
        default_factory=lambda: len(os.sched_getaffinity(0)),
        ge=1,
        description="CPU threads for llama.cpp. Default: the cores available to this process.",
    )
    neutralise_instructions: bool = Field(
        True,
        description="Replace sentences in pasted or uploaded text that address the model "
        '("ignore previous instructions", "SYSTEM: …") with a marker before the model '
        "reads them. The <data> fence and the output guard work without it; turn it off to "
        "measure them alone (`mentorprep eval redteam --neutraliser off`).",
    )
    screen_pasted_text: bool = Field(
        True,
        description="Before the model reads a pasted bio or the passages retrieved for a question "
        "(notes and uploaded documents), it marks their sentences that ask the reader or writer "
        "to do something (in any language, however put), and they are left out. One short "
        "extra model call per draft or question; passages already screened are remembered.",
    )
    debrief_rewrites: bool = Field(
        False,
        description="Let the model write the debrief's 'try saying instead' line for each "
        "flagged sentence (checked; the checklist's line where it fails). Off by default: the "
        "default 1.5B model often answers as the other person or keeps the mistake (see "
        "eval/debrief/runs/README.md); the checklist's plain lines are used. Worth trying with "
        "a larger model behind an OpenAI-compatible server.",
    )
    retrieval_k: int = Field(4, ge=1, le=20, description="Knowledge passages retrieved per answer.")
    context_token_budget: int = Field(
        900, ge=100, description="Most prompt tokens spent on retrieved passages."
    )
    openai_base_url: str = Field(
        "",
        validation_alias=AliasChoices("MENTORPREP_OPENAI_BASE_URL", "OPENAI_BASE_URL"),
        description="OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1 "
        "(also read from OPENAI_BASE_URL).",
    )
    openai_api_key: str = Field(
        "",
        validation_alias=AliasChoices("MENTORPREP_OPENAI_API_KEY", "OPENAI_API_KEY"),
        description="API key for the OpenAI-compatible server (also read from OPENAI_API_KEY). "
        "Local servers accept any value.",
    )
    openai_model: str = Field(
        "",
        description="Model name to request from the OpenAI-compatible server. Empty: the first "
        "model the server lists at /v1/models.",
    )
    concurrency: int = Field(
        4,
        ge=1,
        le=64,
        description="With an OpenAI-compatible server: how many requests of each kind (Ask, "
        "drafts, rehearsals…) one app instance handles at once; match the server's parallel "
        "slots. The local backend always runs one at a time.",
    )
    request_timeout: float = Field(
        60.0, gt=0, description="Seconds to wait for the backend before giving up on a request."
    )
    max_retries: int = Field(
        2,
        ge=0,
        le=10,
        description="Retries, with exponential backoff, when the OpenAI-compatible backend cannot "
        "be reached, times out or answers 408/409/429/5xx.",
    )

    @field_validator("home", mode="after")
    @classmethod
    def _expand_home(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @property
    def models_dir(self) -> Path:
        return (self.models_dir_override or self.home / "models").expanduser().resolve()

    def credentials(self) -> dict[str, str]:
        """Login entries {name: secret} from MENTORPREP_AUTH and the auth file (empty: no
        login). Secrets are argon2 hashes, or plain text in an old file."""
        from assistant.components.passwords import parse_entries
        from assistant.errors import MentorPrepError

        lines = self.auth.split(",")
        if self.auth_file and not self.auth_path.is_file():  # a typo must not turn login off
            raise MentorPrepError(
                f"The auth file {self.auth_path} does not exist.",
                fix="create it with `mentorprep passwd NAME`, or unset MENTORPREP_AUTH_FILE",
            )
        if self.auth_path.is_file():
            lines += self.auth_path.read_text(encoding="utf-8").splitlines()
        return parse_entries(lines)

    @property
    def auth_path(self) -> Path:
        """Where `mentorprep passwd` writes: MENTORPREP_AUTH_FILE, else <home>/auth."""
        return (self.auth_file or self.home / "auth").expanduser()

    @property
    def app_concurrency(self) -> int:
        """How many requests of each kind the web app processes at once."""
        if self.backend == "local":
            return self.concurrent_jobs
        return max(self.concurrent_jobs, self.concurrency)

    @property
    def store_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'mentorprep.db'}"

    @property
    def chroma_dir(self) -> Path:
        return self.home / "chroma"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cached; tests call `get_settings.cache_clear()`)."""
    return Settings()
