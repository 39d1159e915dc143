"""The seed document parses into the paragraphs a delegate would cite."""
from index.ingest import load_document
from tests.conftest import SEED, SEED_ID

EXPECTED_IDS = (
    ["front.header", "front.purpose", "front.action", "front.relevance", "front.financial", "front.references",
     "1.1"] + [f"2.{k}" for k in range(1, 11)] + [f"3.{k}" for k in range(1, 5)] + ["4.1", "4.2"]
    + [f"5.{k}" for k in range(1, 4)] + [f"6.{k}" for k in range(1, 6)] + ["7.1", "8.1"])


def paragraphs():
    return {p.id: p for p in load_document(SEED).paragraphs}


def test_every_paragraph_id_of_the_seed_in_document_order():
    assert [p.id for p in load_document(SEED).paragraphs] == EXPECTED_IDS


def test_mirrored_labels_become_logical_numbers_and_keep_the_printed_label():
    by_id = paragraphs()
    assert by_id["2.3"].label == "3.2"
    assert by_id["2.3"].text.startswith("الاتفاق الرقمي العالمي")
    assert by_id["2.10"].label == "10.2" and by_id["2.10"].text.startswith("وكما اقترحت")
    assert by_id["3.3"].text.startswith("وأقيم حدث جانبي")  # printed "3.3 <TAB>" with a stray space


def test_sections_one_to_eight_with_titles():
    sections = {p.id.split(".")[0]: p.section_title for p in load_document(SEED).paragraphs
                if not p.id.startswith("front.")}
    assert sorted(sections, key=int) == [str(n) for n in range(1, 9)]
    assert sections["4"] == "اللجنة المعنية بوضع المرأة"
    assert "COP28" in sections["7"]


def test_front_matter_blocks_and_document_metadata():
    by_id = paragraphs()
    assert by_id["front.purpose"].text.startswith("يعرض هذا التقرير")
    assert by_id["front.action"].text == "يُدعى المجلس إلى الإحاطة علماً بهذا التقرير."
    assert by_id["front.financial"].text == "لا شيء."
    assert "C23/INF/9" in by_id["front.references"].text
    assert by_id["front.relevance"].text.startswith("القرار 71")
    document = load_document(SEED)
    assert document.id == SEED_ID
    assert document.date == "2023-06-12"
    assert document.language == "ar" and document.original_language == "en"
    assert document.author == "تقرير من الأمينة العامة"
    assert document.title.startswith("التعاون مع منظومة الأمم المتحدة")
    assert document.session == "C23"  # from the metadata sidecar


def test_five_bullets_and_the_footnote_belong_to_paragraph_6_2():
    p = paragraphs()["6.2"]
    assert p.label == "2.6"
    assert len(p.bullets) == 5
    assert p.bullets[0].startswith("توضيح كيف يمكن") and p.bullets[4].startswith("إشراك الشباب")
    assert p.footnotes == ["هذا هو عنوان مؤقت فقط؛ العنوان النهائي لم يتحدد بعد."]
    assert "footnoteRef" not in p.full_text and "[1: " not in p.full_text
    assert not any(q.bullets for q in paragraphs().values() if q.id != "6.2")


def test_no_paragraph_lost_text_from_the_file():
    raw = SEED.read_text(encoding="utf-8")
    document_text = "\n".join(p.full_text for p in load_document(SEED).paragraphs)
    for probe in ["76/307", "47/23", "CSW67", "COP28", "OHRLLS", "BCG", "500 مبادرة", "مجموعة بوسطن الاستشارية"]:
        assert probe in raw and probe in document_text
