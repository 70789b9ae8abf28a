"""Views -> HTML text with Jinja2 (autoescaped), one environment per process.

Building the environment parses and compiles the templates; worker processes render many
reports, so it is built once and kept (`environment()` is cached).
"""

from __future__ import annotations

import base64
import mimetypes
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from sheetsync.errors import SinkError

# Templates and stylesheets ship inside the package (sheetsync/report/templates/), read
# through importlib, so an installed wheel renders from any folder.
TEMPLATES_PACKAGE = "sheetsync.report"
REPORT_TEMPLATE = "report.html.j2"
SUMMARY_TEMPLATE = "summary_email.html.j2"


def template_text(name: str) -> str:
    """A file of the package's templates folder (the stylesheets), as text."""
    return resources.files(TEMPLATES_PACKAGE).joinpath("templates", name).read_text("utf-8")


@cache
def environment() -> Environment:
    """The Jinja2 environment: autoescape always on, undefined names fail loudly."""
    return Environment(
        loader=PackageLoader(TEMPLATES_PACKAGE, "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(view: dict[str, Any], *, medium: str = "html", logo_uri: str = "") -> str:
    """The report as HTML: `medium` "pdf" adds the page rules WeasyPrint reads."""
    template = environment().get_template(REPORT_TEMPLATE)
    return template.render(**view, medium=medium, logo_uri=logo_uri)


def render_summary_html(view: dict[str, Any]) -> str:
    """The short email body (inline styles only) for one report's view."""
    return environment().get_template(SUMMARY_TEMPLATE).render(**view)


def logo_data_uri(path: Path | None) -> str:
    """The logo as a data: URI, so HTML and PDF carry it inside; '' when none is configured."""
    if path is None:
        return ""
    try:
        payload = path.read_bytes()
    except OSError as exc:
        raise SinkError(
            f"Cannot read the report logo {path}: {exc.strerror}. "
            "Fix [reports] logo in the config or remove it."
        ) from exc
    mime = mimetypes.guess_type(path.name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}"
