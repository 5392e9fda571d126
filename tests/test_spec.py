"""The one runner for structured model output: only failed fields are asked again, the
fallback fills what still fails, and the outcome says which fields the model wrote."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel, ValidationInfo, field_validator

from assistant.services.coaching.spec import SpecFailed, facts, generate, piece, schema_of


class Pair(BaseModel):
    greeting: str
    number: int

    @field_validator("greeting")
    @piece
    def _greeting(cls, value: str, info: ValidationInfo) -> str:
        if facts(info)["name"] not in value:
            raise ValueError(f"greet {facts(info)['name']} by name")
        return value

    @field_validator("number")
    @piece
    def _number(cls, value: int, info: ValidationInfo) -> int:
        if value % 2:
            raise ValueError("an even number")
        return value


MESSAGES = [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}]


def test_the_schema_comes_from_the_output_type():
    schema = schema_of(Pair)
    assert set(schema["properties"]) == {"greeting", "number"}
    assert schema["required"] == ["greeting", "number"]
    assert set(schema_of(Pair, ["number"])["properties"]) == {"number"}


def test_a_first_answer_that_passes_is_the_models(fake_model):
    fake_model.queue(json.dumps({"greeting": "Hi Ana", "number": 2}))
    outcome = generate(fake_model, MESSAGES, Pair, context={"name": "Ana"})
    assert outcome.origin == "model" and outcome.attempts == 1
    assert outcome.value.model_dump() == {"greeting": "Hi Ana", "number": 2}


def test_only_the_failed_field_is_asked_again_with_its_feedback(fake_model):
    fake_model.queue(json.dumps({"greeting": "Hi Ana", "number": 3}), json.dumps({"number": 4}))
    outcome = generate(fake_model, MESSAGES, Pair, context={"name": "Ana"})
    assert outcome.origin == "model-retry" and outcome.value.number == 4
    retry = fake_model.prompts[1]
    assert set(retry.schema["properties"]) == {"number"}
    assert "number: an even number" in retry.messages[-1]["content"]
    assert outcome.problems == ["number: an even number"]


def test_a_retry_is_the_first_prompt_with_the_feedback_not_the_failed_answer_replayed(fake_model):
    """28a5488 tuning goal cards: with its failed answer replayed as its own turn, the model
    wrote the same stock question three times; the feedback quotes what failed instead."""
    fake_model.queue(json.dumps({"greeting": "Hi Ana", "number": 3}), json.dumps({"number": 4}))
    generate(fake_model, MESSAGES, Pair, context={"name": "Ana"})
    retry = fake_model.prompts[1]
    assert [m["role"] for m in retry.messages] == ["system", "user"]
    assert retry.messages[-1]["content"].startswith("u\n\nYour last answer broke these rules")
    assert retry.seed == 2 and not retry.explore
    fake_model.queue(json.dumps({"greeting": "Hi Ana", "number": 3}), json.dumps({"number": 4}))
    generate(fake_model, MESSAGES, Pair, context={"name": "Ana"}, explore=True)
    assert fake_model.prompts[-1].explore and not fake_model.prompts[-2].explore
    conversation = [*MESSAGES, {"role": "assistant", "content": "a"}]
    fake_model.queue(json.dumps({"greeting": "Hi Ana", "number": 3}), json.dumps({"number": 4}))
    generate(fake_model, conversation, Pair, context={"name": "Ana"})
    assert [m["role"] for m in fake_model.prompts[-1].messages][-2:] == ["assistant", "user"]


def test_the_fallback_fills_what_the_model_never_got_right(fake_model):
    fake_model.queue(*[json.dumps({"greeting": "Hello", "number": 2})] * 2)

    def fallback(good, failed, last):
        assert failed == ["greeting"] and good == {"number": 2} and last == {"greeting": "Hello"}
        return {"greeting": "Hi Ana (by the code)"}

    outcome = generate(
        fake_model, MESSAGES, Pair, context={"name": "Bo"}, attempts=2, fallback=fallback
    )
    assert outcome.origin == "mixed" and outcome.from_code == ["greeting"]
    assert outcome.value.greeting == "Hi Ana (by the code)"


def test_without_a_fallback_the_failure_is_raised(fake_model):
    fake_model.queue(*[json.dumps({"greeting": "Hello", "number": 1})] * 3)
    with pytest.raises(SpecFailed, match="greet Ana"):
        generate(fake_model, MESSAGES, Pair, context={"name": "Ana"})


def test_an_answer_that_repeats_the_instructions_is_refused(fake_model):
    from assistant import prompts

    fake_model.queue(
        json.dumps({"greeting": f"Hi Ana {prompts.CANARY}", "number": 2}),
        json.dumps({"greeting": "Hi Ana", "number": 2}),
    )
    outcome = generate(fake_model, MESSAGES, Pair, context={"name": "Ana"})
    assert outcome.origin == "model-retry" and prompts.CANARY not in outcome.value.greeting


def test_malformed_json_counts_as_a_failed_try(fake_model):
    fake_model.queue("{not json", json.dumps({"greeting": "Hi Ana", "number": 2}))
    outcome = generate(fake_model, MESSAGES, Pair, context={"name": "Ana"})
    assert outcome.value.number == 2 and outcome.attempts == 2


class Steps(BaseModel):
    goal: str
    step: str

    @field_validator("goal")
    @piece
    def _goal(cls, value: str, info: ValidationInfo) -> str:
        if not value.startswith("I "):
            raise ValueError("start with 'I'")
        return value

    @field_validator("step")
    @piece
    def _step(cls, value: str, info: ValidationInfo) -> str:
        if value == (info.data or {}).get("goal"):
            raise ValueError("the step repeats the goal")
        return value


def test_a_field_that_fails_beside_the_fallbacks_value_comes_from_the_fallback_too(fake_model):
    # the step passes beside the model's failing goal, then repeats the goal the code wrote
    fake_model.queue(
        *[json.dumps({"goal": "Lead", "step": "I lead"})] + [json.dumps({"goal": "x"})]
    )

    def fallback(good, failed, last):
        return {name: {"goal": "I lead", "step": "Ask for one meeting"}[name] for name in failed}

    outcome = generate(fake_model, MESSAGES, Steps, attempts=2, fallback=fallback)
    assert outcome.value.model_dump() == {"goal": "I lead", "step": "Ask for one meeting"}
    assert outcome.from_code == ["goal", "step"] and outcome.origin == "fallback"
    assert "step: the step repeats the goal" in outcome.problems[-1]


def test_a_workflows_validation_error_is_not_reported_as_a_setting(monkeypatch, capsys):
    from pydantic import ValidationError

    from assistant import cli

    def broken(args):
        Pair.model_validate({"greeting": "Hi", "number": "x"}, context={"name": "Hi"})

    parser = cli.build_parser()
    monkeypatch.setattr(cli, "build_parser", lambda: parser)
    args = parser.parse_args(["doctor"])
    monkeypatch.setattr(parser, "parse_args", lambda argv=None: args)
    monkeypatch.setattr(args, "func", broken)
    with pytest.raises(ValidationError):
        cli.main([])
    assert "invalid setting" not in capsys.readouterr().err
