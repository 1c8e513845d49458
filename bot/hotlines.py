"""The hotline directory: verified help services by region, kept as data so staff can update it.

The numbers live only in `bot/data/hotlines.json`; this module loads them, refuses entries that
lack a source or a verification date, and picks the services that fit a region.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

from bot.records import Hotline

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "hotlines.json"
GUESS_PATH = Path(__file__).resolve().parent / "data" / "region_guess.json"
INTERNATIONAL = "international"
EMERGENCY = "emergency"
_VERIFIED = re.compile(r"^\d{4}-\d{2}$")
_HOTLINE_FIELDS = {f.name for f in fields(Hotline)}


class DirectoryError(ValueError):
    """The directory file is malformed; raised at load so a bad edit never reaches a person."""


@dataclass(frozen=True)
class Entry:
    """A hotline and the region codes it is shown for (a service may serve several)."""

    hotline: Hotline
    serves: frozenset[str]


class Directory:
    """Region-aware look-ups over the verified services, in the order of the data file."""

    def __init__(self, entries: Sequence[Entry], regions: dict[str, dict]) -> None:
        self.entries = list(entries)
        self._names = {code: str(info.get("name", code)) for code, info in regions.items()}
        self._aliases: dict[str, str] = {}
        for code, info in regions.items():
            for alias in [code, info.get("name", ""), *info.get("aliases", [])]:
                if alias:
                    self._aliases[_key(alias)] = code

    def regions(self) -> list[str]:
        """Region codes, as listed in the data file (international last)."""
        codes = [c for c in self._names if c != INTERNATIONAL]
        return [*codes, INTERNATIONAL]

    def region_name(self, region: str | None) -> str:
        """A readable name for a region code or alias ("MY" -> "Malaysia")."""
        return self._names[self.resolve(region)]

    def resolve(self, region: str | None) -> str:
        """Map a code or common name, in any case, to a region code; unknown -> international."""
        if not region:
            return INTERNATIONAL
        return self._aliases.get(_key(region), INTERNATIONAL)

    def all(self) -> list[Hotline]:
        return [e.hotline for e in self.entries]

    def by_kind(self, kind: str) -> list[Hotline]:
        """Every service of one kind, whatever its region (e.g. Stop It Now for refusals)."""
        return [e.hotline for e in self.entries if e.hotline.kind == kind]

    def emergency(self, region: str | None) -> list[Hotline]:
        """The region's emergency number, or the 'call your local emergency number' entry."""
        code = self.resolve(region)
        found = [
            e.hotline for e in self.entries if e.hotline.kind == EMERGENCY and code in e.serves
        ]
        if not found:
            found = [
                e.hotline
                for e in self.entries
                if e.hotline.kind == EMERGENCY and INTERNATIONAL in e.serves
            ]
        return found

    def emergency_numbers(self) -> list[Hotline]:
        """Every region's emergency number, for someone whose region is not known."""
        return [e.hotline for e in self.entries if e.hotline.kind == EMERGENCY and e.hotline.phone]

    def speaking(self, language: str, region: str | None) -> list[Hotline]:
        """Services that speak `language` (verified), of the region; of every region if none."""
        code = self.resolve(region)
        return [
            e.hotline
            for e in self.entries
            if e.hotline.speaks(language) and (code == INTERNATIONAL or code in e.serves)
        ]

    def local(self, region: str | None) -> list[Hotline]:
        """The services that serve this region itself (the worldwide ones for international)."""
        code = self.resolve(region)
        return [e.hotline for e in self.entries if code in e.serves and e.hotline.kind != EMERGENCY]

    def for_region(self, region: str | None, kinds: Sequence[str] | None = None) -> list[Hotline]:
        """Emergency first, then the region's services, then the worldwide ones.

        With `kinds`, only services of those kinds are kept (emergency is always kept), ordered
        by the position of their kind in `kinds`, so callers can rank by the situation.
        """
        code = self.resolve(region)
        rank = {kind: i for i, kind in enumerate(kinds)} if kinds is not None else None

        def pick(where: str) -> list[Hotline]:
            chosen = [
                e.hotline
                for e in self.entries
                if where in e.serves
                and e.hotline.kind != EMERGENCY
                and (rank is None or e.hotline.kind in rank)
            ]
            if rank is not None:
                chosen.sort(key=lambda h: rank[h.kind])  # stable: file order within a kind
            return chosen

        result = self.emergency(code)
        if code != INTERNATIONAL:
            result += pick(code)
        result += [h for h in pick(INTERNATIONAL) if h not in result]
        return _unique(result)


def _key(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").split())


def _unique(hotlines: list[Hotline]) -> list[Hotline]:
    seen: set[int] = set()
    out = []
    for h in hotlines:
        if id(h) not in seen:
            seen.add(id(h))
            out.append(h)
    return out


def validate(data: dict) -> list[str]:
    """Problems in a directory document (empty when it is sound); used at load and by tests."""
    problems: list[str] = []
    regions = data.get("regions")
    if not isinstance(regions, dict) or INTERNATIONAL not in regions:
        return ["'regions' must be an object that includes 'international'"]
    hotlines = data.get("hotlines")
    if not isinstance(hotlines, list) or not hotlines:
        return ["'hotlines' must be a non-empty list"]
    for i, raw in enumerate(hotlines):
        label = f"hotline {i} ({raw.get('name', '?')})" if isinstance(raw, dict) else f"hotline {i}"
        if not isinstance(raw, dict):
            problems.append(f"{label}: not an object")
            continue
        unknown = set(raw) - _HOTLINE_FIELDS - {"serves"}
        if unknown:
            problems.append(f"{label}: unknown fields {sorted(unknown)}")
        for name in ("name", "region", "kind", "purpose", "source", "verified"):
            if not str(raw.get(name, "")).strip():
                problems.append(f"{label}: missing {name}")
        if raw.get("verified") and not _VERIFIED.match(str(raw["verified"])):
            problems.append(f"{label}: verified must look like YYYY-MM")
        serves = raw.get("serves", [raw.get("region")])
        for code in [raw.get("region"), *serves]:
            if code not in regions:
                problems.append(f"{label}: unknown region {code!r}")
        if raw.get("kind") != EMERGENCY and not (raw.get("phone") or raw.get("url")):
            problems.append(f"{label}: needs a phone number or a link")
        languages = raw.get("languages", [])
        if not isinstance(languages, list) or not all(isinstance(c, str) for c in languages):
            problems.append(f"{label}: languages must be a list of language codes")
        elif languages and not str(raw.get("languages_source", "")).strip():
            problems.append(f"{label}: languages need a languages_source")
        url = str(raw.get("url", ""))
        if url and not url.startswith("https://"):
            problems.append(f"{label}: links must use https")
    for code in regions:
        has_emergency = any(
            isinstance(h, dict)
            and h.get("kind") == EMERGENCY
            and code in h.get("serves", [h.get("region")])
            for h in hotlines
        )
        if not has_emergency:
            problems.append(f"region {code}: no emergency entry")
    return problems


def load_directory(path: Path | None = None) -> Directory:
    """Read and validate the directory; a faulty file fails loudly instead of showing bad help."""
    path = Path(path) if path is not None else DEFAULT_PATH
    stat = path.stat()
    return _load(path.resolve(), stat.st_mtime_ns, stat.st_size)


@cache
def _load(path: Path, _mtime: int, _size: int) -> Directory:
    """Parsed once per version of the file (staff may edit it while the app runs)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    problems = validate(data)
    if problems:
        raise DirectoryError(f"{path}: " + "; ".join(problems))
    entries = []
    for raw in data["hotlines"]:
        values = {k: str(v) for k, v in raw.items() if k in _HOTLINE_FIELDS}
        values["languages"] = tuple(raw.get("languages", ()))  # type: ignore[assignment]
        hotline = Hotline(**values)  # type: ignore[arg-type]
        entries.append(Entry(hotline, frozenset(raw.get("serves", [raw["region"]]))))
    return Directory(entries, data["regions"])


def load_region_guesses(path: Path | None = None) -> dict[str, dict[str, str]]:
    """The browser's region guess as data (time zone -> region, country -> region), checked
    against the directory so the page never guesses a region the directory lacks."""
    data = json.loads((path or GUESS_PATH).read_text(encoding="utf-8"))
    known = set(load_directory().regions())
    tables = {name: dict(data[name]) for name in ("time_zones", "countries")}
    unknown = {code for table in tables.values() for code in table.values()} - known
    if unknown:
        where = path or GUESS_PATH
        raise DirectoryError(f"{where}: regions not in the directory: {sorted(unknown)}")
    return tables
