"""The field checks a record meets before it is stored: the values accepted at once (a full sync's common case) and
the ones refused, with the message naming the record, the line and the field."""
from __future__ import annotations

from decimal import Decimal

import pytest

from ingest.records import RecordError, to_raw_record
from models.warehouse import entities
from tests.builders import invoice, item_line


def bundle(*children: dict) -> dict:
    return {"Amount": Decimal("2.00"), "DetailType": "GroupLineDetail",
            "GroupLineDetail": {"Quantity": Decimal(1), "Line": list(children)}}


def template(**schedule) -> dict:
    return {"Invoice": {**invoice("7", [item_line("10.00")]),
                        "RecurringInfo": {"Active": True, "ScheduleInfo": schedule}}}


def stored(entity: str, record: dict) -> str:
    return to_raw_record(entities.BY_NAME[entity], record, "f.json", None).payload


# (entity, record, the refusal's words; None: stored)
CASES = {
    "the largest amount": ("Invoice", invoice("8", [item_line("9999999999999999.99", qty="10000")]), None),
    "an amount of 10^16": ("Invoice", invoice("8", [item_line("10000000000000000", qty="10000")], TotalAmt=Decimal(1)),
                           "(Invoice Id 8) Line 1: Amount is 10000000000000000, which is not an amount"),
    "a negative amount of 10^16": ("Invoice", invoice("8", [], TotalAmt=Decimal("-1E+16")),
                                   "(Invoice Id 8): TotalAmt is -1E+16, which is not an amount"),
    "an amount as a whole Python number": ("Invoice", invoice("8", [], TotalAmt=12), None),
    "an amount as a float": ("Invoice", invoice("8", [], TotalAmt=1.5),
                             "(Invoice Id 8): TotalAmt is 1.5, which is not an amount"),
    "an amount that is not a number": ("Invoice", invoice("8", [], TotalAmt=Decimal("NaN")),
                                       "(Invoice Id 8): TotalAmt is NaN, which is not an amount"),
    "a bundle line's amount": ("Invoice", invoice("8", [item_line("1.00"), bundle(item_line("2.00"), item_line("1E+17", qty="1E+5"))],
                                       TotalAmt=Decimal(3)),
                               "(Invoice Id 8) Line 2 bundle line 2: Amount is 1E+17, which is not an amount"),
    "a bundle line's day": ("Invoice", invoice("8", [bundle(item_line("2.00", ServiceDate="2026-13-01"))]),
                            "(Invoice Id 8) Line 1 bundle line 1: SalesItemLineDetail.ServiceDate is \"2026-13-01\", "
                            "which is not a date written YYYY-MM-DD"),
    "a day in another form ISO allows": ("Invoice", invoice("8", [], DueDate="20260305"),
                                         "(Invoice Id 8): DueDate is \"20260305\", which is not a date written YYYY-MM-DD"),
    "a day as a number": ("Invoice", invoice("8", [], DueDate=Decimal("20260305")),
                          "(Invoice Id 8): DueDate is 20260305, which is not a date written YYYY-MM-DD"),
    "a whole count": ("RecurringTransaction", template(NumInterval=Decimal("2"), DayOfMonth=Decimal("2.0")), None),
    "a count with a fraction": ("RecurringTransaction", template(NumInterval=Decimal("2.5")),
                                "RecurringInfo.ScheduleInfo.NumInterval is 2.5, which is not a whole number"),
    "a count of 2^31": ("RecurringTransaction", template(MaxOccurrences=Decimal(2) ** 31),
                        "RecurringInfo.ScheduleInfo.MaxOccurrences is 2147483648, which is not a whole number"),
    "a nested field under a value": ("RecurringTransaction",
                                     {"Invoice": {**invoice("7", []), "RecurringInfo": "paused"}}, None),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_field_is_accepted_or_refused_by_its_kind(case):
    entity, record, refusal = CASES[case]
    if refusal is None:
        assert stored(entity, record)
        return
    with pytest.raises(RecordError) as refused:
        stored(entity, record)
    assert refusal in str(refused.value)
    assert "correct the value in the source and load it again" in str(refused.value)

