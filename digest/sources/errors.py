"""Why a source could not be read: each error's text is fit to show an admin as it is."""

from __future__ import annotations

from digest.errors import ParleyError


class SourceError(ParleyError):
    """A feed or page could not be fetched or read."""


class InvalidSourceURL(SourceError):
    """The address is not an http(s) URL Parley can fetch."""


class BlockedAddress(SourceError):
    """The address resolves to a private, loopback, link-local or otherwise internal network."""


class FetchFailed(SourceError):
    """The server could not be reached or answered with an error."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status  # the HTTP status when the server answered


class ServerBusy(FetchFailed):
    """The server asked Parley to come back later (HTTP 429 or 503)."""

    def __init__(self, message: str, retry_after: float | None = None, status: int = 503) -> None:
        super().__init__(message, status)
        self.retry_after = retry_after  # seconds the server asked for, when it said

    @property
    def rate_limited(self) -> bool:
        """True for a 429: the server is up and asks for fewer requests, not a failure."""
        return self.status == 429


class RobotsDisallowed(SourceError):
    """The site's robots.txt does not let Parley fetch this address."""


class TooManyRedirects(SourceError):
    """The server redirected more times than allowed."""


class TooLarge(SourceError):
    """The response is larger than the configured body-size cap."""


class FetchTimedOut(SourceError):
    """The server was too slow: a connect or read timeout, or the whole-fetch deadline."""


class WrongContentType(SourceError):
    """The server sent something other than a feed or a web page."""


class UnreadableFeed(SourceError):
    """The response is not a readable RSS or Atom feed."""


class NoArticleText(SourceError):
    """The page holds no article text (an index page, a paywall notice, an empty shell)."""
