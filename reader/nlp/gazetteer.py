"""Countries, capitals, provinces and demonyms, from the ``countryinfo`` data package.

Maintained data rather than a list kept by hand: 250 countries with their other names, capitals,
provinces (states, regions) and demonyms. Countries, capitals and provinces are GPE, demonyms
(and their plurals) NORP, as in the OntoNotes scheme the English pipelines are trained on.
Loaded once a process (about a tenth of a second).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache


@dataclass(frozen=True)
class Gazetteer:
    """Names by their words as written. ``labels`` holds every name; ``addable`` those safe to add
    where the model found nothing (countries, capitals, demonyms: not the many provinces, whose
    names are often common words or surnames)."""

    labels: dict[str, str] = field(default_factory=dict)
    addable: frozenset[str] = frozenset()

    @property
    def longest(self) -> int:
        """The most words a name has."""
        return max((len(name.split()) for name in self.labels), default=0)


def _plural(demonym: str) -> str | None:
    """The plural of a demonym ("Pakistani" -> "Pakistanis"); None where it is the same ("Chinese")."""
    if demonym.endswith(("ese", "ss", "sh", "ch", "s", "x", "z")):
        return None
    return demonym + "s"


def _good(name: str) -> bool:
    """A name worth looking up: starts with a capital, has a lower-case letter (not a code like
    "PK") and is not a long official phrase the news never writes."""
    return bool(name) and name[0].isupper() and any(c.islower() for c in name) and len(name.split()) <= 5


@cache
def gazetteer() -> Gazetteer:
    from countryinfo import CountryInfo

    labels: dict[str, str] = {}
    addable: set[str] = set()
    for info in CountryInfo.all().values():
        countries = [info.get("name") or "", *(info.get("altSpellings") or [])]
        for name in [*countries, info.get("capital") or ""]:
            if _good(name):
                labels[name] = "GPE"
                addable.add(name)
        for name in info.get("provinces") or []:
            if _good(name):
                labels.setdefault(name, "GPE")
        for part in (info.get("demonym") or "").replace(" or ", ",").replace("/", ",").split(","):
            demonym = part.strip()
            if not _good(demonym):
                continue
            for form in (demonym, _plural(demonym)):
                if form is not None and labels.get(form) != "GPE":
                    labels[form] = "NORP"
                    addable.add(form)
    return Gazetteer(labels, frozenset(addable))


def data_version() -> str:
    """The version of the data package: cached entities are found anew when it changes."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"countryinfo {version('countryinfo')}"
    except PackageNotFoundError:
        return "countryinfo missing"
