"""Who gets which report: the validated recipients and ambassadors, turned into deliveries.

The Registry's `Recipient`s were checked once, by `sheetsync.validate` (validate/
recipients.py): a mailbox `values.clean_email` accepts, `Kode Wilayah` as the Desa tab
writes it (the kecamatan name, a Kode Desa, an ID Duta). Routing only picks the report
file: kabupaten -> the whole programme, kecamatan -> that kecamatan, desa -> that village;
every active ambassador with an email gets their personal report. A delivery that cannot be
made for sure (report file missing, no email, the same mailbox twice) becomes an `Issue`
and is skipped: a report sent to the wrong official is worse than one not sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sheetsync.issues import Issue
from sheetsync.kpi_schema import KpiResult
from sheetsync.mail.delivery import Attachment, Delivery, report_key
from sheetsync.mail.figures import headline_figures
from sheetsync.messages import IssueCode, message, severity_of
from sheetsync.model import Ambassador, Level, Recipient, Registry
from sheetsync.months import month_label
from sheetsync.report.paths import regency_proper_name, report_path
from sheetsync.values import clean_display_name, clean_email

RECIPIENTS_TAB = "Penerima"
AMBASSADORS_TAB = "Duta"
# Issue codes of this module (their messages live in sheetsync/messages.py)
REPORT_MISSING = IssueCode.MAIL_REPORT_MISSING
NO_EMAIL = IssueCode.MAIL_NO_EMAIL
DUPLICATE = IssueCode.MAIL_DUPLICATE_RECIPIENT

_LEVEL_WORDS = {
    "id": {"kabupaten": "Kabupaten", "kecamatan": "Kecamatan", "desa": "Desa", "duta": "Duta"},
    "en": {
        "kabupaten": "Regency",
        "kecamatan": "District",
        "desa": "Village",
        "duta": "Ambassador",
    },
}
_SUBJECTS = {
    "id": "Laporan Bulanan {program} – {month} – {area}",
    "en": "Monthly Report {program} – {month} – {area}",
}
# (level, area key) -> a whole HTML document with the area's headline figures, or None
SummarySource = Callable[[Level, str], str | None]
_WHOLE_PROGRAMME = {"id": "Seluruh Program", "en": "Whole Programme"}
_MIME_TYPES = {"pdf": ("application", "pdf"), "xlsx": (
    "application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)}  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Person:
    source: str  # the tab the row came from
    name: str
    position: str
    email: str
    row: int | None = None  # the row in that tab, when known


@dataclass(frozen=True, slots=True)
class _Target:
    level: Level
    area_key: str  # kecamatan name, village code, ambassador id; '' for kabupaten
    area_name: str
    pdf: Path


@dataclass(frozen=True, slots=True)
class _Context:
    month: str
    out: Path
    program_name: str
    language: str
    kpis: KpiResult | None
    regency_name: str
    summary_html: SummarySource | None


@dataclass(frozen=True, slots=True)
class _Areas:
    """The names of the registry's villages and ambassadors (report files are named by them)."""

    villages: dict[str, str]  # village code -> name
    ambassadors: dict[str, str]  # ambassador id -> name

    @classmethod
    def of(cls, registry: Registry) -> _Areas:
        return cls(
            villages={v.code: v.name for v in registry.villages},
            ambassadors={a.ambassador_id: a.name for a in registry.ambassadors},
        )


def plan_deliveries(
    registry: Registry,
    month: str,
    out: Path,
    *,
    program_name: str,
    language: str = "id",
    kpis: KpiResult | None = None,
    regency_name: str = "",
    summary_html: SummarySource | None = None,
) -> tuple[list[Delivery], list[Issue]]:
    """Every (recipient, report) pair of `month` whose report file exists under `out`.

    `out` is the reports folder (config.reports.out); files are found with report_path().
    `regency_name` (default: the `regency` label of kpis) names the kabupaten report;
    without either, the month's one kabupaten PDF is used. `kpis` supplies the headline
    figures of the plain-text body and, unless `summary_html(level, area_key)` returns the
    report's own email summary (mail.summaries.report_summaries), of the HTML body too.
    """
    regency = regency_proper_name(regency_name) or regency_proper_name(_regency_name(kpis))
    context = _Context(month, Path(out), program_name, language, kpis, regency, summary_html)
    issues: list[Issue] = []
    deliveries = [
        _delivery(person, target, context)
        for person, target in _routes(registry, _Areas.of(registry), context, issues)
    ]
    return _without_duplicates(deliveries, issues), issues


def _regency_name(kpis: KpiResult | None) -> str:
    """The regency's name as the KPI step labelled its one row (names the kabupaten PDF)."""
    if kpis is None or kpis.regency.empty or "regency" not in kpis.regency.columns:
        return ""
    return str(kpis.regency["regency"].iloc[0] or "")


def _routes(
    registry: Registry, areas: _Areas, context: _Context, issues: list[Issue]
) -> Iterator[tuple[_Person, _Target]]:
    for row in registry.recipients:
        person = _Person(RECIPIENTS_TAB, row.name, row.position, row.email, row.row)
        target = _recipient_target(row, areas, context)
        if _report_exists(person, target, context, issues):
            yield person, target
    for ambassador in registry.ambassadors:
        if not ambassador.active:
            continue
        person = _Person(AMBASSADORS_TAB, ambassador.name, "Duta Digital", ambassador.email)
        if not ambassador.email.strip():
            issues.append(_no_email_issue(ambassador, context))
            continue
        target = _file_target(Level.DUTA, ambassador.ambassador_id, ambassador.name, context)
        if _report_exists(person, target, context, issues):
            yield person, target


def _recipient_target(recipient: Recipient, areas: _Areas, context: _Context) -> _Target:
    """The report a validated `Penerima` row asks for (its area as the Desa tab writes it)."""
    level, area = Level(recipient.level), recipient.area_code
    if level is Level.KABUPATEN:
        return _kabupaten_target(context)
    if level is Level.KECAMATAN:
        return _file_target(level, area, area, context)
    names = areas.villages if level is Level.DESA else areas.ambassadors
    # Validation lets only known areas through; an unknown one finds no report file.
    return _file_target(level, area, names.get(area, area), context)


def _file_target(level: Level, area_key: str, area_name: str, context: _Context) -> _Target:
    code = area_key if level in (Level.DESA, Level.DUTA) else ""
    pdf = report_path(context.out, context.month, level.value, code, area_name, "pdf")
    return _Target(level, area_key, area_name, pdf)


def _kabupaten_target(context: _Context) -> _Target:
    """By the configured regency name, else the month's only kabupaten PDF."""
    if context.regency_name:
        return _file_target(Level.KABUPATEN, "", context.regency_name, context)
    folder = context.out / context.month / Level.KABUPATEN.value
    found = sorted(folder.glob(f"laporan-{context.month}-kabupaten*.pdf"))
    if len(found) != 1:  # none, or several and no way to choose: report it missing
        return _Target(Level.KABUPATEN, "", "", folder / f"laporan-{context.month}-kabupaten.pdf")
    prefix = f"laporan-{context.month}-kabupaten-"
    name = found[0].stem.removeprefix(prefix).replace("-", " ").title()
    return _Target(Level.KABUPATEN, "", name, found[0])


def _report_exists(
    person: _Person, target: _Target, context: _Context, issues: list[Issue]
) -> bool:
    if target.pdf.is_file():
        return True
    name = clean_display_name(person.name)
    issues.append(_issue(REPORT_MISSING, context.language, person.source, person.row, "Email",
                         person.email, report=target.pdf.name, name=name))  # fmt: skip
    return False


def _delivery(person: _Person, target: _Target, context: _Context) -> Delivery:
    email = clean_email(person.email)  # one mailbox, domain in lower case
    if email is None:
        raise ValueError(
            f"{person.source} row {person.row}: {person.email!r} is not one mailbox; "
            "plan_deliveries takes a Registry from sheetsync.validate"
        )
    area_label = _area_label(target, context.language)
    figures = (
        headline_figures(context.kpis, target.level, target.area_key, context.language)
        if context.kpis is not None
        else ()
    )
    return Delivery(
        month=context.month,
        report_key=report_key(target.level, target.area_key),
        level=target.level,
        area_label=area_label,
        recipient_name=clean_display_name(person.name),
        recipient_position=clean_display_name(person.position),
        recipient_email=email,
        subject=_subject(context, area_label),
        program_name=clean_display_name(context.program_name),
        language=context.language,
        report_stem=target.pdf.stem,
        attachments=_attachments(target.pdf),
        figures=figures,
        summary_html=(context.summary_html(target.level, target.area_key) or "")
        if context.summary_html
        else "",
    )


def _area_label(target: _Target, language: str) -> str:
    words = _LEVEL_WORDS.get(language, _LEVEL_WORDS["id"])
    if target.level is Level.KABUPATEN and not target.area_name:
        return _WHOLE_PROGRAMME.get(language, _WHOLE_PROGRAMME["id"])
    return clean_display_name(f"{words[target.level.value]} {target.area_name}")


def _subject(context: _Context, area_label: str) -> str:
    template = _SUBJECTS.get(context.language, _SUBJECTS["id"])
    text = template.format(
        program=context.program_name,
        month=month_label(context.month, context.language),
        area=area_label,
    )
    return clean_display_name(text)


def _attachments(pdf: Path) -> tuple[Attachment, ...]:
    """The PDF, and the XLSX of the same report when it was rendered (sent by config)."""
    files = [pdf] + [p for p in (pdf.with_suffix(".xlsx"),) if p.is_file()]
    return tuple(
        Attachment(path.name, path.read_bytes(), *_MIME_TYPES[path.suffix.lstrip(".")])
        for path in files
    )


def _without_duplicates(deliveries: list[Delivery], issues: list[Issue]) -> list[Delivery]:
    """One message per (mailbox, report): a name listed twice in Penerima gets it once."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for delivery in deliveries:
        key = (delivery.recipient_email.casefold(), delivery.report_key)
        if key in seen:
            issues.append(_duplicate_issue(delivery))
            continue
        seen.add(key)
        kept.append(delivery)
    return kept


def _issue(
    code: IssueCode,
    language: str,
    source: str,
    row: int | None,
    column: str,
    value: str,
    **fields: object,
) -> Issue:
    """An issue of this module, its sentence from the catalogue in the programme's language."""
    text = message(code, language, value=value, **fields)
    return Issue(str(code), severity_of(code), source, row, column, value, text)


def _no_email_issue(ambassador: Ambassador, context: _Context) -> Issue:
    who = f"{clean_display_name(ambassador.name)} ({ambassador.ambassador_id})"
    return _issue(NO_EMAIL, context.language, AMBASSADORS_TAB, ambassador.row, "Email",
                  ambassador.ambassador_id, who=who)  # fmt: skip


def _duplicate_issue(delivery: Delivery) -> Issue:
    email = delivery.recipient_email
    return _issue(DUPLICATE, delivery.language, RECIPIENTS_TAB, None, "Email", email,
                  area=delivery.area_label)  # fmt: skip
