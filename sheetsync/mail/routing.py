"""Who gets which report: the `Penerima` tab and the ambassadors, turned into deliveries.

`Tingkat` + `Kode Wilayah` pick the report: kabupaten -> the whole programme, kecamatan ->
that kecamatan (by name or by its Kemendagri code, e.g. 19.02.04), desa -> that village
code; every active ambassador with an email gets their personal report. A row that cannot
be routed for sure (bad address, unknown area, report file missing) becomes an `Issue` and
is skipped: a report sent to the wrong official is worse than one not sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sheetsync.issues import Issue, Severity
from sheetsync.kpi_schema import KpiResult
from sheetsync.mail.addresses import clean_display_name, clean_email, name_was_changed
from sheetsync.mail.delivery import Attachment, Delivery, report_key
from sheetsync.mail.figures import headline_figures
from sheetsync.model import Ambassador, Level, Registry
from sheetsync.months import month_label
from sheetsync.report.paths import regency_proper_name, report_path

RECIPIENTS_TAB = "Penerima"
AMBASSADORS_TAB = "Duta"
# Issue codes of this module (stable: the Validasi tab and the tests use them)
BAD_EMAIL = "mail_bad_email"
UNSAFE_NAME = "mail_unsafe_name"
UNKNOWN_AREA = "mail_unknown_area"
REPORT_MISSING = "mail_report_missing"
NO_EMAIL = "mail_no_email"
DUPLICATE = "mail_duplicate_recipient"

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
    """The registry's areas, indexed the ways staff refer to them in `Kode Wilayah`."""

    villages: dict[str, str]  # village code -> name
    ambassadors: dict[str, str]  # ambassador id -> name
    kecamatan_by_name: dict[str, str]  # casefolded name -> name as written in Desa
    kecamatan_by_code: dict[str, str]  # '19.02.04' -> name, only when unambiguous

    @classmethod
    def of(cls, registry: Registry) -> _Areas:
        names_per_code: dict[str, set[str]] = {}
        for village in registry.villages:
            code = ".".join(village.code.strip().split(".")[:3])
            names_per_code.setdefault(code, set()).add(village.kecamatan.strip())
        return cls(
            villages={v.code.strip(): v.name for v in registry.villages},
            ambassadors={a.ambassador_id.strip(): a.name for a in registry.ambassadors},
            kecamatan_by_name={
                v.kecamatan.strip().casefold(): v.kecamatan.strip() for v in registry.villages
            },
            kecamatan_by_code={
                c: next(iter(n))
                for c, n in names_per_code.items()
                if len(n) == 1 and c.count(".") == 2
            },
        )

    def kecamatan(self, text: str) -> str | None:
        key = text.strip()
        return self.kecamatan_by_code.get(key) or self.kecamatan_by_name.get(key.casefold())


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
        delivery
        for person, target in _routes(registry, _Areas.of(registry), context, issues)
        if (delivery := _delivery(person, target, context, issues)) is not None
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
        target = _recipient_target(
            Level(row.level), row.area_code, areas, context, issues, row=row.row
        )
        if target is not None and _report_exists(person, target, issues):
            yield person, target
    for ambassador in registry.ambassadors:
        if not ambassador.active:
            continue
        person = _Person(AMBASSADORS_TAB, ambassador.name, "Duta Digital", ambassador.email)
        if not ambassador.email.strip():
            issues.append(_no_email_issue(ambassador))
            continue
        target = _file_target(Level.DUTA, ambassador.ambassador_id, ambassador.name, context)
        if _report_exists(person, target, issues):
            yield person, target


def _recipient_target(
    level: Level,
    area_code: str,
    areas: _Areas,
    context: _Context,
    issues: list[Issue],
    *,
    row: int | None = None,
) -> _Target | None:
    """The report a `Penerima` row asks for, or None (with an issue) when it is not sure."""
    code = area_code.strip()
    if level is Level.KABUPATEN:
        return _kabupaten_target(context)
    if level is Level.KECAMATAN and (name := areas.kecamatan(code)):
        return _file_target(level, name, name, context)
    if level is Level.DESA and code in areas.villages:
        return _file_target(level, code, areas.villages[code], context)
    if level is Level.DUTA and code in areas.ambassadors:
        return _file_target(level, code, areas.ambassadors[code], context)
    issues.append(_unknown_area_issue(level, code, row))
    return None


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


def _report_exists(person: _Person, target: _Target, issues: list[Issue]) -> bool:
    if target.pdf.is_file():
        return True
    issues.append(
        Issue(
            REPORT_MISSING,
            Severity.ERROR,
            person.source,
            person.row,
            "Email",
            person.email,
            f"Laporan {target.pdf.name} untuk {clean_display_name(person.name)} belum ada, "
            "jadi email tidak dikirim. Buat laporannya dulu dengan `sheetsync report "
            "--month` lalu jalankan `sheetsync send` lagi.",
        )
    )
    return False


def _delivery(
    person: _Person, target: _Target, context: _Context, issues: list[Issue]
) -> Delivery | None:
    email = clean_email(person.email)
    if email is None:
        issues.append(_bad_email_issue(person))
        return None
    if name_was_changed(person.name):
        issues.append(_unsafe_name_issue(person))
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


def _bad_email_issue(person: _Person) -> Issue:
    return Issue(
        BAD_EMAIL,
        Severity.ERROR,
        person.source,
        person.row,
        "Email",
        person.email,
        f"Alamat email {person.email!r} untuk {clean_display_name(person.name)} tidak valid "
        "(harus satu alamat seperti nama@contoh.go.id, tanpa spasi, koma atau tanda < >). "
        "Perbaiki sel Email; laporan tidak dikirim sampai alamatnya benar.",
    )


def _unsafe_name_issue(person: _Person) -> Issue:
    return Issue(
        UNSAFE_NAME,
        Severity.WARNING,
        person.source,
        person.row,
        "Nama",
        person.name,
        "Nama penerima berisi baris baru atau karakter kontrol; email tetap dikirim dengan "
        f"nama {clean_display_name(person.name)!r}. Hapus baris baru dari sel Nama.",
    )


def _unknown_area_issue(level: Level, code: str, row: int | None = None) -> Issue:
    return Issue(
        UNKNOWN_AREA,
        Severity.ERROR,
        RECIPIENTS_TAB,
        row,
        "Kode Wilayah",
        code,
        f"Kode Wilayah {code!r} tidak cocok dengan {level.value} mana pun di tab Desa, jadi "
        "laporan tidak dikirim. Tulis nama atau kode kecamatan (mis. 19.02.04) untuk tingkat "
        "kecamatan, atau Kode Desa (mis. 19.02.04.2004) untuk tingkat desa.",
    )


def _no_email_issue(ambassador: Ambassador) -> Issue:
    who = f"{clean_display_name(ambassador.name)} ({ambassador.ambassador_id})"
    return Issue(
        NO_EMAIL,
        Severity.WARNING,
        AMBASSADORS_TAB,
        ambassador.row,
        "Email",
        ambassador.ambassador_id,
        f"Duta {who} belum punya email, jadi laporan pribadinya tidak dikirim. "
        "Isi kolom Email di tab Duta.",
    )


def _duplicate_issue(delivery: Delivery) -> Issue:
    return Issue(
        DUPLICATE,
        Severity.WARNING,
        RECIPIENTS_TAB,
        None,
        "Email",
        delivery.recipient_email,
        f"{delivery.recipient_email} tercantum lebih dari sekali untuk {delivery.area_label}; "
        "laporan hanya dikirim sekali. Hapus baris ganda di tab Penerima.",
    )
