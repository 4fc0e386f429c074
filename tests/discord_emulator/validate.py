"""Discord's documented limits on what a bot sends, checked the way Discord checks them.

Each check adds to an ``Errors`` tree shaped like Discord's 50035 "Invalid Form Body" answer:
``{"embeds": {"0": {"title": {"_errors": [{"code": ..., "message": ...}]}}}}``. The limits come
from Discord's API documentation (github.com/discord/discord-api-docs, Aug 2026):
resources/message.mdx (content 2,000; 10 embeds; the embed limits table and the 6,000 total;
nonce 25; allowed mentions), components/reference.mdx (5 rows, 5 buttons a row, custom_id 1-100,
label 80, url 512, select options 25 of label/value/description 100, placeholder 150),
interactions/receiving-and-responding.mdx (autocomplete: 25 choices) and
interactions/application-commands.mdx (names, descriptions, options, choices, the 8,000 total).
Lengths are counted in code points after trimming whitespace, as the embed table says.
"""

from __future__ import annotations

from typing import Any

import regex

# The documented CHAT_INPUT naming rule, verbatim (the `regex` module knows \p{sc=...}).
COMMAND_NAME = regex.compile(r"^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$")
MENTION_TYPES = {"users", "roles", "everyone"}
SUB_COMMAND, SUB_COMMAND_GROUP, STRING, INTEGER, NUMBER = 1, 2, 3, 4, 10


class Errors:
    """Discord's ``errors`` tree, built up by the checks below."""

    def __init__(self) -> None:
        self.tree: dict[str, Any] = {}

    def add(self, path: tuple[str | int, ...], code: str, message: str) -> None:
        """Record an error at ``path`` (keys and list indexes, as Discord spells them)."""
        node = self.tree
        for key in path:
            node = node.setdefault(str(key), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def __bool__(self) -> bool:
        return bool(self.tree)

    def body(self) -> dict[str, Any]:
        """The JSON body Discord answers with (status 400)."""
        return {"code": 50035, "errors": self.tree, "message": "Invalid Form Body"}

    def max_length(self, path: tuple[str | int, ...], value: Any, limit: int) -> int:
        """A string of at most ``limit`` characters; returns its counted length."""
        if value is None:
            return 0
        if not isinstance(value, str):
            self.add(path, "BASE_TYPE_STRING", "Must be a string.")
            return 0
        size = len(value.strip())
        if size > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")
        return size

    def bad_length(self, path: tuple[str | int, ...], value: Any, low: int, high: int) -> None:
        """A string of ``low`` to ``high`` characters."""
        if not isinstance(value, str) or not low <= len(value) <= high:
            self.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")

    def max_items(self, path: tuple[str | int, ...], value: Any, limit: int) -> list[Any]:
        """A list of at most ``limit`` items; returns it (or [] when it is not a list)."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(path, "BASE_TYPE_LIST", "Must be a list.")
            return []
        if len(value) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")
        return value

    def required(self, path: tuple[str | int, ...], value: Any) -> bool:
        """A field that must be present and non-empty."""
        if value is None or (isinstance(value, str) and not value.strip()):
            self.add(path, "BASE_TYPE_REQUIRED", "This field is required")
            return False
        return True


# ----- messages -------------------------------------------------------------------------------
def check_message(body: dict[str, Any], errors: Errors) -> None:
    """A message body (create, interaction reply, followup, edit): the limits of each field."""
    errors.max_length(("content",), body.get("content"), 2000)
    embeds = errors.max_items(("embeds",), body.get("embeds"), 10)
    total = 0
    for index, embed in enumerate(embeds):
        total += check_embed(embed, errors, ("embeds", index))
    if total > 6000:
        message = "Embed size exceeds maximum size of 6000"
        errors.add(("embeds",), "MAX_EMBED_SIZE_EXCEEDED", message)
    check_components(body.get("components"), errors)
    if "allowed_mentions" in body and body["allowed_mentions"] is not None:
        check_allowed_mentions(body["allowed_mentions"], errors)
    nonce = body.get("nonce")
    if isinstance(nonce, str):
        errors.max_length(("nonce",), nonce, 25)


def is_empty(body: dict[str, Any]) -> bool:
    """Nothing to show: Discord answers 50006 "Cannot send an empty message"."""
    return not (
        (body.get("content") or "").strip()
        or body.get("embeds")
        or body.get("components")
        or body.get("attachments")
        or body.get("sticker_ids")
    )


def check_embed(embed: dict[str, Any], errors: Errors, path: tuple[str | int, ...]) -> int:
    """One embed's limits; returns the characters it counts toward the message's 6,000."""
    size = errors.max_length((*path, "title"), embed.get("title"), 256)
    size += errors.max_length((*path, "description"), embed.get("description"), 4096)
    fields = errors.max_items((*path, "fields"), embed.get("fields"), 25)
    for index, field in enumerate(fields):
        where = (*path, "fields", index)
        if errors.required((*where, "name"), field.get("name")):
            size += errors.max_length((*where, "name"), field["name"], 256)
        if errors.required((*where, "value"), field.get("value")):
            size += errors.max_length((*where, "value"), field["value"], 1024)
    footer = embed.get("footer")
    if footer is not None and errors.required((*path, "footer", "text"), footer.get("text")):
        size += errors.max_length((*path, "footer", "text"), footer["text"], 2048)
    author = embed.get("author")
    if author is not None and errors.required((*path, "author", "name"), author.get("name")):
        size += errors.max_length((*path, "author", "name"), author["name"], 256)
    return size


def check_components(rows: Any, errors: Errors) -> None:
    """Action rows of buttons or one select each; custom_ids unique in the message."""
    seen: set[str] = set()
    for r, row in enumerate(errors.max_items(("components",), rows, 5)):
        path = ("components", r)
        if row.get("type") != 1:
            errors.add((*path, "type"), "BASE_TYPE_CHOICES", "Top-level components must be rows.")
            continue
        children = row.get("components") or []
        if not children:
            errors.add((*path, "components"), "BASE_TYPE_MIN_LENGTH", "Must be 1 or more.")
        buttons = [c for c in children if c.get("type") == 2]
        selects = [c for c in children if c.get("type") in (3, 5, 6, 7, 8)]
        if len(buttons) > 5 or (selects and len(children) > 1):
            errors.add(
                (*path, "components"),
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                "The specified component exceeds the maximum width",
            )
        for c, child in enumerate(children):
            where = (*path, "components", c)
            custom_id = child.get("custom_id")
            if child.get("type") == 2:
                errors.max_length((*where, "label"), child.get("label"), 80)
                if child.get("style") == 5:
                    errors.max_length((*where, "url"), child.get("url"), 512)
                    if custom_id is not None:
                        errors.add(
                            (*where, "custom_id"),
                            "BUTTON_COMPONENT_CUSTOM_ID_REQUIRED",
                            "A link button cannot have a custom_id",
                        )
                    continue
            elif child.get("type") in (3, 5, 6, 7, 8):
                errors.max_length((*where, "placeholder"), child.get("placeholder"), 150)
                options = child.get("options")
                for o, option in enumerate(errors.max_items((*where, "options"), options, 25)):
                    for key in ("label", "value", "description"):
                        errors.max_length((*where, "options", o, key), option.get(key), 100)
            else:
                errors.add((*where, "type"), "BASE_TYPE_CHOICES", "Unknown component type.")
                continue
            errors.bad_length((*where, "custom_id"), custom_id, 1, 100)
            if isinstance(custom_id, str) and custom_id in seen:
                errors.add(
                    (*where, "custom_id"),
                    "COMPONENT_CUSTOM_ID_DUPLICATED",
                    "Component custom id cannot be duplicated",
                )
            seen.add(str(custom_id))


def check_allowed_mentions(mentions: Any, errors: Errors) -> None:
    """``parse`` of known types, exclusive with explicit ``users``/``roles``; at most 100 ids."""
    path = ("allowed_mentions",)
    if not isinstance(mentions, dict):
        errors.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return
    parse = mentions.get("parse") or []
    if not isinstance(parse, list):
        errors.add((*path, "parse"), "BASE_TYPE_LIST", "Must be a list.")
        parse = []
    for index, kind in enumerate(parse):
        if kind not in MENTION_TYPES:
            errors.add(
                (*path, "parse", index),
                "BASE_TYPE_CHOICES",
                "Value must be one of {'everyone', 'roles', 'users'}.",
            )
    for kind in ("users", "roles"):
        ids = errors.max_items((*path, kind), mentions.get(kind), 100)
        if ids and kind in parse:
            errors.add(
                path,
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                f'parse:["{kind}"] and {kind}: [ids] are mutually exclusive.',
            )


# ----- interaction callbacks -------------------------------------------------------------------
def check_autocomplete(data: dict[str, Any], errors: Errors) -> None:
    """At most 25 choices, each name 1-100 characters and a string value up to 100."""
    choices = errors.max_items(("data", "choices"), data.get("choices"), 25)
    for index, choice in enumerate(choices):
        check_choice(choice, errors, ("data", "choices", index))


def check_choice(choice: dict[str, Any], errors: Errors, path: tuple[str | int, ...]) -> None:
    """One command or autocomplete choice."""
    errors.bad_length((*path, "name"), choice.get("name"), 1, 100)
    value = choice.get("value")
    if isinstance(value, str):
        errors.max_length((*path, "value"), value, 100)
    elif not isinstance(value, int | float) or isinstance(value, bool):
        errors.add((*path, "value"), "BASE_TYPE_REQUIRED", "This field is required")


# ----- the command sync ------------------------------------------------------------------------
def check_commands(commands: Any, errors: Errors, *, guild: bool) -> None:
    """A bulk overwrite: each command's name, description, options, contexts and total size."""
    if not isinstance(commands, list):
        errors.add((), "BASE_TYPE_LIST", "Must be a list.")
        return
    names: set[tuple[int, str]] = set()
    chat = [c for c in commands if c.get("type", 1) == 1]
    if len(chat) > 100:
        errors.add((), "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.")
    for index, command in enumerate(commands):
        path: tuple[str | int, ...] = (index,)
        kind = command.get("type", 1)
        key = (kind, str(command.get("name")))
        if key in names:
            errors.add(
                (*path, "name"),
                "APPLICATION_COMMAND_NAME_ALREADY_EXISTS",
                "Application command names must be unique",
            )
        names.add(key)
        if kind != 1:
            errors.bad_length((*path, "name"), command.get("name"), 1, 32)
            continue
        check_name(command.get("name"), errors, (*path, "name"))
        errors.bad_length((*path, "description"), command.get("description"), 1, 100)
        contexts = command.get("contexts")
        if contexts is not None:
            if not isinstance(contexts, list) or not set(contexts) <= {0, 1, 2}:
                errors.add(
                    (*path, "contexts"), "BASE_TYPE_CHOICES", "Value must be one of (0, 1, 2)."
                )
            elif guild and set(contexts) - {0}:
                errors.add(
                    (*path, "contexts"),
                    "APPLICATION_COMMAND_CONTEXTS_INVALID",
                    "Guild commands can only be used in guilds.",
                )
        size = len(command.get("name", "")) + len(command.get("description", ""))
        size += check_options(command.get("options"), errors, (*path, "options"), depth=0)
        if size > 8000:
            errors.add(
                path,
                "APPLICATION_COMMAND_TOO_LARGE",
                "Command exceeds maximum size (8000)",
            )


def check_name(name: Any, errors: Errors, path: tuple[str | int, ...]) -> None:
    """The documented naming regex, lowercase where a lowercase exists."""
    if not isinstance(name, str) or not COMMAND_NAME.match(name) or name != name.lower():
        errors.add(path, "APPLICATION_COMMAND_INVALID_NAME", f"Command name is invalid: {name!r}")


def check_options(options: Any, errors: Errors, path: tuple[str | int, ...], depth: int) -> int:
    """Options (max 25, unique names, required first, valid nesting); returns their size."""
    options = errors.max_items(path, options, 25)
    size, names, optional_seen = 0, set(), False
    nested = [o.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in options]
    if any(nested) and not all(nested):
        errors.add(
            path,
            "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
            "Sub-command and sub-command group option types are mutually exclusive to all other "
            "types",
        )
    for index, option in enumerate(options):
        where = (*path, index)
        kind = option.get("type")
        check_name(option.get("name"), errors, (*where, "name"))
        errors.bad_length((*where, "description"), option.get("description"), 1, 100)
        if option.get("name") in names:
            errors.add(
                (*where, "name"),
                "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS",
                "Option names must be unique",
            )
        names.add(option.get("name"))
        size += len(str(option.get("name", ""))) + len(str(option.get("description", "")))
        if kind in (SUB_COMMAND, SUB_COMMAND_GROUP):
            # A group holds sub-commands only, a sub-command holds no sub-commands, two levels.
            if depth >= (1 if kind == SUB_COMMAND_GROUP else 2) or (
                kind == SUB_COMMAND_GROUP
                and any(o.get("type") != SUB_COMMAND for o in option.get("options") or [])
            ):
                errors.add(
                    (*where, "type"),
                    "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                    "Sub-commands nest at most two levels, groups holding sub-commands only",
                )
            size += check_options(option.get("options"), errors, (*where, "options"), depth + 1)
            continue
        if option.get("required"):
            if optional_seen:
                errors.add(
                    (*where, "required"),
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            optional_seen = True
        choices = option.get("choices")
        if choices and option.get("autocomplete"):
            errors.add(
                (*where, "autocomplete"),
                "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID",
                "Autocomplete cannot be set when choices are present",
            )
        if choices and kind not in (STRING, INTEGER, NUMBER):
            errors.add((*where, "choices"), "BASE_TYPE_CHOICES", "Choices need a typed option.")
        for c, choice in enumerate(errors.max_items((*where, "choices"), choices, 25)):
            check_choice(choice, errors, (*where, "choices", c))
            size += len(str(choice.get("name", ""))) + len(str(choice.get("value", "")))
        for key, low in (("min_length", 0), ("max_length", 1)):
            value = option.get(key)
            if value is not None and not low <= value <= 6000:
                errors.add(
                    (*where, key),
                    "NUMBER_TYPE_MAX" if value > 6000 else "NUMBER_TYPE_MIN",
                    f"Must be between {low} and 6000.",
                )
    return size
