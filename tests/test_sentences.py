"""The one sentence splitter (assistant/text/sentences.py)."""

from assistant.text.sentences import complete_end, sentences, split


def test_ends_at_marks_with_closers_and_not_inside_words_numbers_or_abbreviations():
    text = 'See evil.example now! Is 3.5 ok? Use e.g. this. He said "stop." (Really?) Yes'
    assert sentences(text) == [
        "See evil.example now!",
        "Is 3.5 ok?",
        "Use e.g. this.",
        'He said "stop."',
        "(Really?)",
        "Yes",
    ]


def test_spans_are_verbatim_positions_and_know_whether_they_ended():
    text = "  One.  Two"
    spans = split(text)
    assert [(s.start, s.end, s.text, s.complete) for s in spans] == [
        (2, 6, "One.", True),
        (8, 11, "Two", False),
    ]
    assert all(text[s.start : s.end] == s.text for s in spans)
    assert spans[0].body_end == 5


def test_cjk_marks_and_line_breaks_end_a_sentence_but_not_a_list_number():
    assert sentences("你好。我很好！ok\n1. Ask him\n2. Then") == [
        "你好。",
        "我很好！",
        "ok",
        "1. Ask him",
        "2. Then",
    ]


def test_wrapped_lines_can_be_joined_within_a_paragraph():
    text = "A sentence that\nwraps. Next\n\nNew paragraph"
    assert sentences(text, join_wrapped=True) == [
        "A sentence that\nwraps.",
        "Next",
        "New paragraph",
    ]


def test_a_growing_text_is_complete_only_once_something_follows_the_mark():
    assert complete_end("One. Two 3.") == 4
    assert complete_end("One. Two 3. x") == 11
