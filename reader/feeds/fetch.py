"""Polite, bounded HTTP: what reader sends to servers and what it accepts back.

* A clear User-Agent naming reader, so a site knows who asks (and can say no).
* Conditional requests: the ETag and Last-Modified a server gave are sent back, and a 304 means
  nothing is downloaded again.
* Timeouts on connecting and between bytes, and a whole-request deadline (a server that trickles
  a byte a second cannot hold a fetch forever).
* A size cap, counted on the body as decompressed and streamed, so neither a huge page nor a gzip
  bomb is ever held in memory whole.
* Redirects followed by hand, at most :attr:`Policy.max_redirects`, each hop checked to be http(s),
  loops reported as loops.
* Retries with exponential backoff on 5xx answers, timeouts and dropped connections; none on a 4xx
  (the server has said no, and asking again is rude).
* At most :attr:`Policy.per_host` requests in flight to one host at once.
* Only http(s) URLs; the content type is checked against what the caller expects.
* Nothing from outside leads into this machine or the local network: a public server's redirect
  there is refused, and so (in :mod:`reader.feeds.articles`) is a public feed's item link.

Threads, not asyncio: the work around each request (feed parsing, trafilatura) is blocking,
CPU-bound library code that would need a thread anyway; one ``httpx.Client`` (thread-safe, with a
connection pool) shared by a small thread pool keeps the code plain, and the same
:class:`Fetcher` serves the CLI and the app's thread worker alike.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from reader import __version__

USER_AGENT = f"reader/{__version__} (terminal news reader; fetches only when its user asks)"

#: Content types by what is expected: a feed, or a web page.
FEED_TYPES = ("xml", "rss", "atom", "rdf", "text/plain", "application/octet-stream")
PAGE_TYPES = ("text/html", "application/xhtml+xml")


class FetchFailed(Exception):
    """A request that did not give a usable answer; ``str()`` says why, in words for people."""

    def __init__(self, reason: str, *, status: int = 0) -> None:
        super().__init__(reason)
        self.status = status


@dataclass(frozen=True)
class Policy:
    """How politely and how far to fetch."""

    timeout: float = 15.0
    deadline: float = 60.0
    max_bytes: int = 8 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 2
    backoff: float = 1.0
    per_host: int = 4


@dataclass(frozen=True)
class Response:
    """A usable answer: the final URL (after redirects), its body and what to send next time."""

    url: str
    status: int
    content_type: str
    charset: str | None
    body: bytes
    etag: str
    last_modified: str

    @property
    def not_modified(self) -> bool:
        """Whether the server answered 304: what was fetched last time still holds."""
        return self.status == 304


class Fetcher:
    """GET with the rules above; one a run, shared by its threads. Close it (or use ``with``)."""

    def __init__(
        self,
        policy: Policy | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.policy = policy or Policy()
        self._sleep = sleep
        self._client = httpx.Client(
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(self.policy.timeout),
            follow_redirects=False,
            transport=transport,
            trust_env=False,
        )
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._hosts_lock = threading.Lock()
        self.requests = 0

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def get(self, url: str, accept: tuple[str, ...], *, etag: str = "", last_modified: str = "") -> Response:
        """The answer to GET ``url``; raises :class:`FetchFailed` with the reason otherwise."""
        check_scheme(url)
        conditional = {}
        if etag:
            conditional["If-None-Match"] = etag
        if last_modified:
            conditional["If-Modified-Since"] = last_modified
        seen = [url]
        current = url
        local_ok = is_local(url)
        for _ in range(self.policy.max_redirects + 1):
            response = self._with_retries(current, conditional, accept)
            if isinstance(response, Response):
                return response
            target = urljoin(current, response)
            check_scheme(target, redirected=True)
            if is_local(target) and not local_ok:
                raise FetchFailed(f"the server redirects into this machine or the local network ({target})")
            if target in seen:
                raise FetchFailed(f"the server redirects in a loop ({current} back to {target})")
            seen.append(target)
            current = target
            conditional = {}  # validators belong to the URL that gave them
        raise FetchFailed(f"more than {self.policy.max_redirects} redirects (last to {current})")

    def _with_retries(self, url: str, headers: dict[str, str], accept: tuple[str, ...]) -> Response | str:
        """One hop of a request, retried with backoff on 5xx and timeouts (never on 4xx)."""
        attempt = 0
        while True:
            try:
                return self._once(url, headers, accept)
            except FetchFailed as failure:
                transient = failure.status >= 500 or failure.status == -1
                if not transient or attempt >= self.policy.retries:
                    if transient and attempt:
                        raise FetchFailed(f"{failure} (tried {attempt + 1} times)", status=failure.status) from None
                    raise
            self._sleep(self.policy.backoff * (2**attempt))
            attempt += 1

    def _once(self, url: str, headers: dict[str, str], accept: tuple[str, ...]) -> Response | str:
        """One request: a Response, or the Location of a redirect. Transient failures have status -1 or 5xx."""
        with self._host_slot(url):
            self.requests += 1
            started = time.monotonic()
            try:
                with self._client.stream("GET", url, headers=headers) as answer:
                    status = answer.status_code
                    if status in (301, 302, 303, 307, 308):
                        location = answer.headers.get("location", "").strip()
                        if not location:
                            raise FetchFailed(
                                f"the server answered {status} (a redirect) without saying where", status=status
                            )
                        return location
                    if status >= 400:
                        raise FetchFailed(
                            f"the server answered {status} {answer.reason_phrase}".rstrip(), status=status
                        )
                    etag = answer.headers.get("etag", "")
                    modified = answer.headers.get("last-modified", "")
                    if status == 304:
                        return Response(str(answer.url), 304, "", None, b"", etag, modified)
                    if status != 200:
                        raise FetchFailed(f"the server answered {status}, not the page itself", status=status)
                    content_type = answer.headers.get("content-type", "")
                    kind = content_type.split(";")[0].strip().lower()
                    if kind and not any(wanted in kind for wanted in accept):
                        raise FetchFailed(f"it is {kind}, not {_expected(accept)}")
                    declared = answer.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > self.policy.max_bytes:
                        raise FetchFailed(f"it is larger than {_size(self.policy.max_bytes)} ({_size(int(declared))})")
                    body = bytearray()
                    for chunk in answer.iter_bytes():
                        body += chunk
                        if len(body) > self.policy.max_bytes:
                            raise FetchFailed(f"it is larger than {_size(self.policy.max_bytes)}")
                        if time.monotonic() - started > self.policy.deadline:
                            raise FetchFailed(f"it took longer than {self.policy.deadline:g} s", status=-1)
                    return Response(str(answer.url), status, kind, answer.charset_encoding, bytes(body), etag, modified)
            except httpx.TimeoutException:
                raise FetchFailed(f"no answer within {self.policy.timeout:g} s", status=-1) from None
            except httpx.DecodingError:
                raise FetchFailed("its compressed body is broken") from None
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as error:
                raise FetchFailed(f"the connection broke ({error or type(error).__name__})", status=-1) from None
            except httpx.ConnectError as error:
                raise FetchFailed(f"cannot connect ({_first_line(error)})") from None
            except httpx.HTTPError as error:
                raise FetchFailed(f"{type(error).__name__}: {_first_line(error)}") from None

    def _host_slot(self, url: str) -> threading.BoundedSemaphore:
        """The semaphore that keeps one host to its number of requests at once."""
        host = (urlsplit(url).hostname or "", urlsplit(url).port)
        key = f"{host[0]}:{host[1]}"
        with self._hosts_lock:
            if key not in self._hosts:
                self._hosts[key] = threading.BoundedSemaphore(self.policy.per_host)
            return self._hosts[key]


def check_scheme(url: str, *, redirected: bool = False) -> None:
    """Raise FetchFailed unless ``url`` is http(s) with a host."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        where = "the server redirects to" if redirected else "it is"
        raise FetchFailed(f"{where} {url!r}, not an http(s) address; only http and https are fetched")


def is_local(url: str) -> bool:
    """Whether ``url`` names this machine or the local network: ``localhost``, ``*.local``, or a
    loopback, private or link-local address. A feed or page from outside may not send reader
    there (no hostile feed can make it poke at a router or a local service); one that is there
    itself may. Names are not resolved (that would be a request of its own)."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if host in ("localhost", "") or host.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_private or address.is_loopback or address.is_link_local or address.is_unspecified


def _expected(accept: tuple[str, ...]) -> str:
    """What the caller expected, in words."""
    return "a web page" if accept == PAGE_TYPES else "a feed"


def _size(count: int) -> str:
    """A byte count for people."""
    return f"{count / 1024 / 1024:.1f} MB" if count >= 1024 * 1024 else f"{count / 1024:.0f} KB"


def _first_line(error: BaseException) -> str:
    """The first line of an error message, cut short."""
    return (str(error).splitlines() or [type(error).__name__])[0][:200]
