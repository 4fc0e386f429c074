"""Canonical URLs, so the same article reached by different links is stored once."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from digest.sources.errors import InvalidSourceURL

# Query parameters that only say how a reader arrived, never which page it is.
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid",
        "mc_cid", "mc_eid", "_ga", "_gl", "ocid", "cmpid", "smid", "at_medium", "at_campaign",
    }
)  # fmt: skip
DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def check_url(url: str) -> str:
    """``url`` stripped, if it is an absolute http(s) URL with a host; else InvalidSourceURL."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError on a malformed port
    except ValueError as error:
        raise InvalidSourceURL(f"{url!r} is not a valid URL: {error}") from None
    if parts.scheme.lower() not in DEFAULT_PORTS:
        raise InvalidSourceURL(f"{url!r} is not an http:// or https:// URL")
    if not parts.hostname:
        raise InvalidSourceURL(f"{url!r} has no host name")
    if parts.username or parts.password:
        raise InvalidSourceURL(f"{url!r} carries a user name or password; leave them out")
    if port == 0:
        raise InvalidSourceURL(f"{url!r} has port 0")
    return url


def canonical_url(url: str) -> str:
    """One spelling per page.

    Lower-case scheme and host, no default port, no fragment, no tracking parameters, the
    remaining parameters sorted, an empty path written as ``/``.
    """
    url = check_url(url)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    netloc = host if parts.port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{parts.port}"
    query = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking(name)
    )
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def host_key(url: str) -> str:
    """``host:port`` of ``url``, the unit of per-host politeness and of the address allow-list."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return f"{host}:{parts.port or DEFAULT_PORTS.get(parts.scheme.lower(), 80)}"
