"""Who a message would ping on Discord: its content's mentions filtered by ``allowed_mentions``,
role mentionability and the sender's permission to mention everyone.

Discord (discord-api-docs, resources/message.mdx, "Allowed Mentions Object"): without
``allowed_mentions`` a regular message parses every mention type, an interaction reply or webhook
message only users; a role pings only if it is mentionable or the sender may "Mention @everyone,
@here, and All Roles"; @everyone and @here ping only with that permission.
"""

from __future__ import annotations

import re
from typing import Any

USER = re.compile(r"<@!?(\d+)>")
ROLE = re.compile(r"<@&(\d+)>")
EVERYONE = re.compile(r"@(everyone|here)")
MENTION_EVERYONE = 1 << 17


def resolve(
    content: str,
    allowed: dict[str, Any] | None,
    *,
    webhook: bool,
    roles: list[dict[str, Any]],
    permissions: int,
) -> dict[str, Any]:
    """``mentions`` (user ids), ``mention_roles`` and ``mention_everyone`` as Discord sets them."""
    if allowed is None:
        allowed = {"parse": ["users"] if webhook else ["users", "roles", "everyone"]}
    parse = set(allowed.get("parse") or [])
    may_all = bool(permissions & MENTION_EVERYONE)
    named_users = allowed.get("users") or []
    users = [u for u in USER.findall(content) if "users" in parse or u in named_users]
    by_id = {r["id"]: r for r in roles}
    mention_roles = [
        r
        for r in ROLE.findall(content)
        if r in by_id
        and ("roles" in parse or r in (allowed.get("roles") or []))
        and (by_id[r].get("mentionable") or may_all)
    ]
    everyone = bool(EVERYONE.search(content)) and "everyone" in parse and may_all
    return {
        "mentions": [{"id": u} for u in dict.fromkeys(users)],
        "mention_roles": list(dict.fromkeys(mention_roles)),
        "mention_everyone": everyone,
    }
