"""Cue rules for recommendations and problems on small Dutch examples, links and themes on a fixture."""

from dataclasses import replace

import numpy as np
import pytest

from beleidsbank.index import links as linking
from beleidsbank.index import themes
from beleidsbank.index.lexicon import imperative
from beleidsbank.index.records import Linkable
from beleidsbank.ingest.nlp import dutch
from beleidsbank.ingest.statements import classify
from beleidsbank.settings import LinkParams, ThemeParams


def kind_of(text: str, unit: str = "sentence", section: str = "") -> tuple[str, str]:
    kind, _, cue = classify(text, dutch(True)(text), unit, section)
    return kind, cue


@pytest.mark.parametrize(
    "text",
    [
        "Verminder administratieve en financiële drempels voor instellingen en studenten.",
        "- Stimuleer regionale samenwerking tussen onderwijsinstellingen.",
        "Begin vroeg met technologie",
        "Zorg voor inclusieve leer- en werkomgevingen",
        "Verzoek: veranker de beroepsbegeleidende leerweg in het hbo zoals in het mbo.",
        "De Netherlands Academy of Engineering roept alle betrokken partijen op om techniek structureel "
        "te positioneren.",
        "Samenwerking tussen ministeries dient te worden versterkt.",
        "Het bereik van de voorlichting moet worden verbeterd.",
        "Daarom is het noodzakelijk om tot een integraal Masterplan Techniek en Technologie te komen.",
        "Het introduceren van techniek op basisscholen om interesse vanaf jonge leeftijd te stimuleren.",
        "Regionale samenwerkingen kunnen versterkt worden.",
        "Daarom is een nauwere samenwerking tussen gemeenten en scholen van groot belang voor de wijk.",
        "Aanpak van het geringe aantal vrouwelijke docenten in het mbo lijkt gewenst.",
        "De overstap naar het hbo kan worden vereenvoudigd door de toelatingseisen gelijk te trekken.",
        "Tegelijkertijd moet worden voorkomen dat gemeenten vanwege de hoge kosten stoppen met de regeling.",
        "Dit kan door inzet op een beroepsbegeleidende leerweg in het hbo.",
    ],
)
def test_recommendations(text):
    assert kind_of(text, "list_item" if text.startswith("-") else "sentence")[0] == "recommendation", text


@pytest.mark.parametrize(
    "text",
    [
        "Het lerarentekort in de technische vakken is het grootst in de Randstad.",
        "Talent gaat niet verloren door gebrek aan capaciteit, maar door belemmeringen in de onderwijsketen.",
        "Het aandeel meisjes in technische opleidingen is gedaald van 18 naar 15 procent.",
        "Veel jongeren en hun ouders hebben een verouderd beeld van de technische sector.",
        "Toch blijft de inzet sterk afhankelijk van individuen.",
        "Many students, especially girls, avoid tech because they perceive it as lacking human connection.",
        # phrases rather than problem words: a missing picture, closed doors, a growing gap, a share that leaves
        "Ouders hebben vaak geen goed beeld van de banen in de zorg.",
        "Niet alle werkgevers staan even open voor zij-instromers.",
        "Hoge huren beperken de instroom van jonge docenten in de stad.",
        "Het aanbod sluit steeds minder goed aan op de vraag van de arbeidsmarkt.",
        "Ruim 40% van de studenten die met een lerarenopleiding beginnen, stroomt binnen twee jaar uit.",
        # a missing means, too late, too costly, lagging with the subject between verb and particle
        "Op dit moment zijn hier geen middelen voor, waardoor de uitvoering stokt.",
        "Bovendien is er geen volledig overzicht van de lopende projecten in de regio.",
        "Scholen beginnen te laat met het interesseren van kinderen voor techniek.",
        "De hoge kosten van apparatuur remmen het aanbod van technisch vmbo.",
        "Daarnaast blijft de investering in om- en bijscholing van werkenden in het mkb achter bij de vraag.",
        "Snel verouderde technische kennis",
        # a colon inside a claim is no lead-in; "stand van zaken" inside one is no agenda item
        "Een evaluatie beschrijft het imagoprobleem van de centra: bedrijven zien hen niet als aanbieder "
        "omdat zij niet over de actuele stand van zaken zouden beschikken.",
        "Steeds meer technisch geschoold personeel ‘weglekt’ naar niet-technische beroepen.",
        # a sentence about a figure is no caption
        "Figuur 2.10 illustreert de daling in de instroom van docenten in het technisch beroepsonderwijs.",
    ],
)
def test_problems(text):
    assert kind_of(text)[0] == "problem", text


@pytest.mark.parametrize(
    "text",
    [
        # "moet" that describes a rule or a past plan, not advice
        "In het Nederlandse onderwijsstelsel moeten leerlingen al op 12-jarige leeftijd een richting kiezen.",
        "Het Techniekpact moest in 2020 de instroom in technische opleidingen verhogen.",
        "De regiegroep dient als platform voor overleg tussen de partners.",
        # table cells and column heads set line under line, a source line under a figure
        "Onderzoek",
        "Onderwerp Naam document",
        "Bron: Bakens et al. (2019), Bijlsma et al. (2015)",
        "Snel verouderde technische kennis",
        # "kan door" that names no means
        "Dat kan door de week heen variëren.",
        # "lijkt" without a "gewenst": a view, not advice
        "De regio lijkt een goed voorbeeld voor andere landsdelen.",
        # questions, ordinary description, nouns at the start that look like verbs
        "Wat zijn de belangrijkste uitdagingen bij het verbeteren van de doorstroom?",
        "Het Techniekpact is in 2013 gesloten door kabinet, werkgevers en onderwijs.",
        "Onderzoek bevestigt het beeld dat er meer technologisch potentieel aanwezig is.",
        "Per landsdeel verschilt de aanpak van de regionale netwerken.",
        # a comparative without a "needed": description
        "In 2019 was een grotere groep studenten tevreden over de opleiding.",
        "Het verhogen van het aantal leerlingen in de techniek is een complex vraagstuk.",
        "Investeren in professionals is daarmee investeren in toekomstige generaties technologisch talent.",
    ],
)
def test_not_recommendations(text):
    assert kind_of(text)[0] != "recommendation", text


def test_named_problems_with_a_claim_stay_problems():
    """The topic rules need every problem cue to name a topic: a claim beside it keeps the problem."""
    assert kind_of("De genoemde knelpunten zijn nog onvoldoende opgelost.")[0] == "problem"
    assert kind_of("Vanuit de regio's wordt een groot tekort aan technici gemeld.")[0] == "problem"
    assert kind_of("Een belangrijk knelpunt is het tekort aan stageplaatsen.")[0] == "problem"


def test_shrinking_problem_is_an_outcome_not_a_problem():
    assert kind_of("Hierdoor verminderen drempels en groeit de instroom in technisch onderwijs.")[0] == "other"
    assert kind_of("Er zijn te veel drempels voor zij-instromers.")[0] == "problem"


@pytest.mark.parametrize(
    "text",
    [
        # a problem word as the topic of research or policy claims no problem
        "Voor het in beeld brengen van de knelpunten zijn interviews gehouden met werkgevers.",
        "In het bijzonder is gekeken naar de ontwikkeling van arbeidsmarkttekorten in Duitsland.",
        "De knelpunten waar het pact zich op richt zijn grotendeels verbeterd.",
        "De Vlaamse overheid besloot dat een gericht knelpuntbeleid nodig was.",
        # problems as the object of steering, the ground of goals, or what is taken on together
        "Dat vraagt om een hogere mate van professionaliteit waar het gaat om de regie over regionale knelpunten.",
        "Vanuit deze knelpunten worden doelstellingen opgesteld met daaraan verbonden indicatoren.",
        "Samen kunnen de uitdagingen van de geïdentificeerde regionale knelpunten worden aangegaan.",
        "Het pact is een goede basis om grote maatschappelijke uitdagingen aan te gaan.",
        # a question claims nothing; "vertrekken vanuit" is no departure of people
        "Welke oplossingsrichtingen voor de tekorten ziet u voor het bedrijfsleven?",
        "Hierdoor vertrekken de activiteiten vanuit één samenwerkingsverband.",
        # a problem named as what an action or remedy is for
        "Onderdeel hiervan is het tegengaan van discriminatie aan de poort.",
        "Hierdoor kan maatwerk worden geleverd dat lokale knelpunten kan helpen oplossen.",
        "Leeromgevingen: Het creëren van inclusieve omgevingen die ondervertegenwoordigde groepen ondersteunen.",
        # a lead-in that announces the problems of its list, an interview question cut off before its
        # question mark, an agenda item
        ("De geïdentificeerde knelpunten betreffen:", "sentence", "3.4 Stuiten op knelpunten"),
        ("Wat zijn de belangrijkste uitdagingen waarmee u te maken heeft bij het werven van de", "list_item", ""),
        ("• Stand van zaken tekorten technisch personeel.", "list_item", "Scenario analyse"),
        # a skill, not a problem
        "Vroege kennismaking helpt kinderen om probleemoplossende vaardigheden te ontwikkelen.",
        # a table cell that says no problems were named
        "Oost Geen knelpunten op landsdeelniveau gedefinieerd",
        "Figuur 2.10 Aantal ingeschreven studenten in de opleiding tot technisch onderwijzend personeel "
        "daalt vanaf 2014",
        # "geen" before something that is not a missing means; costs that are not said to be high
        "Er is geen twijfel dat de regio's het pact steunen.",
        "De kosten van het programma vallen binnen de begroting.",
    ],
)
def test_not_problems(text):
    text, unit, section = text if isinstance(text, tuple) else (text, "sentence", "")
    assert kind_of(text, unit, section)[0] != "problem", text


def test_topic_and_remedy_do_not_hide_a_claimed_problem():
    # a claim word ("moeilijk", "niet voldoende") keeps the problem next to a remedy or topic
    assert kind_of("Voor een kleine werkgever kan het moeilijk zijn het knelpunt zelf op te lossen.")[0] == "problem"
    assert kind_of("Aandacht vragen blijkt niet altijd voldoende om knelpunten weg te nemen.")[0] == "problem"
    assert kind_of("Het vertrek van sleutelfiguren legt projecten stil.") == ("problem", "vertrek")
    # a modal next to a problem noun does not make it an action point
    assert (
        kind_of("Dit beeld is een hardnekkig stereotype dat het bedrijfsleven moet helpen doorbreken.")[0] == "problem"
    )
    assert (
        kind_of("Het is nodig om versnippering van initiatieven tegen te gaan.", section="Knelpunten")[0] != "problem"
    )


def test_not_recommendations_headings():
    # nouns and names that look like imperatives, link text, and section names of problems
    for text in [
        "Bouw en Infrastructuur",
        "Rol van de overheid",
        "Doorstroom vmbo - mbo",
        "Funderend onderwijs",
        "Snel veranderende technologie",
        "Sterk Techniekonderwijs (STO)",
        "Lees meer",
    ]:
        assert kind_of(text, "heading", text)[0] == "other", text
    for text in ["2.1.1 Knelpunten", "Huidige Situatie en Uitdagingen", "Van krimp naar kracht"]:
        assert kind_of(text, "heading", text)[0] == "other", text
    for text in [
        "Investeer in leraren, docenten en begeleiders",
        "Focus op technologie in de maatschappij",
        "Stroomlijn de organisatie",
        "10 Stimuleer een leven lang ontwikkelen",
        "8Maak arbeidsmarktperspectief inzichtelijk",
    ]:
        assert kind_of(text, "heading", text)[0] == "recommendation", text
    assert kind_of("Gebrek aan rolmodellen en voorlichting", "heading", "Gebrek aan rolmodellen")[0] == "problem"


def test_section_context_makes_items_candidates():
    kind, cue = kind_of(
        "• Meer stageplaatsen in de haven voor vmbo-leerlingen", "list_item", "6 Masterplan > 6.2 Concreet Actieplan"
    )
    assert kind == "recommendation" and cue.startswith("onder kop")
    kind, cue = kind_of("• Praktijklokalen zijn verouderd en duur", "list_item", "3 Analyse > Knelpunten")
    assert kind == "problem"


def test_imperative_detection():
    assert imperative("Verminder", "verminderen")
    assert imperative("Maak", "maak")
    assert not imperative("Onderwijs", "onderwijs")
    assert not imperative("Goede", "goed")


def _fixture():
    rng = np.random.default_rng(0)
    topics = {t: rng.normal(size=16) for t in ("leraren", "stage", "imago")}

    def vec(topic, noise):
        v = topics[topic] + noise * rng.normal(size=16)
        return (v / np.linalg.norm(v)).astype(np.float32)

    recs = [
        Linkable(
            id="a:s0010",
            doc_id="a",
            seq=10,
            section_path="2 Advies",
            text="Investeer in leraren en docenten techniek.",
            vector=vec("leraren", 0.1),
            theme=0,
        ),
        Linkable(
            id="a:s0020",
            doc_id="a",
            seq=20,
            section_path="2 Advies",
            text="Zorg voor meer stageplaatsen bij bedrijven.",
            vector=vec("stage", 0.1),
            theme=1,
        ),
    ]
    probs = [
        Linkable(
            id="a:s0002",
            doc_id="a",
            seq=2,
            section_path="1 Knelpunten",
            text="Er is een groot lerarentekort in de techniek.",
            vector=vec("leraren", 0.2),
            theme=0,
        ),
        Linkable(
            id="b:s0005",
            doc_id="b",
            seq=5,
            section_path="3 Uitdagingen",
            text="Bedrijven bieden te weinig stageplaatsen.",
            vector=vec("stage", 0.2),
            theme=1,
        ),
        Linkable(
            id="b:s0009",
            doc_id="b",
            seq=9,
            section_path="3 Uitdagingen",
            text="Het imago van techniek is negatief.",
            vector=vec("imago", 0.2),
            theme=2,
        ),
    ]
    return recs, probs


def test_link_ranking_on_fixture():
    recs, probs = _fixture()
    found = linking.link(recs, probs)
    top = {lk.rec_id: lk.prob_id for lk in found if lk.rank == 1}
    assert top == {"a:s0010": "a:s0002", "a:s0020": "b:s0005"}
    first = next(lk for lk in found if lk.rec_id == "a:s0020" and lk.rank == 1)
    assert first.scope == "cross-doc" and "stageplaatsen" in first.evidence.shared_words
    assert all(lk.score >= LinkParams().threshold for lk in found)
    assert not any(lk.prob_id == "b:s0009" and lk.rank == 1 for lk in found)


def test_links_and_themes_are_stable():
    recs, probs = _fixture()
    assert linking.link(recs, probs) == linking.link(*_fixture())
    vecs = np.vstack([s.vector for s in recs + probs] * 4)
    a, b = themes.cluster(vecs, 3), themes.cluster(vecs.copy(), 3)
    assert np.array_equal(a, b)


def test_theme_labels_are_phrases_of_the_theme():
    texts = [
        "Versterk de publiek-private samenwerking in de regio met scholen.",
        "De publiek-private samenwerking in de regio blijft versnipperd.",
        "Investeer in publiek-private samenwerking tussen bedrijven en mbo.",
        "Er is een tekort aan leraren in het basisonderwijs.",
        "Geef leraren in het basisonderwijs tijd voor techniek.",
        "Leraren in het basisonderwijs missen kennis van techniek.",
    ]
    labels = themes.label(texts, np.array([0, 0, 0, 1, 1, 1]))
    assert "publiek-private samenwerking" in labels[0].label
    assert "basisonderwijs" in labels[1].label and "leraren" in labels[1].label
    assert labels[0].size == 3


def test_themes_cut_across_sources():
    # two sources that each speak of two topics: without the source's own direction the
    # topics, not the sources, form the themes
    rng = np.random.default_rng(1)
    topic = {t: rng.normal(size=32) for t in "ab"}
    source = {d: 3 * rng.normal(size=32) for d in "xy"}
    vecs, docs, truth = [], [], []
    for d in "xy":
        for t in "ab":
            for _ in range(20):
                vecs.append(topic[t] + source[d] + 0.3 * rng.normal(size=32))
                docs.append(d)
                truth.append(t)
    x = themes.without_source(np.array(vecs), docs)
    assign = themes.cluster(x, 2)
    truth = np.array(truth)
    assert len(set(assign[truth == "a"])) == 1 and len(set(assign[truth == "b"])) == 1
    assert assign[truth == "a"][0] != assign[truth == "b"][0]


def test_explicit_markers_cut_a_unit_where_they_stand():
    from beleidsbank.ingest.statements import _split_markers

    text = "Inleiding van het stuk. Er is een lerarentekort.4 Verzoek: neem het programma op. Verzoek: reserveer geld."
    start = text.index("Er is")
    cuts = [text[a:z] for a, z in _split_markers(text, start, len(text))]
    assert cuts == ["Er is een lerarentekort.4 ", "Verzoek: neem het programma op. ", "Verzoek: reserveer geld."]
    # a unit that begins with its marker is not cut, and no cut reaches past the unit's end
    first = text.index("Verzoek")
    end = text.index(" Verzoek: reserveer")
    assert _split_markers(text, first, end) == [(first, end)]


def test_a_problem_stated_outright_outranks_a_borderline_one():
    """Two problems equally close in meaning and words: the one the cues are surer of comes first."""
    recs, probs = _fixture()
    # (not the same sentence twice, which would take one place: see the test below)
    twin = replace(probs[0], id="a:s0003", seq=3, confidence=0.55, text=probs[0].text.replace(".", " van het mbo."))
    sure = replace(probs[0], confidence=0.9)
    found = linking.link(recs[:1], [twin, sure] + probs[1:])
    ranked = [lk.prob_id for lk in sorted(found, key=lambda lk: lk.rank)]
    assert ranked.index("a:s0002") < ranked.index("a:s0003")
    # without a confidence both count as neutral and the order falls back to the ids
    plain = [replace(p, confidence=None) for p in (twin, sure)]
    again = linking.link(recs[:1], plain + probs[1:])
    assert {lk.prob_id for lk in again} >= {"a:s0002", "a:s0003"}


def test_themes_stay_put_and_far_statements_get_none():
    """Seeds drawn from statement keys: the themes of the statements already there do not move
    when statements far from them are added, and those get no theme (-1)."""
    rng = np.random.default_rng(7)
    centres = np.eye(6, 16, dtype=np.float32)
    x = np.vstack([c + 0.05 * rng.standard_normal((30, 16)) for c in centres]).astype(np.float32)
    keys = [f"d:s{i}" for i in range(len(x))]
    far = (np.eye(1, 16, 12) + 0.05 * rng.standard_normal((5, 16))).astype(np.float32)
    before = themes.assign_themes(x, x, 6, keys, ThemeParams())
    after = themes.assign_themes(
        np.vstack([far, x]), np.vstack([far, x]), 6, [f"e:s{i}" for i in range(5)] + keys, ThemeParams()
    )
    assert (after[:5] == -1).all()
    assert (before >= 0).sum() >= len(x) - 3  # at most the far tail of the statements themselves
    # the same partition of the statements already there
    pairs = {(a, b) for a, b in zip(before.tolist(), after[5:].tolist()) if a >= 0 and b >= 0}
    assert len(pairs) == 6
    assert themes.label(["a b"] * 6, np.array([-1, -1, 0, 0, 0, 0]))[0].size == 4


def test_two_themes_never_share_a_label():
    """Both themes' best phrase is "techniekpact": the smaller (here the second) adds its next best."""
    texts = [
        "Het techniekpact verbindt scholen.",
        "Het techniekpact verbindt regio's.",
        "Het techniekpact helpt de regio's.",
        "Het techniekpact helpt scholen.",
        "Het techniekpact kost geld.",
        "Het techniekpact vraagt subsidie.",
        "Het techniekpact vraagt subsidie en geld.",
        "Het techniekpact kost veel.",
    ]
    labels = themes.label(texts, np.array([0, 0, 0, 0, 1, 1, 1, 1]))
    assert labels[0].label == "techniekpact"
    assert labels[1].label != labels[0].label and labels[1].label.startswith("techniekpact en ")
    assert labels[1].terms[1] in ("subsidie", "geld")  # a phrase of its own statements


def test_theme_labels_of_identical_themes_terminate():
    """A document that repeats itself (the 1,200-page test PDF) gives themes with the same phrases:
    labelling tries each spare phrase once and ends (it used to cycle between two of them)."""
    texts = ["Het techniekpact, de subsidie, het geld, de scholen, de regio's en de docenten."] * 15
    labels = themes.label(texts, np.repeat(np.arange(5), 3))
    assert len(labels) == 5 and all(d.label for d in labels.values())


def test_themes_follow_shared_words_where_the_embeddings_do_not_tell():
    """Embeddings that carry only noise and their source: the word view groups the statements by
    topic, across both sources, and the same input gives the same space."""
    rng = np.random.default_rng(3)
    topics = {
        "a": [
            "Er is een tekort aan leraren in het basisonderwijs.",
            "Leraren in het basisonderwijs missen tijd.",
            "Geef leraren in het basisonderwijs scholing.",
            "Het basisonderwijs verliest leraren.",
        ],
        "b": [
            "Bedrijven bieden te weinig stageplaatsen aan studenten.",
            "Meer stageplaatsen bij bedrijven voor studenten.",
            "Studenten vinden geen stageplaatsen bij bedrijven.",
            "Bedrijven en studenten zoeken stageplaatsen.",
        ],
    }
    texts, docs, truth, vecs = [], [], [], []
    source = {d: 3 * rng.normal(size=16) for d in "xy"}
    for d in "xy":
        for t, sents in topics.items():
            for s in sents:
                texts.append(s)
                docs.append(d)
                truth.append(t)
                vecs.append(source[d] + rng.normal(size=16))
    space = themes.theme_space(np.array(vecs), texts, docs)
    assert np.array_equal(space, themes.theme_space(np.array(vecs), texts, docs))
    assign = themes.cluster(space, 2)
    truth = np.array(truth)
    assert len(set(assign[truth == "a"])) == 1 and len(set(assign[truth == "b"])) == 1
    assert assign[truth == "a"][0] != assign[truth == "b"][0]
    # too few words for topics: the word view is empty and the embeddings decide alone
    assert not themes.word_space(["Eén zin."]).any()


def test_a_problem_stated_twice_takes_one_place_in_a_list():
    """A summary that repeats a chapter's sentence: the better-scored copy is listed, with the
    other's page in its evidence, and the freed place goes to the next problem."""
    recs, probs = _fixture()
    first = replace(probs[0], page_label="vi")
    again = replace(
        probs[0], id="a:s0040", seq=40, page_label="60", text="Er is een groot lerarentekort in de techniek!"
    )
    other = replace(probs[0], id="a:s0041", seq=41, page_label="61", text="Scholen vinden geen leraren voor techniek.")
    found = [lk for lk in linking.link(recs[:1], [first, again, other] + probs[1:]) if lk.scope == "same-doc"]
    listed = [lk.prob_id for lk in found]
    assert listed.count("a:s0002") + listed.count("a:s0040") == 1 and "a:s0041" in listed
    kept = next(lk for lk in found if lk.prob_id in ("a:s0002", "a:s0040"))
    twin = "a:s0040" if kept.prob_id == "a:s0002" else "a:s0002"
    assert kept.evidence.repeats == ((twin, {"a:s0002": "vi", "a:s0040": "60"}[twin]),)
    assert next(lk for lk in found if lk.prob_id == "a:s0041").evidence.repeats == ()


def test_units_verbs_and_participles_name_no_theme():
    texts = [
        "Tien procent van de bestaande regelingen vraagt om subsidie voor scholen.",
        "Twintig procent van de bestaande regelingen vraagt subsidie van de overheid.",
        "Dertig procent van de bestaande regelingen is landelijk en vraagt subsidie.",
    ]
    terms = themes.label(texts, np.zeros(3, dtype=np.int64))[0].terms
    assert terms and set(terms) <= {"bestaande regelingen", "subsidie"}
    # a phrase may hold them ("bestaande regelingen"), but none names a theme alone or ends one
    assert not any(t.split()[-1] in ("procent", "bestaande", "vraagt", "landelijk") for t in terms)
