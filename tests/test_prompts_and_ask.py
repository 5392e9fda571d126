import jinja2
import pytest

from assistant import prompts
from assistant.errors import BadInput
from assistant.services.ask import (
    MAX_QUESTION_TOKENS,
    Turn,
    ask,
    cited_numbers,
    clean_question,
    strip_invalid_citations,
)
from assistant.services.retrieval import Passage

PASSAGE = Passage("Follow up after a week.", "knowledge/x.md", "Following up", "When", "x", 0.1)


def test_every_prompt_renders_and_missing_variables_fail():
    assert {"ask_system", "ask_user"} <= set(prompts.available())
    assert "MentorPrep" in prompts.render("ask_system")
    text = prompts.render("ask_user", passages=[PASSAGE], question="What now?")
    assert "[1] Following up — When" in text and "What now?" in text
    with pytest.raises(jinja2.UndefinedError):
        prompts.render("ask_user", passages=[PASSAGE])


def test_ask_builds_a_cache_friendly_grounded_prompt(fake_model, knowledge_base):
    fake_model.queue("Wait a week, then nudge once [1].")
    history = [Turn("user", "Hi"), Turn("assistant", "Hello!")]
    stream = ask("My mentor never replied. What now?", fake_model, knowledge_base, history=history)
    answer = "".join(stream.chunks)
    assert "nudge once [1]" in answer
    messages = fake_model.prompts[0].messages
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert messages[0]["content"] == prompts.render("ask_system")  # stable prefix
    assert "[1] " in messages[-1]["content"] and "<data>" in messages[-1]["content"]
    assert stream.sources and stream.sources[0].note_id == "follow-up-no-reply"


@pytest.mark.parametrize("text", ["", "   \n\t", None, "\x00\x07"])
def test_empty_messages_are_refused(text):
    with pytest.raises(BadInput, match="empty"):
        clean_question(text)


def test_huge_message_is_trimmed_with_a_notice():
    text, notices = clean_question("mentor " * 200_000)
    assert notices and "only its beginning" in notices[0]
    from assistant.components.tokens import count_tokens

    assert count_tokens(text) <= MAX_QUESTION_TOKENS


def test_citations_are_validated():
    assert cited_numbers("Do this [1], then [3] and [9].", 3) == ([1, 3], [9])
    assert strip_invalid_citations("Yes [1] and [7].", 2) == "Yes [1] and ."


def test_fit_history_drops_the_oldest_turns():
    from assistant.services.ask import fit_history

    history = [Turn("user", "q " * 300), Turn("assistant", "a " * 300), Turn("user", "short"),
               Turn("assistant", "reply")]  # fmt: skip
    kept, dropped = fit_history(history, 100)
    assert dropped and [t.content for t in kept] == ["short", "reply"]
    assert fit_history(history, 10_000) == (history, False)


def test_long_conversations_are_trimmed_with_a_notice(fake_model, local_kb):
    history = [Turn("user", "word " * 3000), Turn("assistant", "ok")] * 3
    stream = ask("And now?", fake_model, local_kb, history=history, context_size=4096)
    "".join(stream.chunks)
    assert any("earliest turns" in n for n in stream.notices)
    assert len(fake_model.prompts[0].messages) < 2 + len(history)
