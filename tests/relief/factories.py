"""Relief records for tests, made through the services with valid, fictional ID numbers."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from org.models import Unit, User
from relief import idnumber, services
from relief.models import Assistance, IdClaim, Person, SelfCare, SupportMode

_sequence = itertools.count(1)


def id_number(born: date = date(1950, 3, 7), sequence: int | None = None) -> str:
    return idnumber.make(
        "371302", born, sequence if sequence is not None else next(_sequence) % 1000
    )


def person(
    unit: Unit,
    *,
    community: Unit | None = None,
    name: str = "张测试",
    assistance: str = Assistance.TEKUN,
    support_mode: str = SupportMode.DISPERSED,
    self_care: str = SelfCare.PARTIAL,
    institution: Unit | None = None,
    since: date = date(2019, 1, 1),
    household_number: str = "",
    **fields: Any,
) -> Person:
    return services.person_register(
        unit=unit,
        community=community,
        name=name,
        id_number=fields.pop("id_number", None) or id_number(),
        assistance=assistance,
        support_mode=support_mode if assistance == Assistance.TEKUN else "",
        self_care=self_care if assistance == Assistance.TEKUN else "",
        institution=institution,
        since=since,
        household_number=household_number,
        **fields,
    )


def claim(requester: User, elsewhere: Unit, **fields: Any) -> IdClaim:
    """A registration by `requester` held for the section: its number is on `elsewhere`'s roster."""
    existing = person(elsewhere, name=fields.pop("existing_name", "他处对象"))
    unit = requester.scope.get()
    held = services.person_register_or_claim(
        user=requester,
        unit=unit,
        community=fields.pop("community", None),
        household_number=fields.pop("household_number", ""),
        name=fields.pop("name", "待核实对象"),
        id_number=existing.id_number,
        assistance=fields.pop("assistance", Assistance.URBAN_DIBAO),
        support_mode="",
        self_care="",
        institution=None,
        since=fields.pop("since", date(2020, 3, 1)),
        **fields,
    )
    assert isinstance(held, IdClaim)
    return held
