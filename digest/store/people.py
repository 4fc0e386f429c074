"""People who take part in meetings: one row per canonical name, with roles, aliases and side.

A participant is filed under the canonical spelling of a well-known name (the gazetteer's),
and every spelling seen, surname and given name become lookup aliases (``person_aliases``).
"""

from __future__ import annotations

import json

import sqlite_utils

from digest.meetings.gazetteer import gazetteer
from digest.meetings.names import known_person
from digest.models import Participant
from digest.store.rows import as_json, insert_row, update_row


def name_key(name: str) -> str:
    """A person's identity: lower case, letters and digits only."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def canonical_person(name: str) -> str:
    """The canonical spelling of a well-known person's name (else the name as given)."""
    known = known_person(name)
    return known.name if known else name


def save_person(db: sqlite_utils.Database, participant: Participant) -> int:
    """The id of the participant's person row, created or updated with this mention."""
    name = canonical_person(participant.name)
    key = name_key(name)
    rows = list(db.query("select * from people where name_key = ?", [key]))
    if rows:
        row = rows[0]
        roles = json.loads(row["roles"] or "[]")
        aliases = json.loads(row["aliases"] or "[]")
        changed = False
        if participant.role and participant.role not in roles:
            roles.append(participant.role)
            changed = True
        if participant.name != name and participant.name not in aliases:
            aliases.append(participant.name)
            changed = True
        if changed or (participant.side and not row["side"]):
            update_row(
                db,
                "people",
                row["id"],
                {
                    "roles": as_json(roles),
                    "aliases": as_json(aliases),
                    "side": row["side"] or participant.side,
                },
            )
        person_id = row["id"]
    else:
        person_id = insert_row(
            db,
            "people",
            {
                "name": name,
                "name_key": key,
                "side": participant.side,
                "roles": as_json([participant.role] if participant.role else []),
                "aliases": as_json([participant.name] if participant.name != name else []),
                "meeting_count": 0,
            },
        )
    for alias in _aliases(name, participant.name):
        db.execute(
            "insert or ignore into person_aliases (alias, person_id) values (?, ?)",
            [alias, person_id],
        )
    return person_id


def _aliases(name: str, written: str) -> set[str]:
    """Lookup keys for a person: full name, surname, each spelling seen, well-known aliases."""
    keys = {name.casefold(), written.casefold()}
    parts = name.split()
    if len(parts) > 1:
        keys.add(parts[-1].casefold())
        keys.add(parts[0].casefold())  # Chinese and Korean names put the family name first
    for alias, person in gazetteer().people.items():
        if person.name == name:
            keys.add(alias)
    return {key for key in keys if len(key) >= 2}
