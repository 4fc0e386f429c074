"""The rooms' walls: digest/ knows nothing of Discord or the bot, in imports or in names."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_digest_never_imports_discord_or_the_bot():
    files = sorted((ROOT / "digest").rglob("*.py"))
    assert len(files) > 20
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_modules(path) & {"discord", "bot", "parley"})
        for path in files
    }
    assert {path: names for path, names in offenders.items() if names} == {}


# Discord's concepts, as identifiers, columns or keys: a guild, a channel, a message id, a
# Discord user or role id, a subscription, the outbox. (A meeting participant's "role" is news.)
DISCORD_WORDS = re.compile(r"guild|channel|message_?id|discord|role_?id|subscription|outbox", re.I)
REGEX = re.compile(r"\\[bswd]|\(\?|\|")
# The one config file is shared by the CLI and the bot; its [bot] section, and the hint that a
# token belongs in DISCORD_TOKEN, live in bot/settings.py.


def discord_words(source: str) -> set[str]:
    """Names, attributes, arguments, keywords and string literals (not docstrings) that name a
    Discord concept. Comments and docstrings may explain; code and data may not hold one."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names = [node.id]
        elif isinstance(node, ast.Attribute):
            names = [node.attr]
        elif isinstance(node, ast.arg):
            names = [node.arg]
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names = [node.name]
        elif isinstance(node, ast.keyword):
            names = [node.arg or ""]
        elif isinstance(node, ast.alias):
            names = [node.name, node.asname or ""]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            # Text patterns (the cleaner's regexes) may name what pages say ("join our
            # Discord"); keys, columns, SQL and messages may not.
            text = node.value
            names = [] if id(node) in docstrings or REGEX.search(text) else [text]
        else:
            names = []
        found.update(name for name in names if DISCORD_WORDS.search(name))
    return found


def test_digest_holds_no_discord_concept_in_code_or_data():
    found = {
        (str(path.relative_to(ROOT)), word)
        for path in sorted((ROOT / "digest").rglob("*.py"))
        for word in discord_words(path.read_text(encoding="utf-8"))
    }
    assert found == set()


@pytest.mark.parametrize(
    "source",
    [
        "guild_id = 1",
        "def post(channel): pass",
        'db["alert_deliveries"].create({"message_id": int})',
        "x.role_id",
        "f(subscription=2)",
        "from digest.store import outbox",
    ],
)
def test_the_discord_check_catches_each_kind_of_name(source):
    assert discord_words(source)


def test_the_discord_check_lets_news_words_docstrings_and_text_patterns_pass():
    source = (
        '"""Posted to a Discord channel by the bot."""\nrole = participant.role\n'
        'FURNITURE = re.compile(r"join\\s+our\\s+discord|subscribe")\n'
    )
    assert discord_words(source) == set()
