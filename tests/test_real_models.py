"""End-to-end tests on the real small model (llama.cpp in-process and behind a real server)."""

import json
import shutil
import subprocess
from dataclasses import replace

import pytest

from assistant.components.llm import Prompt
from assistant.components.llm.local import LocalModel
from assistant.components.llm.openai_compat import OpenAICompatModel
from assistant.errors import BackendUnavailable, MentorPrepError
from tests.conftest import free_port, indexed_home, run_cli

pytestmark = [pytest.mark.slow, pytest.mark.real_model]

SCHEMA = {
    "type": "object",
    "properties": {"goal": {"type": "string"}, "weeks": {"type": "integer"}},
    "required": ["goal", "weeks"],
}
JSON_PROMPT = Prompt(
    [{"role": "user", "content": "Give a mentoring goal and a number of weeks as JSON."}],
    schema=SCHEMA,
    max_tokens=80,
    temperature=0.0,
)


@pytest.fixture(scope="module")
def local_model(small_model_path):
    return LocalModel(small_model_path, context_size=2048, threads=2, max_tokens=32)


def test_local_model_streams_chunks(local_model):
    chunks = list(local_model.execute(Prompt([{"role": "user", "content": "Say hello."}])))
    assert len(chunks) > 1 and "".join(chunks).strip()
    assert local_model.last_usage.completion_tokens > 0


def test_local_structured_output_matches_schema(local_model):
    data = local_model.complete_json(JSON_PROMPT)
    assert isinstance(data["goal"], str) and isinstance(data["weeks"], int)
    # a retry's sampling: its own seed, every token the grammar allows
    retry = replace(JSON_PROMPT, temperature=0.8, seed=2, explore=True)
    data = local_model.complete_json(retry)
    assert isinstance(data["goal"], str) and isinstance(data["weeks"], int)


def test_local_model_reuses_the_kv_cache_for_a_shared_prefix(local_model):
    system = {"role": "system", "content": "You are a concise mentoring coach. " * 20}
    local_model.complete(Prompt([system, {"role": "user", "content": "First question?"}]))
    first = local_model.last_usage
    local_model.complete(Prompt([system, {"role": "user", "content": "Second one?"}]))
    second = local_model.last_usage
    assert first.prompt_tokens > 150
    # only the new user turn (and template tokens around it) is evaluated again
    assert second.prompt_tokens_evaluated < 20 < first.prompt_tokens


def test_openai_backend_against_a_real_llama_server(llama_server):
    model = OpenAICompatModel(llama_server, max_tokens=24)
    assert model.model == "small"  # discovered from /v1/models
    chunks = list(model.execute(Prompt([{"role": "user", "content": "Say hello."}])))
    assert len(chunks) > 1 and "".join(chunks).strip()
    data = model.complete_json(JSON_PROMPT)
    assert isinstance(data["goal"], str) and isinstance(data["weeks"], int)
    # a retry's sampling options are accepted (the server's schema mode may not bind a 135M
    # model at 0.8, so only the answer's kind is asserted)
    data = model.complete_json(replace(JSON_PROMPT, temperature=0.8, seed=2, explore=True))
    assert isinstance(data, dict)


def test_openai_backend_errors_name_the_fix():
    with pytest.raises(MentorPrepError, match="OPENAI_BASE_URL"):
        OpenAICompatModel("")
    with pytest.raises(MentorPrepError) as info:
        OpenAICompatModel("https://api.example.invalid/v1")
    assert "OPENAI_API_KEY" in info.value.fix
    down = OpenAICompatModel(f"http://127.0.0.1:{free_port()}/v1", model="x", max_retries=0)
    with pytest.raises(BackendUnavailable, match="cannot be reached"):
        down.complete(Prompt([{"role": "user", "content": "hi"}]))


def test_cli_ask_json_on_the_small_local_model(indexed):
    result = run_cli(
        "ask",
        "How do I follow up with a mentor who did not reply?",
        "--json",
        env={"MENTORPREP_MODEL": "small", "MENTORPREP_MAX_TOKENS": "48"},
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["answer"].strip()
    assert data["sources"] and {"title", "source", "section", "text"} <= data["sources"][0].keys()


def test_cli_ask_through_the_openai_backend(llama_server, indexed):
    result = run_cli(
        "ask",
        "What is a mentoring agreement?",
        "--json",
        env={
            "MENTORPREP_BACKEND": "openai",
            "OPENAI_BASE_URL": llama_server,
            "MENTORPREP_MAX_TOKENS": "48",
        },
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["answer"].strip()


def test_cli_reports_an_unreachable_server_clearly(indexed):
    result = run_cli(
        "ask",
        "hello",
        env={
            "MENTORPREP_BACKEND": "openai",
            "OPENAI_BASE_URL": f"http://127.0.0.1:{free_port()}/v1",
            "MENTORPREP_MAX_RETRIES": "0",
        },
    )
    assert result.returncode == 2
    assert "cannot be reached" in result.stderr and "To fix" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs util-linux unshare")
def test_default_path_is_offline():
    """`mentorprep ask` with no network at all (a fresh namespace: loopback only)."""
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.fail(f"unshare -n is not permitted here: {probe.stderr.decode()}")
    result = run_cli(
        "ask",
        "How do I write a SMART goal?",
        "--json",
        env={"MENTORPREP_MODEL": "small", "MENTORPREP_MAX_TOKENS": "32"},
        prefix=["unshare", "-n"],
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["answer"].strip()


def test_doctor_passes_then_fails_helpfully_on_a_corrupt_model(
    tmp_path, small_model_path, indexed_template
):
    home = indexed_home(indexed_template, tmp_path / "home")
    env = {"MENTORPREP_MODEL": "small", "MENTORPREP_HOME": str(home)}
    ok = run_cli("doctor", env=env)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "sha256 verified" in ok.stdout and "all checks passed" in ok.stdout

    models = tmp_path / "models"
    models.mkdir()
    broken = models / small_model_path.name
    data = bytearray(small_model_path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    broken.write_bytes(bytes(data))
    bad = run_cli("doctor", env={**env, "MENTORPREP_MODELS_DIR": str(models)})
    assert bad.returncode == 1
    assert "corrupt" in bad.stdout and "fix:" in bad.stdout and "models install small" in bad.stdout

    broken.unlink()
    missing = run_cli("doctor", env={**env, "MENTORPREP_MODELS_DIR": str(models)})
    assert missing.returncode == 1 and "not installed" in missing.stdout


def test_turns_after_the_first_evaluate_only_their_new_tokens(small_model_path, local_kb):
    """The exact token figures from llama.cpp's counters (the benchmark reports the timings)."""
    from assistant.evals.bench import _per_turn
    from assistant.services.ask import Turn, ask

    model = LocalModel(small_model_path, context_size=8192, threads=2, max_tokens=40, temperature=0)
    history, usages = [], []
    for question in ["How do I find a mentor?", "What should I write?", "When do I follow up?"]:
        stream = ask(question, model, local_kb, history=history, max_tokens=40)
        answer = "".join(stream.chunks)
        history += [Turn("user", stream.sent), Turn("assistant", answer)]
        usages.append(model.last_usage)
    rows = _per_turn(usages, 0)
    assert all(r["ratio"] <= 1.15 for r in rows[1:]), rows

    # a new conversation re-uses the cached system prompt: none of it is evaluated again
    from assistant import prompts

    system = model.count_tokens(prompts.render("ask_system"))
    "".join(ask("How long should a LinkedIn note be?", model, local_kb, max_tokens=20).chunks)
    fresh = model.last_usage
    assert fresh.prompt_tokens_evaluated <= fresh.prompt_tokens - system


@pytest.mark.parametrize("kept", [6, 0])
def test_switching_workflows_keeps_each_system_prompt(small_model_path, kept):
    """Ask, then another workflow, then Ask again: with the per-workflow state cache the second
    Ask evaluates none of its system prompt; without it (kept=0) it evaluates it all again."""
    from assistant import prompts

    model = LocalModel(
        small_model_path,
        context_size=4096,
        threads=2,
        max_tokens=8,
        temperature=0,
        state_cache=kept,
    )
    ask_system = prompts.render("ask_system")
    goal_system = prompts.render("goal_card_system")

    answers = []

    def call(system: str, question: str):
        answers.append(
            model.complete(
                Prompt(
                    [{"role": "system", "content": system}, {"role": "user", "content": question}]
                )
            )
        )
        return model.last_usage

    call(ask_system, "How do I find a mentor?")
    switched = call(goal_system, "Be a better manager.")
    assert switched.prompt_tokens_evaluated > model.count_tokens(goal_system) // 2
    back = call(ask_system, "How long should a LinkedIn note be?")
    system_tokens = model.count_tokens(ask_system)
    if kept:
        assert back.prompt_tokens_evaluated <= back.prompt_tokens - system_tokens
        assert len(model.states.states) == 2 and model.states.bytes_held > 0
        # the restored state answers exactly as a cold context does (greedy decoding)
        cold = LocalModel(
            small_model_path,
            context_size=4096,
            threads=2,
            max_tokens=8,
            temperature=0,
            state_cache=0,
        )
        prompt = Prompt(
            [
                {"role": "system", "content": ask_system},
                {"role": "user", "content": "How long should a LinkedIn note be?"},
            ]
        )
        assert answers[-1] == cold.complete(prompt)
    else:
        assert back.prompt_tokens_evaluated > system_tokens // 2
