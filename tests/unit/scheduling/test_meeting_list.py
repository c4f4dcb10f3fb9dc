"""The organiser's meeting export rows: headers in the chosen language, local day and hours, both
companies with their attendees, free text kept from running as a formula."""

from __future__ import annotations

import csv
import io

from salon.kernel.spreadsheets import to_csv
from salon.scheduling.domain.meeting_list import Attendee, MeetingView, Party, rows


def view(**changes: object) -> MeetingView:
    base = MeetingView(
        meeting_id="mtg_1",
        status="scheduled",
        starts_at="2027-03-10T09:00:00+01:00",
        ends_at="2027-03-10T09:30:00+01:00",
        table="T1",
        locked=False,
        request_id="req_1",
        parties=[
            Party(
                registration_id="reg_a",
                company_name="Acheteur",
                attendees=[Attendee(participant_id="par_1", first_name="Léa", last_name="Petit")],
            ),
            Party(registration_id="reg_b", company_name="=HYPERLINK()", attendees=[]),
        ],
    )
    return base.model_copy(update=changes)


def test_rows_read_back_from_csv_with_french_headers() -> None:
    table = rows([view(), view(meeting_id="mtg_2", status="cancelled", locked=True)], "fr")

    read = list(csv.reader(io.StringIO(to_csv(table, ";").decode("utf-8-sig")), delimiter=";"))

    assert read[0] == [
        "Rendez-vous",
        "Statut",
        "Jour",
        "Début",
        "Fin",
        "Table",
        "Société A",
        "Participants A",
        "Société B",
        "Participants B",
        "Verrouillé",
        "Demande",
    ]
    assert read[1] == [
        "mtg_1",
        "planifié",
        "2027-03-10",
        "09:00",
        "09:30",
        "T1",
        "Acheteur",
        "Léa Petit",
        "'=HYPERLINK()",
        "",
        "non",
        "req_1",
    ]
    assert (read[2][1], read[2][10]) == ("annulé", "oui")


def test_english_headers_and_a_meeting_with_one_known_company_keeps_its_columns() -> None:
    table = rows([view(parties=[])], "en")

    assert table[0][:3] == ["Meeting", "Status", "Day"]
    assert len(table[1]) == len(table[0]) and table[1][6:10] == ["", "", "", ""]
