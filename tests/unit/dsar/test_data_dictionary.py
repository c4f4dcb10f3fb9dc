"""The data dictionary of the archives: every field an export writes has a label and a description in
French and in English, with the registry's category, retention and erasure rule; the person's language
comes first."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

import pytest
from salon.dsar.adapters import archive, dictionary
from salon.dsar.adapters.context import StoreContext
from salon.dsar.adapters.handlers import Handler
from salon.dsar.domain.person import Participation, Person
from salon.dsar.services.tenant_export_run import by_item_type
from salon.kernel import field_labels
from salon.kernel.dynamo import Item
from salon.kernel.field_labels import LABELS, retention_text, unlabelled
from salon.kernel.registry import ACCOUNTING_RECORDS, OUTBOX, REGISTRY, Category, Erasure
from salon.kernel.stores import STORES
from salon.kernel.values import LOCALES
from salon.matchmaking.domain.catalogue import Card

# Written by the tenant export's own rows (its login accounts and the index of its documents) and
# read from Cognito's account attributes, beside the registry's attributes and the catalogue's cards.
EXPORT_ROWS = {"username", "email", "role", "status", "enabled", "created_at"}
DOCUMENT_ROWS = {"store", "key", "file", "content_type", "size"}
COGNITO = {a.name for a in STORES["UserPool"].personal} | {"email_verified"}


@dataclass(frozen=True)
class Holding(Handler):
    """A handler that finds the items it holds: the export path of every handler, without a store."""

    items: tuple[Item, ...] = ()

    def find(self, ctx: StoreContext, person: Person) -> list[Item] | None:
        return list(self.items)


def _fields(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode())))


def _written(item_type: str) -> list[dictionary.Sheet]:
    """The CSV files both exports write for an item with every attribute the registry declares."""
    spec = REGISTRY[item_type]
    item: dict[str, Any] = {name: "x" for name in spec.attributes} | {"item_type": item_type}
    person_rows = Holding(spec.erasure, items=(item,)).export(None, None)
    tenant_rows = by_item_type([item])[item_type]
    return [
        dictionary.Sheet(
            f"SalonTable.{item_type}.csv", dictionary.header(archive.csv_bytes(person_rows)), spec
        ),
        dictionary.Sheet(f"{item_type}.csv", dictionary.header(archive.csv_bytes(tenant_rows)), spec),
    ]


@pytest.mark.parametrize("item_type", sorted(REGISTRY))
def test_every_field_the_exports_write_for_an_item_type_has_a_label_in_both_languages(item_type: str) -> None:
    sheets = _written(item_type)
    rows = _fields(dictionary.fields_csv(sheets, ("fr", "en")))

    assert {(r["file"], r["field"]) for r in rows} == {(s.file, f) for s in sheets for f in s.fields}
    blank = [
        f"{r['field']} ({column})"
        for r in rows
        for column in ("label_fr", "label_en", "description_fr", "description_en")
        if not r[column]
    ]
    assert blank == [], f"add the field(s) to salon.kernel.field_labels: {blank}"


def test_the_catalogue_cards_and_the_login_accounts_fields_have_labels() -> None:
    assert unlabelled([*Card.model_fields, *COGNITO, *EXPORT_ROWS, *DOCUMENT_ROWS]) == []


def test_a_field_without_a_label_in_one_language_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(LABELS["fr"], "shoe_size", ("Pointure", "Pointure du participant"))

    assert unlabelled(["email", "shoe_size", "hat_size"]) == ["hat_size", "shoe_size"]


def test_both_languages_label_the_same_fields_and_only_fields_an_export_writes() -> None:
    written = {a for spec in REGISTRY.values() for a in spec.attributes} - {"PK", "SK"}
    written |= {*Card.model_fields, *COGNITO, *EXPORT_ROWS, *DOCUMENT_ROWS}

    assert set(LABELS["fr"]) == set(LABELS["en"])
    assert set(LABELS["fr"]) - written == set(), "labels of fields no export writes"


def test_the_dictionary_carries_the_registry_category_retention_and_erasure() -> None:
    sheet = dictionary.Sheet(
        "SalonTable.participant.csv", ("email", "participant_id"), REGISTRY["participant"]
    )
    email, participant_id = _fields(dictionary.fields_csv([sheet], ("fr", "en")))

    assert (email["label_fr"], email["label_en"]) == ("E-mail", "E-mail")
    assert (email["category_fr"], email["category_en"]) == ("coordonnées", "contact details")
    assert email["retention_fr"] == "36 mois après la fin de l'événement"
    assert email["erasure_en"] == "deleted on an erasure request"
    assert participant_id["category_en"] == ""  # not personal data on its own
    assert participant_id["retention_en"] == "36 months after the event's end"


def test_a_store_sheet_takes_the_store_s_rule_and_an_index_none() -> None:
    accounts = dictionary.Sheet("UserPool.csv", ("username",), STORES["UserPool"])
    index = dictionary.Sheet("document.csv", ("store",), None)
    username, store = _fields(dictionary.fields_csv([accounts, index], ("en", "fr")))

    assert (username["category_en"], username["erasure_fr"]) == (
        "contact details",
        "supprimé sur demande d'effacement",
    )
    assert (store["label_en"], store["retention_en"], store["erasure_en"]) == ("Store", "", "")


def test_a_store_s_nested_attributes_give_their_categories_to_the_top_field() -> None:
    cards = dictionary.Sheet(
        "CatalogueDomain.csv", ("people", "needs", "event_id"), STORES["CatalogueDomain"]
    )
    people, needs, event_id = _fields(dictionary.fields_csv([cards], ("en", "fr")))

    assert people["category_en"] == "identity, professional"  # first and last names, job titles
    assert (needs["category_fr"], event_id["category_fr"]) == ("vie professionnelle", "")


def test_the_person_s_language_comes_first_else_french_then_english() -> None:
    assert dictionary.languages("en") == ("en", "fr")
    assert dictionary.languages(None) == dictionary.languages("de") == ("fr", "en")
    header = dictionary.fields_csv([], ("en", "fr")).decode().splitlines()[0]
    assert header.startswith("file,field,label_en,label_fr,description_en,description_fr,category_en")
    readme = dictionary.readme([], ("en", "fr")).decode()
    assert readme.index("## English") < readme.index("## Français")


def test_the_readme_names_each_file_with_its_retention_and_erasure() -> None:
    sheet = dictionary.Sheet("SalonTable.order.csv", ("order_id",), REGISTRY["order"])
    readme = dictionary.readme([sheet], ("fr", "en")).decode()

    assert (
        "- `SalonTable.order` (.json, .csv) : conservation 120 mois après l'enregistrement ; conservé pour"
        in readme
    )
    assert "- `SalonTable.order` (.json, .csv): kept 120 months after being written; kept for" in readme


def test_retention_in_words() -> None:
    assert retention_text(ACCOUNTING_RECORDS, "en") == "120 months after being written"
    assert retention_text(OUTBOX, "fr") == "7 jours après l'enregistrement"
    assert retention_text(STORES["IdempotencyTable"].retention, "en") == "1 day after being written"
    assert retention_text(None, "en") == "no period of its own: kept with the organiser's data"


def test_the_person_s_language_is_the_first_their_registrations_name() -> None:
    def person(*locales: str | None) -> Person:
        known = tuple(
            Participation(f"par_{i}", "reg_1", "evt_1", locale=loc) for i, loc in enumerate(locales)
        )
        return Person("t", "key", None, known)

    assert person(None, "en", "fr").locale == "en"
    assert person(None).locale is None


def test_erasure_and_category_words_cover_every_rule_and_category() -> None:
    for lang in LOCALES:
        assert set(field_labels.ERASURES[lang]) == set(Erasure)
        assert set(field_labels.CATEGORIES[lang]) == set(Category)
