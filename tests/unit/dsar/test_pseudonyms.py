"""The pseudonym of an order's contractual records: stable, derived from ids only, shape-keeping."""

from __future__ import annotations

from salon.dsar.domain.pseudonyms import pseudonym, pseudonymised


def test_the_pseudonym_is_stable_per_order_and_fits_the_shortest_field() -> None:
    alias = pseudonym("t1", "ord_1")
    assert alias == pseudonym("t1", "ord_1") and alias != pseudonym("t1", "ord_2")
    assert alias != pseudonym("t2", "ord_1") and len(alias) <= 16  # a postcode's maximum


def test_a_billing_address_keeps_its_shape_and_country_and_loses_the_rest() -> None:
    billing = {
        "company_name": "Acme",
        "address_lines": ["1 rue de la Paix", "Bât. B"],
        "postcode": "75002",
        "city": "Paris",
        "country": "FR",
        "vat_number": "FR40303265045",
        "purchase_order": None,
    }
    assert pseudonymised(billing, "psn_x") == {
        "company_name": "psn_x",
        "address_lines": ["psn_x"],
        "postcode": "psn_x",
        "city": "psn_x",
        "country": "FR",
        "vat_number": "psn_x",
        "purchase_order": None,
    }
    assert pseudonymised("sub-organiser", "psn_x") == "psn_x" and pseudonymised([], "psn_x") == []
