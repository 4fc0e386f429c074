"""Extraction: the seeds against their gold labels, names, merging, and the JSON shape."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from digest.articles import article_from_text
from digest.meetings import extract_meetings, meetings_json
from digest.meetings.names import find_mentions, resolve
from digest.models import Article
from digest.reader import read_text_file

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def seed_article(stem: str) -> Article:
    path = SEEDS / f"{stem}.txt"
    return article_from_text(read_text_file(path), str(path), NOW)


def article(body: str, published: datetime | None = None) -> Article:
    return Article(location="mem://a", body=body, content_hash="x", published=published)


def people(meeting) -> set[str]:
    return {p.name for p in meeting.participants}


def test_kerry_in_beijing():
    found = extract_meetings(seed_article("001_050f5d3f44de8319"))
    by_people = {frozenset(people(m)): m for m in found}
    xi = by_people[frozenset({"John Kerry", "Xi Jinping"})]
    assert (xi.date, xi.status, xi.kind) == ("2016-01-27", "held", "talks")
    wang = by_people[frozenset({"John Kerry", "Wang Yi"})]  # written "WangYi" in the text
    assert {"taiwan", "south china sea"} <= set(wang.topics)
    visits = [m for m in found if m.kind == "visit"]
    assert sorted(m.location.country for m in visits) == ["Cambodia", "Laos"]
    assert all(m.status == "mentioned" and m.date is None for m in visits)


def test_caption_dates_resolve_weekdays_when_there_is_no_publication_date():
    found = extract_meetings(seed_article("002_cfd82ada6f8218eb"))
    assert len(found) == 4
    assert {m.date for m in found} == {"2024-04-26"}
    names = set().union(*(people(m) for m in found))
    assert "Antony Blinken" in names and "Anthony Blinken" not in names
    # One sentence names Wang Yi and Wang Xiaohong; the captions show two meetings.
    pairs = {frozenset(people(m)) for m in found}
    assert frozenset({"Antony Blinken", "Wang Xiaohong"}) in pairs
    assert frozenset({"Antony Blinken", "Wang Yi"}) in pairs
    astana = next(m for m in found if "Dong Jun" in people(m))
    assert astana.location.city == "Astana" and astana.location.country == "Kazakhstan"
    assert next(p for p in astana.participants if p.name == "Dong Jun").role == "Defense Minister"


def test_no_date_means_no_relative_dates():
    (meeting,) = extract_meetings(seed_article("000_65f2fbe02c6866c9"))
    assert (meeting.status, meeting.kind, meeting.date, meeting.date_text) == (
        "planned",
        "consultation",
        None,
        "on Thursday",
    )
    assert people(meeting) == {"Li Baodong", "Rose Gottemoeller"}  # not the spokesman


def test_background_meetings_and_vague_plans():
    found = extract_meetings(seed_article("004_15d38f3dc919dc95"))
    statuses = {(frozenset(people(m)), m.status): m for m in found}
    bali = statuses[(frozenset({"Joe Biden", "Xi Jinping"}), "mentioned")]
    assert (bali.date, bali.kind) == ("2022-11", "summit")
    later = statuses[(frozenset({"Joe Biden", "Xi Jinping"}), "planned")]
    assert later.date is None
    vienna = statuses[(frozenset({"Jake Sullivan", "Wang Yi"}), "mentioned")]
    assert vienna.date == "2023-05"  # carried from "Last month" in the sentence before
    assert not any("Antony Blinken" in people(m) for m in found)  # the scuttled trip


def test_wire_dateline_anchors_relative_dates():
    text = (
        "MOSCOW, April 13 - Kenyan Foreign Minister Amos Kiptoo and Soviet Foreign "
        "Minister Ivan Petrov held talks today on an arms control accord."
    )
    (meeting,) = extract_meetings(article(text, datetime(1987, 4, 13, 8, 38, tzinfo=UTC)))
    assert meeting.date == "1987-04-13"
    assert (meeting.location.city, meeting.location.country) == ("Moscow", "Soviet Union")
    assert "arms control" in meeting.topics


def test_same_side_meetings_and_speeches_are_not_meetings():
    text = (
        "President Joe Biden met his predecessor Barack Obama at the White House on Monday. "
        "Chinese Foreign Minister Wang Yi gave a speech in Beijing on Tuesday."
    )
    assert extract_meetings(article(text, datetime(2023, 6, 6, tzinfo=UTC))) == []


def test_cancelled_meetings_are_not_meetings():
    text = "Washington cancelled a planned trip by Secretary of State Antony Blinken to Beijing."
    assert extract_meetings(article(text, datetime(2023, 2, 4, tzinfo=UTC))) == []


def test_phone_call_has_no_location():
    text = (
        "Kenyan President Amos Kiptoo and Chilean President Ana Soto spoke by telephone "
        "for an hour from Nairobi on Tuesday about fishing quotas."
    )
    (meeting,) = extract_meetings(article(text, datetime(2017, 8, 29, tzinfo=UTC)))
    assert (meeting.kind, meeting.location) == ("call", None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Foreign Minister WangYi spoke. Wang said no.", {"Wang Yi"}),
        ("Anthony Blinken arrived. Antony Blinken met. Blinken left.", {"Antony Blinken"}),
        ("President Reagan spoke.", {"Ronald Reagan"}),
        ("Queen Maren will meet King Osric.", {"Queen Maren", "King Osric"}),
    ],
)
def test_one_canonical_name_per_person(text, expected):
    mentions = find_mentions(text)
    assert set(resolve(mentions)) == expected


def test_surname_goes_to_the_person_most_mentioned():
    text = (
        "Foreign Minister Wang Yi met Blinken. Wang Yi spoke. Public Security Minister "
        "Wang Xiaohong also came. Wang said it went well."
    )
    mentions = find_mentions(text)
    resolve(mentions)
    assert mentions[-1].surface == "Wang" and mentions[-1].name == "Wang Yi"


def test_json_format_matches_the_gold_shape(shared_dir):
    gold_dir = shared_dir / "eval" / "meetings-dev"
    for gold_path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        record = meetings_json(seed_article(gold_path.stem), [])
        produced = meetings_json(
            seed_article(gold_path.stem), extract_meetings(seed_article(gold_path.stem))
        )
        assert list(produced) == list(gold) == list(record)
        assert produced["article"] == gold["article"]
        assert produced["published"] == gold["published"]
        assert produced["title"] == gold["title"]
        for meeting in produced["meetings"]:
            assert list(meeting) == list(gold["meetings"][0])
            for participant in meeting["participants"]:
                assert list(participant) == ["name", "role", "side"]
            if meeting["location"] is not None:
                assert list(meeting["location"]) == ["city", "country"]


def test_seeds_reach_the_bar(shared_dir):
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from meetings_eval import evaluate

    result = evaluate(shared_dir / "eval" / "meetings-dev", SEEDS, verbose=False)
    assert result["meetings_f1"] >= 0.9
    assert result["participants_f1"] >= 0.9
    assert result["date_acc"] >= 0.9
