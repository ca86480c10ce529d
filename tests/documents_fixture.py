"""Test documents built in memory: text PDFs (pypdf can't draw text, so they are written by hand), a scanned-looking
PDF, Word documents, and a 20-page budget monitoring report for the benchmark. Nothing touches the disk."""

from __future__ import annotations

import io
import random
import textwrap

import docx
from pypdf import PdfReader, PdfWriter

LINES_PER_PAGE = 45


def pdf_bytes(pages: list[str], encrypt_password: str | None = None) -> bytes:
    """A real PDF with one page per string (each line of it a line on the page) in 11pt Helvetica. With
    ``encrypt_password`` it is encrypted: that password opens it ("" makes a PDF anyone can open but that is
    still encrypted, as many "no copying" PDFs are)."""
    data = _write_pdf([_text_stream(page.split("\n")) for page in pages])
    if encrypt_password is None:
        return data
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=encrypt_password, owner_password="governors-only")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_only_pdf(pages: int = 2) -> bytes:
    """What a scanner makes, as far as text goes: pages with marks on them and not one character."""
    box = b"0.2 0.2 0.2 rg 72 500 300 200 re f 0 0 1 RG 72 100 450 350 re S"
    return _write_pdf([box] * pages)


def docx_bytes(paragraphs: list[str], table: list[list[str]] | None = None, heading: str | None = None) -> bytes:
    """A Word document: the heading (Heading 1), the paragraphs, then the table (first row as written)."""
    document = docx.Document()
    if heading is not None:
        document.add_heading(heading, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=max(len(row) for row in table))
        for cells, row in zip(grid.rows, table, strict=False):
            for cell, value in zip(cells.cells, row, strict=False):
                cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def long_pdf(pages: int = 20) -> bytes:
    """A school business manager's budget monitoring report to governors, ``pages`` pages of about 45 lines."""
    return pdf_bytes(report_pages(pages))


def report_pages(pages: int = 20) -> list[str]:
    """The text of :func:`long_pdf`, page by page (lines joined by newlines)."""
    # The pack governors get: this period's report, then the earlier ones for comparison, as many as fill the pages.
    lines: list[str] = []
    period = 7
    while len(lines) < pages * LINES_PER_PAGE:
        if lines:
            lines += ["", f"Appendix: the period {period} report, for comparison", ""]
        lines += _report_lines(period)
        period = period - 1 if period > 1 else 12
    return ["\n".join(lines[i * LINES_PER_PAGE:(i + 1) * LINES_PER_PAGE]) for i in range(pages)]


# --- writing a PDF by hand ------------------------------------------------------------------------------------------

def _text_stream(lines: list[str]) -> bytes:
    # 14pt leading from the top-left margin; T* moves to the next line, so a blank line is a gap on the page.
    body = [b"BT /F1 11 Tf 50 750 Td 14 TL"]
    for line in lines:
        body.append(b"(" + _pdf_string(line) + b") Tj T*" if line else b"T*")
    body.append(b"ET")
    return b"\n".join(body)


def _pdf_string(text: str) -> bytes:
    """A PDF literal string body in WinAnsi (cp1252, which has £ and curly quotes), kept ASCII by octal escapes."""
    out = bytearray()
    for byte in text.encode("cp1252", errors="replace"):
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif byte < 32 or byte > 126:
            out += f"\\{byte:03o}".encode()
        else:
            out.append(byte)
    return bytes(out)


def _write_pdf(streams: list[bytes]) -> bytes:
    """Catalog (1), page tree (2), font (3), then a page and its content stream for each page; a correct xref."""
    count = len(streams)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, stream in enumerate(streams):
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >>"
                       f" /Contents {5 + 2 * i} 0 R >>".encode())
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


# --- the report ------------------------------------------------------------------------------------------------------

_SCHOOL = "Meadowbank Primary School"
# (CFR code, heading, budget £) for the cost lines the report walks through.
_COSTS = [
    ("E01", "Teaching staff", 1_482_300), ("E02", "Supply teaching staff", 38_000),
    ("E03", "Education support staff", 612_450), ("E04", "Premises staff", 74_200),
    ("E05", "Administrative and clerical staff", 168_900), ("E06", "Catering staff", 96_300),
    ("E08", "Indirect employee expenses", 21_500), ("E09", "Development and training", 18_750),
    ("E12", "Building maintenance and improvement", 64_000), ("E13", "Grounds maintenance", 12_400),
    ("E14", "Cleaning and caretaking", 41_800), ("E16", "Energy", 71_250),
    ("E19", "Learning resources (not ICT)", 46_300), ("E20", "ICT learning resources", 29_900),
    ("E22", "Administrative supplies", 15_600), ("E25", "Catering supplies", 88_700),
    ("E26", "Agency supply teaching staff", 22_000), ("E27", "Bought-in professional services (curriculum)", 31_400),
    ("E28", "Bought-in professional services (other)", 57_800),
]
_INCOME = [
    ("I01", "Funds delegated by the local authority", 2_874_600), ("I03", "SEN funding", 142_300),
    ("I05", "Pupil premium", 168_960), ("I08", "Income from facilities and services", 36_500),
    ("I09", "Income from catering", 61_200), ("I18", "Additional grant for schools", 58_400),
]
_RISKS = [
    "Teachers' pay award above the 3% assumed in the budget, unfunded beyond the grant announced",
    "Energy prices when the current fixed-price contract ends next September",
    "Falling reception intake in the planning area reducing the roll and so the delegated budget",
    "Rising numbers of pupils with education, health and care plans whose top-up funding lags the cost",
    "Boiler and roof condition: the condition survey rates both as needing replacement within three years",
    "Long-term staff absence not covered by the absence insurance scheme",
    "Catering uptake below the level at which the in-house service breaks even",
    "Support staff pay award, still under negotiation nationally",
]
_RECOMMENDATIONS = [
    "note the forecast outturn and the reasons for the main variances",
    "approve the virement of £12,000 from energy to building maintenance",
    "agree that the headteacher and business manager review the staffing structure before the spring term",
    "ask the finance committee to revisit the three-year forecast once the pay awards are confirmed",
    "approve the use of £25,000 of carried-forward balances for the reading scheme refresh",
    "note the risk register and the actions assigned to each risk",
    "agree to go out to tender for cleaning services when the current contract ends",
]


_MONTHS = ["April", "May", "June", "July", "August", "September", "October", "November", "December", "January",
           "February", "March"]
_MONTH_ENDS = [30, 31, 30, 31, 31, 30, 31, 30, 31, 31, 28, 31]


def _report_lines(period: int = 7) -> list[str]:
    """One period's report (period 1 is April), wrapped as lines on the page."""
    # Seeded, so every run of the benchmark reads the same report.
    rng = random.Random(21 + period)
    month = _MONTHS[period - 1]
    # Counting back from period 7 of 2025-26, periods 8 to 12 are of the year before.
    year = 2024 if period in (8, 9) else 2025
    paragraphs: list[str] = [
        f"{_SCHOOL}: budget monitoring report to the full governing board",
        f"Period {period} (to {_MONTH_ENDS[period - 1]} {month} {year}), prepared by the school business manager",
        "",
        "1. Purpose of the report",
        f"This report sets out the school's financial position at the end of period {period} against the budget "
        "the board approved in May, explains the significant variances, updates the three-year forecast, and asks "
        "governors to approve two virements and note the risks that could change the position before the year end.",
        "",
        "2. Summary of the position",
        "The forecast outturn is an in-year deficit of £18,420 against a budgeted deficit of £24,000, an "
        "improvement of £5,580. The revenue balance carried forward is forecast at £141,300, which is 4.6% of "
        "income and within the local authority's guideline of 5% to 8% for a school of our size only if the "
        "savings identified in section 6 are made. Staffing remains 83% of total expenditure.",
        "",
        "3. Income",
    ]
    for code, heading, budget in _INCOME:
        variance = rng.randint(-6_000, 9_000)
        direction = "more" if variance >= 0 else "less"
        paragraphs.append(
            f"{code} {heading}: budget £{budget:,}; forecast £{budget + variance:,}; £{abs(variance):,} {direction} "
            f"than budgeted. " + rng.choice([
                "The October census confirmed the roll at 412, four more pupils than the budget assumed.",
                "The variance reflects the final allocation notified by the local authority in September.",
                "Lettings to the holiday club and the Sunday church group have both renewed for the year.",
                "Free school meal eligibility rose over the summer, bringing more pupil premium from April.",
                "Uptake of paid school meals fell after the price rise in September and is being monitored.",
            ]))
    paragraphs += ["", "4. Expenditure: staffing and running costs"]
    for code, heading, budget in _COSTS:
        variance = rng.randint(-8_000, 12_000)
        adverse = "adverse" if variance > 0 else "favourable"
        paragraphs.append(
            f"{code} {heading}: budget £{budget:,}; spent to date £{round(budget * period / 12 + variance / 2):,}; "
            f"forecast £{budget + variance:,}, a variance of £{abs(variance):,} ({abs(variance) / budget:.1%}) "
            f"{adverse}. " + rng.choice([
                "This follows two long-term absences covered by agency staff at a higher daily rate.",
                "A teaching assistant post left vacant since July will be filled in January.",
                "The variance is timing only: invoices for the summer works arrived in October.",
                "Prices under the new contract are lower than budgeted for the rest of the year.",
                "Spending is on profile and no action is needed.",
                "The business manager has asked budget holders to hold orders until the spring term.",
                "The cost of the pay award backdated to September is included in the forecast.",
            ]))
    paragraphs += ["", "5. Staffing costs in detail",
                   "Teaching and support staff costs together are forecast at £2,094,750, 83% of expenditure. "
                   "The forecast assumes the 4% teachers' pay award from September, funded in part by the additional "
                   "grant, and a 3% support staff award not yet agreed. Each 1% above that assumption costs about "
                   "£6,100 in this year and £10,500 in a full year. Supply costs are £6,200 above budget after two "
                   "long-term absences; the absence insurance claim for one of them is expected to recover £4,800.",
                   "", "6. Three-year forecast"]
    balance = 141_300
    for year, roll in (("2026-27", 405), ("2027-28", 396), ("2028-29", 388)):
        income = 2_980_000 + (roll - 400) * 4_650 + rng.randint(-20_000, 20_000)
        spend = income + rng.randint(15_000, 60_000)
        balance -= spend - income
        paragraphs.append(
            f"{year}: roll {roll}; income £{income:,}; expenditure £{spend:,}; in-year deficit £{spend - income:,}; "
            f"balance carried forward £{balance:,}. The forecast assumes pay awards of 3% and non-pay inflation of "
            f"2.5%, with the roll falling as smaller year groups move up the school.")
    paragraphs.append("Without action the school would fall into deficit in the third year. The savings plan "
                      "brings the structure in line with a 14-class model as the roll falls, reviews the cleaning "
                      "contract, and moves to a consortium energy contract, together saving about £96,000 a year.")
    paragraphs += ["", "7. Risks"]
    for number, risk in enumerate(_RISKS, start=1):
        likelihood, impact = rng.choice(["low", "medium", "high"]), rng.choice(["low", "medium", "high"])
        paragraphs.append(f"Risk {number}: {risk}. Likelihood {likelihood}, impact {impact}; estimated cost "
                          f"£{rng.randint(4, 45) * 1_000:,}. Mitigation: reviewed monthly by the business manager "
                          "and reported to the finance committee.")
    paragraphs += ["", "8. Recommendations", "Governors are asked to:"]
    paragraphs += [f"({letter}) {text};" for letter, text in zip("abcdefg", _RECOMMENDATIONS, strict=False)]
    paragraphs += ["", "9. Monthly budget monitoring by cost centre"]
    for so_far in _MONTHS[:period]:
        for code, heading, budget in _COSTS:
            paragraphs.append(f"{so_far}: {code} {heading}: profile £{round(budget / 12):,}; actual "
                              f"£{round(budget / 12) + rng.randint(-1_500, 2_500):,}; commitments "
                              f"£{rng.randint(0, 4_000):,}.")
    lines: list[str] = []
    for paragraph in paragraphs:
        lines += textwrap.wrap(paragraph, 95) if paragraph else [""]
    return lines
