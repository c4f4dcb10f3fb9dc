"""The demo data: deterministic, fictitious by construction, and valid for the domain's own models."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from localcloud import demo_data
from localcloud.demo_data import (
    BUYER,
    RESERVED_EMAIL_DOMAINS,
    SUPPLIER,
    DemoCompany,
    build_dataset,
    generate_companies,
    leaf_codes,
    profile_payload,
    registration_payload,
)

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
FICTION_PHONE = re.compile(
    r"^\+33(19900|26191|35301|46571|53649|63998|97742)\d{4}$|^\+44(7700900|2079460)\d{3}$"
)


@pytest.fixture(scope="module")
def companies() -> list[DemoCompany]:
    return generate_companies()


def _emails(companies: list[DemoCompany]) -> list[str]:
    return [person.email for company in companies for person in company.participants]


def test_same_seed_same_data_and_another_seed_differs() -> None:
    assert build_dataset(NOW, seed=7) == build_dataset(NOW, seed=7)
    assert generate_companies(seed=7) != generate_companies(seed=8)


def test_about_two_hundred_companies_of_both_types(companies: list[DemoCompany]) -> None:
    assert len(companies) == demo_data.DEFAULT_COMPANY_COUNT == 200
    types = {company.type_code for company in companies}
    assert types == {BUYER, SUPPLIER}
    assert all(1 <= len(company.participants) <= 3 for company in companies)
    assert len({company.name for company in companies}) > 150


def test_emails_are_unique_and_only_in_reserved_example_domains(companies: list[DemoCompany]) -> None:
    emails = _emails(companies)
    assert len(emails) == len(set(emails))
    for email in emails:
        domain = email.rpartition("@")[2]
        assert any(
            domain == reserved or domain.endswith("." + reserved) for reserved in RESERVED_EMAIL_DOMAINS
        )
    for company in companies:
        host = company.website.removeprefix("https://")
        assert any(host.endswith("." + reserved) for reserved in RESERVED_EMAIL_DOMAINS)


def test_domain_label_keeps_runs_apart() -> None:
    first = set(_emails(generate_companies(count=20, domain_label="runa")))
    second = set(_emails(generate_companies(count=20, domain_label="runb")))
    assert not first & second


def test_phones_are_e164_in_ranges_reserved_for_fiction(companies: list[DemoCompany]) -> None:
    for company in companies:
        for person in company.participants:
            assert FICTION_PHONE.match(person.phone), person.phone


def test_every_taxonomy_code_used_exists_and_tree_is_8_by_3_by_3(companies: list[DemoCompany]) -> None:
    nodes = demo_data.taxonomy_payload()["nodes"]
    codes = {node["code"] for node in nodes}
    assert len(demo_data.SECTORS) == 8
    assert len(leaf_codes()) == 8 * 3 * 3
    assert all(node["parent"] is None or node["parent"] in codes for node in nodes)
    for company in companies:
        assert set(company.needs) | set(company.offers) <= set(leaf_codes())
        assert company.needs if company.type_code == BUYER else company.offers
        assert set(registration_payload(company)["company"]["answers"]["sectors"]) <= codes


def test_siret_numbers_are_luhn_valid(companies: list[DemoCompany]) -> None:
    def luhn_ok(digits: str) -> bool:
        total = 0
        for position, char in enumerate(reversed(digits)):
            value = int(char) * (2 if position % 2 else 1)
            total += value - 9 if value > 9 else value
        return total % 10 == 0

    sirets = [company.siret for company in companies if company.siret]
    assert sirets
    assert all(len(siret) == 14 and luhn_ok(siret) and luhn_ok(siret[:9]) for siret in sirets)


def test_payloads_validate_against_the_domain_models(companies: list[DemoCompany]) -> None:
    events = pytest.importorskip("salon.registration.domain.events")
    forms = pytest.importorskip("salon.registration.domain.forms")
    registrations = pytest.importorskip("salon.registration.domain.registrations")
    taxonomy = pytest.importorskip("salon.registration.domain.taxonomy")
    types = pytest.importorskip("salon.registration.domain.participation_types")
    participants = pytest.importorskip("salon.registration.domain.participants")

    dataset = build_dataset(NOW, companies=0)
    event = events.EventCreate.model_validate(dataset.event)
    assert events.key_date_errors(event.starts_at, event.ends_at, event.key_dates) == []
    for participation_type in dataset.types:
        types.ParticipationTypeCreate.model_validate(participation_type)
    tree = taxonomy.TaxonomyInput.model_validate(dataset.taxonomy)
    assert taxonomy.taxonomy_errors(tree.nodes) == []
    form = forms.FormInput.model_validate(dataset.form)
    assert forms.form_errors(form.fields) == []

    codes = {node.code for node in tree.nodes}
    company_fields = [field for field in form.fields if field.level == "company"]
    participant_fields = [field for field in form.fields if field.level == "participant"]
    for company in companies:
        registration = registrations.RegistrationCreate.model_validate(registration_payload(company))
        answers, errors = forms.check_answers(
            company_fields, registration.company.answers, context={}, taxonomy=codes, path="company.answers"
        )
        assert errors == []
        for person in registration.participants:
            _, errors = forms.check_answers(
                participant_fields, person.answers, context=answers, taxonomy=codes, path="participant"
            )
            assert errors == []
        participants.ProfileInput.model_validate(profile_payload(company, "evt_x"))


def test_show_if_certificate_only_for_iso_certified(companies: list[DemoCompany]) -> None:
    for company in companies:
        answers = registration_payload(company)["company"]["answers"]
        assert ("iso9001_certificate" in answers) == answers["iso9001"]


def test_registration_opens_before_now_and_closes_later() -> None:
    key_dates = demo_data.event_payload(NOW)["key_dates"]
    assert datetime.fromisoformat(key_dates["registration_opens_at"]) < NOW
    assert datetime.fromisoformat(key_dates["registration_closes_at"]) > NOW
