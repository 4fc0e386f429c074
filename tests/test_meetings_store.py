"""Meetings storage: merging across articles, idempotent re-ingest, every lookup filter."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from digest.errors import BadQuery, NotFound
from digest.models import Article, Location, Meeting, Participant
from digest.pipeline import ingest_files
from digest.store import articles as article_store
from digest.store import meeting_search as search
from digest.store import meetings as store

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 1, 1, tzinfo=UTC)

BLINKEN = Participant("Antony Blinken", "Secretary of State", "United States")
WANG = Participant("Wang Yi", "Foreign Minister", "China")
XI = Participant("Xi Jinping", "President", "China")
BIDEN = Participant("Joe Biden", "President", "United States")


def saved_article(db, name: str, published: datetime | None) -> Article:
    article = Article(
        location=f"mem://{name}", body=name, content_hash=name, title=name.title(),
        published=published, ingested_at=NOW,
    )  # fmt: skip
    return article_store.save_article(db, article).article


def meeting(
    *people,
    status="held",
    date="2024-04-26",
    kind="talks",
    topics=(),
    city="Beijing",
    country="China",
    evidence="They met.",
    sides=("United States", "China"),
) -> Meeting:
    return Meeting(
        status=status, kind=kind, evidence=evidence, date=date, date_text=None,
        location=Location(city, country) if country else None, participants=tuple(people),
        topics=tuple(topics), sides=tuple(sides),
    )  # fmt: skip


def test_same_meeting_from_two_articles_is_one_record_with_two_sources(db):
    first = saved_article(db, "afp", datetime(2024, 4, 26, tzinfo=UTC))
    second = saved_article(db, "ap", datetime(2024, 4, 27, tzinfo=UTC))
    (one,) = store.save_meetings(db, first, [meeting(BLINKEN, WANG, topics=["taiwan"])])
    (two,) = store.save_meetings(
        db,
        second,
        [
            meeting(
                Participant("Anthony Blinken", None, "United States"),
                WANG,
                date="2024-04-27",
                topics=["human rights"],
                evidence="Blinken and Wang met again.",
            )
        ],  # fmt: skip
    )
    assert one == two
    stored = store.get_meeting(db, one)
    assert len(stored.sources) == 2
    assert set(stored.topics) == {"taiwan", "human rights"}
    assert {p.name for p in stored.participants} == {"Antony Blinken", "Wang Yi"}
    assert search.count_meetings(db) == 1


def test_reingesting_changes_nothing(db):
    article = saved_article(db, "afp", datetime(2024, 4, 26, tzinfo=UTC))
    found = [meeting(BLINKEN, WANG), meeting(BLINKEN, XI, topics=["ukraine"])]
    ids = store.save_meetings(db, article, found)
    before = [store.get_meeting(db, i) for i in ids]
    assert store.save_meetings(db, article, found) == ids
    assert [store.get_meeting(db, i) for i in ids] == before
    assert search.count_meetings(db) == 2


def test_two_meetings_of_one_article_stay_two(db):
    article = saved_article(db, "article", datetime(2023, 6, 6, tzinfo=UTC))
    ids = store.save_meetings(
        db, article,
        [meeting(BIDEN, XI, status="mentioned", date="2022-11"),
         meeting(BIDEN, XI, status="planned", date=None)],
    )  # fmt: skip
    assert len(set(ids)) == 2


def test_planned_meeting_later_held_is_upgraded(db):
    plan = saved_article(db, "plan", datetime(2023, 11, 1, tzinfo=UTC))
    report = saved_article(db, "report", datetime(2023, 11, 16, tzinfo=UTC))
    (planned,) = store.save_meetings(
        db, plan, [meeting(BIDEN, XI, status="planned", date=None, city="San Francisco",
                           country="United States", evidence="Biden and Xi will meet.")]
    )  # fmt: skip
    (held,) = store.save_meetings(
        db, report, [meeting(BIDEN, XI, status="held", date="2023-11-15", city="Woodside",
                             country="United States", evidence="Biden met Xi on Wednesday.")]
    )  # fmt: skip
    assert planned == held
    stored = store.get_meeting(db, held)
    assert (stored.status, stored.date, stored.evidence) == (
        "held", "2023-11-15", "Biden met Xi on Wednesday.",
    )  # fmt: skip
    assert len(stored.sources) == 2


def test_meetings_far_apart_are_different(db):
    first = saved_article(db, "first", datetime(2024, 4, 26, tzinfo=UTC))
    second = saved_article(db, "second", datetime(2023, 6, 20, tzinfo=UTC))
    ids = store.save_meetings(db, first, [meeting(BLINKEN, XI)])
    ids += store.save_meetings(db, second, [meeting(BLINKEN, XI, date="2023-06-19")])
    assert len(set(ids)) == 2


def test_a_plan_made_after_a_meeting_is_not_that_meeting(db):
    held = saved_article(db, "held", datetime(2022, 11, 15, tzinfo=UTC))
    plan = saved_article(db, "plan", datetime(2023, 6, 6, tzinfo=UTC))
    ids = store.save_meetings(db, held, [meeting(BIDEN, XI, date="2022-11-14")])
    ids += store.save_meetings(db, plan, [meeting(BIDEN, XI, status="planned", date=None)])
    assert len(set(ids)) == 2


AT_DIAOYUTAI = "Blinken met Wang at Diaoyutai."
KERRY_IRAN = "Kerry met Wang in Beijing to discuss Iran."
ON_UKRAINE = "Blinken met Xi on Ukraine."


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    # Built once for the read-only lookup tests below: opening a database costs about a second.
    from digest import store as database

    db = database.open_db(tmp_path_factory.mktemp("filled") / "parley.db")
    early = saved_article(db, "early", datetime(2016, 1, 28, tzinfo=UTC))
    late = saved_article(db, "late", datetime(2024, 4, 27, tzinfo=UTC))
    kerry = Participant("John Kerry", "Secretary of State", "United States")
    store.save_meetings(db, early, [
        meeting(kerry, WANG, date="2016-01-27", topics=["taiwan", "iran"],
                evidence="Kerry met Wang in Beijing to discuss Iran."),
    ])  # fmt: skip
    store.save_meetings(db, late, [
        meeting(BLINKEN, WANG, topics=["taiwan"], evidence="Blinken met Wang at Diaoyutai."),
        meeting(BLINKEN, XI, topics=["ukraine"], evidence="Blinken met Xi on Ukraine."),
        meeting(BIDEN, XI, status="planned", date=None, city=None, country=None,
                evidence="Biden and Xi will meet later."),
        meeting(status="held", date="2024-04-26", city="Astana", country="Kazakhstan",
                sides=("Russia", "China"), evidence="The defence ministers met in Astana."),
    ])  # fmt: skip
    yield db
    db.close()


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"person": "Wang Yi"}, [AT_DIAOYUTAI, KERRY_IRAN]),
        ({"person": "blinken"}, [ON_UKRAINE, AT_DIAOYUTAI]),
        ({"person": "Anthony Blinken"}, [ON_UKRAINE, AT_DIAOYUTAI]),
        ({"side": "Russia"}, ["The defence ministers met in Astana."]),
        ({"side": "Russian"}, ["The defence ministers met in Astana."]),
        ({"place": "Kazakhstan"}, ["The defence ministers met in Astana."]),
        ({"place": "astana"}, ["The defence ministers met in Astana."]),
        ({"topic": "iran"}, ["Kerry met Wang in Beijing to discuss Iran."]),
        ({"topic": "taiwan", "since": "2020"}, ["Blinken met Wang at Diaoyutai."]),
        ({"until": "2016-12-31"}, ["Kerry met Wang in Beijing to discuss Iran."]),
        ({"since": "2016-01", "until": "2016-01"}, ["Kerry met Wang in Beijing to discuss Iran."]),
        ({"text": "Ukraine"}, ["Blinken met Xi on Ukraine."]),
        ({"status": "planned"}, ["Biden and Xi will meet later."]),
        ({"person": "Xi Jinping", "status": "held"}, ["Blinken met Xi on Ukraine."]),
        ({"person": "Wang Yi", "side": "United States", "topic": "taiwan", "place": "Beijing",
          "text": "Diaoyutai", "since": "2024-04-26", "until": "2024-04-26"},
         ["Blinken met Wang at Diaoyutai."]),
    ],
)  # fmt: skip
def test_every_filter(filled, filters, expected):
    page = search.search_meetings(filled, **filters)
    assert [m.evidence for m in page.meetings][: len(expected)] == expected
    assert page.total == len(expected)


def test_newest_first_with_total_and_paging(filled):
    page = search.search_meetings(filled, limit=2)
    assert page.total == 5 and page.has_more
    assert [m.date for m in page.meetings] == ["2024-04-26", "2024-04-26"]
    last = search.search_meetings(filled, limit=2, offset=4)
    assert [m.evidence for m in last.meetings] == ["Biden and Xi will meet later."]  # undated last
    assert not last.has_more


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"person": "Nobody Here"}, "No one called"),
        ({"side": "Atlantis"}, "as a side"),
        ({"place": "Gotham"}, "took place"),
        ({"topic": "taiwn"}, "Did you mean: taiwan"),
        ({"status": "done"}, "not one of"),
        ({"since": "2024-05-01", "until": "2024-04-01"}, "is after"),
        ({"since": "last tuesday"}, "not a date"),
        ({"until": "2024-02-30"}, "not a real date"),
        ({"text": '"unclosed'}, "double quote"),
        ({"limit": 0}, "Limit"),
        ({"offset": -1}, "negative"),
    ],
)
def test_bad_filters_get_clear_messages(filled, filters, message):
    with pytest.raises(BadQuery, match=message):
        search.search_meetings(filled, **filters)


def test_get_meeting_absent(db):
    with pytest.raises(NotFound):
        store.get_meeting(db, 999)


def test_autocomplete_lists(filled):
    assert search.people_with_prefix(filled, "wa") == ["Wang Yi"]
    assert "Xi Jinping" in search.people_with_prefix(filled, "x")
    assert search.people_with_prefix(filled, "blink") == ["Antony Blinken"]
    assert dict(search.topic_counts(filled)) == {"taiwan": 2, "iran": 1, "ukraine": 1}
    assert search.list_sides(filled, "c") == ["China"]
    assert search.list_sides(filled)[0] == "China"


def test_seeds_end_to_end(db):
    report = ingest_files(db, sorted((ROOT / "seeds").glob("*.txt")), NOW)
    assert report.count("new") == 5
    total = search.count_meetings(db)
    assert total >= 18  # 20 in the gold; the same Biden-Xi meetings recur across seeds
    page = search.search_meetings(db, person="Blinken")
    assert {frozenset(p.name for p in m.participants) for m in page.meetings} >= {
        frozenset({"Antony Blinken", "Xi Jinping"}),
        frozenset({"Antony Blinken", "Wang Yi"}),
    }
    assert page.meetings[0].sources[0].title.startswith("Talks between the United States")
    again = ingest_files(db, sorted((ROOT / "seeds").glob("*.txt")), NOW)
    assert again.count("new") == 0 and search.count_meetings(db) == total
    assert search.search_meetings(db, topic="taiwan", since="2023").total >= 2


def test_text_search_reads_the_date_ordered_index(filled):
    page = search.search_meetings(filled, text="met")
    assert [m.evidence for m in page.meetings] == [
        "The defence ministers met in Astana.",
        ON_UKRAINE,
        AT_DIAOYUTAI,
        KERRY_IRAN,
    ]  # fmt: skip  (same day: newest id first)
    assert page.total == 4 and not page.total_capped
    dated = search.search_meetings(filled, text="met", since="2016-01-27", until="2024-04-25")
    assert [m.evidence for m in dated.meetings] == [KERRY_IRAN]
    deep = search.search_meetings(filled, text="met", limit=2, offset=199)
    assert deep.total == 4 and deep.meetings == () and not deep.has_more


def test_text_index_follows_date_changes_and_merges(db):
    first = saved_article(db, "first", datetime(2024, 4, 1, tzinfo=UTC))
    later = saved_article(db, "later", datetime(2024, 4, 27, tzinfo=UTC))
    (one,) = store.save_meetings(
        db, first, [meeting(BLINKEN, WANG, date="2024-04", evidence="Talks on fentanyl.")]
    )
    store.save_meetings(
        db,
        later,
        [meeting(BLINKEN, WANG, date="2024-04-26", evidence="Blinken met Wang on chips.")],
    )
    assert store.get_meeting(db, one).date == "2024-04-26"
    for words in ("fentanyl", "chips"):
        found = search.search_meetings(db, text=words, since="2024-04-26")
        assert [m.id for m in found.meetings] == [one]
    assert search.search_meetings(db, text="fentanyl", until="2024-04-25").total == 0


def test_totals_are_capped_past_the_cap(db, monkeypatch):
    article = saved_article(db, "many", datetime(2024, 4, 27, tzinfo=UTC))
    people = [Participant(f"Envoy Number{n}", None, "Chile") for n in range(6)]
    store.save_meetings(db, article, [
        meeting(person, WANG, date=f"2024-0{n + 1}-10", evidence=f"Talks number {n}.")
        for n, person in enumerate(people)
    ])  # fmt: skip
    monkeypatch.setattr(search, "TOTAL_CAP", 4)
    page = search.search_meetings(db, person="Wang Yi", limit=2)
    assert page.total == 4 and page.total_capped and page.has_more
    assert [m.evidence for m in page.meetings] == ["Talks number 5.", "Talks number 4."]
    text = search.search_meetings(db, text="talks", limit=2)
    assert text.total == 4 and text.total_capped
    deeper = search.search_meetings(db, person="Wang Yi", limit=2, offset=4)
    assert deeper.total == 6 and not deeper.total_capped and not deeper.has_more
    monkeypatch.setattr(search, "TOTAL_CAP", 1000)
    assert search.search_meetings(db, person="Wang Yi").total == 6


def test_combined_filters_count_within_a_scan_budget(db, monkeypatch):
    article = saved_article(db, "many", datetime(2024, 4, 27, tzinfo=UTC))
    envoys = [Participant(f"Envoy Number{n}", None, "Chile") for n in range(8)]
    store.save_meetings(db, article, [
        meeting(person, WANG, date=f"2024-0{n + 1}-10", topics=["trade"],
                evidence=f"Talks number {n}, {'beta' if n % 2 else 'alpha'}.")
        for n, person in enumerate(envoys)
    ])  # fmt: skip
    filters = {"person": "Wang Yi", "topic": "trade", "text": "alpha"}
    exact = search.search_meetings(db, **filters, limit=2)
    assert exact.total == 4 and not exact.total_capped
    monkeypatch.setattr(search, "SCAN_BUDGET", 4)  # the newest 4 rows hold 2 "alpha" meetings
    page = search.search_meetings(db, **filters, limit=1)
    assert [m.evidence for m in page.meetings] == ["Talks number 6, alpha."]
    assert page.total == 2 and page.total_capped and page.has_more
    # A page past the budget's stretch walks on until it is full: the same rows as unbudgeted.
    deep = search.search_meetings(db, **filters, offset=2)
    assert [m.evidence for m in deep.meetings] == [
        "Talks number 2, alpha.",
        "Talks number 0, alpha.",
    ]
    assert deep.total == 4 and not deep.total_capped and not deep.has_more


def test_status_on_links_follows_the_upgrade(db):
    plan = saved_article(db, "plan", datetime(2024, 4, 20, tzinfo=UTC))
    held = saved_article(db, "held", datetime(2024, 4, 27, tzinfo=UTC))
    (one,) = store.save_meetings(
        db, plan, [meeting(BLINKEN, WANG, status="planned", date=None, topics=["taiwan"])]
    )
    assert search.search_meetings(db, person="Blinken", topic="taiwan", status="planned").total == 1
    store.save_meetings(db, held, [meeting(BLINKEN, WANG, date="2024-04-26", topics=["taiwan"])])
    for filters in ({"person": "Blinken"}, {"topic": "taiwan"}, {"side": "China"}):
        assert [m.id for m in search.search_meetings(db, **filters, status="held").meetings] == [
            one
        ]
        assert search.search_meetings(db, **filters, status="planned").total == 0


@pytest.mark.parametrize(
    "filters",
    [
        {"status": "held"},
        {"text": "met", "status": "held"},
        {"text": "met", "since": "2016-01-27"},
        {"text": "Wang", "place": "Beijing"},
        {"person": "Wang Yi", "topic": "taiwan", "status": "held"},
        {"person": "Blinken", "text": "met"},
    ],
)
def test_a_tiny_scan_budget_gives_the_same_pages(filled, monkeypatch, filters):
    full = search.search_meetings(filled, **filters, limit=1)
    assert full.total >= 1 and not full.total_capped
    monkeypatch.setattr(search, "SCAN_BUDGET", 1)
    for offset in range(full.total + 1):
        budgeted = search.search_meetings(filled, **filters, limit=1, offset=offset)
        monkeypatch.setattr(search, "SCAN_BUDGET", 1000)
        want = search.search_meetings(filled, **filters, limit=1, offset=offset)
        monkeypatch.setattr(search, "SCAN_BUDGET", 1)
        assert [m.id for m in budgeted.meetings] == [m.id for m in want.meetings]
        assert budgeted.has_more == want.has_more
        assert budgeted.total <= full.total
