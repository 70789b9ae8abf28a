"""HTML -> PDF with WeasyPrint, with fonts and stylesheets prepared once per process.

Font discovery and CSS parsing are repeated costs of every WeasyPrint render; keeping the
FontConfiguration and the parsed stylesheet alive lets every later report in the same
worker reuse them. The stylesheet is the HTML report's (report/templates/report.css) plus the
print rules (report/templates/print.css) and the page footer in the report's language.
"""

from __future__ import annotations

from functools import cache

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from sheetsync.report.html import template_text
from sheetsync.report.texts import texts


@cache
def font_configuration() -> FontConfiguration:
    return FontConfiguration()


@cache
def print_stylesheet(language: str) -> CSS:
    """report.css + print.css + "Halaman 1 dari 3" in `language`, parsed once."""
    t = texts(language)
    footer = (
        f'@page {{ @bottom-center {{ content: "{_css_text(t["page"])} " counter(page) '
        f'" {_css_text(t["of"])} " counter(pages); }} }}'
    )
    rules = [template_text(name) for name in ("report.css", "print.css")]
    return CSS(string="\n".join([*rules, footer]), font_config=font_configuration())


def _css_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def html_to_pdf(html: str, language: str = "id") -> bytes:
    """The PDF bytes of a report rendered with medium="pdf" (no external resources)."""
    document = HTML(string=html, base_url=None)
    pdf = document.write_pdf(
        stylesheets=[print_stylesheet(language)], font_config=font_configuration()
    )
    assert pdf is not None  # write_pdf returns bytes when no target is given
    return pdf
