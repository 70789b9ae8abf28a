"""The shape of one catalogue entry, shared by every family of messages.

A message is a severity and one `str.format` template per language; the programme's
`[program] language` picks the template ("en", anything else reads as "id").
"""

from __future__ import annotations

from dataclasses import dataclass

from sheetsync.issues import Severity

LANGUAGES = ("id", "en")


@dataclass(frozen=True, slots=True)
class MessageSpec:
    severity: Severity
    id: str
    en: str

    def template(self, language: str) -> str:
        return self.en if language_of(language) == "en" else self.id


def language_of(language: str) -> str:
    """ "en" stays "en"; every other setting reads as Bahasa Indonesia."""
    return "en" if language == "en" else "id"
