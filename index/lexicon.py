"""Dutch word knowledge shared by the statement rules (ingest) and the theme labels (index):
the lookup lemma table, the infinitives it leads to, the imperative test and the problem words."""
from __future__ import annotations

import functools
import re

# problem words: lemma or surface prefixes (folded, lower case)
PROBLEM_TERMS = (
    "knelpunt", "tekort", "belemmer", "uitdaging", "probleem", "problemat", "onvoldoende", "gebrek",
    "daling", "afname", "achterblij", "blijft achter", "blijven achter", "verlies", "verloren", "afhak",
    "moeite", "moeilijk", "lastig", "te weinig", "ondervertegenwoordig", "mismatch", "kloof", "risico",
    "kwetsba", "versnipper", "stereotyp", "verouderd", "negatie", "schieten tekort", "schiet tekort",
    "achterloop", "loopt achter", "lopen achter", "discriminatie", "barrière", "drempel", "krimp", "schaarste",
    "zorgwekkend", "onaantrekkelijk", "afstroom", "uitval", "vertrek ", "stilvallen", "kwetsbaar",
    "niet optimaal", "niet altijd", "niet goed", "onduidelijk", "gefragmenteerd", "versnippering",
    "ontbreekt", "ontbreken", "beperkte", "beperkt beeld", "overtreft", "achterstand", "vergrijzing",
    "verouder", "afhankelijk van", "gevoelig voor", "weinig", "voor verbetering vatbaar", "niet door",
    "stroomt niet", "stromen niet", "haken af", "haakt af", "openstaande vacatures", "moeilijkheden",
    "te laat", "hoge kosten", "weglek", "lekt weg", "lekken weg",
)

@functools.lru_cache(maxsize=1)
def lemma_table():
    from spacy.lookups import load_lookups

    # the table spaCy's lookup lemmatizer uses (spacy-lookups-data)
    return load_lookups("nl", ["lemma_lookup"]).get_table("lemma_lookup")



@functools.lru_cache(maxsize=1)
def infinitives() -> frozenset[str]:
    table = lemma_table()
    return frozenset(v for v in table.values() if isinstance(v, str) and v.endswith("en") and len(v) > 4)



def imperative_candidates(word: str) -> list[str]:
    w = word.lower()
    out = [w + "en", w + w[-1:] + "en", w + "n"]
    m = re.match(r"^(.*?)([aeou])\2([^aeiou])$", w)          # maak -> maken, schaal -> schalen
    if m:
        out.append(m.group(1) + m.group(2) + m.group(3) + "en")
    if w.endswith("f"):
        out.append(w[:-1] + "ven")
        m = re.match(r"^(.*?)([ae])\2f$", w)                  # geef -> geven
        if m:
            out.append(m.group(1) + m.group(2) + "ven")
    if w.endswith("s"):
        out.append(w[:-1] + "zen")
        m = re.match(r"^(.*?)([aeo])\2s$", w)                 # lees -> lezen
        if m:
            out.append(m.group(1) + m.group(2) + "zen")
    return out



# common imperatives the lookup table does not lead back to an infinitive
IMPERATIVES = {"begin", "maak", "zorg", "geef", "zet", "houd", "breng", "kies", "neem", "laat", "help", "bied",
               "leg", "start", "werk", "voer", "stel", "richt", "kijk", "ga", "doe", "blijf", "denk", "sta", "zie toe"}

NOT_IMPERATIVE = {"snel", "waar", "wanneer", "hoe", "wie", "wat", "welke", "omdat", "hoewel", "terwijl", "indien", "mits",
                  "nadat", "voordat", "zodat", "zodra", "doordat", "net", "zoals", "ondanks", "behalve", "per", "naast", "tijdens", "binnen", "buiten", "zonder", "volgens", "vanuit", "onder", "boven",
                  "tussen", "sinds", "rond", "rondom", "via", "dankzij", "vanaf", "tegen", "na", "vooral", "mede",
                  "niet", "geen", "wel", "nog", "toch", "echter", "ten", "zeker", "soms", "vaak", "nu", "dan", "het", "de", "een", "er", "dit", "dat", "deze", "die", "in", "op", "voor", "met", "van", "bij",
                  "ook", "zo", "als", "en", "of", "maar", "meer", "veel", "alle", "hun", "ons", "onze", "wij",
                  "we", "zij", "ze", "hij", "men", "daarnaast", "daarom", "tot", "door", "om", "naar", "uit",
                  "techniek", "onderwijs", "talent", "ruim", "bron", "figuur", "tabel",
                  "zie", "noot", "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus"}

SEPARABLE = ("door", "af", "aan", "bij", "mee", "na", "op", "terug", "toe", "uit", "samen", "vast", "weg", "in")


def imperative(first: str, lemma: str) -> bool:
    """Whether a clause-initial word is a Dutch imperative ("Verminder", "Maak", "Zorg")."""
    w = first.lower()
    if not first[:1].isupper() or w in NOT_IMPERATIVE or len(w) < 3 or not w.isalpha() or first.isupper():
        return False
    if w.endswith("e") and w not in ("doe",):      # adjectives and nouns ("Goede", "Nieuwe")
        return False
    if w in IMPERATIVES:
        return True
    if w.endswith(("en", "ing", "heid", "isch", "ische", "lijk", "lijke", "end")):
        return False        # "end": a present participle ("Funderend onderwijs")
    known = infinitives()
    for particle in SEPARABLE:
        # a separable verb's imperative splits ("Stroom door"), so "Doorstroom" and "Afstroom" are nouns
        rest = w[len(particle):]
        if w.startswith(particle) and len(rest) > 2 and any(c in known for c in imperative_candidates(rest)):
            return False
    if lemma != w and lemma.endswith("en") and lemma in known:
        return True
    if w in lemma_table() and lemma_table()[w] == w:
        return False        # a word the table knows as its own lemma is a noun ("Onderzoek", "Rol")
    return any(c in known for c in imperative_candidates(w))


