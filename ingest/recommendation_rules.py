"""The recommendation rules: cues that a statement advises, in the order the engine reads them
(see rules.py for what a rule is, statements.py for how they combine)."""

from __future__ import annotations

import re

from beleidsbank.index.lexicon import imperative, infinitives

from .rules import (
    ACTION_NEXT,
    BULLET,
    ITEMS,
    LABEL_CODE,
    LABEL_NOUNS,
    LIST_ITEM,
    MODALS,
    NOT_MODIFIER,
    REC,
    REMEDIED,
    REMEDY,
    SENTENCE,
    Context,
    Evidence,
    Example,
    Parsed,
    Rule,
    rec,
)

MONEY = re.compile(r"€\s?\d|\d+\s*(miljoen|mln|miljard)\b")
# link text and page furniture: "Lees meer", "Klik hier", "Zie ook"
NAVIGATION = re.compile(r"^(lees|klik|zie|bekijk|download|ga)\s+(meer|hier|ook|verder|naar)\b", re.I)
# what follows a noun, not an imperative: "Bouw en Infrastructuur", "Rol van de overheid",
# "Snel veranderende technologie"
NOUN_NEXT = re.compile(r"^(en|van|binnen|&|-|–|\(|\w+ende)$")


def _imperative(p: Parsed, ev: Evidence) -> str | None:
    """A clause that starts with an imperative ("Verminder", "Maak", "Zorg")."""
    t = p.tokens
    if len(t) < 2:
        return None
    # "Onderzoek bevestigt ...": a subject before its finite verb, not an imperative
    finite_next = t[1].text.endswith("t") and t[1].lemma_.endswith("en") and t[1].lemma_ != t[1].lower_
    noun_next = bool(NOUN_NEXT.match(t[1].lower_)) or (p.headlike and t[1].text[:1].isupper())
    # a label before its number ("Stap 1 in het proces is ...", "Antwoord 6") is a noun
    labelled = p.first.lower() in LABEL_NOUNS and bool(LABEL_CODE.match(t[1].text))
    if finite_next or noun_next or labelled:
        return None
    lemma = t[0].lemma_ if p.first == t[0].text else p.first.lower()
    return f"gebiedende wijs: {p.first}" if imperative(p.first, lemma) else None


def _is_infinitive(word: str) -> bool:
    return word.lower().endswith("en") and word.lower() in infinitives()


def _infinitive_start(words: list[str], joined: bool = False) -> bool:
    """An infinitive before the preposition of its object; `joined`: or two joined by "en"."""
    if len(words) > 1 and _is_infinitive(words[0]) and words[1].lower() in ACTION_NEXT:
        return True
    # "Beter benutten en delen van"; not a title's "Programmeren en Coderen op"
    second = words[2:4] if len(words) > 3 and words[2].islower() else []
    return joined and bool(second) and _is_infinitive(words[0]) and words[1] == "en" and _infinitive_start(second)


def _modifier(word: str) -> bool:
    w = word.lower()
    return len(w) > 3 and w.endswith(("er", "ief", "eel")) and w not in NOT_MODIFIER


def _action_point(p: Parsed, ev: Evidence) -> str | None:
    """A nominal action item: "Versterken van", "Het introduceren van", "Focussen op"; as a list
    item or heading also "Beter benutten en delen van" (a sentence reads those as its subject)."""
    words = [t.text for t in p.tokens[:6]]
    item = p.itemish
    if len(words) < 2 or not (words[0][:1].isupper() or words[0] == "het"):
        return None
    start = 1 if words[0].lower() == "het" or (item and _modifier(words[0])) else 0
    if start and words[start].lower() in MODALS:
        return None
    return f"actiepunt: {words[start]}" if _infinitive_start(words[start:], joined=item) else None


def _bulleted_without_problem(p: Parsed, ev: Evidence) -> str | None:
    """A bulleted item that names no problem of its own (read after the other cues)."""
    own_problem = ev.hits and not ev.rec
    return "onder kop: " + p.leaf[:40] if BULLET.match(p.text) and not own_problem else None


RECOMMENDATION_RULES = (
    Rule(
        "explicit_marker",
        REC,
        0.95,
        re.compile(r"^(?i:verzoek|advies|aanbeveling|oproep|voorstel)\s*:(?=\s*\w)"),
        on="body",
        anchored=True,
        cue_len=None,
        examples=(
            rec("Verzoek: veranker de beroepsbegeleidende leerweg in het hbo zoals in het mbo."),
            rec("Aanbeveling: investeer in de opleiding van technisch docenten."),
        ),
        # the marker alone announces the advice below it and is none itself
        misses=(Example("Aanbeveling:"),),
    ),
    # a request for action: a motion's "verzoekt de regering", a letter's "Ik verzoek u"
    Rule(
        "requests_action",
        REC,
        0.9,
        re.compile(
            r"\b(verzoekt|verzoeken|verzoek) (ik |wij |we )?(u|de regering|het kabinet|de minister|de staatssecretaris|"
            r"het college|de raad|de gemeenteraad|de colleges|de ministers)\b"
        ),
        cue_len=None,
        examples=(
            rec("verzoekt de regering, om voor het einde van het jaar een wettelijke ondergrens voor te stellen,"),
            rec("Ik verzoek u de aanvraag binnen zes weken opnieuw te beoordelen."),
        ),
        misses=(Example("Het verzoek van de gemeente is afgewezen."),),
    ),
    # the operative clauses of a resolution in English: "Requests the Secretary-General to ...",
    # "Urges all States to ...", "Calls upon the parties to ..."
    Rule(
        "operative_clause_en",
        REC,
        0.85,
        re.compile(
            r"^(requests|calls upon|calls on|urges|recommends|encourages|invites|demands|directs|appeals to|"
            r"strongly urges|further requests|also requests)\b"
        ),
        anchored=True,
        examples=(
            rec("3. Requests the Secretary-General to report to the Council every three months.", "list_item"),
            rec("Urges all Member States to cooperate fully with the special envoy."),
        ),
        misses=(Example("Decides to remain seized of the matter.", "list_item"),),
    ),
    # "Verminder", "Maak", "Zorg": not before a finite verb ("Onderzoek bevestigt") or a noun's
    # company ("Bouw en Infrastructuur"), nor in link text ("Lees meer", "Klik hier", "Zie ook")
    Rule(
        "imperative",
        REC,
        0.85,
        test=_imperative,
        on="body",
        unless=NAVIGATION,
        context=Context(long=False),
        examples=(
            rec("Verminder administratieve en financiële drempels voor instellingen en studenten."),
            rec("- Stimuleer regionale samenwerking tussen onderwijsinstellingen.", "list_item"),
            rec("Investeer in leraren, docenten en begeleiders", "heading", "Investeer in leraren"),
            rec("10 Stimuleer een leven lang ontwikkelen", "heading", "10 Stimuleer een leven lang"),
        ),
        misses=(
            Example("Lees meer", "heading", "Lees meer"),
            Example("Bouw en Infrastructuur", "heading", "Bouw"),
            Example("Onderzoek bevestigt het beeld dat er meer technologisch potentieel aanwezig is."),
        ),
    ),
    Rule(
        "imperative_in_long_sentence",
        REC,
        0.7,
        test=_imperative,
        on="body",
        unless=NAVIGATION,
        context=Context(SENTENCE, long=True),
        examples=(
            rec(
                "Zorg dat scholen, bedrijven en gemeenten in elke regio samen een plan maken voor de "
                "instroom van leerlingen in het technisch onderwijs, met afspraken over stages, gastlessen, "
                "de inzet van docenten uit het bedrijfsleven, de financiering van praktijklokalen en de "
                "begeleiding van leerlingen die twijfelen over hun keuze."
            ),
        ),
    ),
    Rule(
        "calls_on",
        REC,
        0.9,
        re.compile(r"\broep(t|en)\b.*\bop\b|\boproep\b"),
        cue="roept … op",
        examples=(
            rec(
                "De Netherlands Academy of Engineering roept alle betrokken partijen op om techniek "
                "structureel te positioneren."
            ),
        ),
    ),
    Rule(
        "advises",
        REC,
        0.8,
        re.compile(
            r"\b(adviseren|adviseert|advies is|bevelen .* aan|beveelt .* aan|aanbeveling|pleit(en)? voor|"
            r"stellen (wij |we )?voor|stelt voor|verdient aanbeveling|wij vragen|vragen wij|"
            r"(moet|moeten|dient|dienen) (te )?(worden )?voorkomen (te )?(worden )?dat)\b"
        ),
        examples=(
            rec("De raad adviseert gemeenten om de regie over de regionale aanpak te nemen."),
            rec("Tegelijkertijd moet worden voorkomen dat gemeenten vanwege de hoge kosten stoppen met de regeling."),
        ),
    ),
    Rule(
        "modal",
        REC,
        0.6,
        re.compile(r"\b(moet|moeten|dient|dienen|zou .{0,40}moeten|zouden .{0,40}moeten)\b"),
        examples=(
            rec("Samenwerking tussen ministeries dient te worden versterkt."),
            rec("Het bereik van de voorlichting moet worden verbeterd."),
        ),
    ),
    Rule(
        "necessity",
        REC,
        0.65,
        re.compile(
            r"\b(is|zijn|wordt|blijft|lijkt|lijken) (\w+ ){0,3}(nodig|noodzakelijk|essentieel|cruciaal|"
            r"van (groot |cruciaal |essentieel )?belang|"
            r"belangrijk|gewenst|wenselijk)(?=\s*(dat|om|voor|[,.;:]|$))"
            r"|\b(het is|is het) (\w+ )?(belangrijk|noodzakelijk|nodig|essentieel|cruciaal|zaak) (dat|om)\b"
            r"|\b(is|zijn) (een |het )?(sterkere|betere|grotere|nauwere|intensievere|meer|extra) .{0,100}\b"
            r"(nodig|noodzakelijk|essentieel|cruciaal|van (groot )?belang|gewenst)\b"
            r"|\bbehoefte aan\b|\brandvoorwaarde\b|\b(dit|dat|het|hiervoor|daarvoor|wat) vereist\b"
            r"|\bvraagt (het )?om\b|\bvragen om\b|\b(benadrukt|benadrukken|onderstreept|onderstrepen) het belang\b"
            r"|\b(kan|kunnen) .{0,80}(worden|zijn) " + REMEDIED + r"\b"
            r"|\b(kan|kunnen) .{0,80}" + REMEDIED + r" (worden|zijn)\b"
            # "nodig" is predicative whatever follows ("is een vertaalslag nodig naar")
            r"|\b(is|zijn|wordt|blijft|lijkt|lijken) ((?!wat |die |dat )\w+ ){0,6}nodig\b"
            # a view reported in a subordinate clause, its verb last: "geven aan dat meer samenhang van belang is"
            r"|\b(aan|vinden|vindt|menen|meent|stellen|stelt|benadrukken|benadrukt|concluderen|concludeert|erop) dat\b"
            r".{0,150}\b(nodig|noodzakelijk|essentieel|cruciaal|van (groot |cruciaal |essentieel )?belang|gewenst|"
            r"wenselijk|belangrijk) (is|zijn)\b"
        ),
        examples=(
            rec("Daarom is het noodzakelijk om tot een integraal Masterplan Techniek en Technologie te komen."),
            rec("Regionale samenwerkingen kunnen versterkt worden."),
            rec("Aanpak van het geringe aantal vrouwelijke docenten in het mbo lijkt gewenst."),
            rec("Er is een nieuwe verdeling van taken nodig tussen rijk en regio."),
            rec("Zij wijzen erop dat meer continuïteit in de financiering van belang is."),
            rec("Met vaste afspraken kunnen de wachtlijsten in de regio sneller worden weggewerkt."),
        ),
        misses=(
            Example("De regio lijkt een goed voorbeeld voor andere landsdelen."),
            Example("In 2019 was een grotere groep studenten tevreden over de opleiding."),
        ),
    ),
    # a judgement that favours a course of action, or assigns it: "het is verstandiger om", "het is
    # aan gemeenten om", "zou het beste zijn als", "verdient aandacht", "is een aandachtspunt"
    Rule(
        "evaluative",
        REC,
        0.65,
        re.compile(
            r"\b(het is|is het|het lijkt|lijkt het) (\w+ ){0,2}(beter|effectiever|efficiënter|verstandig|verstandiger|"
            r"raadzaam|zinvol|zinvoller|aan te raden|aan te bevelen|wijs|wijzer|gewenst|wenselijk) (om|dat|te|als)\b"
            r"|\b(het is|is het) aan (de |het |u |ons |hen |onze )?\w+( \w+)? om\b"
            r"|\b(zou|zouden) (het |dit |dat )?(\w+ ){0,2}(zijn|wezen) (om|dat|als)\b"
            r"|\bverdient (het |de |extra |meer |nadrukkelijk )*(aanbeveling|voorkeur|aandacht)\b"
            r"|\b(is|zijn|blijft|blijven|vormt|vormen)\b.{0,100}\b(aandachtspunt|punt van aandacht)\b"
        ),
        examples=(
            rec("Voor kleine gemeenten is het verstandiger om de inkoop samen te organiseren."),
            rec("Het is aan de provincies om de regionale afspraken te bewaken."),
            rec("Een goede eerste stap zou zijn om alle lopende regelingen in één overzicht te zetten."),
            rec("De positie van zij-instromers verdient extra aandacht."),
            rec("Daarbij is de begeleiding van nieuwe docenten een belangrijk aandachtspunt."),
        ),
        misses=(
            Example("Het resultaat is beter dan vorig jaar."),
            Example("Het is aan het einde van de middag druk op de weg."),
        ),
    ),
    # a means and what it brings: "Door X in te zetten kan ...", "Verbetering is mogelijk door ..."
    Rule(
        "means_clause",
        REC,
        0.6,
        re.compile(
            r"^door\b[^.;]{0,150}\bte \w+n\b[^.;]{0,100}\b(kan|kunnen|wordt|worden)\b"
            r"|\b(verbetering(en)?|winst|vooruitgang) (is|zijn) (\w+ )?(mogelijk|te behalen|te boeken|haalbaar) "
            r"(door|met|via|als)\b"
            r"|\b(levert|leveren) (\w+ ){0,2}(vooruitgang|verbetering(en)?|winst) op\b"
        ),
        examples=(
            rec("Door de opleidingen beter op elkaar af te stemmen kan de uitval worden beperkt."),
            rec("Verbetering is mogelijk door de subsidieregelingen samen te voegen."),
            rec("Vroeg beginnen met loopbaanoriëntatie levert veel winst op."),
        ),
        misses=(Example("Door de vergrijzing kunnen bedrijven minder mensen vinden."),),
    ),
    # nominal action items: "Versterken van", "Het introduceren van", "Focussen op"
    Rule(
        "action_point_item",
        REC,
        0.75,
        test=_action_point,
        context=Context(ITEMS),
        examples=(
            rec("Versterken van de samenwerking tussen scholen en bedrijven.", "list_item"),
            rec("Beter benutten en delen van bestaande lesmaterialen.", "list_item"),
        ),
    ),
    # in prose, not where a copula makes the action the subject of a description ("Het verhogen
    # van ... is een complex vraagstuk", "Investeren in professionals is daarmee ...")
    Rule(
        "action_point",
        REC,
        0.55,
        test=_action_point,
        context=Context(SENTENCE),
        unless=re.compile(r"\b(is|zijn|was|waren|blijkt|lijkt|vormt|heeft)\b"),
        examples=(
            rec("Het introduceren van techniek op basisscholen om interesse vanaf jonge leeftijd te stimuleren."),
        ),
        misses=(
            Example("Het verhogen van het aantal leerlingen in de techniek is een complex vraagstuk."),
            Example(
                "Investeren in professionals is daarmee investeren in toekomstige generaties technologisch talent."
            ),
        ),
    ),
    Rule(
        "remedy_action",
        REC,
        0.55,
        re.compile(r"\bhet (aanpakken|wegnemen|terugdringen|doorbreken) van\b"),
        requires=REMEDY,
        examples=(rec("Prioriteit is het aanpakken van het lerarentekort in de regio."),),
    ),
    Rule(
        "suggestion",
        REC,
        0.55,
        re.compile(
            r"\b(kan|kunnen)\b.{0,80}\b(helpen|bijdragen|aanwakkeren|stimuleren|versterken|verbeteren)\b"
            # a role someone can take: "kan een regierol spelen", "een grotere rol kunnen nemen"
            r"|\b\w*rol (\w+ ){0,3}(kan|kunnen|zou|zouden) (\w+ )?(spelen|vervullen|pakken|nemen|oppakken)\b"
            r"|\b(kan|kunnen|zou|zouden)\b.{0,60}\b\w*rol (spelen|vervullen|pakken|nemen|oppakken)\b"
        ),
        examples=(
            rec("Gastlessen kunnen helpen om de interesse van kinderen voor techniek te vergroten."),
            rec("De sportbonden kunnen een grotere rol spelen in de werving van vrijwilligers."),
            rec("Volgens de onderzoekers is het de provincie die hier de regierol zou kunnen oppakken."),
        ),
    ),
    # the means to an end just set ("... moet populairder worden. Dit kan door inzet op ...")
    Rule(
        "means",
        REC,
        0.6,
        re.compile(
            r"^(dit|dat|dat doel|dit doel) (kan|kunnen) (\w+ ){0,2}(door|via|middels) "
            r"(inzet|het|te|middel|meer|extra|een|gerichte|structurele|gezamenlijke)\b"
        ),
        anchored=True,
        examples=(rec("Dit kan door inzet op een beroepsbegeleidende leerweg in het hbo."),),
        misses=(Example("Dat kan door de week heen variëren."),),
    ),
    Rule(
        "continuation",
        REC,
        0.6,
        re.compile(r"^(en|én|maar ook|ook) om\b"),
        anchored=True,
        cue="vervolg: om",
        examples=(rec("Ook om de doorstroom naar het hbo te verbeteren."),),
    ),
    Rule(
        "budget",
        REC,
        0.6,
        re.compile(
            r"\b(reserveer|investeer|trek|maak|stel)\b|\b(wordt|worden|moet|moeten|zal|zullen|zou|zouden)\b"
            r".{0,80}\b(gereserveerd|geïnvesteerd|benut|uitgetrokken|vrijgemaakt|beschikbaar gesteld)"
        ),
        requires=MONEY,
        cue="budgetvoorstel",
        examples=(rec("Voor dit programma wordt jaarlijks 20 miljoen euro beschikbaar gesteld."),),
    ),
    # the heading alone makes a bulleted item a recommendation, unless the item names a problem itself
    Rule(
        "under_recommendation_heading",
        REC,
        0.7,
        test=_bulleted_without_problem,
        context=Context(LIST_ITEM, section=REC),
        examples=(
            rec(
                "• Meer stageplaatsen in de haven voor vmbo-leerlingen",
                "list_item",
                "6 Masterplan > 6.2 Concreet Actieplan",
            ),
        ),
    ),
)
