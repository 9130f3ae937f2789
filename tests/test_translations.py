"""The shipped translations are complete (issue 14): every string the code,
templates and scripts mark for translation is in each shipped locale's
catalogue, translated (neither empty nor fuzzy), and the committed .mo files
say exactly what the .po files say. A new English string fails here until
`make messages` has added it and someone has translated it.

Extraction runs Django's makemessages, which needs GNU gettext (xgettext,
msgmerge: Debian's `gettext` package); the catalogue checks read the files
with the small parser below and Python's own .mo reader."""

import ast
import gettext
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(settings.BASE_DIR)
LOCALES = [code for code, _name in settings.LANGUAGES if code != "en"]
DOMAINS = ["django", "djangojs"]
# What `make messages` leaves out (keep in step with the Makefile).
IGNORE = [".venv", "tests", "bench", "staticfiles", "static/vendor", "media", ".pgdata"]
SKIP_TOP = {
    ".git",
    ".venv",
    "locale",
    "node_modules",
    ".pgdata",
    "media",
    "staticfiles",
}


def po_entries(path: Path) -> list[dict]:
    """The entries of a .po file, header first, obsolete ones left out:
    {"ctxt", "id", "plural", "str": {index: text}, "fuzzy"}."""
    entries, entry, field = [], None, None

    def fresh():
        return {"ctxt": None, "id": None, "plural": None, "str": {}, "fuzzy": False}

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("#~"):
            continue
        starts_entry = line.startswith(("#", "msgctxt", "msgid ")) or not line
        if entry is not None and entry["str"] and starts_entry:
            entries.append(entry)
            entry = None
        if not line:
            continue
        entry = entry or fresh()
        if line.startswith("#"):
            entry["fuzzy"] |= line.startswith("#,") and "fuzzy" in line
            continue
        if line.startswith('"'):
            text = ast.literal_eval(line)
        else:
            keyword, _sep, rest = line.partition(" ")
            text = ast.literal_eval(rest)
            if keyword.startswith("msgstr"):
                field = int(keyword[7:-1]) if "[" in keyword else 0
                entry["str"][field] = ""
            else:
                field = {"msgctxt": "ctxt", "msgid": "id", "msgid_plural": "plural"}[
                    keyword
                ]
                entry[field] = ""
        if isinstance(field, int):
            entry["str"][field] += text
        else:
            entry[field] += text
    if entry is not None and entry["str"]:
        entries.append(entry)
    return entries


def key(entry: dict) -> str:
    return (entry["ctxt"] + "\x04" if entry["ctxt"] else "") + entry["id"]


def catalogue(locale: str, domain: str) -> Path:
    return ROOT / "locale" / locale / "LC_MESSAGES" / f"{domain}.po"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The catalogues as `make messages` would leave them now: makemessages
    run on a copy of the committed .po files, over the project's sources."""
    if not (shutil.which("xgettext") and shutil.which("msgmerge")):
        pytest.fail("GNU gettext is needed to extract strings: apt-get install gettext")
    work = tmp_path_factory.mktemp("messages")
    for child in ROOT.iterdir():
        if child.name not in SKIP_TOP:
            (work / child.name).symlink_to(child)
    for locale in LOCALES:
        target = work / "locale" / locale / "LC_MESSAGES"
        target.mkdir(parents=True)
        for domain in DOMAINS:
            if catalogue(locale, domain).exists():
                shutil.copy(catalogue(locale, domain), target)
    here = os.getcwd()
    os.chdir(work)
    try:
        with override_settings(LOCALE_PATHS=[str(work / "locale")]):
            for domain in DOMAINS:
                call_command(
                    "makemessages",
                    locale=LOCALES,
                    domain=domain,
                    symlinks=True,
                    no_obsolete=True,
                    ignore_patterns=IGNORE,
                    add_location="file",
                    verbosity=0,
                )
    finally:
        os.chdir(here)
    return work / "locale"


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_every_marked_string_is_in_the_catalogue(extracted, locale, domain):
    """What the sources mark now is what the committed catalogue holds: no
    new string missing, no stale one left behind (run `make messages`)."""
    committed = catalogue(locale, domain)
    assert committed.exists(), f"{committed} is missing: run `make messages`"
    fresh = {
        key(e)
        for e in po_entries(extracted / locale / "LC_MESSAGES" / committed.name)
        if e["id"]
    }
    held = {key(e) for e in po_entries(committed) if e["id"]}
    assert sorted(fresh - held) == [], "not in the catalogue yet: run `make messages`"
    assert sorted(held - fresh) == [], "no longer in the sources: run `make messages`"


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_every_string_is_translated(locale, domain):
    """No empty and no fuzzy translation in a shipped locale."""
    entries = po_entries(catalogue(locale, domain))
    header = entries[0]
    # A fuzzy header is dropped by msgfmt, and its plural rule with it.
    assert header["id"] == "" and not header["fuzzy"]
    assert f"Language: {locale}\n" in header["str"][0]
    untranslated = [
        e["id"]
        for e in entries
        if e["id"] and (e["fuzzy"] or not all(e["str"].values()) or not e["str"])
    ]
    assert untranslated == []
    if any(e["plural"] for e in entries):
        assert all(len(e["str"]) == 2 for e in entries if e["plural"])


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_the_compiled_catalogue_matches_the_po_file(locale, domain):
    """The committed .mo (what `make run` serves, no gettext needed) is the
    .po compiled: same strings, same translations."""
    po = catalogue(locale, domain)
    with open(po.with_suffix(".mo"), "rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog
    expected = {}
    for e in po_entries(po):
        if not e["id"] or e["fuzzy"] or not all(e["str"].values()):
            continue
        if e["plural"]:
            for index, text in e["str"].items():
                expected[(key(e), index)] = text
        else:
            expected[key(e)] = e["str"][0]
    compiled = {k: v for k, v in compiled.items() if k != ""}
    assert compiled == expected, "the .mo is stale: run `make messages`"
