"""Rules added after the ninth fresh set's first run (issue 9), on crafted sentences (names and wording made up or
public figures in made-up sentences, none taken from an evaluation text)."""

from __future__ import annotations

from tests.nlp.helpers import speakers_of


def test_the_place_of_a_long_title_is_not_part_of_the_name(extract):
    quotes, speakers = extract(
        "Minister of Foreign Affairs of Moldova Mihai Popsoi met his Romanian counterpart in Chisinau.\n"
        "Romania said it would help.\n"
        '"We are grateful for every gesture of support," the minister wrote. He said more talks would follow.'
    )
    assert set(speakers_of(quotes).values()) == {"Mihai Popsoi", "Romania"}
    assert "Moldova Mihai Popsoi" not in {s.name for s in speakers}


def test_an_appositive_name_after_a_description_drops_its_title(extract):
    quotes, _ = extract(
        "The head of the Polish team, deputy minister Anna Nowak, told reporters that the deal was close.\n"
        "The Baltic Sea patrol commander, Rear Admiral Piotr Lis, said the ships had left port."
    )
    assert speakers_of(quotes) == {
        "the deal was close": "Anna Nowak",
        "the ships had left port": "Piotr Lis",
    }


def test_a_legislator_is_a_title(extract):
    quotes, _ = extract("Opposition Legislator Chen Mei-ling said the budget was too small.")
    assert speakers_of(quotes) == {"the budget was too small": "Chen Mei-ling"}


def test_the_chief_of_a_body_is_the_titled_head_of_that_body(extract):
    quotes, _ = extract(
        "IAEA Director General Rafael Grossi said inspectors had returned to the site.\n"
        "Iran said the visit was routine.\n"
        '"This is a good step," the IAEA chief told reporters.\n\n'
        "The talks took place at the Department of Trade and Industry (DTI) in Manila, where Trade Secretary "
        "Maria Reyes said exports had grown.\n"
        "Vietnam said it was pleased.\n"
        '"We are not done yet," the DTI chief said.'
    )
    assert speakers_of(quotes) == {
        "inspectors had returned to the site": "Rafael Grossi",
        "the visit was routine": "Iran",
        "This is a good step": "Rafael Grossi",
        "exports had grown": "Maria Reyes",
        "it was pleased": "Vietnam",
        "We are not done yet": "Maria Reyes",
    }


def test_a_dateline_may_name_the_country_or_open_with_the_agency(extract):
    quotes, _ = extract(
        "LIMA, Peru — Peru will ask its neighbours to share radar data, Defence Minister Jorge Ruiz said.\n\n"
        "(EFE) - QUITO, OCT 2 - Ecuador will reopen the border crossing next week, the interior ministry said."
    )
    assert speakers_of(quotes) == {
        "Peru will ask its neighbours to share radar data": "Jorge Ruiz",
        "Ecuador will reopen the border crossing next week": "interior ministry",
    }


def test_an_unnamed_source_parsed_around_privy_keeps_which_one_and_drops_its_one(extract):
    quotes, _ = extract(
        "A senior Indian official privy to the negotiations said the text was ready. The official said it "
        "would be signed in March.\n\n"
        "One senior Treasury source told reporters that further sanctions were coming."
    )
    assert speakers_of(quotes) == {
        "the text was ready": "senior Indian official privy to the negotiations",
        "it would be signed in March": "senior Indian official privy to the negotiations",
        "further sanctions were coming": "senior Treasury source",
    }


def test_a_group_and_one_source_of_the_same_kind_stay_apart(extract):
    quotes, _ = extract(
        "Trade rose by a fifth last year, officials said.\n"
        "An official at the trade ministry who attended the meeting said a new round would start in May."
    )
    assert speakers_of(quotes) == {
        "Trade rose by a fifth last year": "officials",
        "a new round would start in May": "official at the trade ministry",
    }


def test_a_demand_inside_a_report_is_the_reporters_words(extract):
    quotes, _ = extract("Senator Ana Ruiz said the government must explain why the aid was cut.")
    assert speakers_of(quotes) == {"the government must explain why the aid was cut": "Ana Ruiz"}


def test_a_split_hyphenated_name_is_one_subject(extract):
    quotes, _ = extract("Legislator Lee Hsiu-lan (李秀蘭) said that the ministry should publish the figures.")
    assert speakers_of(quotes) == {"the ministry should publish the figures": "Lee Hsiu-lan"}


def test_the_ministry_is_the_one_ministry_the_text_named(extract):
    quotes, _ = extract(
        "The envoy arrived at the invitation of the Ministry of Economic Affairs (MOEA) on Monday.\n"
        "The two sides signed three agreements, the ministry said in a statement.\n"
        "According to the ministry statement, the next round will be held in Asuncion."
    )
    assert speakers_of(quotes) == {
        "The two sides signed three agreements": "Ministry of Economic Affairs",
        "the next round will be held in Asuncion": "Ministry of Economic Affairs",
    }


def test_the_ministry_is_not_guessed_among_two_ministries(extract):
    quotes, _ = extract(
        "Officials of the Ministry of Defence and the Ministry of Finance met on Monday.\n"
        "The budget would grow by a tenth, the ministry said."
    )
    assert speakers_of(quotes)["The budget would grow by a tenth"] != "Ministry of Defence"
    assert speakers_of(quotes)["The budget would grow by a tenth"] != "Ministry of Finance"
