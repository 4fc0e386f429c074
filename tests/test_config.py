from pathlib import Path

import pytest

from bot.settings import BotConfig, BotSettings
from digest.config import Config, load_config, parse_config
from digest.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_gives_the_defaults():
    assert load_config(environ={}) == Config()


def test_example_file_documents_the_defaults():
    assert load_config(ROOT / "config.example.toml", environ={}, kind=BotConfig) == BotConfig()


def test_the_news_loader_refuses_secrets_without_naming_discord():
    with pytest.raises(ConfigError) as error:
        parse_config({"sources": {"api_key": "abc"}})
    assert "through the environment" in str(error.value)
    assert "DISCORD" not in str(error.value)


def test_the_news_settings_know_nothing_of_discord():
    """[bot] is read only by the bot's kind of config; the news loader refuses it."""
    with pytest.raises(ConfigError, match=r"unknown section \[bot\]"):
        parse_config({"bot": {"sync": "guild"}})
    config = parse_config({"bot": {"sync": "guild", "dev_guild_ids": [7]}}, BotConfig)
    assert config.bot == BotSettings(sync="guild", dev_guild_ids=(7,))
    assert isinstance(load_config(environ={"PARLEY_DB": "x.db"}, kind=BotConfig), BotConfig)


def test_values_are_read_and_lists_become_tuples(tmp_path):
    path = write(
        tmp_path,
        '[digest]\nsentences_per_story = 5\ntimezone = "Europe/Berlin"\n'
        '[sources]\nfolders = ["a", "b"]\n'
        '[topics]\nextra = { chips = ["chip", "semiconductor"] }\n',
    )
    config = load_config(path, environ={})
    assert config.digest.sentences_per_story == 5
    assert config.zone.key == "Europe/Berlin"
    assert config.sources.folders == ("a", "b")
    assert config.topics.extra["chips"] == ("chip", "semiconductor")


def test_environment_picks_the_file_and_overrides_the_database(tmp_path):
    path = write(tmp_path, '[database]\npath = "from-file.db"\n')
    config = load_config(environ={"PARLEY_CONFIG": str(path), "PARLEY_DB": "/tmp/env.db"})
    assert config.database.path == "/tmp/env.db"
    assert load_config(environ={"PARLEY_CONFIG": str(path)}).database.path == "from-file.db"


def test_private_networks_switch_from_the_environment():
    config = load_config(environ={"PARLEY_ALLOW_PRIVATE_NETWORKS": "1"})
    assert config.sources.allow_private_networks is True


def test_config_is_immutable():
    with pytest.raises(AttributeError):
        Config().digest.timezone = "UTC"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"digest": {"sentences_per_story": "3"}},
            "digest.sentences_per_story must be a whole number",
        ),
        ({"digest": {"sentences_per_story": 0}}, "digest.sentences_per_story must be at least 1"),
        ({"digest": {"sentence_per_story": 3}}, "unknown setting digest.sentence_per_story"),
        ({"digests": {}}, "unknown section [digests]"),
        ({"digest": {"timezone": "Mars/Olympus"}}, "digest.timezone must be an IANA time zone"),
        ({"digest": {"time": "25:00"}}, "digest.time must be HH:MM"),
        ({"sources": {"folders": "seeds"}}, "sources.folders must be a list of texts"),
        ({"sources": {"allow_private_networks": 1}}, "must be true or false"),
        ({"bot": {"sync": "sometimes"}}, "bot.sync must be 'global' or 'guild'"),
        ({"bot": {"token": "abc"}}, "set the DISCORD_TOKEN environment variable"),
        ({"bot": {"shard_ids": [0]}}, "bot.shard_ids needs bot.shard_count"),
        ({"bot": {"shard_count": 2, "shard_ids": [2]}}, "bot.shard_ids: 2 is not between 0 and 1"),
        ({"digest": {"token": "abc"}}, "set the DISCORD_TOKEN environment variable"),
        ({"bot": {"discord_token": "abc"}}, "secrets don't belong in the config file"),
        ({"database": "x.db"}, "[database] must be a table"),
        ({"sources": {"timeout_seconds": 0}}, "sources.timeout_seconds must be more than 0"),
        ({"sources": {"max_redirects": -1}}, "sources.max_redirects must be 0 or more"),
    ],
)
def test_wrong_key_type_or_value_names_the_key(data, message):
    with pytest.raises(ConfigError) as error:
        parse_config(data, BotConfig)
    assert message in str(error.value)


def test_broken_toml_is_a_config_error(tmp_path):
    path = write(tmp_path, "[digest\nsentences_per_story = 3\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path, environ={})


def test_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml", environ={})


def test_a_whole_number_is_fine_where_a_number_is_expected():
    config = parse_config({"sources": {"timeout_seconds": 5}})
    assert config.sources.timeout_seconds == 5.0
    assert isinstance(config.sources.timeout_seconds, float)
