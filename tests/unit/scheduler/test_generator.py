import math

from hypothesis import given, settings
from hypothesis import strategies as st
from salon_scheduler.dzn import dzn_text, instance_from_fields, parse_dzn
from salon_scheduler.generator import TIERS, Tier, generate, table_count
from salon_scheduler.instance import Instance


def forbidden_rate(instance: Instance) -> float:
    blocked = sum(len(slots) for slots in instance.forbidden.values())
    return blocked / (instance.n_participants * len(instance.slots))


def test_same_seed_same_instance_and_different_seeds_differ() -> None:
    assert generate("S", 3) == generate("S", 3)
    assert generate("S", 3).meetings != generate("S", 4).meetings


def test_small_tier_looks_like_a_salon() -> None:
    instance = generate("S", 0)
    tier = TIERS["S"]
    assert instance.name == "gen-S-s0"
    assert instance.n_participants == tier.persons
    assert len(instance.meetings) == tier.requests
    assert len(instance.slots) == 16 and {s.session for s in instance.slots} == {0, 1}
    assert len(instance.tables) == math.ceil(1.1 * tier.requests / 16) == table_count(tier)
    assert 0.10 <= forbidden_rate(instance) <= 0.21
    companies = set(instance.participant_company)
    sizes = [instance.participant_company.count(c) for c in companies]
    assert max(sizes) <= 3 and min(sizes) >= 1
    weights = {m.weight for m in instance.meetings}
    assert {1, 2, 3} <= weights
    assert set(instance.max_meetings.values()) <= {8, 12, 16}
    assert any(m.sessions is not None for m in instance.meetings)
    for meeting in instance.meetings:
        assert meeting.companies[0] != meeting.companies[1]
        assert [instance.participant_company[p] for p in meeting.participants[:2]] == list(meeting.companies)
    popularity = sorted(
        (sum(c in m.companies[1:] for m in instance.meetings) for c in companies), reverse=True
    )
    assert popularity[0] >= 4 * popularity[len(popularity) // 2]  # skewed, not uniform


def test_required_meetings_are_disjoint_and_not_all_blocked() -> None:
    instance = generate(Tier("T", 300, 1_000), 1)
    required = [m for m in instance.meetings if m.required]
    assert len(required) == 10
    persons = [p for m in required for p in m.participants]
    assert len(persons) == len(set(persons))
    for meeting in required:
        blocked = set().union(*(instance.forbidden.get(p, frozenset()) for p in meeting.participants))
        assert len(blocked) < len(instance.slots)


def test_two_day_tier_has_days_and_labels() -> None:
    instance = generate(Tier("2d", 60, 150, days=2), 0)
    assert [s.day for s in instance.slots] == [0] * 16 + [1] * 16
    assert instance.slots[0].label == "D1 09:00" and instance.slots[8].label == "D1 14:00"


@settings(max_examples=15, deadline=None)
@given(st.integers(10, 60), st.integers(0, 10_000))
def test_generated_instances_round_trip_through_dzn(persons: int, seed: int) -> None:
    instance = generate(Tier("H", persons, persons * 2), seed)
    assert instance_from_fields(parse_dzn(dzn_text(instance)), "other") == instance
