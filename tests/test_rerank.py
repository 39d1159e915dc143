"""A question asking a date or a count puts first a paragraph among the first few that
holds one, when the first holds none."""
from __future__ import annotations

import pytest

from assistant.abstain import missing_key_terms
from assistant.facts import facts
from assistant.question import analyse
from assistant.rerank import LOOKED_AT, asked_kind_first
from index.model import Hit
from index.retrieve import Filters


def _hit(paragraph: str, text: str, exact: bool = False) -> Hit:
    return Hit(f"doc#{paragraph}#0", "doc", paragraph, paragraph, "en", "A report", "", text, 1.0, exact_match=exact)


ABOUT = _hit("1", "The Secretary-General presented the policy brief to Member States.")
DATED = _hit("2", "The policy brief was released on 24 May 2023.")
OTHER = _hit("3", "The brief makes recommendations.")


def test_a_dated_paragraph_goes_first_for_a_when_question():
    reordered = asked_kind_first(analyse("When was the policy brief released?"), [ABOUT, DATED, OTHER])
    assert [h.paragraph for h in reordered] == ["2", "1", "3"]


@pytest.mark.parametrize("question, hits, wanted", [
    ("What does the policy brief recommend?", [ABOUT, DATED, OTHER], ["1", "2", "3"]),   # no kind asked
    ("When was the policy brief released?", [DATED, ABOUT, OTHER], ["2", "1", "3"]),     # the first holds one
    ("When was the policy brief released?", [_hit("1", ABOUT.text, exact=True), DATED], ["1", "2"]),  # a cited provision
    ("When was the policy brief released?", [ABOUT] * LOOKED_AT + [DATED], ["1"] * LOOKED_AT + ["2"]),  # too far down
])
def test_the_order_is_kept_otherwise(question, hits, wanted):
    assert [h.paragraph for h in asked_kind_first(analyse(question), hits)] == wanted


def test_how_many_times_is_answered_by_a_count_in_words():
    assert [f.kind for f in facts("war, which twice in our lifetime has brought untold sorrow")] == ["number"]
    assert [f.kind for f in facts("عانت منها البشرية مرتين")] == ["number"]


def test_a_count_question_is_answered_from_the_paragraph_that_gives_the_count(corpus_assistant):
    # Searched in the report, ¶6.1 announcing the Day comes first and ¶6.4 with its figures second.
    answer = corpus_assistant.ask(
        "How many participants will attend SDG Digital Day in person?",
        filters=Filters(document="council-2023-un-cooperation-report-ar"))
    assert not answer.abstained, answer.text
    assert answer.retrieved[0].key == ("council-2023-un-cooperation-report-ar", "6.4")
    assert "300" in answer.text.splitlines()[0]


def test_arabic_number_words_reach_an_english_reader_as_figures(corpus_assistant):
    # "خمسة عشر" had led the answer as printed: an English reader of the Arabic Charter got Arabic words
    assert [f.english for f in facts("يتألف مجلس الأمن من خمسة عشر عضواً")] == ["15"]
    assert [f.english for f in facts("خمسة وعشرون مشاركاً، ثم ثلاثة آلاف")] == ["25", "3000"]
    assert [f.english for f in facts("اثنا عشر عضواً اجتمعوا مرتين")] == ["12", "twice"]
    assert facts("أحد الأعضاء") == []   # "one of", not a figure
    answer = corpus_assistant.ask("How many members does the Security Council have?", filters=Filters(language="ar"))
    assert "15" in answer.text.splitlines()[0] and "خمسة" not in answer.text.splitlines()[0]


def test_what_date_asks_for_a_day_not_a_year():
    question = analyse("On what date did the working group consider its final report?")
    assert question.asks == "day"
    yearly = _hit("1", "The Global Mechanism starts its work in 2026.")
    daily = _hit("2", "The working group considered its final report on 11 July 2025.")
    assert [h.paragraph for h in asked_kind_first(question, [yearly, daily])] == ["2", "1"]
    assert analyse("في أي يوم من سبتمبر تنعقد القمة؟").asks == "day"
    assert analyse("In which year was the Convention adopted?").asks == "date"   # a year answers it


def test_when_in_a_clause_does_not_ask_for_a_date():
    # XQuAD: "How many seconds were left in the game when...?" was declined, its answering
    # sentence holding a count and no date
    assert analyse("How many seconds were left in the game when the pass was intercepted?").asks == "number"
    assert analyse("Who was the leader when the Franks entered the valley?").asks == "name"
    assert analyse("The Summit met in 2023; when will the next one be held?").asks == "date"
    assert analyse("When and where was CSW67 held?").kinds == ("date", "place")


def test_booking_an_appointment_does_not_ask_for_a_date():
    # "موعد" is both "date" and "appointment": "how do I book an appointment to renew my
    # passport?" was answered with a treaty's "180 days prior to the date"
    assert analyse("كيف أحجز موعداً لتجديد جواز سفري في القنصلية؟").asks != "date"
    assert analyse("ما موعد انعقاد القمة؟").asks == "date"
    assert analyse("ما الذي يقوله الإعلان عن الرق، وما الموعد المحدد لإنهاء عمل الأطفال؟").asks == "date"


def test_a_provision_s_number_is_not_a_count():
    # "How many States are parties?" was answered with "14; 49; 50" from a Convention provision
    assert facts("14) coordinate with the organizations referred to in Articles 49 and 50 of the Constitution "
                 "and in Nos. 269B and 269C of this Convention") == []
    assert [f.text for f in facts("وفقاً للمادة 19 من الميثاق، حضر 300 مشارك")] == ["300"]


def test_a_length_of_time_answers_when_but_not_which_year():
    period = facts("Denunciation shall take effect ninety (90) days following the date of deposit")
    assert [(f.kind, f.english, f.arabic) for f in period] == [("period", "90 days", "90 يوماً")]
    assert analyse("When does a denunciation take effect?").answered_by(period[0])
    assert analyse("How many days after notice does it take effect?").answered_by(period[0])
    assert not analyse("In which year was the Charter amended?").answered_by(facts("a term of two years")[0])



def test_a_year_before_1900_is_a_date():
    # "When was ITU founded?" wants 1865; a year was read from 1900 on only, so such a
    # question was declined for want of a date (XQuAD: "When did Scheele discover oxygen?", 1773)
    founded = facts("The International Telegraph Union was founded in Paris on 17 May 1865.")
    assert ("date", "17 May 1865") in [(f.kind, f.english) for f in founded]
    assert analyse("In which year was ITU founded?").answered_by(facts("founded in 1865")[0])


def test_a_decade_is_no_key_term_a_paragraph_must_hold():
    # "the 1990s" made 1990 a term that "in the 1990s" did not hold as a word: declined
    hits = [_hit("1", "Enhanced cooperation was first discussed in the 1990s, before the Summit.")]
    assert missing_key_terms(analyse("What was discussed in the 1990's?"), hits) == []
    assert missing_key_terms(analyse("What was discussed in 1994?"), hits) == ["1994"]


def test_an_arabic_dual_is_a_length_of_time():
    # the Charter's "لمدة سنتين" (a two-year term) held no figure: "كم سنة ...؟" could be declined
    term = facts("ينتخب أعضاء مجلس الأمن غير الدائمين لمدة سنتين، على أنه ...")
    assert [(f.kind, f.english) for f in term] == [("period", "2 years")]
    assert analyse("كم سنة يبقى العضو غير الدائم في مجلس الأمن؟").answered_by(term[0])
    assert [f.english for f in facts("خلال شهرين من تاريخ الإيداع")] == ["2 months"]
    assert facts("اجتمع المديرون العامون والمديرين العامين") == []   # "general", not "two years"


def test_a_when_question_a_treaty_answers_with_a_delay_is_answered(corpus_assistant):
    # it was declined: "when" wanted a date, and the Convention gives a delay after an event
    answer = corpus_assistant.ask("When does a State's denunciation of the Tampere Convention take effect?")
    assert not answer.abstained, answer.text
    assert (answer.citations[0].hit.document, answer.citations[0].hit.paragraph) == ("tampere-convention-en", "Article 15.2")


def test_goals_named_by_number_answer_which_goals():
    question = analyse("Which SDGs will the HLPF review in depth?")
    assert question.asks == "goal" and analyse("ما أهداف التنمية التي يراجعها المنتدى؟").asks == "goal"
    # a purpose, not a goal's number: a sentence naming "Goal 9" is no better answer to it
    assert analyse("What is the goal of the working group on the WSIS?").asks != "goal"
    assert analyse("How many SDGs are there?").asks == "number"
    listed = facts("كما ستجري مراجعة متعمقة للهدف 6، بشأن المياه، والهدف 17، بشأن الشراكات.")
    assert [(f.kind, f.english) for f in listed] == [("goal", "Goal 6"), ("goal", "Goal 17")]
    assert all(question.answered_by(f) for f in listed)
    assert [f.english for f in facts("targets 9.c and 17.8 of the Agenda")] == ["target 9.c", "target 17.8"]
    # a goal's number is not a count
    assert not analyse("How many countries attended?").answered_by(listed[0])


def test_which_days_asks_for_a_span_of_days():
    question = analyse("في أي يومين من سبتمبر تنعقد القمة؟")
    assert question.asks == "days" and analyse("On which days will the Summit meet?").asks == "days"
    ministerial = _hit("1", "The Summit will be held in September 2024, preceded by a ministerial meeting on 21 September 2023.")
    summit = _hit("2", "On 18-19 September, the United Nations will hold the SDG Summit.")
    assert [h.paragraph for h in asked_kind_first(question, [ministerial, summit])] == ["2", "1"]


def test_a_who_question_puts_first_a_paragraph_naming_a_person_or_office():
    question = analyse("Who prepared this report for the Council?")
    action = _hit("1", "The Council is invited to take note of this report.")
    header = _hit("2", "Report by the Secretary-General: cooperation with the United Nations system.")
    assert [h.paragraph for h in asked_kind_first(question, [action, header])] == ["2", "1"]
