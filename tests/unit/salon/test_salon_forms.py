"""Forms: field typing, required, show-if, levels, completeness."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError
from salon.registration.domain.forms import FormField, check_answers, form_errors, visible_fields
from salon.registration.domain.registrations import Profile, completeness

L = {"fr": "x", "en": "x"}
OPTS = [{"value": "a", "labels": L}, {"value": "b", "labels": L}]


def field(key: str, type_: str, **extra: Any) -> FormField:
    return FormField.model_validate({"key": key, "type": type_, "labels": L, **extra})


def test_select_needs_options_and_others_refuse_them() -> None:
    with pytest.raises(ValidationError):
        field("s", "select")
    with pytest.raises(ValidationError):
        field("t", "text", options=OPTS)
    with pytest.raises(ValidationError):
        field("s", "select", options=[OPTS[0], OPTS[0]])


def test_show_if_needs_exactly_one_condition() -> None:
    with pytest.raises(ValidationError):
        field("x", "text", show_if={"field": "a"})
    with pytest.raises(ValidationError):
        field("x", "text", show_if={"field": "a", "equals": True, "in": [True]})
    assert field("x", "text", show_if={"field": "a", "in": ["b"]}).show_if is not None


def test_form_errors_reserved_duplicate_forward_and_level() -> None:
    fields = [
        field("email", "text"),
        field("a", "yes_no"),
        field("a", "text"),
        field("b", "text", show_if={"field": "later", "equals": "x"}),
        field("p", "yes_no", level="participant"),
        field("c", "text", show_if={"field": "p", "equals": True}),
        field("later", "text"),
    ]
    paths = {e.field: e.message for e in form_errors(fields)}
    assert "fields[0].key" in paths  # built-in name
    assert "fields[2].key" in paths  # duplicate
    assert "fields[3].show_if.field" in paths  # forward reference
    assert "fields[5].show_if.field" in paths  # company depends on participant


@pytest.mark.parametrize(
    ("type_", "value", "ok"),
    [
        ("text", "hello", True),
        ("text", 3, False),
        ("email", "A@B.example", True),
        ("email", "nope", False),
        ("phone", "+33 6 12 34 56 78", True),
        ("phone", "0612", False),
        ("country", "fr", True),
        ("country", "FRA", False),
        ("yes_no", False, True),
        ("yes_no", "yes", False),
        ("consent", True, True),
        ("consent", 1, False),
    ],
)
def test_types(type_: str, value: Any, ok: bool) -> None:
    f = field("f", type_)
    clean, errors = check_answers([f], {"f": value}, context={}, taxonomy=set(), path="answers")
    assert (not errors) is ok
    if ok and type_ == "email":
        assert clean["f"] == "a@b.example"
    if ok and type_ == "phone":
        assert clean["f"] == "+33612345678"


def test_select_multi_select_and_taxonomy_values() -> None:
    fields = [
        field("s", "select", options=OPTS),
        field("m", "multi_select", options=OPTS),
        field("t", "taxonomy"),
        field("tm", "taxonomy", multiple=True),
    ]
    _, errors = check_answers(
        fields, {"s": "a", "m": ["a", "b"], "t": "IND", "tm": ["IND"]}, context={}, taxonomy={"IND"}, path="x"
    )
    assert errors == []
    _, errors = check_answers(
        fields, {"s": "z", "m": ["a", "a"], "t": "NOPE", "tm": "IND"}, context={}, taxonomy={"IND"}, path="x"
    )
    assert {e.field for e in errors} == {"x.s", "x.m", "x.t", "x.tm"}


def test_required_consent_must_be_true() -> None:
    f = field("gdpr", "consent", required=True)
    _, errors = check_answers([f], {"gdpr": False}, context={}, taxonomy=set(), path="p")
    assert [e.message for e in errors] == ["consent is required"]


def test_unknown_answers_are_refused() -> None:
    _, errors = check_answers([], {"ghost": 1}, context={}, taxonomy=set(), path="company.answers")
    assert errors[0].field == "company.answers.ghost"


def test_show_if_hides_required_field_and_drops_its_answer() -> None:
    fields = [
        field("export", "yes_no", required=True),
        field(
            "countries",
            "multi_select",
            options=OPTS,
            required=True,
            show_if={"field": "export", "equals": True},
        ),
    ]
    clean, errors = check_answers(
        fields, {"export": False, "countries": ["a"]}, context={}, taxonomy=set(), path="c"
    )
    assert errors == []
    assert "countries" not in clean
    _, errors = check_answers(fields, {"export": True}, context={}, taxonomy=set(), path="c")
    assert [e.field for e in errors] == ["c.countries"]


def test_show_if_chains_through_hidden_fields() -> None:
    fields = [
        field("a", "yes_no"),
        field("b", "select", options=OPTS, show_if={"field": "a", "equals": True}),
        field("c", "text", required=True, show_if={"field": "b", "in": ["a"]}),
    ]
    shown = [f.key for f in visible_fields(fields, {"a": False, "b": "a"}, {})]
    assert shown == ["a"]


def test_participant_field_depends_on_company_answer() -> None:
    diet = field(
        "diet", "text", level="participant", required=True, show_if={"field": "lunch", "equals": True}
    )
    _, errors = check_answers(
        [diet], {}, context={"lunch": True}, taxonomy=set(), path="participants[0].answers"
    )
    assert [e.field for e in errors] == ["participants[0].answers.diet"]
    _, errors = check_answers(
        [diet], {}, context={"lunch": False}, taxonomy=set(), path="participants[0].answers"
    )
    assert errors == []


def test_completeness_counts_visible_fields_and_profile() -> None:
    form = [
        field("export", "yes_no"),
        field("countries", "multi_select", options=OPTS, show_if={"field": "export", "equals": True}),
        field("diet", "text", level="participant"),
    ]
    company = {"name": "ACME", "country": "FR", "website": None, "answers": {"export": False}}
    person = {
        "participant_id": "p1",
        "first_name": "A",
        "last_name": "B",
        "email": "a@b.example",
        "answers": {},
    }
    # company: 3 built-ins (2 answered) + export (answered); countries hidden.
    # participant: 5 built-ins (3 answered) + diet (no) + 3 profile parts (0).
    assert completeness(form, company, [person], {}) == (2 + 1 + 3) * 100 // (3 + 1 + 5 + 1 + 3)
    full = Profile(needs=["X"], offers=["Y"], description={"fr": "z"})
    assert completeness(form, company, [person], {"p1": full}) == (2 + 1 + 3 + 3) * 100 // 13


def test_oversized_forms_are_refused_before_storage() -> None:
    from salon.registration.domain.forms import FormInput
    from salon.registration.domain.taxonomy import TaxonomyInput

    big = {"fr": "x" * 300, "en": "y" * 300}
    options = [{"value": f"v{i}", "labels": big} for i in range(300)]
    fields = [{"key": f"f{i}", "type": "select", "labels": L, "options": options} for i in range(3)]
    with pytest.raises(ValidationError, match="too large"):
        FormInput.model_validate({"fields": fields})
    nodes = [{"code": f"N{i}", "labels": big} for i in range(600)]
    with pytest.raises(ValidationError, match="too large"):
        TaxonomyInput.model_validate({"nodes": nodes})
