"""A question asked of several texts is answered from each: their names are read from the
question, each text is searched for what it asks, and each is quoted."""
from __future__ import annotations

import pytest

from index.document_names import DocumentNames

TITLES = {"tampere": "Tampere Convention on the Provision of Telecommunication Resources",
          "cs": "Constitution of the International Telecommunication Union",
          "charter-en": "Charter of the United Nations", "charter-ar": "ميثاق الأمم المتحدة",
          "connect": "Connect 2030 Agenda for global telecommunication",
          "oewg": "Open-ended Working Group on Security of and in the Use of ICTs"}
SYMBOLS = {"charter-en": "UN-CHARTER", "charter-ar": "UN-CHARTER", "oewg": "A/RES/80/16"}
NAMES = DocumentNames(TITLES, SYMBOLS)


@pytest.mark.parametrize("question, compared", [
    ("Do the Tampere Convention and the Constitution define telecommunication alike?", [{"cs"}, {"tampere"}]),
    # the Charter's two language versions are one text
    ("كيف يربط الميثاق الوكالات المتخصصة، وكيف يصف الدستور صلة الاتحاد بها؟", [{"charter-ar", "charter-en"}, {"cs"}]),
    # joined by a "و" written onto the next word: "ودستور", "واتفاقية" (the stemmer keeps the latter's)
    ("ماذا يقول الميثاق ودستور الاتحاد عن التعاون الدولي؟", [{"charter-ar", "charter-en"}, {"cs"}]),
    ("هل يعرّف الدستور واتفاقية تامبيري الاتصالات بالطريقة نفسها؟", [{"cs"}, {"tampere"}]),
    # one text named
    ("What does the Tampere Convention say about telecommunication and relief?", []),
    # two named, but not joined: the question is asked of one
    ("What does the Tampere Convention say about the Constitution?", []),
    # "agenda" is a common noun as well as a kind of text: "a GA agenda item" names nothing
    ("Under which agenda item and in which year was resolution 80/16 adopted?", []),
])
def test_the_texts_a_question_is_asked_of(question, compared):
    assert sorted(map(set, NAMES.named(question).compared), key=sorted) == compared


def test_a_question_asked_of_two_texts_quotes_each(corpus_assistant):
    answer = corpus_assistant.ask("Is 'telecommunication' defined the same way in the Tampere Convention and in the ITU Constitution?")
    assert not answer.abstained, answer.text
    cited = {c.hit.document: c.hit.paragraph for c in answer.citations}
    # the Convention's definition of telecommunications, not its definition of itself (Article 1.4)
    assert cited.get("tampere-convention-en") == "Article 1.15"
    assert "itu-constitution-excerpt-en" in cited


def test_each_text_is_quoted_in_its_own_language_when_the_asker_s_is_missing(corpus_assistant):
    answer = corpus_assistant.ask("كيف يربط الميثاق الوكالات المتخصصة بالأمم المتحدة، وكيف يصف دستور الاتحاد صلته بالمنظمة؟")
    assert not answer.abstained, answer.text
    documents = {c.hit.document for c in answer.citations}
    assert "UN-CHARTER@ar" in documents              # the Arabic version, the asker's
    assert "itu-constitution-excerpt-en" in documents  # indexed in English only
    assert "بعضها مقتبس أدناه باللغة الإنكليزية" in answer.text.splitlines()[0]   # "some quoted in English"
