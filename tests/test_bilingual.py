"""A question's words translated into the other script count as lexical evidence for the
paragraphs in that script, which BM25 cannot otherwise read."""
from __future__ import annotations

from pathlib import Path

from index import bilingual
from index.arabic import tokens
from index.bilingual import rendered, translated
from index.retrieve import fuse


def test_question_words_are_translated_both_ways():
    assert tokens("انسحاب")[0] in translated("How long after notice does withdrawal take effect?")
    assert tokens("withdrawal")[0] in translated("متى يسري الانسحاب من الاتفاقية؟")


def test_a_word_is_translated_by_its_common_sense_not_a_rare_one():
    # the dictionary also gives العالم as scholar and savant, الأفراد as "alabaman" (from "فرد
    # من ألاباما"); kept by how many pairs shared them, the rare senses came first
    assert tokens("world")[0] in translated("ما الذي يربط العالم؟")
    assert tokens("individuals")[0] in translated("ما حقوق الأفراد؟")
    assert tokens("scholar")[0] not in translated("ما الذي يربط العالم؟")


def test_a_word_with_a_joined_preposition_or_article_is_translated():
    # the stemmer leaves "و+ال", "ل" and the accusative alif on; the dictionary has the bare word
    assert tokens("council")[0] in translated("ما دور الأمين العام والمجلس؟")
    assert tokens("telecommunications")[0] in translated("ما مساعدة اتصالات الطوارئ؟")
    assert tokens("limit")[0] in translated("ما المعايير لتحديد الأولويات؟")


def test_a_glossary_term_is_translated_whole():
    # word by word, "conference" is تشاور or موتمر and "plenipotentiary" مفوض, never مندوب
    assert set(tokens("مؤتمر المندوبين المفوضين")) <= set(translated("When does the Plenipotentiary Conference meet?"))
    assert set(tokens("Plenipotentiary Conference")) <= set(translated("متى ينعقد مؤتمر المندوبين المفوضين؟"))


def test_without_the_dictionary_only_glossary_terms_are_translated(monkeypatch, capsys):
    monkeypatch.setattr(bilingual, "DICTIONARY", Path("/nonexistent/freedict_ar_en.tsv.gz"))
    bilingual._load.cache_clear()
    try:
        assert translated("sunny weather") == []                            # dictionary words
        assert set(tokens("انسحاب سحب")) <= set(translated("withdrawal"))   # a glossary term
        assert "fewer words are matched across Arabic and English" in capsys.readouterr().err
    finally:
        bilingual._load.cache_clear()


def test_how_many_is_not_translated():
    # "many" is what kind of answer is asked for; translated, it matched "أكثر من 500" in a
    # paragraph about something else, and an unanswerable question was answered
    assert translated("How many languages?") == translated("languages?")


def test_an_unreadable_paragraph_holding_the_translated_words_ranks_first():
    dense = [("ar#1#0", 0.85), ("ar#2#0", 0.85), ("en#1#0", 0.80)]
    ranked = fuse(dense, [], 0.0, set(), 3, unreadable=frozenset({"ar#1#0", "ar#2#0"}),
                  across=[("ar#2#0", 3.0), ("en#1#0", 9.0)])
    assert [r.chunk_id for r in ranked][:2] == ["ar#2#0", "ar#1#0"]
    # only paragraphs in the other script take translated evidence: en#1 is read by BM25 itself
    alone = fuse(dense, [], 0.0, set(), 3, unreadable=frozenset({"ar#1#0", "ar#2#0"}))
    assert {r.chunk_id: r.score for r in ranked}["en#1#0"] == {r.chunk_id: r.score for r in alone}["en#1#0"]


def test_an_english_question_finds_the_english_provision_before_an_arabic_paragraph_it_shares_no_word_with(
        corpus_index):
    """Without translation the Arabic report's paragraph on standards bodies (5.2, full of
    Latin acronyms) outranked Resolution 140's resolves 10, which answers."""
    question = "Which WSIS action line is ITU-D told to prioritize?"
    found = [(h.document, h.paragraph) for h in corpus_index.search(question, k=5, language="en")]
    answer = ("Resolution 140 (Rev. Dubai, 2018)@en", "resolves 10")
    assert answer in found
    arabic = ("council-2023-un-cooperation-report-ar", "5.2")
    assert arabic not in found or found.index(answer) < found.index(arabic)


def test_a_question_is_rendered_word_by_word_as_written_for_the_embedder():
    # e5 embeds words as written: "constitution", not the lexical stem "constitut"
    words = rendered("من يمثل الاتحاد الدولي للاتصالات بحسب دستوره؟").split()
    assert "constitution" in words and "constitut" not in words
    assert "مؤتمر المندوبين المفوضين" in rendered("When does the Plenipotentiary Conference meet?")


def test_an_arabic_question_searches_english_texts_with_its_translated_words(corpus_index):
    """e5-small ranks an Arabic question well below its English answer; the question's
    translated words, mixed into the vector it searches English texts with, bring it up."""
    question = "من الذي يمثل الاتحاد أمام القانون وفقاً لدستوره؟"
    vector = corpus_index.embed_query(question)
    vectors = corpus_index.query_vectors(question, vector)
    assert vectors.of("ar") is vector and vectors.across is not None
    provision = corpus_index.paragraph("itu-constitution-excerpt-en", "CS 73bis")
    answer = corpus_index.embed_passage(provision.text)
    assert float(vectors.of("en") @ answer) > float(vector @ answer) + 0.02
    english = corpus_index.query_vectors("Who represents the Union in law?", vector)
    assert english.across is None   # English questions: no gain measured on XQuAD, no extra embedding
