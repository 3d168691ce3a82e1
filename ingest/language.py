"""Which language a document's text is in, from the share of its stop words.

Function words are the most frequent words of every language and almost never
shared between Dutch, English, German and French once the few words the lists
have in common are left out. The share of a text's words that are function
words of each language is a robust and cheap language signal for texts of
more than a few dozen words, with no model to ship.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_LISTS = {
    "nl": """de het een van en dat die niet zijn voor met op aan er ook als bij door om maar naar dan deze
             dit wordt worden werd uit nog heeft hebben kan zal meer geen wel tot onder hun ze zij wij ons hoe
             wat wie waar omdat zoals tussen zou moet kunnen al veel alle andere binnen daarom hij haar
             in is was we over""",  # the last line: also English words, so they count for neither
    "en": """the of and to in is that for on with as by this are be from at or an it not have has was were
             which their they will can more been its also these other such than into would should there about
             we our you he she his her who what""",
    "de": """der die und das ist nicht mit von zu den dem des auf für sich auch eine ein werden wird sind wie
             oder aber bei nach aus noch nur im ich wir sie es kann""",
    "fr": """le la les des est et une un du que qui dans pour pas sur par au aux avec ce ces sont être plus ou
             mais nous vous il elle leur cette""",
}
_ALL = Counter(w for words in _LISTS.values() for w in set(words.split()))
# only the words that belong to one language's list
STOP_WORDS = {lang: frozenset(w for w in words.split() if _ALL[w] == 1) for lang, words in _LISTS.items()}
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "Engels", "de": "Duits", "fr": "Frans"}

MIN_WORDS = 40  # below this, no verdict
MIN_SHARE = 0.05  # a language whose stop words make up less than this is not the text's
MAX_WORDS = 200_000  # enough for a verdict; bounds the work on very large documents

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@dataclass
class LanguageGuess:
    code: str | None  # "nl", "en", "de", "fr"; None: undecided or another language
    words: int  # words counted
    shares: dict[str, float]  # per language: share of the words that are its stop words


def detect_language(text: str) -> LanguageGuess:
    counts: Counter[str] = Counter()
    n = 0
    for m in _WORD_RE.finditer(text):
        counts[m.group().lower()] += 1
        n += 1
        if n >= MAX_WORDS:
            break
    shares = {lang: (sum(counts[w] for w in words) / n if n else 0.0) for lang, words in STOP_WORDS.items()}
    if n < MIN_WORDS:
        return LanguageGuess(None, n, shares)
    best = max(shares, key=shares.get)
    return LanguageGuess(best if shares[best] >= MIN_SHARE else None, n, shares)


def language_warning(guess: LanguageGuess, declared: str | None = None) -> str | None:
    """A Dutch warning when the text is mostly not Dutch (and not declared so), else None."""
    if guess.words < MIN_WORDS or guess.code == "nl":
        return None
    if declared and declared != "nl" and guess.code == declared:
        return None  # the manifest says so: nothing to warn about
    nl = f"{guess.shares['nl']:.0%}"
    if guess.code is None:
        return (
            f"de tekst lijkt grotendeels niet Nederlands (maar {nl} Nederlandse stopwoorden); "
            f"het document is toegevoegd, maar zoeken op Nederlandse woorden vindt het slecht."
        )
    name = LANGUAGE_NAMES[guess.code]
    return (
        f"de tekst lijkt grotendeels {name}, niet Nederlands ({guess.shares[guess.code]:.0%} {name}e "
        f"tegen {nl} Nederlandse stopwoorden); het document is toegevoegd, maar zoeken op Nederlandse "
        f"woorden vindt het slechter."
    )
