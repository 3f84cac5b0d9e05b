"""Reading a search into terms: synonyms and abbreviations recognised before the words
are split, stop words left out, and the queries each database is given."""

import pytest

from portal.lib.synonyms import STOP_WORDS, SYNONYMS, Term, indexed, terms_of, words_of
from portal.lib.wordsearch import fts5_query

R_AND_D = Term((("r", "d"), ("r", "and", "d"), ("research", "and", "development")), synonym=True)


@pytest.mark.parametrize(
    "search",
    ["R&D", "r&d", "R & D", "R and D", "research and development", "Research & Development"],
)
def test_every_way_of_writing_r_and_d_is_one_term(search):
    assert terms_of(search) == (R_AND_D,)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("cybersecurity", "cyber security"),
        ("cyber-security", "Cyber Security"),
        ("e-commerce", "ecommerce"),
        ("selling online", "online selling"),
        ("AI", "artificial intelligence"),
        ("R&D tax relief", "research and development tax credits"),
        ("websites", "web site"),
    ],
)
def test_synonyms_give_the_same_terms(one, other):
    assert terms_of(one) == terms_of(other)


def test_r_and_d_tax_relief_is_two_terms_not_five_words():
    r_and_d, tax_relief = terms_of("R&D tax relief")

    assert r_and_d == R_AND_D
    assert tax_relief.alternatives == (("tax", "relief"), ("tax", "credit"))


def test_other_words_are_terms_as_typed_without_stop_words():
    assert terms_of("Grants for the exporting of goods") == (
        Term((("grants",),)),
        Term((("exporting",),)),
        Term((("goods",),)),
    )


def test_a_quoted_phrase_is_one_term_as_written():
    assert terms_of('"cloud hosting" Leeds') == (
        Term((("cloud", "hosting"),)),
        Term((("leeds",),)),
    )


def test_nothing_to_search_gives_no_terms():
    for search in ("", "   ", "the and of", "&", "%", "_", '""', "!!!"):
        assert terms_of(search) == ()


def test_a_term_repeated_counts_once_and_at_most_ten_count():
    assert len(terms_of("export export Export")) == 1
    assert len(terms_of(" ".join(f"word{number}" for number in range(30)))) == 10


def test_indexed_terms_leave_out_stop_word_alternatives():
    (it,) = terms_of("IT")

    assert ("it",) in it.alternatives  # the CPV picker matches "IT services"
    assert indexed((it,)) == (
        Term((("information", "technology"),), synonym=True),
    )  # PostgreSQL indexes no "it"


def test_fts5_query_quotes_every_phrase():
    assert fts5_query(indexed(terms_of("R&D tax"))) == (
        '("r d" OR "r and d" OR "research and development") AND ("tax")'
    )
    # Nothing typed is read as FTS5 syntax.
    assert fts5_query(indexed(terms_of('NEAR(a b) OR "x" -y * ^z'))) == (
        '("near") AND ("b") AND ("x") AND ("y") AND ("z")'
    )


def test_no_synonym_starts_or_ends_with_a_stop_word():
    """PostgreSQL drops stop words at a phrase's ends, leaving a looser phrase than meant
    ("IT security" would find every "security"). A phrase of stop words only ("IT") is
    left out of the full-text searches instead."""
    for group in SYNONYMS:
        for phrase in group:
            words = words_of(phrase)
            if all(word in STOP_WORDS for word in words):
                continue
            assert words[0] not in STOP_WORDS, phrase
            assert words[-1] not in STOP_WORDS, phrase


def test_each_phrase_belongs_to_one_group():
    phrases = [" ".join(words_of(phrase)) for group in SYNONYMS for phrase in group]

    assert len(phrases) == len(set(phrases))
