"""Bytes of a text or HTML file -> str, or a DocumentError saying why they are not text.

Council text files come as UTF-8, UTF-16 (Word's "Unicode text", with or without a
byte-order mark) and Windows-1256, the legacy Arabic code page. Windows-1256 maps
every byte to some character, so decoding with it proves nothing: it is accepted
only when what comes out reads as Arabic, and never for a file that is UTF-8 with
a damaged byte (which would turn every Arabic letter into two wrong ones). Binary
data is refused. Every refusal names the first offending byte, so nothing is ever
indexed as mojibake.
"""
from __future__ import annotations

import codecs
import re
from collections import Counter
from pathlib import Path

from bs4.dammit import EncodingDetector

from index.errors import DocumentError

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig", "UTF-8"), (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
         (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"))
UTF16_SAMPLE = 4096          # bytes looked at to tell UTF-16 without a byte-order mark
UTF16_MIN_ZERO_SHARE = 0.05  # of 2-byte units with a zero high byte: the spaces and digits of UTF-16 text
UTF16_MIN_ONE_SCRIPT = 0.9   # of units whose high byte is zero or one other value: ASCII and one script's letters
MAX_CONTROL_SHARE = 0.01     # of characters: text has tabs, line and page breaks, not other control characters
MIN_ARABIC_SHARE = 0.8       # of non-ASCII characters, to accept Windows-1256: random bytes give 47%, Arabic text 95+%
# Control characters that do not occur in text: C0 but tab, line feed, vertical tab, form feed
# and carriage return; DEL; C1.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_ARABIC = re.compile("[\u0600-\u06FF]")
_LATIN = re.compile("[A-Za-z]")
_TAG = re.compile("<[^<>]*>")


def decode_text(data: bytes, path: Path | str = "", declared: str | None = None) -> str:
    """UTF-8 or UTF-16 with a byte-order mark; UTF-16 told by its zero bytes; UTF-8;
    else the encoding the file declares (an HTML <meta charset>) when its bytes decode
    in it; else Arabic in Windows-1256. Valid UTF-8 wins over a declaration: legacy
    text is almost never valid UTF-8, and a page converted to UTF-8 may keep its old
    charset."""
    for bom, encoding, name in _BOMS:
        if data.startswith(bom):
            return _checked(_strict(data, encoding, name, path), path)
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return _checked(data.decode(utf16), path)
        except UnicodeDecodeError:
            pass  # not UTF-16 after all: its zero bytes make it binary below
    if b"\x00" in data:
        raise DocumentError(path, f"binary data, not text (a zero byte at byte {data.index(0)})")
    try:
        return _checked(data.decode("utf-8"), path)
    except UnicodeDecodeError as error:
        first = error.start
    if declared:
        try:
            return _checked(data.decode(declared), path)
        except (UnicodeDecodeError, LookupError):
            pass  # a wrong or unknown declaration: judge the bytes themselves
    damaged = _damaged_utf8(data)
    if damaged:
        raise DocumentError(path, f"invalid UTF-8 at byte {first} ({damaged:,} damaged place(s) in UTF-8 text): "
                                  "save it again as UTF-8")
    text = data.decode("cp1256")  # every byte maps to a character: only the result can tell
    if not _reads_as_arabic(text):
        raise DocumentError(path, f"not UTF-8 (byte 0x{data[first]:02X} at byte {first}) and not Arabic "
                                  "Windows-1256 text: save it as UTF-8")
    return _checked(text, path)


def decode_html(data: bytes, path: Path | str = "") -> str:
    """HTML bytes as text, honouring the encoding the page declares (e.g. windows-1256)."""
    return decode_text(data, path, declared=EncodingDetector.find_declared_encoding(data, is_html=True))


def _strict(data: bytes, encoding: str, name: str, path: Path | str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise DocumentError(path, f"invalid {name} at byte {error.start}: save it again") from error


def _utf16_without_bom(data: bytes) -> str | None:
    """utf-16-le or utf-16-be when the high bytes of the 2-byte units look like text in
    one script: zero for spaces, digits and Latin letters, one value for the letters
    of a script (0x06 for Arabic). Binary data spreads its zeros and high bytes."""
    sample = data[:UTF16_SAMPLE]
    for high, encoding in ((sample[1::2], "utf-16-le"), (sample[0::2], "utf-16-be")):
        counts = Counter(high)
        zeros = counts.pop(0, 0)
        script = max(counts.values(), default=0)
        if high and zeros >= UTF16_MIN_ZERO_SHARE * len(high) and zeros + script >= UTF16_MIN_ONE_SCRIPT * len(high):
            return encoding
    return None


def _damaged_utf8(data: bytes) -> int:
    """How many invalid sequences a file holds when it is UTF-8 with some damage (more
    valid multi-byte characters than invalid sequences), else 0. Windows-1256 Arabic
    is nearly all invalid as UTF-8."""
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd") - data.count("\ufffd".encode())
    valid = len(text) - len(text.encode("ascii", "ignore")) - invalid
    return invalid if valid >= invalid else 0


def _reads_as_arabic(text: str) -> bool:
    """Most characters past ASCII are Arabic (random bytes are not), and Arabic letters
    are at least as many as the Latin letters outside HTML tags (as index.language
    decides a script), so that an English file with a stray byte is not taken for
    Arabic. Counted with subn: findall would make an object per letter of a 20 MB file."""
    arabic = _ARABIC.subn("", text)[1]
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    latin = _LATIN.subn("", _TAG.sub(" ", text))[1]
    return arabic >= MIN_ARABIC_SHARE * non_ascii and arabic >= latin


def _checked(text: str, path: Path | str) -> str:
    controls = _CONTROL.subn("", text)[1]
    if controls > MAX_CONTROL_SHARE * len(text):
        first = _CONTROL.search(text).start()
        raise DocumentError(path, f"binary data, not text ({controls:,} control characters in "
                                  f"{len(text):,}, the first at character {first})")
    return text
