"""The one name matcher (apps.nlp.names): folding, transliterations, name order, descriptions and roles."""

from __future__ import annotations

import pytest

from apps.nlp import names


def test_fold_removes_case_and_accents_including_letters_nfkd_keeps():
    assert names.fold("Sánchez") == "sanchez"
    assert names.fold("Løkke Rasmussen") == "lokke rasmussen"
    assert names.fold("Łukasz") == "lukasz"


def test_alias_key_keeps_accents_so_stored_keys_stay_valid():
    assert names.alias_key("  Xi   Jinping ") == "xi jinping"
    assert names.alias_key("António") == "antónio"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Zelensky", "Zelenskyy"),  # listed in data/names.json
        ("Zelenskiy", "Zelenskii"),
        ("Dmitriy", "Dmitry"),  # the general -iy / -y rule
        ("Podolyak", "Podolyak"),
        ("Kovalskiy", "Kovalsky"),  # a name in no list: the general rule
        ("Mohamed", "Muhammad"),
    ],
)
def test_spellings_of_one_name_share_a_key(a, b):
    assert names.spelling(a) == names.spelling(b)
    assert names.token_match(names.fold(a), names.fold(b))


def test_spellings_lists_the_stored_forms_to_look_up():
    assert {"zelensky", "zelenskyy", "zelenskiy"} <= names.spellings("Zelenskyy")
    assert {"kovalsky", "kovalskiy", "kovalskyy"} <= names.spellings("Kovalskiy")
    assert "sanchez" in names.spellings("Sánchez")


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Zelensky", "Volodymyr Zelenskyy", True),
        ("Sergey Lavrov", "Sergei Viktorovich Lavrov", True),  # transliteration and a patronymic
        ("Vladimir Putin", "Vladimir Vladimirovich Putin", True),  # a middle name / patronymic
        ("Joseph R. Biden", "Joseph Robinette Biden", True),  # an initial
        ("Abdel Fattah al-Sisi", "Abdel Fattah el-Sisi", True),  # name particles are optional
        ("Jinping Xi", "Xi Jinping", True),  # family name first or last
        ("Jae-myung Lee", "Lee Jae-myung", True),
        ("Guterres", "António Guterres", True),
        ("R.", "Joseph Robinette Biden", False),  # a lone initial names no one
        ("Clinton", "Mrs. Clinton's aides", False),  # a group around a name is not that person
        ("Putin", "Putin's spokesman", False),
        ("Lee Jae-myung", "Lee Hsien Loong", False),
    ],
)
def test_same_speaker(a, b, expected):
    assert names.same_speaker(a, b) is expected
    assert names.same_speaker(b, a) is expected


def test_a_possessed_body_still_matches_its_own_head_inside_one_text():
    assert names.compatible_names("Foreign Ministry", "Ukraine's Foreign Ministry", "organisation")
    assert not names.compatible_names("Ukraine", "Ukraine's Foreign Ministry", "organisation")


@pytest.mark.parametrize(
    ("name", "family"),
    [("Xi Jinping", "Xi"), ("Lee Jae-myung", "Lee"), ("Nguyen Van An", "Nguyen"), ("Vladimir Putin", "Putin")],
)
def test_family_name_knows_family_name_first_order(name, family):
    assert names.family_name(name) == family


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("officials", "person"),
        ("Military analysts", "person"),
        ("People", "person"),
        ("a source close to the talks", "person"),
        ("Ukrainian military spokesperson", "person"),
        ("Mrs. Clinton's aides", "person"),
        ("Putin's spokesman", "person"),
        ("the newspaper", "organisation"),
        ("two agencies", "organisation"),
        ("state media", "organisation"),
    ],
)
def test_descriptions_are_not_corpus_speakers(name, kind):
    assert names.is_descriptive(name, kind)
    assert not names.is_corpus_speaker(name, kind)


@pytest.mark.parametrize("name", ["reader", "this interpretation", "the network of bases"])
def test_non_agents_never_speak(name):
    assert not names.is_agent(name)
    assert not names.is_corpus_speaker(name, "person")


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Xi Jinping", "person"),
        ("Martin Luther King", "person"),
        ("Foreign Ministry", "organisation"),
        ("Ukraine's Foreign Ministry", "organisation"),
        ("Xinhua news agency", "organisation"),
    ],
)
def test_names_are_corpus_speakers(name, kind):
    assert names.is_corpus_speaker(name, kind)


def test_short_role_keeps_the_title_and_drops_the_clause_after_it():
    assert names.short_role("chief executive of Ora Media, which owns two papers") == "chief executive of Ora Media"
    assert names.short_role("chief executive of Ora Media who has led it since 2019") == "chief executive of Ora Media"
    assert len(names.short_role(" ".join(["word"] * 30)).split()) == 24
    assert names.short_role("Foreign Minister") == "Foreign Minister"


def test_two_groups_of_people_described_differently_stay_apart_inside_one_text():
    assert not names.compatible_names("diplomats", "two EU diplomats", "person")
    assert names.compatible_names("diplomats", "diplomats", "person")
    assert names.compatible_names("Xi", "Xi Jinping", "person")


def test_a_group_named_after_a_person_is_neither_that_person_nor_a_corpus_speaker():
    assert not names.same_speaker("Clinton", "Clinton Aides")
    assert not names.is_corpus_speaker("Clinton Aides", "person")
    assert names.is_corpus_speaker("Martin Luther King", "person")


def test_a_title_case_headline_is_not_read_as_a_name(extract):
    text = "Mayor Aides Say She Will Not Run Again\nAides to Mayor Ana Ruiz said she would not run."
    _, speakers = extract(text)
    assert "Ruiz" not in {a for s in speakers for a in (s.name, *s.aliases) if "Aides" in s.name}
    assert all("She" not in s.name for s in speakers)


def test_a_country_possessor_before_a_full_name_is_a_role_not_part_of_the_name():
    from apps.nlp.names import speaker_name_parts

    assert speaker_name_parts("Chile's Ines Sandoval") == ("Ines Sandoval", "Chile's")
    assert speaker_name_parts("Japan's Prime Minister's Office") == ("Japan's Prime Minister's Office", "")
    assert speaker_name_parts("Mrs. Clinton's aides")[1] == ""
