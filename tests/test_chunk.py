"""Chunks: one per paragraph, split at sentence ends only past the embedder's limit."""
from index.chunk import MAX_TOKENS, chunk_document
from index.embed import load_embedder
from index.ingest import load_document
from index.model import Document, Paragraph
from index.schema import chunk_record
from tests.conftest import SEED


def test_every_seed_paragraph_is_one_chunk_headed_by_its_section():
    embedder = load_embedder("e5")
    document = load_document(SEED)
    chunks = chunk_document(document, embedder.token_count)
    assert [c.paragraph.id for c in chunks] == [p.id for p in document.paragraphs]
    chunk = next(c for c in chunks if c.paragraph.id == "4.1")
    assert chunk.embed_text.startswith(document.title + " > اللجنة المعنية بوضع المرأة\n")
    assert chunk_record(chunk, sentences=1).id == "council-2023-un-cooperation-report-ar#4.1#0"


def test_a_long_paragraph_splits_at_sentence_ends_within_the_limit_and_loses_nothing():
    embedder = load_embedder("e5")
    sentences = [f"الجملة رقم {n} تتحدث عن التعاون الرقمي بين الوكالات في منظومة الأمم المتحدة." for n in range(120)]
    long = Paragraph(id="2.1", label="1.2", text=" ".join(sentences), headings=["خطتنا المشتركة"])
    short = Paragraph(id="2.2", label="2.2", text="فقرة قصيرة.", headings=["خطتنا المشتركة"])
    chunks = chunk_document(Document(id="d", paragraphs=[long, short], title="T"), embedder.token_count)
    parts = [c for c in chunks if c.paragraph.id == "2.1"]
    assert len(parts) > 1 and [c.part for c in parts] == list(range(len(parts)))
    assert all(embedder.token_count(c.embed_text) <= MAX_TOKENS + 2 for c in parts)
    assert all(c.text.endswith(".") for c in parts)  # every part ends at a sentence end
    assert " ".join(c.text for c in parts) == long.text
    assert [c.text for c in chunks if c.paragraph.id == "2.2"] == ["فقرة قصيرة."]  # never merged across paragraphs
