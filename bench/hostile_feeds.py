"""Hostile feeds for bench/ingest.py --hostile: what each costs in time and memory, bounded.

Each case is one ``parley ingest URL`` (``ingest_url`` under the configured feed and round
budgets) against a local server, run in a fresh process so its peak RSS is its own. The
cases are the trials of issue 17: a feed of 100,000 bare GUIDs (each read as a link), one
just under the item cap, slow-drip pages behind 6 and 100 items, UTF-16 billion laughs and
quadratic blow-up, a 5 MB feed of 4,999 items, a gzip bomb and an endless body.
"""

from __future__ import annotations

import gzip
import json
import resource
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

LAUGHS = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
CASES = {
    # name: (path, what it tries)
    "guids-100k": ("/guids.xml?n=100000", "100,000 bare GUIDs (3 MB), each read as a link"),
    "guids-4999": ("/guids.xml?n=4999", "4,999 bare GUIDs, just under the item cap"),
    "drip-6": ("/drip.xml?n=6", "6 items linking to slow-drip pages"),
    "drip-100": ("/drip.xml?n=100", "100 items linking to slow-drip pages"),
    "laughs-utf16": ("/laughs16.xml", "UTF-16 billion laughs"),
    "quadratic-utf16": ("/quadratic16.xml", "UTF-16 quadratic blow-up (1 GB expanded)"),
    "fat-4999": ("/fat.xml", "4.9 MB feed of 4,999 items with long summaries"),
    "gzip-bomb": ("/bomb.xml", "gzip bomb (50 MB of zeros in 50 KB)"),
    "endless": ("/endless.xml", "endless body without a length"),
}


def _rss(items: str) -> bytes:
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>H</title>{items}</channel></rss>'
    ).encode()


def _page(number: int) -> bytes:
    text = " ".join(f"Officials said on Monday that item {number} was agreed." for _ in range(20))
    return f"<html><head><title>P{number}</title></head><body><article><h1>P{number}</h1>" \
        f"<p>{text}</p><p>{text}</p></article></body></html>".encode()  # fmt: skip


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    bomb = gzip.compress(b"\0" * 50_000_000, 9)

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        parts = urlsplit(self.path)
        n = int(parse_qs(parts.query).get("n", ["0"])[0])
        path = parts.path
        if path == "/guids.xml":
            body = _rss("".join(f"<item><guid>g/{i}</guid></item>" for i in range(n)))
            return self._send(body, "application/rss+xml")
        if path.startswith("/g/"):
            return self._send(_page(int(path.rsplit("/", 1)[1])), "text/html")
        if path == "/drip.xml":
            items = "".join(
                f"<item><title>D{i}</title><guid>d{i}</guid><link>http://{self.headers['Host']}"
                f"/drip/{i}</link><description>Summary {i}.</description></item>"
                for i in range(n)
            )
            return self._send(_rss(items), "application/rss+xml")
        if path.startswith("/drip/"):
            return self._drip()
        if path == "/laughs16.xml":
            text = f"""<?xml version="1.0" encoding="UTF-16"?>
<!DOCTYPE rss [<!ENTITY lol0 "lol">{LAUGHS}]><rss version="2.0"><channel><title>T</title>
<item><title>&lol9;</title><guid>x</guid></item></channel></rss>"""
            return self._send(text.encode("utf-16"), "application/rss+xml")
        if path == "/quadratic16.xml":
            entity, uses = "x" * 100_000, "&a;" * 10_000
            text = f"""<?xml version="1.0" encoding="UTF-16"?>
<!DOCTYPE rss [<!ENTITY a "{entity}">]><rss version="2.0"><channel><title>T</title>
<item><title>{uses}</title></item></channel></rss>"""
            return self._send(text.encode("utf-16"), "application/rss+xml")
        if path == "/fat.xml":
            summary = "Words of a long summary that goes on. " * 23
            items = "".join(
                f'<item><title>F{i}</title><guid isPermaLink="false">f{i}</guid>'
                f"<description>{summary} {i}</description></item>"
                for i in range(4999)
            )
            return self._send(_rss(items), "application/rss+xml")
        if path == "/bomb.xml":
            return self._send(self.bomb, "application/rss+xml", encoding="gzip")
        if path == "/endless.xml":
            return self._endless()
        return self._send(b"not found", "text/plain", status=404)

    def _send(self, body: bytes, ctype: str, encoding: str = "", status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:  # Parley hung up: refused by size or cut by a budget, as it should
            return

    def _drip(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        try:
            for _ in range(1200):  # one byte every half second, for ten minutes at most
                self.wfile.write(b"<")
                self.wfile.flush()
                time.sleep(0.5)
        except OSError:
            return

    def _endless(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.end_headers()
        chunk = b"<item><title>" + b"x" * 65_000 + b"</title></item>"
        try:
            for _ in range(20_000):  # 1.3 GB at most
                self.wfile.write(chunk)
        except OSError:
            return


def serve() -> None:
    """Print the port, then serve until killed."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.handle_error = lambda request, address: None  # hang-ups are the point here
    print(server.server_address[1], flush=True)
    server.serve_forever()


def _current_rss_mb() -> float:
    """This process's resident memory now (Linux), else its peak so far."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * resource.getpagesize() / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_case(name: str, port: int) -> None:
    """One case in this process: print a JSON line of time, memory and what Parley said."""
    import asyncio
    import tempfile
    from pathlib import Path

    from digest import store
    from digest.config import SourceSettings
    from digest.sources import Fetcher, Round, SourceError, ingest_url
    from digest.timeutil import utc_now

    host = f"127.0.0.1:{port}"
    settings = SourceSettings(allowed_hosts=(host,))
    url = f"http://{host}{CASES[name][0]}"

    async def ingest(db) -> str:  # noqa: ANN001
        round_ = Round.start(settings)
        async with Fetcher.from_settings(settings) as fetcher:
            try:
                result = await ingest_url(db, fetcher, url, utc_now(), round_.feed_budget(settings))
            except SourceError as error:
                return f"refused: {str(error).removeprefix(url + ': ')}"
        cut = f", {len(result.deferred)} left for the next run ({result.cut})" if result.cut else ""
        return f"{len(result.new_article_ids)} stored{cut}"

    with tempfile.TemporaryDirectory() as tmp:
        db = store.open_db(Path(tmp) / "hostile.db")
        before = _current_rss_mb()
        peak, done = [before], threading.Event()

        def sample() -> None:  # the process's peak includes its imports: sample this case's own
            while not done.wait(0.005):
                peak[0] = max(peak[0], _current_rss_mb())

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.perf_counter()
        said = asyncio.run(ingest(db))
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        peak = max(peak[0], _current_rss_mb())
    print(json.dumps({"case": name, "seconds": seconds, "growth_mb": peak - before,
                      "peak_mb": peak, "said": said}))  # fmt: skip


def run_all(python: str, script: str, names: list[str]) -> None:
    """Every case, each in its own process, against one server; a table and the worst case."""
    import subprocess

    command = [python, script, "--serve-hostile"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        port = int(server.stdout.readline())
        rows = []
        for name in names:
            done = subprocess.run(
                [python, script, "--hostile-case", name, "--port", str(port)],
                capture_output=True, text=True, timeout=900,
            )  # fmt: skip
            if done.returncode != 0:
                print(f"{name}: crashed\n{done.stderr[-2000:]}", file=sys.stderr)
                continue
            row = json.loads(done.stdout.strip().splitlines()[-1])
            rows.append(row)
            print(f"{name:16} {row['seconds']:7.1f} s  +{row['growth_mb']:6.1f} MB "
                  f"(peak {row['peak_mb']:5.0f} MB)  {CASES[name][1]}: {row['said']}",
                  flush=True)  # fmt: skip
        if rows:
            slowest = max(rows, key=lambda r: r["seconds"])
            largest = max(rows, key=lambda r: r["growth_mb"])
            print(f"worst case: {slowest['seconds']:.1f} s ({slowest['case']}), "
                  f"+{largest['growth_mb']:.1f} MB ({largest['case']})")  # fmt: skip
    finally:
        server.kill()
        server.wait()
