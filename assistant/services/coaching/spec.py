"""One runner for every workflow's model output: the output type is a pydantic model, its field
validators give the retry feedback, only the fields that failed are asked for again, and what
still fails comes from the workflow's fallback. The result says which fields the model wrote
and which the code did.

A field validator reads the workflow's facts from `info.context` (the mentee's words, the
mentor's bio …) and raises ValueError with feedback the model can act on. Wrap it in
`@piece` so that values supplied by the fallback are trusted as they are.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError, ValidationInfo, create_model

from assistant.components.llm import Model, Prompt
from assistant.errors import BackendUnavailable
from assistant.services.output_guard import check_data

log = logging.getLogger(__name__)
T = TypeVar("T", bound=BaseModel)
TRUSTED = "_trusted_fields"


class SpecFailed(ValueError):
    """The model's tries failed and the workflow has no fallback; the message is the feedback."""


def piece(check: Callable) -> Callable:
    """Decorate a field validator (classmethod(cls, value, info)): fallback values skip it."""

    @wraps(check)
    def run(cls, value, info: ValidationInfo):
        if info.field_name in ((info.context or {}).get(TRUSTED) or ()):
            return value
        return check(cls, value, info)

    return run


def facts(info: ValidationInfo) -> dict:
    """The workflow's facts given to the validators."""
    return info.context or {}


@dataclass
class Outcome(Generic[T]):
    value: T
    attempts: int  # model calls made
    from_model: list[str]  # fields the model wrote (first try or regenerated)
    from_code: list[str]  # fields the fallback supplied after the model's tries failed
    problems: list[str] = field(default_factory=list)  # feedback given on the way
    first_try: bool = False  # every field passed on the first call

    @property
    def origin(self) -> str:
        """'model' (first try), 'model-retry', 'mixed' (some fields by code) or 'fallback'."""
        if not self.from_code:
            return "model" if self.first_try else "model-retry"
        return "fallback" if not self.from_model else "mixed"


def schema_of(output_type: type[BaseModel], fields: Iterable[str] | None = None) -> dict:
    """The JSON schema sent to the model: the output type's, or that of some of its fields."""
    if fields is not None:
        wanted = {
            name: (f.annotation, f)
            for name, f in output_type.model_fields.items()
            if name in set(fields)
        }
        output_type = create_model(output_type.__name__ + "Part", **wanted)  # type: ignore[call-overload]
    schema = output_type.model_json_schema()
    schema.pop("title", None)
    for prop in schema.get("properties", {}).values():
        prop.pop("title", None)
    return schema


# a retry at the first try's temperature tends to say it again: drafts on 8ac4efc gave the same
# failed question three times in a row
RETRY_TEMPERATURE = 0.8


def _asked_again(messages: list[dict], feedback: str, wanted: list[str]) -> list[dict]:
    """The first prompt again with the checks' feedback added to its last user turn (or as a
    user turn of its own when the prompt ends otherwise). The failed answer is not replayed as
    the model's own turn, where a 1.5B model tended to copy it (28a5488's tuning goal cards:
    the same question three times); the feedback quotes what failed. In a tuning try of ten
    goal cards, 4 pieces came from the code this way against 7 with the replay: too few to
    call, and no run has measured it alone."""
    again = (
        f"Your last answer broke these rules: {feedback}. Write {', '.join(wanted)} again,"
        f" differently. Answer with JSON holding only {', '.join(wanted)}."
    )
    if not messages or messages[-1]["role"] != "user":
        return [*messages, {"role": "user", "content": again}]
    turn = messages[-1]
    return [*messages[:-1], {**turn, "content": f"{turn['content']}\n\n{again}"}]


def generate(
    model: Model,
    messages: list[dict],
    output_type: type[T],
    *,
    context: dict | None = None,
    fallback: Callable[[dict, list[str], dict], dict] | None = None,
    attempts: int = 3,
    max_tokens: int = 400,
    temperature: float | None = None,
    retry_temperature: float | None = RETRY_TEMPERATURE,
    allowed_urls: Iterable[str] = (),
    explore: bool = False,
) -> Outcome[T]:
    """Ask for `output_type` as JSON; validate; ask again only for the fields that failed (with
    the validators' feedback); after `attempts` calls, `fallback(good_fields, failed_fields,
    last_answer)` supplies the failed fields. Without a fallback the last ValidationError is raised.
    `retry_temperature` is used from the second call on (a small model asked again at the same
    temperature often writes the same failed answer; None keeps `temperature`). With `explore`,
    a retry samples from every token the grammar allows (no top-k/min-p cut): only the draft's
    pieces, short and strictly checked, ask for it; on def1c99, where every workflow did, a
    retried counterpart line was the judges' most quoted fault (42 quotes for 33 lines, against
    14 for 24 scripted lines) and goal cards took more retries and were judged worse."""
    context = dict(context or {})
    names = list(output_type.model_fields)
    good: dict[str, Any] = {}
    problems: list[str] = []
    wanted = names
    history = list(messages)
    calls = 0
    first_try = False
    errors: dict[str, str] = {}
    answer: dict[str, Any] = {}
    while wanted and calls < attempts:
        calls += 1
        prompt = Prompt(
            history,
            schema=schema_of(output_type, wanted),
            max_tokens=max_tokens,
            temperature=retry_temperature if calls > 1 and retry_temperature else temperature,
            seed=calls if calls > 1 else None,  # each retry samples anew, the same way each run
            explore=explore and calls > 1,
        )
        try:
            data = model.complete_json(prompt)
        except BackendUnavailable as exc:
            if "malformed JSON" not in exc.message:
                raise
            errors = {
                name: "the answer was not complete JSON; answer more briefly" for name in wanted
            }
            problems.append(errors[wanted[0]])
            continue
        data, leaked = check_data(data if isinstance(data, dict) else {}, allowed_urls)
        answer = {name: data.get(name) for name in wanted}
        errors = _errors(output_type, {**good, **answer}, context, trusted=list(good))
        if leaked:
            errors = {
                name: "it repeats your instructions; write it in your own words" for name in wanted
            }
        if not errors and calls == 1:
            first_try = True
        good.update({k: v for k, v in answer.items() if k not in errors})
        wanted = [name for name in wanted if name in errors]
        if wanted:
            feedback = "; ".join(f"{name}: {errors[name]}" for name in wanted)
            problems.append(feedback)
            log.info("attempt %d/%d broke a rule: %s", calls, attempts, feedback)
            history = _asked_again(messages, feedback, wanted)
    if wanted and fallback is None:
        raise SpecFailed("; ".join(f"{name}: {errors.get(name, '')}" for name in wanted))
    from_code = list(wanted)
    if from_code:
        good.update(fallback(dict(good), from_code, dict(answer)))  # type: ignore[misc]
    # a field that passed beside the model's other fields may fail beside what the fallback
    # wrote (a first step that repeats the goal the code put in): it comes from the fallback too
    while (late := _errors(output_type, good, context, trusted=from_code)).keys() - from_code:
        if fallback is None:
            raise SpecFailed("; ".join(f"{name}: {late[name]}" for name in late))
        problems.append("; ".join(f"{name}: {late[name]}" for name in late))
        from_code = [name for name in names if name in from_code or name in late]
        good.update(fallback(dict(good), list(late), dict(answer)))
    value = output_type.model_validate(good, context={**context, TRUSTED: from_code})
    return Outcome(
        value, calls, [n for n in names if n not in from_code], from_code, problems, first_try
    )


def _errors(output_type: type[BaseModel], data: dict, context: dict, trusted: list[str]) -> dict:
    """Each failing field with its feedback (the first message per field)."""
    try:
        output_type.model_validate(data, context={**context, TRUSTED: trusted})
    except ValidationError as exc:
        found: dict[str, str] = {}
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else next(iter(data), "")
            message = str(error["msg"]).removeprefix("Value error, ")
            found.setdefault(name, message)
        return found
    return {}
