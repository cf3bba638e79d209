#!/usr/bin/env python3
"""Regenerate ontology/lexicon/countries.toml: one Country entity per ISO 3166-1
country (plus Kosovo), named in the 24 official EU languages.

Sources, in the order their names are listed for each language:

1. ontology/lexicon/sources/countries-eu-forms.toml: curated forms that the EU
   uses and the other sources lack or get wrong (labels, abbreviations such as
   `VS`, formal names such as `Republiek Korea`), and generated names to drop;
2. Debian's iso-codes: /usr/share/iso-codes/json/iso_3166-1.json and the gettext
   catalogues /usr/share/locale/<lang>/LC_MESSAGES/iso_3166-1.mo (`common_name`,
   then `name`, then, after the CLDR names, `official_name`);
3. Unicode CLDR as packaged by Debian's unicode-cldr-core:
   /usr/share/unicode/cldr/common/main/<lang>.xml, the everyday short names
   (`Zuid-Korea`, `Südkorea`) that ISO does not give.

Generated names are cleaned by fixed rules (see scripts/lexicon/README.md): forms
with commas or brackets are dropped, names shorter than 3 characters must be all
capitals, and a name that two countries share in one language is dropped from
both unless the curated file gives it to one. The output is sorted by id and
byte-for-byte reproducible from the same inputs.

Usage: python3 scripts/lexicon/countries.py [--check] [--output PATH]
Python 3.11+ standard library only.
"""

from __future__ import annotations

import argparse
import gettext
import json
import re
import sys
import tomllib
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ISO_JSON = Path("/usr/share/iso-codes/json/iso_3166-1.json")
LOCALE_DIR = Path("/usr/share/locale")
ISO_DOMAIN = "iso_3166-1"
CLDR_MAIN = Path("/usr/share/unicode/cldr/common/main")
CURATED = ROOT / "ontology/lexicon/sources/countries-eu-forms.toml"
OUTPUT = ROOT / "ontology/lexicon/countries.toml"

#: The 24 official languages of the EU (ISO 639-1), in output order.
LANGS = (
    "bg cs da de el en es et fi fr ga hr hu it lt lv mt nl pl pt ro sk sl sv"
).split()

#: The 27 EU Member States (ISO 3166-1 alpha-3).
EU_MEMBER_STATES = frozenset(
    "AUT BEL BGR CYP CZE DEU DNK ESP EST FIN FRA GRC HRV HUN IRL ITA LTU LUX "
    "LVA MLT NLD POL PRT ROU SVK SVN SWE".split()
)
MEMBER_STATE_NOTE = "EU Member State"

#: Characters that mark an inverted or annotated form nobody writes in running
#: text ("Korea, Republic of", "Falkland Islands (Malvinas)", "Bosnia & Herzegovina").
BAD_CHARS = set(",()[]&;")
SPACED_DASH = re.compile(r"\s[-\u2013\u2014]\s")

#: The Maltese definite article glued to a noun (`il-`, `l-`, `ir-`, `iż-`, ...):
#: after a preposition it changes (`fil-`, `mal-`), so the bare noun is listed too.
MT_ARTICLE = re.compile(r"^(?:[Ii][lċdnrstxżz]|[Ll])-(?=\w)")

#: An Irish name starting with the article is written with a lower-case article
#: in running text (`an Fhrainc`, `na Stáit Aontaithe`).
GA_ARTICLE = re.compile(r"^(An|Na) ")

CURATED_KEYS = {"label", "note", "names", "drop", "alpha2", "authority"}


class DataError(Exception):
    """A source file is missing or does not have the expected shape."""


def clean(name: str) -> str:
    """Use NFC, drop invisible format characters (zero-width spaces occur in the
    catalogues), collapse white space and use the ASCII apostrophe (the
    gazetteer matches both apostrophes whichever the name has)."""
    name = unicodedata.normalize("NFC", name).replace("\u2019", "'")
    name = "".join(c for c in name if unicodedata.category(c) != "Cf")
    return " ".join(name.split())


def key(name: str) -> str:
    """Identity of a name for de-duplication: case-insensitive."""
    return clean(name).casefold()


def acceptable(name: str) -> bool:
    """Whether a generated name may be emitted: no inverted or annotated form,
    no spaced dash (CLDR `Congo - Kinshasa`, `Hongkong – ZAO Číny`), at least 3
    characters unless it is all capitals (`VS`, `UK`)."""
    if not name or any(c in BAD_CHARS for c in name) or SPACED_DASH.search(name):
        return False
    if len(name) < 3 and any(c.islower() for c in name):
        return False
    return True


@dataclass
class Country:
    """One entity being built."""

    alpha3: str
    alpha2: str
    label: str
    authority: str
    iso: str | None
    note: str | None
    #: lang -> list of (name, curated?)
    names: dict[str, list[tuple[str, bool]]] = field(default_factory=dict)


class _Untranslated(gettext.NullTranslations):
    """Catalogue fallback that returns None for a message without translation,
    so that an English source string is never taken for a translation."""

    def gettext(self, message):
        return None


def load_catalogues() -> tuple[dict, list[str]]:
    """The iso_3166-1 catalogue of each EU language; English needs none (the
    source strings are English). Returns (lang -> translate, missing langs)."""
    catalogues: dict = {}
    missing = []
    for lang in LANGS:
        if lang == "en":
            missing.append(lang)
            catalogues[lang] = lambda m: m
            continue
        try:
            t = gettext.translation(ISO_DOMAIN, str(LOCALE_DIR), [lang])
        except FileNotFoundError:
            missing.append(lang)
            catalogues[lang] = lambda m: None
            continue
        t.add_fallback(_Untranslated())
        catalogues[lang] = t.gettext
    return catalogues, missing


def load_cldr(lang: str) -> dict[str, list[str]]:
    """CLDR territory names of `lang`: alpha-2 -> [name, short, variant]."""
    path = CLDR_MAIN / f"{lang}.xml"
    if not path.exists():
        raise DataError(f"{path} missing: apt-get install unicode-cldr-core")
    root = ET.parse(path).getroot()
    found: dict[str, dict[str, str]] = {}
    for t in root.iter("territory"):
        code = t.get("type", "")
        if not re.fullmatch(r"[A-Z]{2}", code) or not t.text or "↑↑↑" in t.text:
            continue
        found.setdefault(code, {})[t.get("alt") or ""] = t.text
    order = ("", "short", "variant")
    return {
        code: [alts[a] for a in order if a in alts] for code, alts in found.items()
    }


def load_curated(path: Path) -> dict:
    """The curated file, checked: alpha-3 keys, known fields and languages."""
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise DataError(f"{path}: {e}") from e
    for code, entry in data.items():
        where = f"{path.name} [{code}]"
        if not isinstance(entry, dict):
            raise DataError(f"{where}: a table")
        if not re.fullmatch(r"[A-Z]{3}", code):
            raise DataError(f"{where}: keys are ISO 3166-1 alpha-3 codes")
        unknown = set(entry) - CURATED_KEYS
        if unknown:
            raise DataError(f"{where}: unknown fields {sorted(unknown)}")
        for k in ("label", "note", "alpha2", "authority"):
            if k in entry and not (isinstance(entry[k], str) and entry[k].strip()):
                raise DataError(f"{where}.{k}: a non-empty string")
        for table in ("names", "drop"):
            for lang, names in entry.get(table, {}).items():
                if lang not in LANGS:
                    raise DataError(f"{where}.{table}: {lang!r} is not an EU language")
                if not isinstance(names, list) or not all(
                    isinstance(n, str) and n.strip() for n in names
                ):
                    raise DataError(f"{where}.{table}.{lang}: a list of names")
                for n in names:
                    if len(clean(n)) < 3 and any(c.islower() for c in n):
                        raise DataError(f"{where}.{table}.{lang}: {n!r} too short")
    return data


def generated_forms(lang: str, name: str) -> list[str]:
    """The forms emitted for one generated name in `lang` (possibly none)."""
    name = clean(name)
    if lang == "en" and name.startswith("the "):
        name = name[4:]
    if lang == "ga":
        name = GA_ARTICLE.sub(lambda m: m.group(1).lower() + " ", name)
    forms = [name]
    if lang == "mt":
        bare = MT_ARTICLE.sub("", name)
        if bare != name and bare[:1].isupper():
            forms.insert(0, bare)
    return [f for f in forms if acceptable(f)]


def build(curated: dict) -> tuple[list[Country], dict]:
    """All countries with their names; also returns statistics."""
    with ISO_JSON.open(encoding="utf-8") as f:
        iso = json.load(f)["3166-1"]
    catalogues, no_catalogue = load_catalogues()
    cldr = {lang: load_cldr(lang) for lang in LANGS}
    stats: dict = {"no_catalogue": no_catalogue, "untranslated": {}, "ambiguous": []}

    records = [
        {
            "alpha_3": e["alpha_3"],
            "alpha_2": e["alpha_2"],
            "sources": [e.get("common_name"), e["name"]],
            "official": e.get("official_name"),
            "in_iso": True,
        }
        for e in iso
    ]
    iso_codes = {r["alpha_3"] for r in records}
    for code, entry in curated.items():
        if code in iso_codes:
            if "alpha2" in entry:
                raise DataError(f"[{code}] is in ISO 3166-1: no alpha2 needed")
            continue
        if "alpha2" not in entry or "label" not in entry:
            raise DataError(f"[{code}] is not in ISO 3166-1: give alpha2 and label")
        records.append(
            {
                "alpha_3": code,
                "alpha_2": entry["alpha2"],
                "sources": [entry["label"]],
                "official": None,
                "in_iso": False,
            }
        )

    countries = []
    for r in records:
        code = r["alpha_3"]
        cur = curated.get(code, {})
        english = [s for s in r["sources"] if s]
        label = clean(cur.get("label") or english[0])
        if not acceptable(label) and "label" not in cur:
            raise DataError(f"{code}: label {label!r} needs a curated EU short name")
        notes = [MEMBER_STATE_NOTE] if code in EU_MEMBER_STATES else []
        if cur.get("note"):
            notes.append(" ".join(cur["note"].split()))
        c = Country(
            alpha3=code,
            alpha2=r["alpha_2"],
            label=label,
            authority=cur.get("authority", f"country/{code}"),
            iso=code if r["in_iso"] else None,
            note=" ".join(notes) or None,
        )
        for lang in LANGS:
            tr = catalogues[lang]
            drop = {key(n) for n in cur.get("drop", {}).get(lang, [])}
            cands: list[tuple[str, bool]] = []
            if lang == "en" and key(label) not in drop:
                cands.append((label, True))  # the label is an English name
            cands += [(clean(n), True) for n in cur.get("names", {}).get(lang, [])]
            generated: list[str] = []
            if r["in_iso"]:
                for src in english:
                    t = tr(src)
                    if t is None:
                        stats["untranslated"][lang] = stats["untranslated"].get(lang, 0) + 1
                    else:
                        generated.append(t)
            generated += cldr[lang].get(r["alpha_2"], [])
            if r["official"]:
                t = tr(r["official"])
                if t is None:
                    stats["untranslated"][lang] = stats["untranslated"].get(lang, 0) + 1
                else:
                    generated.append(t)
            for g in generated:
                cands += [(f, False) for f in generated_forms(lang, g)]
            seen: set[str] = set()
            names = []
            for n, is_curated in cands:
                k = key(n)
                if k in seen or (k in drop and not is_curated):
                    continue
                seen.add(k)
                names.append((n, is_curated))
            c.names[lang] = names
        countries.append(c)

    resolve_ambiguities(countries, stats)
    countries.sort(key=lambda c: c.alpha3.lower())
    return countries, stats


def resolve_ambiguities(countries: list[Country], stats: dict) -> None:
    """A name two countries share in one language would make the gazetteer
    refuse the lexicon: keep it where it is curated, drop it where generated."""
    owners: dict[tuple[str, str], list[tuple[Country, bool]]] = {}
    for c in countries:
        for lang, names in c.names.items():
            for n, is_curated in names:
                owners.setdefault((lang, key(n)), []).append((c, is_curated))
    for (lang, k), holders in sorted(owners.items(), key=lambda kv: kv[0]):
        if len(holders) < 2:
            continue
        curated = [c for c, is_cur in holders if is_cur]
        if len(curated) > 1:
            codes = ", ".join(c.alpha3 for c in curated)
            raise DataError(f"curated name {k!r} ({lang}) given to {codes}")
        for c, is_cur in holders:
            if not is_cur:
                c.names[lang] = [(n, ic) for n, ic in c.names[lang] if key(n) != k]
        stats["ambiguous"].append(
            (lang, k, sorted(c.alpha3 for c, _ in holders), curated[0].alpha3 if curated else None)
        )


def toml_string(s: str) -> str:
    """A TOML basic string."""
    out = []
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def render(countries: list[Country]) -> str:
    """The lexicon file."""
    lines = [
        "# Countries: one entity per ISO 3166-1 country, plus Kosovo.",
        "# GENERATED by scripts/lexicon/countries.py from Debian's iso-codes, Unicode",
        "# CLDR (unicode-cldr-core) and sources/countries-eu-forms.toml: do not edit;",
        "# change the curated file and run `python3 scripts/lexicon/countries.py`.",
    ]
    for c in countries:
        lines += [
            "",
            "[[entity]]",
            f'id = "country/{c.alpha3.lower()}"',
            'class = "Country"',
            f"label = {toml_string(c.label)}",
        ]
        if c.iso:
            lines.append(f"iso = {toml_string(c.iso)}")
        lines.append(f"authority = {toml_string(c.authority)}")
        if c.note:
            lines.append(f"note = {toml_string(c.note)}")
        lines.append("[entity.names]")
        for lang in LANGS:
            names = c.names.get(lang)
            if names:
                lines.append(f"{lang} = [{', '.join(toml_string(n) for n, _ in names)}]")
    return "\n".join(lines) + "\n"


def report(countries: list[Country], stats: dict) -> str:
    """Counts for the person regenerating the file."""
    out = [f"entities: {len(countries)}"]
    per_lang = {lang: sum(len(c.names.get(lang, [])) for c in countries) for lang in LANGS}
    empty = {
        lang: [c.alpha3 for c in countries if not c.names.get(lang)] for lang in LANGS
    }
    out.append("names per language: " + " ".join(f"{l}={n}" for l, n in per_lang.items()))
    out.append(f"total names: {sum(per_lang.values())}")
    out.append(
        "languages without an iso_3166-1 catalogue: "
        + (", ".join(stats["no_catalogue"]) or "none")
        + " (English needs none: the source strings are English)"
    )
    out.append(
        "ISO strings without translation (skipped): "
        + " ".join(f"{l}={n}" for l, n in sorted(stats["untranslated"].items()))
    )
    for lang, codes in empty.items():
        if codes:
            out.append(f"no name in {lang}: {', '.join(codes)}")
    for lang, k, codes, kept in stats["ambiguous"]:
        where = f"kept for {kept}" if kept else "dropped"
        out.append(f"shared name {k!r} ({lang}) of {', '.join(codes)}: {where}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) the lexicon file."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--output", type=Path, default=OUTPUT)
    ap.add_argument(
        "--check", action="store_true", help="fail if the output file is not up to date"
    )
    ap.add_argument("--quiet", action="store_true", help="do not print counts")
    args = ap.parse_args(argv)
    if not ISO_JSON.exists():
        print(f"{ISO_JSON} missing: apt-get install iso-codes", file=sys.stderr)
        return 2
    try:
        countries, stats = build(load_curated(CURATED))
    except DataError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    text = render(countries)
    tomllib.loads(text)  # the output must parse
    if not args.quiet:
        print(report(countries, stats), file=sys.stderr)
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date: regenerate it", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
