"""Paragraph roles: rules on small synthetic documents, and the score on the shared gold."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from dispatch_corpus.core.label.roles import label_paragraphs, label_roles
from dispatch_corpus.core.pipeline import process_dispatch
from dispatch_corpus.core.raw import RawDispatch
from dispatch_corpus.evaluation.gold import build_gold_records, load_gold
from dispatch_corpus.evaluation.score import Evaluation, evaluate_documents
from dispatch_corpus.models import DocumentRecord, Role
from dispatch_corpus.settings import DEFAULT_LABELER, LabelerSettings

SHARED_DIR = Path(__file__).resolve().parents[3] / ".." / "shared"
H, D, L, B, S = Role.HEADLINE, Role.DATELINE, Role.LEAD, Role.BODY, Role.STATEMENT
LI, IT, SH, BP = Role.LIST_INTRO, Role.LIST_ITEM, Role.SUBHEADING, Role.BOILERPLATE


def roles_of(language: str, *paragraphs: str, title: str | None = None) -> list[Role]:
    return label_roles(list(paragraphs), language, title=title)


def content_role(language: str, paragraph: str) -> Role:
    """The role of one paragraph placed after a headline and a lead."""
    return roles_of(language, "Un titre", "Un premier paragraphe de contexte.", paragraph)[2]


# --- headline, dateline, lead -------------------------------------------------------------


def test_first_short_line_without_final_period_is_the_headline() -> None:
    assert roles_of("en", "Storm hits the coast", "A storm hit the coast.") == [H, L]


def test_a_first_line_ending_with_a_period_is_the_lead() -> None:
    assert roles_of("fr", "Un orage a frappé la côte.", "Les routes sont coupées.") == [L, B]


def test_the_metadata_title_makes_a_headline_even_with_a_final_period() -> None:
    title = "Storm hits the coast."
    assert roles_of("en", title, "A storm hit the coast.", title=title) == [H, L]


def test_a_single_paragraph_is_the_lead() -> None:
    assert roles_of("en", "Storm hits the coast") == [L]


def test_a_dateline_line_sits_between_headline_and_lead() -> None:
    assert roles_of("en", "Storm hits", "Monday, May 18, 2015", "A storm hit.", "More.") == [
        H,
        D,
        L,
        B,
    ]


@pytest.mark.parametrize(
    "caption",
    [
        "Ирина Петрова",
        "Купюра в 20 долларов 2004 года",
        "Владимир Путин и Юрий Лужков на параде",
        "Photo : la place de la mairie",
    ],
)
def test_a_caption_before_the_lead_is_boilerplate(caption: str) -> None:
    assert roles_of("ru", "Заголовок новости", caption, "Текст новости.", "Ещё текст.") == [
        H,
        BP,
        L,
        B,
    ]


# --- statement versus body ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "paragraph"),
    [
        ("en", "The mayor said that the bridge would reopen next week after repairs."),
        ("en", "The mayor told reporters the bridge would reopen next week after repairs."),
        ("en", '"The bridge will reopen next week," the mayor said on Tuesday.'),
        ("en", "According to the mayor, the bridge will reopen next week after the repairs."),
        ("fr", "Le maire a déclaré que le pont rouvrirait la semaine prochaine."),
        ("fr", "« Le pont rouvrira la semaine prochaine », a-t-il assuré mardi."),
        ("fr", "Selon le maire, le pont rouvrira la semaine prochaine après les travaux."),
        ("fr", "Les syndicats exigent une hausse immédiate des salaires."),
        ("ru", "Мэр города заявил, что мост откроют на следующей неделе."),
        ("ru", "По словам мэра, мост откроют на следующей неделе после ремонта."),
        ("ru", "«Мост откроют на следующей неделе», — сказал мэр журналистам."),
        ("ru", "— Мост откроют на следующей неделе, — пообещал мэр."),
    ],
)
def test_attributed_speech_makes_a_statement(language: str, paragraph: str) -> None:
    assert content_role(language, paragraph) is S


@pytest.mark.parametrize(
    ("language", "paragraph"),
    [
        ("en", "The bridge was closed on Monday after a crack was found in a pillar."),
        ("en", "The bridge was closed in 2019, according to the city's annual report."),
        ("en", "The bridge will reopen next week, according to local officials."),
        ("en", "According to the Daily Herald, the bridge will reopen next week."),
        ("en", "The city website said the bridge would reopen next week."),
        ("en", "Officials have not said why the bridge was closed on Monday."),
        ("en", "The mayor announced a boycott of the ceremony on Monday."),
        ("en", "She was told to leave the building before the inspection."),
        ("fr", "Le pont a été fermé lundi après la découverte d'une fissure."),
        ("fr", "Selon le journal local, le pont rouvrira la semaine prochaine."),
        ("fr", "Le maire n'a pas précisé quand le pont rouvrirait."),
        ("fr", "La critique que le projet a reçue portait sur son coût."),
        ("fr", "La console, baptisée « grand format », sortira en juillet."),
        ("ru", "Мост закрыли в понедельник после обнаружения трещины."),
        ("ru", "По данным газеты, мост откроют на следующей неделе."),
        ("ru", "Мэр не уточнил, когда откроют мост."),
        ("ru", "Альбом «Любовь для всех» вышел в ноябре прошлого года."),
    ],
)
def test_narrative_and_facts_sourced_to_media_stay_body(language: str, paragraph: str) -> None:
    assert content_role(language, paragraph) is B


def test_speech_must_weigh_about_half_of_the_paragraph() -> None:
    narrative = (
        "The bridge was closed on Monday after engineers found a crack in a pillar. "
        "Traffic was diverted through the old town for the whole day. "
        "Buses ran every ten minutes between the two banks of the river. "
    )
    assert content_role("en", narrative + "The mayor said it would reopen soon.") is B
    speech = (
        'The mayor said, "We found the crack early and we will fix it quickly. '
        'Nobody was ever in danger, and the bridge will reopen next week."'
    )
    assert content_role("en", "The bridge was closed on Monday. " + speech) is S


def test_a_quotation_left_open_goes_on_in_the_next_paragraph() -> None:
    roles = roles_of(
        "en",
        "Match report",
        "Sweden beat Korea one nil on Monday in the first game of the day.",
        'The Korean coach was booked early. After the match the coach said, "We learned a lot.',
        'It was a very emotional day for all of us and the team kept fighting until the end."',
        "The next game is on Saturday.",
    )
    assert roles == [H, L, S, S, B]


def test_a_paragraph_ending_with_a_colon_introduces_a_quotation() -> None:
    roles = roles_of(
        "ru",
        "Заголовок новости",
        "Президент подписал указ.",
        "Пресс-секретарь распространил заявление, в котором говорится:",
        "Решение принято в связи с переходом на другую работу.",
        "Отставка вступает в силу немедленно.",
    )
    assert roles == [H, L, S, S, B]


# --- lists, subheadings, captions, boilerplate ----------------------------------------------


def test_a_colon_followed_by_items_is_a_list() -> None:
    roles = roles_of(
        "fr",
        "Un accord est signé",
        "Un accord a été conclu hier.",
        "Il comprend les conditions suivantes :",
        "1. un cessez-le-feu ;",
        "2. un échange de prisonniers.",
    )
    assert roles == [H, L, LI, IT, IT]


def test_a_short_title_between_paragraphs_is_a_subheading() -> None:
    roles = roles_of(
        "fr",
        "Des papillons mutent",
        "Une étude a été publiée hier.",
        "Des résultats inquiétants",
        "Les chercheurs ont observé des anomalies chez les papillons.",
    )
    assert roles == [H, L, SH, B]


@pytest.mark.parametrize(
    "caption",
    ["Владислав Иванов", "Владислав Иванов и Дмитрий Петров", "Владислав Иванов на съезде «Наших»"],
)
def test_a_name_caption_inside_the_body_is_boilerplate(caption: str) -> None:
    roles = roles_of("ru", "Заголовок", "Текст новости.", caption, "Ещё текст новости.")
    assert roles == [H, L, BP, B]


def test_a_score_line_is_a_subheading_not_a_caption() -> None:
    roles = roles_of(
        "en", "Day five", "Sweden won.", "Group F — Sweden 1 – 0 Korea", "The game was slow."
    )
    assert roles == [H, L, SH, B]


def test_everything_after_a_sources_heading_is_boilerplate() -> None:
    roles = roles_of(
        "en",
        "Storm hits the coast",
        "A storm hit the coast on Monday.",
        "Sources",
        '"Storm batters the coast" — The Coast Gazette, May 18, 2015',
        "Categories: Weather",
    )
    assert roles == [H, L, BP, BP, BP]


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("ru", "==Источники информации=="),
        ("ru", "Категория:Общество"),
        ("fr", "Voir aussi"),
        ("en", "Wikinews provides additional video and photographs of the event."),
        ("en", "https://example.org/story"),
    ],
)
def test_apparatus_lines_are_boilerplate(language: str, line: str) -> None:
    assert roles_of(language, "Title here", "First paragraph.", line)[2] is BP


def test_a_wiki_heading_that_is_not_apparatus_is_a_subheading() -> None:
    roles = roles_of("ru", "Заголовок", "Текст.", "== Папа покинул Ватикан ==", "Текст.")
    assert roles == [H, L, SH, B]


# --- the shared gold and the seed -----------------------------------------------------------


@pytest.fixture(scope="module")
def gold_pairs() -> list[tuple[Any, DocumentRecord | None]]:
    gold_dir, corpus_dir = SHARED_DIR / "gold", SHARED_DIR / "corpus"
    if not gold_dir.is_dir() or not corpus_dir.is_dir():
        pytest.skip(f"shared gold or corpus not found under {SHARED_DIR.resolve()}")
    return build_gold_records(load_gold(gold_dir), corpus_dir)


def test_shared_gold_meets_the_role_targets(gold_pairs: list[Any]) -> None:
    result: Evaluation = evaluate_documents(gold_pairs)
    assert result.missing == []
    assert result.segmentation_exact >= 0.99
    # Regression gates at the scores measured on the 75-document dev gold, minus 0.005: the
    # rules were tuned on it, so these guard against regressions, not claim quality (the
    # cross-validated figures are pinned in tests/test_evaluation_cv.py).
    assert result.role_accuracy >= 0.972
    assert result.macro_f1 >= 0.987
    assert result.macro_f1_frequent >= 0.986
    assert result.sections_exact >= 0.848
    for language, sub in result.per_language.items():
        assert sub.role_accuracy >= 0.959, language


def test_headlines_are_found_without_any_metadata(gold_pairs: list[Any]) -> None:
    corpus_dir = SHARED_DIR / "corpus"
    bare = build_gold_records([g for g, _ in gold_pairs], corpus_dir, with_metadata=False)
    with_meta = evaluate_documents(gold_pairs).per_role["headline"]
    without = evaluate_documents(bare).per_role["headline"]
    assert all(r is not None and r.document.title is not None for _, r in bare)
    assert without.support == with_meta.support > 0
    assert without.f1 >= with_meta.f1 - 0.01
    assert without.recall >= 0.97


def test_the_seed_stays_exact(project_corpus: Path, seed_expected: dict[str, Any]) -> None:
    raw = (project_corpus / "seed" / f"{seed_expected['doc_id']}.txt").read_bytes()
    metadata_lines = (project_corpus / "seed" / "metadata.jsonl").read_text(encoding="utf-8")
    assert seed_expected["doc_id"] in metadata_lines
    result = process_dispatch(RawDispatch("seed.txt", "seed", seed_expected["doc_id"], raw))
    assert isinstance(result, DocumentRecord)
    doc = result.document
    assert doc.text_sha256 == seed_expected["text_sha256"]
    assert (doc.language, doc.agency) == (seed_expected["language"], seed_expected["agency"])
    assert [p.role.value for p in result.paragraphs] == [
        p["role"] for p in seed_expected["paragraphs"]
    ]
    assert [[f.value for f in p.flags] for p in result.paragraphs] == [
        p["flags"] for p in seed_expected["paragraphs"]
    ]
    assert [(s.label.value, s.paragraph_start, s.paragraph_end) for s in result.sections] == [
        (s["label"], s["paragraph_start"], s["paragraph_end"]) for s in seed_expected["sections"]
    ]


def test_seed_fixture_matches_the_shared_seed(seed_expected: dict[str, Any]) -> None:
    shared = SHARED_DIR / "seeds" / f"{seed_expected['doc_id']}.expected.json"
    if not shared.is_file():
        pytest.skip(f"shared seed not found at {shared.resolve()}")
    assert json.loads(shared.read_text(encoding="utf-8")) == seed_expected


# --- lists without markers, colon endings, closing titles (issue 13) -----------------------


def test_parallel_lowercase_items_after_a_colon_are_a_list_without_markers() -> None:
    roles = roles_of(
        "fr",
        "Un titre",
        "L'association annonce trois rendez-vous.",
        "Elle sera présente aux événements suivants :",
        "les 21 et 22 novembre, un stand au salon de l'éducation ;",
        "le 2 décembre, son assemblée générale à Paris ;",
        "le 15 décembre, un colloque à l'université.",
        "Par ailleurs, une page a été créée.",
    )
    assert roles == [H, L, LI, IT, IT, IT, B]


def test_questions_after_a_colon_are_list_items() -> None:
    roles = roles_of(
        "fr",
        "Un titre",
        "Le reportage laisse des questions ouvertes.",
        "Et de s'interroger :",
        "Pourquoi l'état n'investit-il pas dans l'association ?",
        "À qui bénéficie la licence libre ?",
        "Ce reportage a néanmoins le mérite d'exister.",
    )
    assert roles == [H, L, LI, IT, IT, B]


def test_a_lead_ending_with_a_colon_keeps_its_role_before_a_list() -> None:
    roles = roles_of(
        "en",
        "Title here",
        "The group has planned its meetings:",
        "in March, a workshop in Lyon;",
        "in May, a conference in Paris.",
    )
    assert roles == [H, L, IT, IT]


def test_one_paragraph_after_a_colon_is_no_list() -> None:
    roles = roles_of(
        "en", "Title here", "Some context.", "The plan holds one step:", "move the office.", "End."
    )
    assert IT not in roles and LI not in roles


def test_a_transcript_of_quoted_lines_is_not_a_list() -> None:
    roles = roles_of(
        "en",
        "Title here",
        "Officials exchanged emails.",
        "The following is the exchange:",
        'Secretary James Roche: "No, save it and blow him away."',
        'Director Bill Bodie: "We do not have to turn the other cheek."',
    )
    assert roles[2:] == [S, S, S]


def test_a_fact_ending_with_an_announced_quote_that_never_came_is_body() -> None:
    roles = roles_of(
        "ru",
        "Заголовок",
        "Поэт скончался в США.",
        "12 марта 2017 года поэт был госпитализирован в тяжёлом состоянии, тогда жена сообщила:",
        "Поэт до последних минут был в сознании, сообщает его друг.",
    )
    assert roles[2] is B


def test_a_colon_line_before_words_in_the_first_person_is_a_statement() -> None:
    roles = roles_of(
        "ru",
        "Заголовок",
        "Художник отметил юбилей.",
        "Президент обратил внимание на творчество юбиляра:",
        "В Беларуси Вас знают и ценят как талантливого художника",
        "Выставки художника проходили в Минске.",
    )
    assert roles[2:] == [S, S, B]


def test_a_colon_line_whose_words_were_lost_keeps_its_content_role() -> None:
    roles = roles_of(
        "ru",
        "Заголовок",
        "Клип заблокирован.",
        "Видеоряд взят из фильма о школе, а текст песни содержит следующий куплет:",
        "Активистка в своём заявлении отметила, что клип опасен.",
    )
    assert roles[2] is B


def test_titles_closing_an_article_without_text_under_them_are_boilerplate() -> None:
    roles = roles_of(
        "en", "Title here", "The story.", "More of the story.", "Gallery", "The mayor in Paris"
    )
    assert roles == [H, L, B, BP, BP]


def test_a_short_question_before_the_lead_is_a_subheading() -> None:
    roles = roles_of(
        "fr",
        "Ubuntu 12.10 est sorti",
        "Qu'est-ce qu'Ubuntu ?",
        "Ubuntu est un système d'exploitation libre.",
        "Il est gratuit.",
    )
    assert roles == [H, SH, L, B]


def test_sentences_ending_on_a_link_title_are_the_lead_not_a_caption() -> None:
    roles = roles_of(
        "ru",
        "Патриарх в Петербурге",
        "Патриарх находится с визитом в Петербурге. Он посетит торжества. Патриарх www.tv100.ru",
        "Текст новости.",
    )
    assert roles == [H, L, B]


@pytest.mark.parametrize(
    ("language", "paragraph"),
    [
        ("fr", "Selon le directeur du site, « les machines tournent en trois équipes »."),
        ("ru", "Источник РИА Новости сообщил, что пациента перевели в другую клинику."),
    ],
)
def test_a_person_of_a_medium_is_a_speaker(language: str, paragraph: str) -> None:
    assert content_role(language, paragraph) is S


@pytest.mark.parametrize(
    ("language", "paragraph"),
    [
        ("fr", "La police fédérale recommande aux internautes la mise à jour de leur antivirus."),
        ("ru", "Артемий предполагает, что он мог заразиться в одной из африканских стран."),
    ],
)
def test_advice_and_supposition_are_statements(language: str, paragraph: str) -> None:
    assert content_role(language, paragraph) is S


def test_every_role_comes_with_the_rule_that_decided_it() -> None:
    paragraphs = ["Title here", "A storm hit.", "« Nous partons », a-t-il dit."]
    labeled = label_paragraphs(paragraphs, "fr")
    assert [item.evidence for item in labeled] == [
        "headline.shape",
        "lead.first_content",
        "statement.mostly_speech",
    ]
    assert all(item.evidence.startswith(item.role.value + ".") for item in labeled)


# --- the labeler's settings -----------------------------------------------------------------

_LEAD = "Le conseil a voté le budget."
_THRESHOLD_CASES: list[tuple[str, float, list[str], str]] = [
    ("headline_max_chars", 5, ["Un titre court", _LEAD], "fr"),
    ("dateline_max_chars", 5, ["Titre", "PARIS, 12 mars 2020", _LEAD], "fr"),
    ("subheading_max_chars", 3, ["Titre", _LEAD, "Les travaux", "Ils commencent en mai."], "fr"),
    ("subheading_max_words", 1, ["Titre", _LEAD, "Les travaux", "Ils commencent en mai."], "fr"),
    ("caption_max_words", 1, ["Titre", _LEAD, "Jean Dupont à la mairie, 2020", "Fin."], "fr"),
    ("media_note_max_words", 1, ["Titre", _LEAD, "Vidéos supplémentaires", "Fin."], "fr"),
    ("statement_speech_share", 0.0, ["Titre", _LEAD, "Les travaux commencent en mai."], "fr"),
    (
        "statement_opening_share",
        0.0,
        [
            "Titre",
            _LEAD,
            "Le maire a déclaré que tout allait bien. Les travaux de la nouvelle ligne de tramway "
            "commenceront en mai prochain et dureront au moins trois longues années.",
        ],
        "fr",
    ),
    (
        "high_speech_share",
        1.01,
        ["Titre", _LEAD, "« Nous partons en mai », a déclaré le maire."],
        "fr",
    ),
    (
        "low_speech_share",
        0.0,
        [
            "Titre",
            _LEAD,
            "Le maire a déclaré que tout allait bien. Les travaux de la nouvelle ligne de tramway "
            "commenceront en mai prochain et dureront au moins trois longues années, avec des "
            "fermetures de rues dans tout le centre-ville et des bus de remplacement chaque nuit.",
        ],
        "fr",
    ),
    (
        "intro_dominates_share",
        0.0,
        ["Titre", _LEAD, "Les travaux commenceront en mai, et le maire a déclaré :", "Fin."],
        "fr",
    ),
    (
        "first_person_window_chars",
        0,
        ["Titre", _LEAD, "Le maire a parlé de la situation :", "Hier, nous avons voté le budget."],
        "fr",
    ),
    (
        "list_item_min_run",
        5,
        ["Titre", "Trois mesures :", "les bus ;", "le tram ;", "le vélo."],
        "fr",
    ),
    (
        "list_item_max_chars",
        3,
        ["Titre", "Trois mesures :", "les bus ;", "le tram ;", "le vélo."],
        "fr",
    ),
    (
        "list_term_colon_within",
        0,
        ["Titre", "Trois mesures :", "Bus : gratuits.", "Tram : une ligne.", "Vélo : des pistes."],
        "fr",
    ),
    (
        "quote_speech_min_words",
        100,
        ["Titre", _LEAD, "« Nous allons commencer en mai prochain. »"],
        "fr",
    ),
    (
        "complement_window_chars",
        0,
        ["Titre", _LEAD, "Le maire a déclaré que tout irait bien."],
        "fr",
    ),
    (
        "subject_window_chars",
        0,
        ["Titre", _LEAD, "Le journal a affirmé que tout irait bien."],
        "fr",
    ),
    (
        "negation_window_chars",
        0,
        ["Title", "The council passed the budget.", "The mayor did not say that all is well."],
        "en",
    ),
    (
        "trailing_attribution_position",
        1.0,
        ["Titre", _LEAD, "Les travaux commenceront en mai et dureront trois ans, selon le maire."],
        "fr",
    ),
    (
        "max_cues_judged_per_sentence",
        0,
        ["Titre", _LEAD, "Le maire a déclaré que tout irait bien."],
        "fr",
    ),
]
"""For each threshold, a document whose labels change when only that threshold changes."""


@pytest.mark.parametrize(
    ("field", "value", "paragraphs", "language"),
    _THRESHOLD_CASES,
    ids=[case[0] for case in _THRESHOLD_CASES],
)
def test_each_threshold_is_read_from_the_settings_passed(
    field: str, value: float, paragraphs: list[str], language: str
) -> None:
    settings = dataclasses.replace(DEFAULT_LABELER, **{field: value})
    default = label_paragraphs(paragraphs, language)
    assert label_paragraphs(paragraphs, language, settings=DEFAULT_LABELER) == default
    assert label_paragraphs(paragraphs, language, settings=settings) != default
    # The default patterns of the language are not changed by another caller's settings.
    assert label_paragraphs(paragraphs, language) == default


def test_every_threshold_of_the_labeler_has_a_case() -> None:
    # The pipeline, not the labeler, reads agency_window_chars (tests/core/test_pipeline.py).
    covered = {case[0] for case in _THRESHOLD_CASES} | {"agency_window_chars"}
    assert covered == {spec.name for spec in dataclasses.fields(LabelerSettings)}


def test_a_tiny_headline_limit_leaves_no_headline_by_shape() -> None:
    paragraphs = ["Storm hits the coast", "A storm hit the coast.", "Roads are closed."]
    tiny = dataclasses.replace(DEFAULT_LABELER, headline_max_chars=3)
    assert label_roles(paragraphs, "en") == [H, L, B]
    assert label_roles(paragraphs, "en", settings=tiny) == [L, B, B]
    # A title given by metadata is the headline whatever its length.
    assert label_roles(paragraphs, "en", title=paragraphs[0], settings=tiny) == [H, L, B]
