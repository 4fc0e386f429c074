from datetime import UTC, datetime, timedelta

from digest.pipeline import DUPLICATE, NEW, SKIPPED, ingest_files
from digest.store import articles as article_store

NOW = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)


def test_seeds_are_ingested_once(db, seed_files):
    first = ingest_files(db, [seed_files[0].parent], NOW)
    assert first.count(NEW) == len(seed_files) == 5
    again = ingest_files(db, [seed_files[0].parent], NOW + timedelta(hours=1))
    assert again.count(DUPLICATE) == 5 and again.count(NEW) == 0
    assert article_store.count_articles(db) == 5
    stored = article_store.articles_since(db, None)
    assert all(a.ingested_at == NOW for a in stored)


def test_a_copy_of_a_seed_under_another_name_is_a_duplicate(db, seed_files, tmp_path):
    copy = tmp_path / "copy.txt"
    copy.write_bytes(seed_files[1].read_bytes())
    ingest_files(db, [seed_files[1]], NOW)
    report = ingest_files(db, [copy], NOW)
    assert [o.status for o in report.outcomes] == [DUPLICATE]


def test_bad_files_are_skipped_with_their_name_and_the_rest_is_kept(db, seed_files, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "empty.txt").write_text("")
    (folder / "binary.bin").write_bytes(b"\x00\x01\x02\xff" * 100)
    (folder / "good.txt").write_bytes(seed_files[4].read_bytes())
    (folder / ".hidden.txt").write_text("ignored")
    report = ingest_files(db, [folder, tmp_path / "missing.txt"], NOW)
    by_name = {o.location.rsplit("/", 1)[-1]: o for o in report.outcomes}
    assert set(by_name) == {"empty.txt", "binary.bin", "good.txt", "missing.txt"}
    assert by_name["good.txt"].status == NEW
    for name in ("empty.txt", "binary.bin", "missing.txt"):
        assert by_name[name].status == SKIPPED
        assert name in by_name[name].reason
    assert article_store.count_articles(db) == 1


def test_cp1252_file_is_read_and_stored(db, tmp_path):
    path = tmp_path / "legacy.txt"
    body = (
        "Ministers meet in Paris\n\nThe finance ministers of France and Germany met in Paris on "
        "Monday to discuss the \x93stability pact\x94 and a \xa3100m fund. They agreed to meet "
        "again next month. Officials called the talks constructive."
    )
    path.write_bytes(body.encode("latin-1"))
    report = ingest_files(db, [path], NOW)
    assert report.count(NEW) == 1
    stored = article_store.get_article(db, report.new_article_ids[0])
    assert "\u201cstability pact\u201d" in stored.body
    assert "\u00a3100m" in stored.body


def test_topics_from_the_config_tag_stored_meetings(db, seed_files):
    from digest.meetings.topics import extend_vocabulary
    from digest.store.meeting_search import search_meetings

    vocabulary = extend_vocabulary({"diplomacy track": ["Korean Peninsula"]})
    ingest_files(db, [seed_files[1]], NOW, vocabulary=vocabulary)
    tagged = search_meetings(db, topic="diplomacy track")
    assert tagged.total >= 1
    assert all("Kerry" in " ".join(p.name for p in m.participants) for m in tagged.meetings)
