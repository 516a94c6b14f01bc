"""PDF text layer through pdfium (pypdfium2): one segment per page."""

from __future__ import annotations

import pypdfium2 as pdfium

from baomi.scanner.model import Extracted, Location, Segment, Skip

PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD


def extract_pdf(data: bytes) -> Extracted:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if getattr(error, "err_code", None) == PASSWORD_ERROR or "password" in str(error).lower():
            raise Skip("encrypted", "PDF needs a password") from error
        raise Skip("broken", str(error)) from error
    extracted = Extracted(type="pdf")
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            textpage.close()
            page.close()
            if text.strip():
                # pdfium ends lines with CR LF; the matcher counts lines on LF
                text = text.replace("\r\n", "\n")
                extracted.segments.append(Segment(text, Location(page=index + 1, line=1)))
    finally:
        document.close()
    return extracted
