"""The catalogue is the one home of every issue message, in both languages.

Each family (staff tabs, export files, the inbox, KPI discipline) keeps its codes and
texts in `sheetsync/messages/`; the modules that find problems only name a code and fill
in fields. The last tests walk the product's syntax trees so that a sentence written next
to an `Issue(...)` elsewhere (a second home, and one that ignores `[program] language`)
fails here.
"""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from sheetsync.messages import (
    CATALOGUE,
    LANGUAGES,
    VARIANTS,
    InboxCode,
    IngestCode,
    IssueCode,
    KpiCode,
    MessageSpec,
    message,
    severity_of,
    variant_message,
)

PACKAGE = Path(__file__).resolve().parents[2] / "sheetsync"
FAMILIES = (IssueCode, IngestCode, InboxCode, KpiCode)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def all_specs() -> list[tuple[object, MessageSpec]]:
    return [*CATALOGUE.items(), *VARIANTS.items()]


def test_every_code_of_every_family_is_in_the_catalogue_once() -> None:
    codes = [str(code) for family in FAMILIES for code in family]
    assert len(codes) == len(set(codes)), "a code is used by two families"
    assert sorted(CATALOGUE) == sorted(codes)
    assert all((code, "") not in VARIANTS and code in CATALOGUE for code, _ in VARIANTS)


@pytest.mark.parametrize(("key", "spec"), all_specs(), ids=[str(k) for k, _ in all_specs()])
def test_every_message_has_both_languages_with_the_same_fields(
    key: object, spec: MessageSpec
) -> None:
    assert spec.id.strip() and spec.en.strip(), key
    assert spec.id != spec.en, key  # the English text is a translation, not a copy
    assert placeholders(spec.id) == placeholders(spec.en), key
    code, variant = key if isinstance(key, tuple) else (key, "")
    fields = dict.fromkeys(placeholders(spec.id) - {"left_out", "similar"}, "x")
    for language in LANGUAGES:
        if variant:
            text = variant_message(code, variant, language, **fields)
        else:
            text = message(code, language, **fields)
        assert text.endswith("."), (key, language)  # a whole sentence that says how to fix it


def test_message_follows_the_language_and_reads_indonesian_otherwise() -> None:
    fields = {"source": "TK-01/a.xlsx", "detail": ""}
    assert message(IngestCode.FILE_EMPTY, "en", **fields) == (
        "File TK-01/a.xlsx is empty. Download the export again from the Seller Centre and "
        "replace this file in the inbox folder."
    )
    indonesian = message(IngestCode.FILE_EMPTY, "id", **fields)
    assert indonesian == (
        "File TK-01/a.xlsx kosong. Unduh ulang ekspornya dari Seller Centre lalu ganti file "
        "ini di folder inbox."
    )
    assert message(IngestCode.FILE_EMPTY, "fr", **fields) == indonesian


def test_a_field_may_be_called_code() -> None:
    text = message(IngestCode.ROWS_MORE, "id", rest=3, source="f.csv", code="x", column="Harga")
    assert text == (
        "Masih ada 3 baris lain di f.csv dengan masalah yang sama (x) di kolom 'Harga'. "
        "Perbaiki file atau unduh ulang ekspornya."
    )


def test_a_variant_is_a_second_wording_of_its_code() -> None:
    text = variant_message(
        IngestCode.FILE_UNKNOWN_LAYOUT, "closest", "en", source="a.xlsx",
        layout="Shopee orders", header_row=1, missing="'No. Pesanan'",
    )  # fmt: skip
    assert text.startswith("The layout of file a.xlsx is not recognised. The closest is Shopee")
    assert "these columns were not found: 'No. Pesanan'." in text


def test_severity_is_the_catalogues() -> None:
    assert severity_of(IngestCode.ROW_NO_PRICE) == "warning"
    assert severity_of(InboxCode.READ_FAILED) == "error"
    assert severity_of(KpiCode.TWO_SOURCE_GAP) == "warning"


# --- no second home -----------------------------------------------------------------------


def _strings(node: ast.AST) -> list[str]:
    """The literal text inside an expression (f-strings: their literal parts)."""
    found = []
    for child in ast.walk(node):
        if isinstance(child, ast.Constant) and isinstance(child.value, str):
            found.append(child.value)
    return found


def _is_sentence(text: str) -> bool:
    return len(text.split()) >= 3


def _message_expressions(call: ast.Call) -> list[ast.expr]:
    """The `message` argument of an `Issue(...)` call (7th positional or keyword)."""
    found = [k.value for k in call.keywords if k.arg == "message"]
    if len(call.args) >= 7:
        found.append(call.args[6])
    return found


def _module_texts(tree: ast.Module) -> dict[str, list[str]]:
    """Literal text of each module-level name: a table's values, a helper's returns."""
    texts: dict[str, list[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    texts[target.id] = _strings(node.value)
        elif isinstance(node, ast.FunctionDef):
            returns = [r for r in ast.walk(node) if isinstance(r, ast.Return)]
            texts[node.name] = [text for r in returns for text in _strings(r)]
    return texts


def _local_values(scope: ast.AST) -> dict[str, ast.expr]:
    return {
        target.id: node.value
        for node in ast.walk(scope) if isinstance(node, ast.Assign)
        for target in node.targets if isinstance(target, ast.Name)
    }  # fmt: skip


def _texts_behind(expression: ast.expr, local: dict[str, ast.expr], module: dict) -> list[str]:
    """Literal text in `expression`, in the local variables it names (one step) and in the
    module-level tables and helpers those name."""
    texts = _strings(expression)
    names = {n.id for n in ast.walk(expression) if isinstance(n, ast.Name)}
    for name in names & local.keys():
        texts += _strings(local[name])
        names |= {n.id for n in ast.walk(local[name]) if isinstance(n, ast.Name)}
    for name in names:
        texts += module.get(name, [])
    return texts


def worded_issues(source: str) -> list[int]:
    """Lines of `Issue(...)` calls whose message is written in this module: a literal, a
    local variable assigned from one, or a module-level template table or helper."""
    tree = ast.parse(source)
    module = _module_texts(tree)
    lines = set()
    for scope in ast.walk(tree):
        if not isinstance(scope, ast.FunctionDef | ast.Module):
            continue
        local = _local_values(scope)
        for call in ast.walk(scope):
            if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "Issue":
                texts = [t for e in _message_expressions(call)
                         for t in _texts_behind(e, local, module)]  # fmt: skip
                if any(_is_sentence(text) for text in texts):
                    lines.add(call.lineno)
    return sorted(lines)


def product_modules() -> list[Path]:
    return [
        path for path in sorted(PACKAGE.rglob("*.py"))
        if path.relative_to(PACKAGE).parts[0] != "messages"
    ]  # fmt: skip


def test_no_module_outside_the_catalogue_words_an_issue() -> None:
    offenders = {
        path.relative_to(PACKAGE).as_posix(): lines
        for path in product_modules()
        if (lines := worded_issues(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}, "put these sentences in sheetsync/messages/"


BAD_SOURCES = {
    "literal": """
def f(s):
    return Issue("c", E, s, None, None, None, f"File {s} is broken. Fix it.")
""",
    "variable": """
def f(s):
    text = "Row is wrong, fix it."
    return Issue("c", E, s, None, None, None, text)
""",
    "helper": """
def f(s):
    return Issue(code="c", message=_say(s))

def _say(s):
    return f"Row {s} is wrong, fix it."
""",
    "table": """
TEXTS = {"c": "File {s} is broken. Fix it."}

def f(s):
    template = TEXTS["c"]
    return Issue("c", E, s, None, None, None, template.format(s=s))
""",
}


@pytest.mark.parametrize("source", BAD_SOURCES.values(), ids=list(BAD_SOURCES))
def test_the_check_finds_an_issue_worded_in_place(source: str) -> None:
    assert worded_issues(source) != []


def test_the_check_lets_the_catalogue_word_it() -> None:
    source = (
        "def f(s, language):\n"
        "    text = message(Code.X, language, source=s)\n"
        '    return Issue("c", E, s, None, None, None, text)\n'
    )
    assert worded_issues(source) == []
