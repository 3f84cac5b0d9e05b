"""What a search's words ask for: its terms, with abbreviations and synonyms expanded.

One table (``SYNONYMS``) serves every search box: the support and contracts lists on
either database (portal/lib/wordsearch.py) and the CPV picker (portal/procurement/cpv.py).
``terms_of`` reads a search into ``Terms``: every term must match, and a term matches
if any of its alternatives does, each alternative a phrase (its words in order).

Synonyms are recognised before the words are split for the database, so "R&D" is one
term whose alternatives are the phrases "R D" (which finds "R&D" and "R & D"), "R and D"
and "research and development", never the two loose letters "r" and "d" that nearly
every description holds. Words PostgreSQL's English configuration leaves out of its
index ("the", "and", "it", ...) are left out of a search; ``indexed`` also drops such
alternatives ("IT") for the full-text searches, on both databases, so the two find the
same offers.
"""

import re
from dataclasses import dataclass
from functools import cache

# Each group: phrases meaning the same, as people write them. A search holding any of
# them finds any of them. An alternative must not start or end with a stop word (see
# STOP_WORDS), which PostgreSQL would drop, leaving a looser phrase than meant: keep
# "IT" alone (a stop word, dropped) and avoid "IT security" (on PostgreSQL, "security").
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("R&D", "R and D", "research and development"),
    (
        "cyber security",
        "cybersecurity",
        "cyber",
        "information security",
        "data security",
        "security software",
    ),
    ("IT", "information technology"),
    ("AI", "artificial intelligence"),
    ("e-commerce", "ecommerce", "online selling", "selling online", "online shop"),
    ("tax relief", "tax credit"),
    ("EIS", "enterprise investment scheme"),
    ("SEIS", "seed enterprise investment scheme"),
    ("KTP", "knowledge transfer partnership"),
    ("CRM", "customer relationship management"),
    ("HR", "human resources"),
    ("IP", "intellectual property"),
    ("IoT", "internet of things"),
    ("website", "web site", "www site", "web page"),
)

# PostgreSQL's English stop words (tsearch_data/english.stop): not in its index.
_STOP_WORDS = """i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what
    which who whom this that these those am is are was were be been being have has had
    having do does did doing a an the and but if or because as until while of at by for
    with about against between into through during before after above below to from up
    down in out on off over under again further then once here there when where why how
    all any both each few more most other some such no nor not only own same so than too
    very s t can will just don should now"""
STOP_WORDS = frozenset(_STOP_WORDS.split())

MAX_TERMS = 10
# A word, or "&" (read as "and" when recognising synonyms, so "R & D" is "R&D").
TOKEN = re.compile(r"[^\W_]+|&")
QUOTED = re.compile(r'"([^"]*)"')


@dataclass(frozen=True)
class Term:
    """One thing the search asks for: any of ``alternatives``, each a phrase given as
    its words, lower case."""

    alternatives: tuple[tuple[str, ...], ...]
    # Recognised in the synonym table (rather than a word or quoted phrase as typed).
    synonym: bool = False


Terms = tuple[Term, ...]


def words_of(phrase: str) -> tuple[str, ...]:
    """The words of a phrase, lower case, without "&"."""
    return tuple(token for token in TOKEN.findall(phrase.lower()) if token != "&")


def _key_word(token: str) -> str:
    """A token as the synonym table is looked up: "&" is "and", a plural its singular."""
    if token == "&":
        return "and"
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


def _key(tokens) -> tuple[str, ...]:
    return tuple(_key_word(token) for token in tokens)


def _phrase(words: tuple[str, ...]) -> bool:
    """Whether a phrase is worth searching: not made of stop words only."""
    return any(word not in STOP_WORDS for word in words)


@cache
def _table() -> tuple[dict[tuple[str, ...], Term], int]:
    """{the key of each phrase of the table: its group's term}, and the longest key."""
    table = {}
    for group in SYNONYMS:
        alternatives = tuple(dict.fromkeys(words_of(phrase) for phrase in group))
        term = Term(alternatives, synonym=True)
        for phrase in group:
            table[_key(TOKEN.findall(phrase.lower()))] = term
    return table, max(len(key) for key in table)


def _terms_of_words(text: str) -> list[Term]:
    table, longest = _table()
    tokens = TOKEN.findall(text.lower())
    keys = _key(tokens)
    terms = []
    start = 0
    while start < len(tokens):
        for length in range(min(longest, len(tokens) - start), 0, -1):
            term = table.get(keys[start : start + length])
            if term is not None:
                terms.append(term)
                start += length
                break
        else:
            token = tokens[start]
            if token != "&" and token not in STOP_WORDS:
                terms.append(Term(((token,),)))
            start += 1
    return terms


def terms_of(text: str) -> Terms:
    """The terms of a search, at most ``MAX_TERMS``, each once. A phrase in double
    quotes is one term, as written."""
    terms = []
    for number, part in enumerate(QUOTED.split(text or "")):
        if number % 2:  # inside quotes
            words = words_of(part)
            if _phrase(words):
                terms.append(Term((words,)))
        else:
            terms += _terms_of_words(part)
    return tuple(dict.fromkeys(terms))[:MAX_TERMS]


def indexed(terms: Terms) -> Terms:
    """The terms as a full-text index finds them: without the alternatives made of stop
    words only ("IT" leaves "information technology"), which PostgreSQL does not index,
    and without a term left with none."""
    kept = []
    for term in terms:
        alternatives = tuple(words for words in term.alternatives if _phrase(words))
        if alternatives:
            kept.append(Term(alternatives, synonym=term.synonym))
    return tuple(kept)
