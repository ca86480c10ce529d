"""Text from a learner's document, or a kind sentence saying why not (bot/documents/)."""

from __future__ import annotations

import builtins
import io
import logging
import os
import random
import tempfile
import zipfile

import docx
import pytest
from pypdf import PageObject, PdfReader
from pypdf.errors import PdfReadError

from bot import documents
from bot.documents import SUPPORTED, DocumentProblem, document_text
from bot.documents import pdf as pdf_reader
from bot.documents import word as word_reader
from bot.types import MAX_FILE_BYTES
from tests.documents_fixture import docx_bytes, image_only_pdf, long_pdf, pdf_bytes, report_pages


def problem(name: str, data: bytes) -> str:
    with pytest.raises(DocumentProblem) as caught:
        document_text(name, data)
    return str(caught.value)


def random_bytes(size: int = 4000) -> bytes:
    return random.Random(size).randbytes(size)


def zip_of_something_else() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return out.getvalue()


# --- the fixtures are real documents -----------------------------------------------------------------------------

def test_hand_written_pdf_reads_back_in_pypdf() -> None:
    reader = PdfReader(io.BytesIO(pdf_bytes(["Budget (revised) £1,200", "Second page\nwith two lines"])))
    assert len(reader.pages) == 2
    assert "Budget (revised) £1,200" in reader.pages[0].extract_text()
    assert "with two lines" in reader.pages[1].extract_text()


def test_long_pdf_is_twenty_pages_of_about_45_lines() -> None:
    pages = report_pages(20)
    assert len(pages) == 20
    assert all(len(page.split("\n")) == 45 for page in pages)
    assert "three-year forecast" in "\n".join(pages).lower()


# --- PDF ---------------------------------------------------------------------------------------------------------

def test_pdf_text_of_every_page_with_pages_apart() -> None:
    text = document_text("plan.pdf", pdf_bytes(["Staffing costs rose (see table) by £4,800.",
                                                "Risks\nEnergy contract ends in September \\ renewal due"]))
    assert "Staffing costs rose (see table) by £4,800." in text
    assert "Risks\nEnergy contract ends in September \\ renewal due" in text
    assert "£4,800.\n\nRisks" in text          # a blank line between pages


def test_long_report_reads_whole() -> None:
    text = document_text("report.pdf", long_pdf(20))
    assert text.startswith("Meadowbank Primary School: budget monitoring report")
    assert "Three-year forecast" in text and "Recommendations" in text
    assert text.count("\n\n") == 19


def test_password_protected_pdf() -> None:
    message = problem("plan.pdf", pdf_bytes(["Confidential"], encrypt_password="s3cret"))
    assert "“plan.pdf”" in message and "password" in message


def test_pdf_encrypted_with_an_empty_password_is_read() -> None:
    # Encrypted only to restrict copying or printing: anyone can open it, so the bot reads it.
    assert document_text("locked.pdf", pdf_bytes(["Open to all readers"], encrypt_password="")) == \
        "Open to all readers"


def test_scanned_pdf() -> None:
    message = problem("scan.pdf", image_only_pdf())
    assert "“scan.pdf”" in message and "scanned" in message and "text version" in message


def test_pdf_with_no_pages() -> None:
    message = problem("blank.pdf", pdf_bytes([]))
    assert "“blank.pdf”" in message and "couldn't find any text" in message


def test_a_long_pdf_is_read_to_the_page_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    assert pdf_reader.MAX_PDF_PAGES == 200
    monkeypatch.setattr(pdf_reader, "MAX_PDF_PAGES", 3)      # the same rule, with fewer pages to build
    text = document_text("long.pdf", pdf_bytes([f"Section {n} text" for n in "ABCDE"]))
    assert "Section C text" in text and "Section D" not in text


@pytest.mark.parametrize("data", [random_bytes(), b"%PDF-1.4\n" + random_bytes(), docx_bytes(["Not a PDF"])],
                         ids=["random", "pdf-header-then-noise", "a-docx"])
def test_not_really_a_pdf(data: bytes) -> None:
    message = problem("minutes.pdf", data)
    assert "couldn't open “minutes.pdf”" in message and "PDF" in message


def test_malformed_pdf_keeps_the_log_quiet(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        problem("minutes.pdf", b"%PDF-1.4\n" + random_bytes())
    assert caplog.records == []


def test_unexpected_pdf_error_is_logged_and_still_kind(monkeypatch: pytest.MonkeyPatch,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    def broken(stream: object) -> None:
        raise RuntimeError("a bug in the reader")

    data = pdf_bytes(["Fine"])
    monkeypatch.setattr(pdf_reader.pypdf, "PdfReader", broken)
    with caplog.at_level(logging.ERROR, logger="bot.documents"):
        message = problem("plan.pdf", data)
    assert "couldn't open “plan.pdf”" in message
    assert any(record.exc_info and "a bug in the reader" in str(record.exc_info[1]) for record in caplog.records)


def test_one_damaged_page_does_not_cost_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    original = PageObject.extract_text

    def fragile(page: PageObject, *args: object, **kwargs: object) -> str:
        text = original(page, *args, **kwargs)
        if "damaged" in text:
            raise PdfReadError("bad content stream")
        return text

    monkeypatch.setattr(PageObject, "extract_text", fragile)
    assert document_text("plan.pdf", pdf_bytes(["first page", "damaged page", "last page"])) == \
        "first page\n\nlast page"
    assert "couldn't open “bad.pdf”" in problem("bad.pdf", pdf_bytes(["damaged page"]))


# --- Word --------------------------------------------------------------------------------------------------------

def test_docx_heading_paragraphs_and_table() -> None:
    data = docx_bytes(["Catering uptake fell after the price rise.", "The  contract\tis under   review."],
                      table=[["Cost centre", "Budget", "Forecast"], ["E16 Energy", "£71,250", "£66,100"]],
                      heading="Budget monitoring: October")
    assert document_text("report.docx", data) == (
        "Budget monitoring: October\n\n"
        "Catering uptake fell after the price rise.\n\n"
        "The contract is under review.\n\n"
        "Cost centre | Budget | Forecast\n"
        "E16 Energy | £71,250 | £66,100")


def test_docx_keeps_document_order_and_merged_cells_once() -> None:
    document = docx.Document()
    document.add_paragraph("Before the table")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "Staffing"
    for cell, value in zip(table.rows[1].cells, ["Teachers", "Support", "Agency"], strict=True):
        cell.text = value
    document.add_paragraph("After\u00a0the table")
    out = io.BytesIO()
    document.save(out)
    assert document_text("order.docx", out.getvalue()) == (
        "Before the table\n\nStaffing\nTeachers | Support | Agency\n\nAfter the table")


def test_docx_with_no_text() -> None:
    message = problem("blank.docx", docx_bytes(["", "   "]))
    assert "“blank.docx”" in message and "couldn't find any text" in message


@pytest.mark.parametrize("data", [random_bytes(), zip_of_something_else(), pdf_bytes(["Not a Word file"])],
                         ids=["random", "a-zip-of-something-else", "a-pdf"])
def test_not_really_a_docx(data: bytes) -> None:
    message = problem("plan.docx", data)
    assert "couldn't open “plan.docx”" in message and "Word" in message


def test_encrypted_or_old_word_file_named_docx() -> None:
    # Word saves a password-protected .docx (and any old .doc) as an OLE container, not a zip.
    message = problem("plan.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + random_bytes())
    assert "“plan.docx”" in message and "password" in message and "older Word format" in message


def test_docx_that_unpacks_too_far(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(word_reader, "MAX_DOCX_UNPACKED_BYTES", 1000)
    message = problem("bomb.docx", docx_bytes(["An ordinary paragraph"]))
    assert "“bomb.docx”" in message and "unpacks" in message


def test_unexpected_docx_error_is_logged_and_still_kind(monkeypatch: pytest.MonkeyPatch,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    def broken(stream: object) -> None:
        raise AttributeError("a bug in the reader")

    data = docx_bytes(["Fine"])     # before the reader breaks: the fixture writes with the same library
    monkeypatch.setattr(word_reader.docx, "Document", broken)
    with caplog.at_level(logging.ERROR, logger="bot.documents"):
        message = problem("plan.docx", data)
    assert "couldn't open “plan.docx”" in message
    assert any(record.exc_info and "a bug in the reader" in str(record.exc_info[1]) for record in caplog.records)


# --- plain text and Markdown -------------------------------------------------------------------------------------

def test_utf8_with_bom_and_tidied_paragraphs() -> None:
    data = "\ufeffFirst  paragraph\r\nstill first\r\n\r\n\r\n\r\n\tSecond paragraph  \r\n\r\n".encode()
    assert document_text("notes.txt", data) == "First paragraph\nstill first\n\nSecond paragraph"


def test_windows_1252_text() -> None:
    data = "The £500 “contingency” – reviewed".encode("cp1252")
    assert document_text("notes.txt", data) == "The £500 “contingency” – reviewed"


def test_utf16_with_bom_from_notepad() -> None:
    assert document_text("notes.txt", "Reflective log: week 3".encode("utf-16")) == "Reflective log: week 3"


def test_markdown_headings_stay_their_own_lines() -> None:
    data = b"# Catering review\n\nUptake fell.\n\n## Actions\n- retender\n"
    assert document_text("review.md", data) == "# Catering review\n\nUptake fell.\n\n## Actions\n- retender"


@pytest.mark.parametrize("data", [b"PK\x03\x04\x00\x00binary\x00stuff", bytes(range(1, 32)) * 20],
                         ids=["nul-bytes", "control-characters"])
def test_binary_named_txt(data: bytes) -> None:
    message = problem("notes.txt", data)
    assert "“notes.txt”" in message and "plain text" in message and "binary" in message


def test_text_of_only_whitespace() -> None:
    message = problem("notes.md", b" \n\t\r\n  ")
    assert "couldn't find any text in “notes.md”" in message


# --- every type: name, type, size, emptiness ---------------------------------------------------------------------

@pytest.mark.parametrize("name", ["budget.xlsx", "photo.png", "photo.PNG", "slides.pptx"])
def test_unknown_type_says_what_it_reads(name: str) -> None:
    message = problem(name, b"anything")
    assert f"“{name}”" in message and name.rsplit(".", 1)[1].lower() in message
    assert all(extension in message for extension in SUPPORTED)


def test_no_extension() -> None:
    message = problem("README", b"anything")
    assert "“README”" in message and "no ending" in message and ".docx" in message and ".pdf" in message


def test_old_word_format_suggests_saving_as_docx() -> None:
    message = problem("plan.doc", b"anything")
    assert "“plan.doc”" in message and "older Word format" in message and "save it as a .docx" in message


@pytest.mark.parametrize("name", ["PLAN.PDF", "Notes.Txt", "Review.MD"])
def test_extension_case_does_not_matter(name: str) -> None:
    data = pdf_bytes(["Shouting name"]) if name.endswith("PDF") else b"Shouting name"
    assert document_text(name, data) == "Shouting name"


def test_oversize() -> None:
    message = problem("huge.pdf", b"%" * (14 * 1024 * 1024 + 200_000))
    assert "“huge.pdf”" in message and "14.2 MB" in message and "10 MB" in message


def test_just_over_the_limit_never_reads_as_the_limit() -> None:
    message = problem("big.txt", b"a" * (MAX_FILE_BYTES + 1))
    assert "10.1 MB" in message and "10 MB" in message


def test_at_the_limit_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(documents, "MAX_FILE_BYTES", 12)
    assert document_text("ok.txt", b"twelve bytes") == "twelve bytes"
    assert "MB" in problem("ok.txt", b"thirteen byte")


@pytest.mark.parametrize("name", ["empty.pdf", "empty.docx", "empty.txt", "empty.md"])
def test_empty_file(name: str) -> None:
    message = problem(name, b"")
    assert f"“{name}”" in message and "empty" in message


@pytest.mark.parametrize("name", ["/home/jane/Documents/plan.pdf", r"C:\Users\jane\plan.pdf", "  plan.pdf  "])
def test_the_message_names_the_file_not_its_path(name: str) -> None:
    message = problem(name, pdf_bytes(["x"], encrypt_password="pw"))
    assert message.startswith("“plan.pdf” is password-protected") and "jane" not in message


def test_a_nameless_file_still_gets_a_sentence() -> None:
    assert problem("", b"x").startswith("I can't tell what kind of document that file is")
    assert problem("/tmp/", b"x").startswith("I can't tell what kind of document that file is")


@pytest.mark.parametrize(("name", "data"), [
    ("a.xlsx", b"x"), ("a.pdf", b""), ("a.pdf", b"%" * (MAX_FILE_BYTES + 1)), ("a.pdf", random_bytes()),
    ("a.pdf", image_only_pdf()), ("a.pdf", pdf_bytes(["x"], encrypt_password="pw")), ("a.docx", random_bytes()),
    ("a.docx", docx_bytes([])), ("a.txt", b"\x00\x01"),
], ids=["type", "empty", "size", "corrupt-pdf", "scanned", "password", "corrupt-docx", "no-text", "binary"])
def test_every_problem_is_one_kind_sentence_or_two(name: str, data: bytes) -> None:
    message = problem(name, data)
    assert "“a." in message and (message.startswith("“") or message[0].isupper()) and message.endswith("?")
    assert "\n" not in message and "Error" not in message and len(message) < 300


# --- held in memory only -----------------------------------------------------------------------------------------

def test_nothing_is_written_to_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_files(*args: object, **kwargs: object) -> None:
        raise AssertionError("a document must never touch the disk")

    # Read each kind once first, so any lazy import or one-off setup has happened before the files are barred.
    samples = [("a.pdf", pdf_bytes(["Evidence text"])), ("a.docx", docx_bytes(["Evidence text"])),
               ("a.txt", b"Evidence text")]
    for name, data in samples:
        document_text(name, data)
    for module, attribute in [(builtins, "open"), (io, "open"), (os, "open"), (tempfile, "NamedTemporaryFile"),
                              (tempfile, "TemporaryFile"), (tempfile, "SpooledTemporaryFile"), (tempfile, "mkstemp"),
                              (tempfile, "mkdtemp")]:
        monkeypatch.setattr(module, attribute, no_files)
    for name, data in samples:
        assert document_text(name, data) == "Evidence text"


def test_the_readers_are_not_loaded_with_the_bot() -> None:
    # pypdf and python-docx cost about a tenth of a second of start-up (make bench: start-up), and almost no
    # message carries a document: they are imported when one arrives.
    import subprocess
    import sys

    code = ("import sys, adapters.compose; "
            "print(sorted(m for m in ('pypdf', 'docx', 'lxml') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
