#!/usr/bin/env python3
"""Fail when a translation catalogue has untranslated or fuzzy entries.

Usage: python scripts/check_translations.py [PO_FILE ...]

Without arguments it checks every locale/*/LC_MESSAGES/*.po of the project. Each problem
is printed as ``file:line: untranslated|fuzzy: "msgid"``; the exit status is 1 when there
is any, 0 otherwise. Standard library only, and it reads the .po text directly, so it runs
in milliseconds. It does not look for new strings in the code: run ``manage.py
makemessages`` first for that (it is slower).
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")\s*$')


def _unquote(text: str) -> str:
    try:
        return ast.literal_eval(text)
    except (SyntaxError, ValueError):
        return text.strip('"')


class Entry:
    def __init__(self, line: int):
        self.line = line
        self.flags: set[str] = set()
        self.fields: dict[str, str] = {}

    @property
    def msgid(self) -> str:
        return self.fields.get("msgid", "")

    @property
    def translations(self) -> list[str]:
        return [v for k, v in self.fields.items() if k.startswith("msgstr")]


def entries(path: Path):
    """Yield the live (non-obsolete) entries of a .po file."""
    current: Entry | None = None
    key = None
    in_body = False
    with path.open(encoding="utf-8") as po:
        for number, raw in enumerate(po, 1):
            line = raw.strip()
            if not line:
                continue
            if line.startswith("#"):
                if line.startswith("#~"):  # obsolete: gettext ignores it, so do we
                    continue
                if in_body:  # a comment after msgstr starts the next entry
                    yield current
                    current, key, in_body = None, None, False
                if current is None:
                    current = Entry(number)
                if line.startswith("#,"):
                    current.flags.update(f.strip() for f in line[2:].split(","))
                continue
            match = KEYWORD.match(line)
            if match:
                keyword, text = match.groups()
                if keyword in ("msgctxt", "msgid") and in_body:
                    yield current
                    current, in_body = None, False
                if current is None:
                    current = Entry(number)
                if keyword.startswith("msgstr"):
                    in_body = True
                key = keyword
                current.fields[key] = _unquote(text)
            elif line.startswith('"') and current is not None and key is not None:
                current.fields[key] += _unquote(line)
            else:
                raise SystemExit(f"{path}:{number}: cannot read this line: {line[:60]}")
    if current is not None and current.fields:
        yield current


def problems(path: Path):
    """Yield (line, kind, msgid) for each untranslated or fuzzy entry."""
    for entry in entries(path):
        if "fuzzy" in entry.flags:
            yield entry.line, "fuzzy", entry.msgid or "(header)"
        elif entry.msgid and not all(entry.translations):
            yield entry.line, "untranslated", entry.msgid


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(ROOT.glob("locale/*/LC_MESSAGES/*.po"))
    if not paths:
        sys.stderr.write("check_translations: no .po file found under locale/\n")
        return 1
    found = 0
    for path in paths:
        shown = (
            path.relative_to(ROOT)
            if path.is_absolute() and ROOT in path.parents
            else path
        )
        count = 0
        for line, kind, msgid in problems(path):
            preview = msgid if len(msgid) <= 80 else msgid[:77] + "..."
            sys.stdout.write(f"{shown}:{line}: {kind}: {preview!r}\n")
            count += 1
        if count:
            noun = "entry" if count == 1 else "entries"
            sys.stdout.write(f"{shown}: {count} {noun} to translate\n")
        found += count
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
