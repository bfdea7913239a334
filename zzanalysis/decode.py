"""Bytes of a text file → ``str``: encoding detection and the errors a damaged file gives."""
from __future__ import annotations

import re
from pathlib import Path

from .errors import ParseError
from .spans import HAN


def decode_page(data: bytes, *, path: str | Path | None = None, encoding: str | None = None) -> str:
    """Bytes of a page file → text with ``\\n`` line ends.

    Tries, in order: the given ``encoding``; UTF-16 when the file starts with its byte-order mark;
    UTF-16 without one when its zero bytes fall where ASCII characters of UTF-16 text put them and
    the result reads as text (a page always has line breaks and digits, so this is reliable; pure
    Chinese text without a single ASCII character cannot be told apart and needs ``encoding=``);
    UTF-8 (with or without BOM); GB18030 (a superset of GBK and GB2312, the usual legacy encodings
    of Chinese text). A UTF-8 file with a few corrupted bytes is reported, not silently read as
    GB18030 mojibake. ``\\r\\n``, lone ``\\r`` and ``\\n`` all end a line.

    Raises:
        ParseError: for a document or image saved under a text name (a ``.docx`` renamed
            ``.txt``: the message says what the file is), binary data (NUL or control bytes), a file cut off in the middle of a
            character, corrupted UTF-8, double-encoded text, or bytes that are neither UTF-8 nor
            GB18030 — naming the file and line of the first bad byte.
    """
    for magic, what in _NOT_TEXT:
        if data.startswith(magic):
            raise ParseError(f"{what}, not a text file: save it as plain text", path=path, line=1)
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise ParseError(f"unknown encoding {encoding!r}", path=path) from None
        except UnicodeDecodeError as e:
            raise ParseError(f"cannot decode as {encoding}: {e.reason} at byte {e.start}", path=path,
                             line=_byte_line(data, e.start)) from None
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decode_utf16(data, "utf-16", path)
    elif (guess := _utf16_without_bom(data)) is not None:
        text = guess
    else:
        if (nul := data.find(b"\x00")) >= 0:
            raise ParseError("binary data (NUL byte), not a text page", path=path, line=_byte_line(data, nul))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            if e.reason == "unexpected end of data" and e.end == len(data):
                raise ParseError(
                    "file ends in the middle of a UTF-8 character (truncated download?)",
                    path=path,
                    line=_byte_line(data, e.start),
                ) from None
            if _mostly_utf8(data):
                raise ParseError(
                    f"invalid UTF-8 ({e.reason}) at byte {e.start} in a file that is otherwise UTF-8 "
                    "(corrupted?)", path=path, line=_byte_line(data, e.start),
                ) from None
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError as g:
                if g.end == len(data) and g.reason == "incomplete multibyte sequence":
                    reason = "file ends in the middle of a GB18030 character (truncated download?)"
                else:
                    reason = f"neither UTF-8 nor GB18030: byte 0x{data[g.start]:02x} cannot be decoded"
                raise ParseError(reason, path=path, line=_byte_line(data, g.start)) from None
    if "\r" in text:  # a substring test is a fifth of the two replacements on a page without CR
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if (m := _CONTROL_RE.search(text)) is not None:
        line = text.count("\n", 0, m.start()) + 1
        if m.group() >= "\x80":
            raise ParseError(f"control character U+{ord(m.group()):04X}: text decoded twice "
                             "(UTF-8 read as Latin-1 and saved again?)", path=path, line=line)
        raise ParseError("binary data (control characters), not a text page", path=path, line=line)
    return text


# What people save under a .txt or .md name by mistake, by its first bytes.
_NOT_TEXT = (
    (b"PK\x03\x04", "a ZIP container (a .docx, .xlsx or .epub renamed?)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word or Excel file (.doc/.xls)"),
    (b"%PDF-", "a PDF file"),
    (b"{\\rtf", "an RTF document"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
)
# C0 controls other than tab, line feed, form feed (pdftotext's page break) and carriage return;
# DEL; C1 controls other than NEL — in a decoded page these mean binary data or mojibake.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\x80-\x84\x86-\x9f]")
# What a page is made of: ASCII, CJK ideographs (all planes), CJK and full-width punctuation,
# general punctuation. Used to accept a UTF-16 guess only when it reads as Chinese text.
_TEXTLIKE_RE = re.compile(rf"[\t\n\r\x20-\x7e\u2000-\u206f\u25a0-\u25ff\u3000-\u303f\uff00-\uffef{HAN}]")


def _byte_line(data: bytes, pos: int) -> int:
    """1-based line of byte ``pos``, counting ``\\r\\n``, ``\\r`` and ``\\n`` as the decoder does."""
    head = data[:pos]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def _decode_utf16(data: bytes, codec: str, path) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        head = data[: e.start - e.start % 2].decode(codec, "replace")
        line = head.count("\n") + head.count("\r") - head.count("\r\n") + 1
        if e.end == len(data) and e.reason in ("truncated data", "unexpected end of data"):
            raise ParseError("file ends in the middle of a UTF-16 character (truncated download?)",
                             path=path, line=line) from None
        raise ParseError(f"broken UTF-16 text ({e.reason}) at byte {e.start}", path=path, line=line) from None


def _utf16_without_bom(data: bytes) -> str | None:
    """The text of a UTF-16 file saved without byte-order mark, or None if it is not one."""
    if len(data) < 4 or len(data) % 2 or b"\x00" not in data:
        return None
    # ASCII in UTF-16-LE is "x\0": zeros at odd offsets; in BE at even ones. CJK characters put
    # a zero at the other offset only for code points U+xx00, so the majority decides.
    odd, even = data[1::2].count(0), data[0::2].count(0)
    for codec in (("utf-16-le", "utf-16-be") if odd >= even else ("utf-16-be", "utf-16-le")):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if ("\n" in text or "\r" in text) and not _CONTROL_RE.search(text.lstrip("\ufeff")) \
                and len(_TEXTLIKE_RE.findall(text)) >= 0.9 * len(text):
            return text.lstrip("\ufeff")
    return None


def _mostly_utf8(data: bytes) -> bool:
    """True when all but a few of the non-ASCII characters decode as UTF-8 (a corrupted UTF-8
    file); GBK/GB18030 text fails at nearly every Chinese character."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ch > "\x7f") - bad
    return good >= 20 and bad * 20 <= good

