"""The data dictionary an export adds to its archive: ``FIELDS.csv`` lists, per CSV file, each field
with its French and English label and description (``salon.kernel.field_labels``), the registry's
category of the field and the file's retention and erasure rule; ``README.md`` tells a person what
the archive holds. The person's language (the request's, else their registrations') comes first;
without one, French then English."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from salon.kernel.field_labels import CATEGORIES, ERASURES, LABELS, retention_text
from salon.kernel.registry import Category, ItemSpec
from salon.kernel.stores import Store
from salon.kernel.values import LOCALES, Locale


@dataclass(frozen=True)
class Sheet:
    """A CSV file of the archive: its name, its header, where its rows come from (an item type of a
    table or a store; None for an index the export itself makes)."""

    file: str
    fields: tuple[str, ...]
    source: ItemSpec | Store | None


def header(csv_body: bytes) -> tuple[str, ...]:
    return tuple(next(csv.reader(io.StringIO(csv_body.decode())), []))


def languages(locale: str | None) -> tuple[Locale, ...]:
    """The archive's languages, the person's first."""
    return tuple(sorted(LOCALES, key=lambda candidate: candidate != locale))


def _categories(source: ItemSpec | Store | None) -> dict[str, list[Category]]:
    """Field -> the registry's categories of it; a store may declare nested attributes
    (``people.first_name``) or several at once (``needs, offers``): they count for the top field."""
    out: dict[str, list[Category]] = {}
    for attribute in source.personal if source else ():
        for name in attribute.name.split(", "):
            found = out.setdefault(name.split(".")[0], [])
            if attribute.category not in found:
                found.append(attribute.category)
    return out


def fields_csv(sheets: Iterable[Sheet], langs: Sequence[Locale]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["file", "field"]
        + [f"{column}_{lang}" for column in ("label", "description") for lang in langs]
        + [f"{column}_{lang}" for column in ("category", "retention", "erasure") for lang in langs]
    )
    for sheet in sheets:
        source = sheet.source
        categories = _categories(source)
        for name in sheet.fields:
            labels = [LABELS[lang].get(name, ("", "")) for lang in langs]
            category = categories.get(name, [])
            writer.writerow(
                [sheet.file, name]
                + [label for label, _ in labels]
                + [description for _, description in labels]
                + [", ".join(CATEGORIES[lang][c] for c in category) for lang in langs]
                + [retention_text(source.retention, lang) if source else "" for lang in langs]
                + [ERASURES[lang][source.erasure] if source else "" for lang in langs]
            )
    return out.getvalue().encode()


_README: dict[Locale, str] = {
    "fr": """## Français

Cette archive répond à votre demande d'accès ou de portabilité. Pour chaque stockage où Salon a trouvé
des données vous concernant, elle contient un fichier JSON et un fichier CSV au contenu identique.
Les noms des colonnes et des clés sont des noms techniques, les mêmes d'une archive à l'autre.

- `FIELDS.csv` : pour chaque fichier et chaque champ, son libellé et sa description en français et en
  anglais, sa catégorie de données personnelles, sa durée de conservation et ce qu'il devient si vous
  demandez l'effacement (une catégorie vide : le champ n'est pas une donnée personnelle à lui seul) ;
- `stores.json` : tous les stockages parcourus, et le nombre d'éléments trouvés dans chacun.

Fichiers :

""",
    "en": """## English

This archive answers your access or portability request. For each store where Salon found data about
you, it holds a JSON file and a CSV file with the same content. The names of the columns and keys are
technical names, the same from one archive to the next.

- `FIELDS.csv`: for each file and each field, its label and description in French and in English, its
  category of personal data, how long it is kept and what becomes of it if you ask for erasure (an
  empty category: the field is not personal data on its own);
- `stores.json`: every store searched, and how many items were found in each.

Files:

""",
}
_FILE: dict[Locale, str] = {
    "fr": "- `{stem}` (.json, .csv) : conservation {retention} ; {erasure}\n",
    "en": "- `{stem}` (.json, .csv): kept {retention}; {erasure}\n",
}
_TITLE = "# Salon: vos données / your data\n\n"


def readme(sheets: Sequence[Sheet], langs: Sequence[Locale]) -> bytes:
    sections = []
    for lang in langs:
        files = [
            _FILE[lang].format(
                stem=s.file.removesuffix(".csv"),
                retention=retention_text(s.source.retention, lang),
                erasure=ERASURES[lang][s.source.erasure],
            )
            for s in sheets
            if s.source
        ]
        sections.append(_README[lang] + "".join(files))
    return (_TITLE + "\n".join(sections)).encode()
