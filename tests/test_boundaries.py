"""The rooms' walls: digest/ knows nothing of Discord or the bot."""

import ast
from pathlib import Path

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
