"""Word lists kept as data (assistant/text/phrases/*.txt) and their one loader."""

import re

from assistant.text.words import (
    NO_TOPIC,
    NUMBER_WORDS,
    STOPWORDS,
    alternation,
    listed,
    person_lead,
    role_of,
)


def test_lists_are_lower_case_sets_that_also_match_a_curly_apostrophe():
    assert {"the", "i'm", "i’m"} <= STOPWORDS
    assert STOPWORDS < NO_TOPIC and {"up", "out", "de"} <= NO_TOPIC - STOPWORDS
    assert "weeks" in listed("time_units")


def test_number_words_have_their_value():
    assert NUMBER_WORDS["two"] == 2 and NUMBER_WORDS["dozen"] == 12 and NUMBER_WORDS["ninety"] == 90


def test_role_alternation_matches_multiword_titles_and_a_word_for_the_star():
    role = re.compile(r"\b" + alternation("roles") + r"\b", re.IGNORECASE)
    assert role.fullmatch("head of  design") and role.fullmatch("Vice President")
    assert role.fullmatch("founder") and not role.fullmatch("head of")


def test_a_person_phrase_has_its_opening_word_and_its_role():
    assert person_lead("My team lead") == "my" and role_of("My  team lead") == "team lead"
    assert person_lead("Mystery shopper") == "" and role_of("Head of design") == "head of design"
    assert role_of("each of my reports") == "of my reports" and role_of("") == ""
