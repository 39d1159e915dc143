"""Provisions cited by number: read from the question, found by the ids and headings the
documents print, quoted whole, and declined by name when the documents have no such provision."""
from __future__ import annotations

import pytest

from assistant.facts import facts
from assistant.question import analyse
from index.document_names import DocumentNames
from index.provision_refs import references


@pytest.mark.parametrize("question, wanted", [
    ("What does Article 112 of the UN Charter provide?", [("article", "112")]),
    ("ما الذي تنص عليه المادة ١٩ من الميثاق؟", [("article", "19")]),          # Arabic-Indic digits
    ("Article 16.2 of the Declaration", [("article", "16.2")]),
    ("Which SDG target is numbered 4.d?", [("target", "4.d")]),
    ("ما مضمون الغاية 16.1؟", [("target", "16.1")]),
    ("What does indicator 9.c.1 measure?", [("indicator", "9.c.1")]),      # not also target 9.c
    ("الهدف 4 والغاية 4.b", [("goal", "4"), ("target", "4.b")]),
    ("What does CS 173 say?", [("margin", "CS 173")]),
    ("What does No. 50A of the Convention say?", [("margin", "50A")]),
    # Numbers that cite no provision: a decision's number, a year, a resolution's symbol.
    ("What did Decision No. 5 allocate?", []),
    ("What is the goal of 2030 for poverty?", []),
    ("What did resolution 80/16 decide in 2025?", []),
])
def test_references_are_read_in_both_languages(question, wanted):
    assert [(r.kind, r.number) for r in references(question)] == wanted


def test_an_article_is_matched_by_its_units_and_by_the_heading_above_them():
    article = references("Article 16")[0]
    assert article.matches("Article 16.2", "")
    assert not article.matches("Article 160", "") and not article.matches("Article 1.6", "")
    # The Convention numbers its units CV 50, CV 50A...: the article is their heading.
    assert references("Article 4")[0].matches("CV 50A", "CHAPTER I\nArticle 4: The Council")
    assert not references("Article 4")[0].matches("CV 1", "CHAPTER I\nArticle 40: Other")
    assert references("الهدف 4")[0].matches("4.b", "الهدف 4: ضمان التعليم الجيد")


def test_a_share_is_its_own_kind_of_answer():
    question = analyse("What percentage of GDP does the target set?")
    assert question.asks == "percentage"
    [share] = [f for f in facts("at least 0.7 per cent of gross national income") if f.kind == "percentage"]
    assert question.answered_by(share) and share.english == "0.7%"
    assert not any(question.answered_by(f) for f in facts("by 2030, for 46 countries"))
    assert [f.english for f in facts("نسبة 7 في المائة سنوياً") if f.kind == "percentage"] == ["7%"]


def test_a_goal_is_a_subject_and_does_not_put_its_targets_first():
    assert not references("Is SDG 11 part of the 2023 HLPF review?")[0].ranks_first
    assert references("What does target 11.2 say?")[0].ranks_first


@pytest.mark.parametrize("question, kind", [
    ("How much did ITU spend at the summit?", "money"),
    ("What is the annual budget of the Bureau?", "money"),
    ("ما الميزانية المعتمدة للفترة 2024-2025؟", "money"),
    ("What ceiling does the SDG framework put on the cost of remittances?", ""),
    ("How many Member States sit on the Council?", "number"),
])
def test_a_question_about_money_asks_for_an_amount(question, kind):
    assert analyse(question).asks == kind


def test_an_amount_is_a_figure_with_its_currency():
    assert [(f.kind, f.english) for f in facts("a budget of CHF 2.5 million, approved on 5 June 2023")] == [
        ("money", "CHF 2.5 million"), ("date", "5 June 2023")]
    assert [f.kind for f in facts("بمبلغ 50 000 فرنك سويسري")] == ["money"]
    assert "money" not in [f.kind for f in facts("46 countries, 880 million people")]


def test_a_document_is_named_by_its_titles_initials():
    names = DocumentNames({"udhr": "Universal Declaration of Human Rights", "charter": "Charter of the United Nations"},
                          {"udhr": "A/RES/217(III)", "charter": ""})
    assert names.named("What does the UDHR say about education?").documents == {"udhr"}
    assert names.named("What does the CUN say?").documents == {"charter"}
    assert not names.named("What does ITU say?").documents


def test_a_kind_word_inside_a_title_names_that_title_only():
    names = DocumentNames({"tampere": "Tampere Convention on the Provision of Telecommunication Resources",
                           "cv": "Convention of the International Telecommunication Union"},
                          {"tampere": "", "cv": ""})
    assert names.named("How many ratifications does the Tampere Convention need?").documents == {"tampere"}
    # "the Convention" alone may be either: both are preferred
    assert names.named("What does the Convention say about the Council?").documents == {"tampere", "cv"}
    # an English title named in Arabic, through the glossary's rendering (index/bilingual.py)
    assert names.named("متى يسري الانسحاب من اتفاقية تامبيري؟").documents == {"tampere"}
    assert names.named("ماذا تقول الاتفاقية عن المجلس؟").documents == {"tampere", "cv"}


def test_the_organisation_and_the_kind_of_instrument_name_its_treaty_together():
    names = DocumentNames({"tampere": "Tampere Convention on the Provision of Telecommunication Resources",
                           "cv": "Convention of the International Telecommunication Union",
                           "cs": "Constitution of the International Telecommunication Union"},
                          {"tampere": "", "cv": "", "cs": ""})
    assert names.named("What does Article 8 of the ITU Convention say?").documents == {"cv"}
    assert names.named("What does the ITU Constitution say about the Council?").documents == {"cs"}
    assert names.named("ما الذي تنص عليه المادة 8 من اتفاقية الاتحاد الدولي للاتصالات؟").documents == {"cv"}
    assert names.named("ما الذي ينص عليه دستور الاتحاد الدولي للاتصالات بشأن الأمين العام؟").documents == {"cs"}
    # the organisation alone names no treaty of it
    assert not names.named("How often does ITU hold its Plenipotentiary Conference?").documents


def test_a_provision_the_named_treaty_lacks_is_declined_by_name(corpus_assistant):
    # The bundled ITU Convention excerpt holds Chapter I only; the Tampere Convention has an Article 8.
    answer = corpus_assistant.ask("What does Article 8 of the ITU Convention say about the Radiocommunication Assembly?")
    assert answer.abstained and "Article 8" in answer.text and "Convention of the International" in answer.text, answer.text


def test_a_cited_article_is_answered_in_the_askers_language_version(corpus_assistant):
    answer = corpus_assistant.ask("What does Article 19 of the UN Charter say?")
    assert not answer.abstained, answer.text
    first = answer.citations[0].hit
    assert (first.document, first.paragraph) == ("UN-CHARTER@en", "Article 19")
    assert "arrears" in answer.text.splitlines()[1]


def test_an_article_of_several_paragraphs_is_quoted_whole_in_reading_order(corpus_assistant):
    answer = corpus_assistant.ask("ما الذي تنص عليه المادة 26 من الإعلان العالمي؟")
    assert not answer.abstained, answer.text
    assert [(c.hit.document, c.hit.paragraph) for c in answer.citations] == [
        ("A/RES/217(III)@ar", f"Article 26.{n}") for n in (1, 2, 3)]


def test_a_provision_the_documents_do_not_have_is_declined_by_name(corpus_assistant):
    answer = corpus_assistant.ask("What does Article 112 of the UN Charter provide?")
    assert answer.abstained
    assert answer.text.startswith("The indexed documents have no Article 112 (searched in: Charter of the United Nations")
    arabic = corpus_assistant.ask("ما الذي يقيسه المؤشر 9.c.7؟")
    assert arabic.abstained and arabic.text.startswith("لا تتضمن الوثائق المفهرسة المؤشر 9.c.7")


def test_a_cited_provision_that_exists_in_one_language_version_only_is_found(corpus_assistant):
    """The Arabic SDG targets file lacks target 16.1 (its source omits it); the English one has it."""
    answer = corpus_assistant.ask("ما مضمون الغاية 16.1 من أهداف التنمية المستدامة؟")
    assert not answer.abstained, answer.text
    assert (answer.citations[0].hit.document, answer.citations[0].hit.paragraph) == ("SDG-TARGETS@en", "16.1")


def test_a_question_naming_a_document_by_its_initials_is_answered_from_it(corpus_assistant):
    """"UDHR" names the Declaration; its name was spent on finding it, so the rest of the
    question ("about education") decides whether, and with what, it is answered."""
    answer = corpus_assistant.ask("What does the UDHR say about education?")
    assert not answer.abstained, answer.text
    first = answer.citations[0].hit
    assert first.document == "A/RES/217(III)@en" and first.paragraph.startswith("Article 26"), answer.text


def test_an_answer_quotes_the_language_of_the_paragraph_retrieval_put_first(corpus_assistant):
    """An Arabic question about an English resolution: e5 scores the Arabic Charter's sentences
    higher than the resolution's only because they share the question's language."""
    answer = corpus_assistant.ask("ما الدعم الذي يطلبه القرار 80/16 من الأمين العام؟")
    assert not answer.abstained, answer.text
    assert {c.hit.document for c in answer.citations} == {"A/RES/80/16@en"}, answer.text
