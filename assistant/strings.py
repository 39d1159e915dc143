"""Every word the assistant and its web page say, English and Arabic side by side."""
from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # --- the assistant's own words in an answer ------------------------------------------
    "intro": {"en": "According to the documents:", "ar": "بحسب الوثائق:"},
    "intro_quoting": {"en": "According to the documents (quoted below in {source}):",
                      "ar": "بحسب الوثائق (مقتبسة أدناه باللغة {source}):"},
    "abstain": {"en": "The indexed documents do not answer this question. The closest paragraphs are listed below.",
                "ar": "لا تجيب الوثائق المفهرسة عن هذا السؤال. ترد أدناه أقرب الفقرات إليه."},
    "unsupported": {"en": "Not supported by the cited paragraphs", "ar": "غير مدعوم بالفقرات المستشهد بها"},
    "no_index": {"en": "Nothing is indexed yet. Add documents first.", "ar": "لم تُفهرس أي وثيقة بعد. أضف وثائق أولاً."},
    "no_match": {"en": "No indexed paragraph matches the chosen filters (document, language, year).",
                 "ar": "لا توجد فقرة مفهرسة تطابق عوامل التصفية المختارة (الوثيقة، اللغة، السنة)."},
    "empty_question": {"en": "Please type a question.", "ar": "يرجى كتابة سؤال."},
    "no_words": {"en": "This question has no words to search for. Please ask in words.",
                 "ar": "لا يحتوي هذا السؤال على كلمات يمكن البحث عنها. يرجى صياغة السؤال بالكلمات."},
    "too_long": {"en": "This question is too long ({length} characters; at most {limit}). Please shorten it.",
                 "ar": "هذا السؤال طويل جداً ({length} حرفاً؛ الحد الأقصى {limit}). يرجى اختصاره."},
    "llm_failed": {"en": "The language model did not answer ({reason}). Showing the extracted answer instead.",
                   "ar": "لم يُجب النموذج اللغوي ({reason}). تُعرض الإجابة المستخرجة بدلاً من ذلك."},
    # --- citations ---------------------------------------------------------------------
    "paragraph": {"en": "paragraph", "ar": "الفقرة"},
    "printed": {"en": "printed", "ar": "كما طُبعت"},
    "document": {"en": "Document", "ar": "الوثيقة"},
    "thinking": {"en": "Searching the documents…", "ar": "جارٍ البحث في الوثائق…"},
    "open_document": {"en": "Read in the document", "ar": "اقرأ في الوثيقة"},
    "other_language": {"en": "Also in", "ar": "متاحة أيضاً بـ"},
    "copy_question": {"en": "Question", "ar": "السؤال"},
    "copy_answer": {"en": "Answer", "ar": "الإجابة"},
    "copy_sources": {"en": "Sources", "ar": "المصادر"},
    "copied": {"en": "Copied", "ar": "نُسخت"},
    "error": {"en": "Error: {error}", "ar": "خطأ: {error}"},
    # --- the page ----------------------------------------------------------------------
    "title": {"en": "# ITU Council documents assistant\nAsk in Arabic or English. Every answer cites the paragraphs it "
                    "comes from: click a citation to read the paragraph.",
              "ar": "# مساعد وثائق مجلس الاتحاد الدولي للاتصالات\nاسأل بالعربية أو بالإنكليزية. تستشهد كل إجابة "
                    "بالفقرات التي أُخذت منها: انقر على الاستشهاد لقراءة الفقرة."},
    "tab_chat": {"en": "Chat", "ar": "المحادثة"},
    "tab_docs": {"en": "Documents", "ar": "الوثائق"},
    "tab_reader": {"en": "Document view", "ar": "عرض الوثيقة"},
    "ui_language": {"en": "Interface language · لغة الواجهة", "ar": "لغة الواجهة · Interface language"},
    "reader_empty": {"en": "Choose “Read in the document” under a citation to read the cited paragraph in its "
                           "document.",
                     "ar": "اختر «اقرأ في الوثيقة» تحت أحد الاستشهادات لقراءة الفقرة المستشهد بها في وثيقتها."},
    "reader_missing": {"en": "This document is not indexed any more.", "ar": "لم تعد هذه الوثيقة مفهرسة."},
    "back_to_chat": {"en": "Back to the conversation", "ar": "العودة إلى المحادثة"},
    "chatbot": {"en": "Conversation", "ar": "المحادثة"},
    "question": {"en": "Your question", "ar": "سؤالك"},
    "placeholder": {"en": "Ask about the Council documents… (follow-up questions are welcome)",
                    "ar": "اسأل عن وثائق المجلس… (يمكنك طرح أسئلة متابعة)"},
    "send": {"en": "Ask", "ar": "اسأل"},
    "clear": {"en": "Clear conversation", "ar": "مسح المحادثة"},
    "copy": {"en": "Copy answer with citations", "ar": "نسخ الإجابة مع الاستشهادات"},
    "examples": {"en": "Example questions", "ar": "أسئلة للتجربة"},
    "filters": {"en": "Filters", "ar": "عوامل التصفية"},
    "filter_document": {"en": "Document", "ar": "الوثيقة"},
    "filter_language": {"en": "Language", "ar": "اللغة"},
    "filter_year": {"en": "Year", "ar": "السنة"},
    "all_documents": {"en": "All documents", "ar": "كل الوثائق"},
    "all_languages": {"en": "All languages", "ar": "كل اللغات"},
    "all_years": {"en": "All years", "ar": "كل السنوات"},
    "mode": {"en": "Answer mode", "ar": "طريقة الإجابة"},
    "docs_intro": {"en": "Indexed documents. Add .txt, .docx, .pdf or .html Council documents below: they are "
                         "indexed at once and can be asked about.",
                   # \u2066...\u2069 isolate each file type, so its dot stays before it in Arabic text.
                   "ar": "الوثائق المفهرسة. أضف وثائق المجلس بصيغة \u2066.txt\u2069 أو \u2066.docx\u2069 أو "
                         "\u2066.pdf\u2069 أو \u2066.html\u2069 أدناه: تُفهرس فوراً ويمكن السؤال عنها."},
    "upload": {"en": "Add documents", "ar": "إضافة وثائق"},
    "refresh": {"en": "Refresh list", "ar": "تحديث القائمة"},
    "table": {"en": "Indexed documents", "ar": "الوثائق المفهرسة"},
    "col_document": {"en": "Document", "ar": "الوثيقة"},
    "col_symbol": {"en": "Symbol", "ar": "الرمز"},
    "col_title": {"en": "Title", "ar": "العنوان"},
    "col_language": {"en": "Language", "ar": "اللغة"},
    "col_date": {"en": "Date", "ar": "التاريخ"},
    "col_paragraphs": {"en": "Paragraphs", "ar": "عدد الفقرات"},
    "col_indexed": {"en": "Indexed at", "ar": "تاريخ الفهرسة"},
    "indexing": {"en": "Indexing", "ar": "جارٍ الفهرسة"},
    "summary": {"en": "{documents} document(s) indexed: {added} paragraphs added, {updated} updated, {removed} removed, "
                      "{unchanged} unchanged; {embedded} embedded in {seconds:.1f} s.",
                "ar": "فُهرست {documents} وثيقة: أُضيفت {added} فقرة، وحُدّثت {updated}، وحُذفت {removed}، "
                      "ولم تتغير {unchanged}؛ تضمين {embedded} في {seconds:.1f} ث."},
    "saved_as": {"en": "{name} was saved as {saved} (another file named {name} already exists).",
                 "ar": "حُفظ {name} باسم {saved} (يوجد ملف آخر بالاسم {name})."},
    "failed": {"en": "Not indexed:", "ar": "لم تُفهرس:"},
    "nothing": {"en": "No file received.", "ar": "لم يُستلم أي ملف."},
    "uploads_off": {"en": "Uploads are turned off on this server.", "ar": "رفع الوثائق معطّل على هذا الخادم."},
    # --- why an uploaded file was refused before indexing -------------------------------
    "refused_type": {"en": "not a supported type (use {types})", "ar": "نوع غير مدعوم (استخدم \u2066{types}\u2069)"},
    "refused_size": {"en": "larger than {limit} MB", "ar": "أكبر من {limit} ميغابايت"},
    "refused_empty": {"en": "empty file", "ar": "ملف فارغ"},
    "refused_pdf": {"en": "not a PDF file (it does not start with %PDF)",
                    "ar": "ليس ملف PDF (لا يبدأ بـ %PDF)"},
    "refused_docx": {"en": "not a Word document that can be read: {reason}",
                     "ar": "ليس مستند Word يمكن قراءته: \u2066{reason}\u2069"},
    "refused_text": {"en": "not readable text: {reason}", "ar": "ليس نصاً مقروءاً: \u2066{reason}\u2069"},
}

# Example questions under the conversation, in the interface language.
EXAMPLES: dict[str, list[str]] = {
    "en": ["When was the policy brief on the Global Digital Compact released?",
           "What does resolution 76/307 decide?",
           "What is CSW67?",
           "When was the fifth UN Conference on the Least Developed Countries held?"],
    "ar": ["ما هو CSW67؟",
           "متى ستعقد قمة المستقبل؟",
           "ما هو الاتفاق الرقمي العالمي؟",
           "أين عُقد مؤتمر أقل البلدان نمواً الخامس؟"],
}

LANGUAGE_NAMES = {"ar": {"en": "Arabic", "ar": "العربية"}, "en": {"en": "English", "ar": "الإنكليزية"},
                  "fr": {"en": "French", "ar": "الفرنسية"}, "es": {"en": "Spanish", "ar": "الإسبانية"},
                  "ru": {"en": "Russian", "ar": "الروسية"}, "zh": {"en": "Chinese", "ar": "الصينية"}}


def text(key: str, language: str, **values) -> str:
    """The string `key` in `language` (English when it has no such version), filled in."""
    entry = STRINGS[key]
    string = entry.get(language, entry["en"])
    return string.format(**values) if values else string


def language_name(code: str, language: str) -> str:
    """The name of language `code`, written in `language`."""
    return LANGUAGE_NAMES.get(code, {}).get(language, code)
