"""The `sheetsync` command. Thin: parse options, call one pipeline function, show the result.

Results go to stdout, logs and errors to stderr. A failure prints one line
`Error: …` and exits with the code of its error class (see errors.py and `--help`).
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
import textwrap
import traceback
from pathlib import Path
from typing import Any

import click

from sheetsync import errors
from sheetsync.config import Config, find_config_path, load_config, masked_view
from sheetsync.kpi_schema import ORDER_METRICS
from sheetsync.months import month_label, parse_month, previous_month

EXIT_CODES_HELP = """\b
Exit codes:
  0   ok
  1   the run failed (see the message; the log says more)
  2   usage or config error
  3   validation found errors (sheetsync validate)
  4   some emails could not be sent (sheetsync send)
  75  another sheetsync run is in progress; nothing was done
"""

log = logging.getLogger("sheetsync")


class SheetsyncGroup(click.Group):
    """Turns SheetsyncError into one clear line and its exit code, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except errors.SheetsyncError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
        except Exception as exc:  # a bug: say so plainly, keep the detail for -v
            if ctx.obj and ctx.obj.get("verbose"):
                traceback.print_exc()
            click.echo(
                f"Error: unexpected failure ({type(exc).__name__}: {exc}). "
                "Run again with -v for details and report it.",
                err=True,
            )
            ctx.exit(errors.EXIT_FAILED)


@click.group(cls=SheetsyncGroup, epilog=EXIT_CODES_HELP)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Config file (default: $SHEETSYNC_CONFIG, else ./sheetsync.toml).",
)
@click.option("-v", "--verbose", is_flag=True, help="More detail on stderr.")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
@click.version_option(package_name="sheetsync")
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None, verbose: bool, quiet: bool) -> None:
    """sheetsync: the Duta Digital programme's spreadsheets, exports, KPIs and reports.

    Example: sheetsync --config /srv/belitung/sheetsync.toml sync
    """
    ctx.ensure_object(dict)
    ctx.obj.update(config_path=config_path, verbose=verbose, quiet=quiet)
    _configure_logging(verbose, quiet)


def _configure_logging(verbose: bool, quiet: bool) -> None:
    """Plain timestamped lines on stderr: readable under cron, in journald and on a terminal."""
    level = logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    root = logging.getLogger("sheetsync")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


def get_config(ctx: click.Context) -> Config:
    return load_config(find_config_path(ctx.obj.get("config_path")))


def month_option(required: bool = False, help_text: str = "Month as YYYY-MM.") -> Any:
    return click.option(
        "--month", callback=_check_month, required=required, help=help_text, metavar="YYYY-MM"
    )


def _check_month(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    month = parse_month(value)
    if month is None:
        raise click.BadParameter(f"{value!r} is not a month; write it as 2026-08.")
    return month


def is_terminal() -> bool:
    return sys.stdout.isatty()


# ---------------------------------------------------------------- config


@cli.group("config")
def config_group() -> None:
    """Inspect the configuration."""


@config_group.command("check")
@click.pass_context
def config_check(ctx: click.Context) -> None:
    """Validate the config and print every setting, secrets masked.

    Example: sheetsync --config sheetsync.toml config check
    """
    config = get_config(ctx)
    click.echo(f"# {config.path} is valid")
    for section, values in masked_view(config).items():
        click.echo(f"[{section}]")
        for key, value in values.items():
            click.echo(f"  {key} = {value}")


# ---------------------------------------------------------------- init / demo


@cli.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--backend", type=click.Choice(["xlsx", "gsheets"]), default="xlsx")
@click.option("--name", default="Duta Digital", help="Programme name shown on reports.")
@click.option("--spreadsheet-id", default="", help="gsheets: the spreadsheet to prepare.")
@click.option("--credentials", default="", help="gsheets: service-account JSON file.")
@click.option("--endpoint", default="", help="gsheets: API endpoint (proxy or emulator).")
def init(
    directory: Path,
    backend: str,
    name: str,
    spreadsheet_id: str,
    credentials: str,
    endpoint: str,
) -> None:
    """Start a programme: config, empty staff workbook, inbox. Never overwrites a file.

    Example: sheetsync init /srv/belitung
    """
    from sheetsync import scaffold

    for line in scaffold.init_programme(
        directory,
        backend=backend,
        name=name,
        spreadsheet_id=spreadsheet_id,
        credentials=credentials,
        endpoint=endpoint,
    ):
        click.echo(line)


@cli.command()
@click.argument("directory", default="demo", type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def demo(ctx: click.Context, directory: Path) -> None:
    """Build the embedded Belitung demo programme and run sync, report and send on it.

    Offline and safe to run again. Example: sheetsync demo ./demo
    """
    from sheetsync import scaffold

    # tests may pass obj={"clock": ...}: the demo is laid out around that programme day
    for line in scaffold.run_demo(directory, clock=ctx.obj.get("clock")):
        click.echo(line)


# ---------------------------------------------------------------- sync / ingest / kpi


@cli.command()
@month_option(help_text="Recompute this month (default: last month and this month).")
@click.pass_context
def sync(ctx: click.Context, month: str | None) -> None:
    """Read the tabs, ingest new exports, compute KPIs and write the output tabs.

    Safe to run again: the same inputs give the same tabs. Example: sheetsync sync
    """
    from sheetsync import operations, pipeline
    from sheetsync.render_cli import change_lines, progress_bar, sync_summary_lines

    config = get_config(ctx)
    with operations.guarded_run(config, "sync") as now, progress_bar(is_terminal(), "Impor") as bar:
        result = pipeline.sync(config, months=[month] if month else None, now=now, progress=bar)
    months = ", ".join(month_label(m, config.program.language) for m in result.months)
    for line in sync_summary_lines(months, result.record):
        click.echo(line)
    if not result.workbook_written:  # the workbook is open in Excel: written next run
        notice = f"Tab keluaran tidak ditulis: {result.record.message}"
        click.echo(textwrap.fill(notice, 78, initial_indent="  ", subsequent_indent="    "))
    for line in change_lines(result.record.changes, is_terminal()):
        click.echo(line)
    if result.blocked:
        click.echo(f"NOT published: {result.blocked[-1].message}", err=True)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--shop", "shop_id", help="ID Toko the files belong to (outside the inbox).")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...], shop_id: str | None) -> None:
    """Import export files or folders into the ledger (default: the whole inbox).

    Example: sheetsync ingest ~/Downloads/Order.all.20260801_20260831.xlsx --shop TK-001
    """
    from sheetsync import pipeline
    from sheetsync.render_cli import print_ingest_summary, progress_bar

    config = get_config(ctx)
    with progress_bar(is_terminal(), "Impor") as progress:
        summary = pipeline.ingest(config, list(paths), shop_id=shop_id, progress=progress)
    print_ingest_summary(summary, is_terminal=is_terminal())


FORMATS = click.Choice(["table", "csv", "tsv", "json"])
COLUMNS_HELP = "Only these columns, e.g. village_name,orders,sales_idr (machine names)."


def columns_option() -> Any:
    return click.option("--columns", "columns", metavar="A,B,C", help=COLUMNS_HELP)


def picked_columns(
    records: list[dict[str, Any]], spec: tuple[Any, ...], columns: str | None
) -> list[Any]:
    """The table's columns: the default set, or `--columns` (exit 2 on an unknown name)."""
    from sheetsync.cli_tables import pick_columns

    if not columns:
        return list(spec)
    available = list(dict.fromkeys(k for r in records for k in r)) or [c.key for c in spec]
    wanted = [c.strip() for c in columns.split(",") if c.strip()]
    unknown = [c for c in wanted if c not in available]
    if unknown or not wanted:
        raise click.BadParameter(
            f"unknown column {', '.join(unknown) or '(none)'}; one of: {', '.join(available)}",
            param_hint="--columns",
        )
    return pick_columns(available, spec, wanted)


def only_columns(records: list[dict[str, Any]], columns: list[Any]) -> list[dict[str, Any]]:
    return [{c.key: r.get(c.key) for c in columns} for r in records]


@cli.command()
@month_option(required=True)
@click.option(
    "--by",
    type=click.Choice(["shop", "ambassador", "village", "kecamatan", "regency"]),
    default="village",
    show_default=True,
)
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@columns_option()
@click.pass_context
def kpi(ctx: click.Context, month: str, by: str, fmt: str, columns: str | None) -> None:
    """Print one month's KPIs by shop, ambassador, village, kecamatan or regency.

    The table shows the main figures and fits the screen; csv, tsv and json keep every
    column. Example: sheetsync kpi --month 2026-08 --by village --format json
    """
    from sheetsync import pipeline
    from sheetsync.cli_tables import KPI_COLUMNS, LEVEL_TITLES, kpi_rows
    from sheetsync.render_cli import print_records

    config = get_config(ctx)
    records = kpi_rows(pipeline.kpi_for_month(config, month), by)
    chosen = picked_columns(records, KPI_COLUMNS[by], columns)
    if columns and fmt != "table":
        records = only_columns(records, chosen)
    title = f"KPI {LEVEL_TITLES[by]} — {month_label(month)}"
    print_records(records, fmt, chosen, is_terminal=is_terminal(), title=title)


@cli.command()
@month_option()
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@columns_option()
@click.pass_context
def validate(ctx: click.Context, month: str | None, fmt: str, columns: str | None) -> None:
    """Check the staff tabs (and the month's completeness); exit 3 when there are errors.

    Example: sheetsync validate --format json
    """
    from sheetsync import pipeline
    from sheetsync.cli_tables import VALIDATE_COLUMNS
    from sheetsync.render_cli import issue_records, print_issues

    config = get_config(ctx)
    report = pipeline.validate(config, month=month)
    chosen = picked_columns(issue_records(report), VALIDATE_COLUMNS, columns)
    print_issues(report, fmt, chosen, is_terminal=is_terminal())
    if report.errors:
        ctx.exit(errors.EXIT_VALIDATION_ERRORS)


# ---------------------------------------------------------------- report


@cli.command()
@month_option(help_text="Report month (default: last month).")
@click.option(
    "--level",
    type=click.Choice(["all", "kabupaten", "kecamatan", "desa", "duta"]),
    default="all",
    show_default=True,
)
@click.option("--area", help="Only this kecamatan, Kode Desa or ID Duta.")
@click.option("--format", "formats", default="html,pdf,xlsx", show_default=True)
@click.pass_context
def report(
    ctx: click.Context, month: str | None, level: str, area: str | None, formats: str
) -> None:
    """Render the monthly reports under reports/YYYY-MM/<level>/.

    Example: sheetsync report --month 2026-08 --level kecamatan --format pdf
    """
    from sheetsync import pipeline
    from sheetsync.render_cli import progress_bar

    config = get_config(ctx)
    chosen = tuple(f.strip() for f in formats.split(",") if f.strip())
    unknown = set(chosen) - {"html", "pdf", "xlsx"}
    if unknown or not chosen:
        raise click.BadParameter("use html, pdf and/or xlsx", param_hint="--format")
    now = pipeline.now_local(config)  # the run's one clock read
    month = month or default_report_month(now)
    with progress_bar(is_terminal(), "Laporan") as progress:
        paths = pipeline.report(
            config, month, level=level, area=area, formats=chosen, progress=progress, now=now
        )
    click.echo(f"{len(paths)} report file(s) for {month_label(month)} in {config.reports.out}")


# ---------------------------------------------------------------- explain


EXPLAINABLE = (*ORDER_METRICS, "products_live", "products_new")  # kpi.explain.EXPLAINED_METRICS


@cli.command()
@month_option(required=True)
@click.option("--village", help="Kode Desa (or the village's name when it is unique).")
@click.option("--ambassador", help="ID Duta.")
@click.option("--shop", help="ID Toko.")
@click.option("--kecamatan", help="Kecamatan name.")
@click.option("--metric", required=True, type=click.Choice(EXPLAINABLE), help="The figure.")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@columns_option()
@click.pass_context
def explain(
    ctx: click.Context,
    month: str,
    village: str | None,
    ambassador: str | None,
    shop: str | None,
    kecamatan: str | None,
    metric: str,
    fmt: str,
    columns: str | None,
) -> None:
    """List the export files and rows behind one figure; the rows add up to it.

    Example: sheetsync explain --month 2026-08 --village 19.02.04.2004 --metric completed_orders
    """
    from sheetsync import pipeline
    from sheetsync.cli_tables import EXPLAIN_COLUMNS, row_total
    from sheetsync.render_cli import print_records

    chosen = [
        (lvl, key)
        for lvl, key in (
            ("village", village),
            ("ambassador", ambassador),
            ("shop", shop),
            ("kecamatan", kecamatan),
        )
        if key
    ]
    if len(chosen) != 1:
        raise click.UsageError("give exactly one of --village, --ambassador, --shop, --kecamatan")
    level, key = chosen[0]
    config = get_config(ctx)
    rows = pipeline.explain(config, month, level=level, key=key, metric=metric)
    picked = picked_columns(rows, EXPLAIN_COLUMNS, columns)
    title = f"{metric} — {level} {key} — {month_label(month)}"
    print_records(rows, fmt, picked, is_terminal=is_terminal(), title=title)
    if fmt == "table":
        counted = sum(1 for r in rows if r.get("dihitung"))
        click.echo(f"Jumlah: {row_total(rows)} ({counted} baris dihitung dari {len(rows)}).")


# ---------------------------------------------------------------- send / monthly


@cli.command()
@month_option(help_text="Report month (default: last month).")
@click.option("--dry-run", is_flag=True, help="List who would get what; write to the outbox only.")
@click.option("--only", "only", metavar="EMAIL", help="Only this recipient.")
@click.option("--resend", is_flag=True, help="Send again even if already sent.")
@click.option("--send-revisions", is_flag=True, help="Send reports changed since they were sent.")
@click.pass_context
def send(
    ctx: click.Context,
    month: str | None,
    dry_run: bool,
    only: str | None,
    resend: bool,
    send_revisions: bool,
) -> None:
    """Email each official the report of their area, exactly once.

    Example: sheetsync send --month 2026-08 --dry-run
    """
    from sheetsync import pipeline
    from sheetsync.render_cli import print_send_run

    config = get_config(ctx)
    now = pipeline.now_local(config)  # the run's one clock read
    month = month or default_report_month(now)
    run = pipeline.send(
        config,
        month,
        dry_run=dry_run,
        only=only,
        resend=resend,
        send_revisions=send_revisions,
        now=now,
    )
    print_send_run(run)
    if run.summary.has_failures:
        ctx.exit(errors.EXIT_SEND_FAILED)


@cli.command()
@month_option(help_text="The month to close (default: last month).")
@click.pass_context
def monthly(ctx: click.Context, month: str | None) -> None:
    """The monthly run: final sync of the month, its reports, then send them.

    For cron on the 1st. Example: sheetsync monthly --month 2026-08
    """
    from sheetsync import operations, pipeline
    from sheetsync.render_cli import print_send_run

    config = get_config(ctx)
    with operations.guarded_run(config, "monthly") as now:
        result = pipeline.monthly(config, month, now=now)
    click.echo(f"Monthly run {month_label(result.month)}: {len(result.reports)} report file(s).")
    print_send_run(result.send)
    if result.send.summary.has_failures:
        ctx.exit(errors.EXIT_SEND_FAILED)


# ---------------------------------------------------------------- worker / doctor


@cli.command()
@click.pass_context
def worker(ctx: click.Context) -> None:
    """Run forever: daily syncs and the monthly run on schedule; catches up missed runs.

    Stops cleanly on SIGTERM/SIGINT after the step in progress. Example: sheetsync worker
    """
    from sheetsync import operations

    operations.run_worker(get_config(ctx))


@cli.command()
@click.pass_context
def doctor(ctx: click.Context) -> None:
    """Check config, credentials, spreadsheet, tabs, SMTP, PDF engine, disk and ledger.

    Prints one line per check with what to do about failures; exit 1 if any fails.
    Example: sheetsync doctor
    """
    from sheetsync.doctor import FAIL, run_checks

    try:
        config = get_config(ctx)
    except errors.ConfigError as exc:
        click.echo(f"[FAIL] config: {exc}")
        ctx.exit(errors.EXIT_CONFIG)
    checks = run_checks(config)
    for check in checks:
        click.echo(check.line())
    if any(c.status == FAIL for c in checks):
        ctx.exit(errors.EXIT_FAILED)


@cli.command()
@click.pass_context
def status(ctx: click.Context) -> None:
    """The programme at a glance: last sync, inbox, validation, months, reports, schedule.

    Reads only; safe beside a running worker. Example: sheetsync status
    """
    from sheetsync.pipeline import now_local
    from sheetsync.status import read_status, status_lines
    from sheetsync.tabular import screen_width

    config = get_config(ctx)
    now = now_local(config, ctx.obj.get("clock"))
    for line in status_lines(read_status(config, now), screen_width()):
        click.echo(line)


def default_report_month(now: dt.datetime) -> str:
    """The month before the run's instant (programme time)."""
    return previous_month(f"{now.year:04d}-{now.month:02d}")


def main() -> None:
    cli(prog_name="sheetsync")


if __name__ == "__main__":  # pragma: no cover
    main()
