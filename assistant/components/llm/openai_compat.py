"""Any OpenAI-compatible chat server (vLLM, llama.cpp server, Ollama, OpenAI) via the `openai` client."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

from assistant.components.llm.base import Model, Prompt, Usage
from assistant.errors import BackendUnavailable, MentorPrepError

_LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}


def is_loopback(url: str) -> bool:
    return (urlparse(url).hostname or "") in _LOCAL_HOSTS


def _server_message(exc: Any) -> str:
    """The server's own error message, without the client's "Error code: NNN" prefix."""
    body = exc.body
    message = body.get("message") if isinstance(body, dict) else None
    return message if isinstance(message, str) and message else exc.message


def _rejected_request(exc: BaseException | None) -> bool:
    """The server refused the request itself, e.g. a response_format it does not know: a 4xx,
    or a 5xx that says the request failed validation (llama-cpp-python's server answers 500
    to a `json_schema` response_format)."""
    import openai

    if not isinstance(exc, openai.APIStatusError):
        return False
    return 400 <= exc.status_code < 500 or "validation error" in _server_message(exc).lower()


class OpenAICompatModel(Model):
    """Streams chat completions from an OpenAI-compatible `base_url`."""

    def __init__(
        self,
        base_url: str,
        api_key: str = "",
        model: str = "",
        *,
        temperature: float = 0.3,
        max_tokens: int = 512,
        timeout: float = 60.0,
        max_retries: int = 2,
    ) -> None:
        super().__init__()
        import openai

        if not base_url:
            raise MentorPrepError(
                "The openai backend needs the address of an OpenAI-compatible server.",
                fix="set OPENAI_BASE_URL (e.g. http://127.0.0.1:8080/v1) or MENTORPREP_BACKEND=local",
            )
        if not api_key:
            if not is_loopback(base_url):
                raise MentorPrepError(
                    f"No API key for {base_url}.",
                    fix="set OPENAI_API_KEY or MENTORPREP_BACKEND=local",
                )
            api_key = "no-key-needed-on-loopback"
        self.base_url = base_url
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.client = openai.OpenAI(
            base_url=base_url, api_key=api_key, timeout=timeout, max_retries=max_retries
        )
        self._model = model
        self._json_mode: str | None = None  # which response_format style this server accepts

    @property
    def model(self) -> str:
        """The model to request; the server's first listed model when none was configured."""
        if not self._model:
            models = self._call(lambda: self.client.models.list())
            if not models.data:
                raise BackendUnavailable(
                    f"The server at {self.base_url} lists no models.",
                    fix="start it with a model loaded, or set MENTORPREP_OPENAI_MODEL",
                )
            self._model = models.data[0].id
        self.name = self._model
        return self._model

    def _call(self, fn):
        import openai

        try:
            return fn()
        except openai.APIConnectionError as exc:  # includes timeouts
            kind = "timed out" if isinstance(exc, openai.APITimeoutError) else "cannot be reached"
            raise BackendUnavailable(
                f"The OpenAI-compatible server at {self.base_url} {kind}.",
                fix="start the server or correct OPENAI_BASE_URL (raise MENTORPREP_REQUEST_TIMEOUT "
                "for slow servers), or set MENTORPREP_BACKEND=local",
            ) from exc
        except openai.AuthenticationError as exc:
            raise BackendUnavailable(
                f"The server at {self.base_url} rejected the API key.",
                fix="set OPENAI_API_KEY to a valid key",
            ) from exc
        except openai.APIStatusError as exc:
            busy = exc.status_code >= 500 or exc.status_code == 429
            raise BackendUnavailable(
                f"The server at {self.base_url} answered {exc.status_code}: {_server_message(exc)}",
                fix="it is busy or failing: try again, raise MENTORPREP_MAX_RETRIES, or check its log"
                if busy
                else "check the server's log; set MENTORPREP_OPENAI_MODEL if the model name is wrong",
            ) from exc

    def _response_formats(self, schema: dict[str, Any]) -> list[dict[str, Any]]:
        styles = {
            # OpenAI, vLLM, Ollama, recent llama.cpp servers
            "json_schema": {
                "type": "json_schema",
                "json_schema": {"name": "answer", "schema": schema, "strict": True},
            },
            # llama-cpp-python's server: a grammar built from `schema`
            "json_object": {"type": "json_object", "schema": schema},
        }
        order = [self._json_mode] if self._json_mode else ["json_schema", "json_object"]
        return [(name, styles[name]) for name in order]

    def execute(self, prompt: Prompt) -> Iterator[str]:
        import httpx
        import openai

        request: dict[str, Any] = {
            "model": self.model,
            "messages": prompt.messages,
            "temperature": self.temperature if prompt.temperature is None else prompt.temperature,
            "max_tokens": prompt.max_tokens or self.max_tokens,
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        if prompt.stop:
            request["stop"] = prompt.stop
        if prompt.seed is not None:
            request["seed"] = prompt.seed
        if prompt.explore:
            request["top_p"] = 1.0  # the standard knob; servers' own top-k and min-p stay theirs
        stream = None
        if prompt.schema is None:
            stream = self._call(lambda: self.client.chat.completions.create(**request))
        else:
            last_error: Exception | None = None
            for name, response_format in self._response_formats(prompt.schema):
                try:
                    stream = self._call(
                        lambda rf=response_format: self.client.chat.completions.create(
                            **request, response_format=rf
                        )
                    )
                    self._json_mode = name
                    break
                except BackendUnavailable as exc:
                    if not _rejected_request(exc.__cause__):  # down or busy: not the format
                        raise
                    last_error = exc
            if stream is None:
                raise last_error  # type: ignore[misc]
        usage, finished = Usage(), False
        broke_off = BackendUnavailable(
            f"The connection to {self.base_url} broke off in the middle of the answer.",
            fix="retry once the server is back; the partial answer was kept",
        )
        try:
            for chunk in stream:
                if chunk.usage:
                    usage = Usage(chunk.usage.prompt_tokens, chunk.usage.completion_tokens)
                if chunk.choices:
                    finished = finished or chunk.choices[0].finish_reason is not None
                    if delta := chunk.choices[0].delta.content:
                        yield delta
        except (openai.APIError, httpx.HTTPError, OSError) as exc:
            raise broke_off from exc
        finally:  # also when the caller stops early: the server stops generating
            with contextlib.suppress(Exception):
                stream.close()
        if not finished:  # the body ended cleanly, but the server never said the answer was done
            raise broke_off
        self.last_usage = usage
