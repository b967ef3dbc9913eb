"""What the web server writes about requests it cannot parse: one line, nothing of the request.

aiohttp's request handler logs a request it cannot parse (a request line or header longer
than 8,190 bytes, a bad method or version, a broken chunked body…) at ERROR, with a
traceback whose last line quotes the start of the request line — for
``GET /calendar/<token>.ics?q=<20 KB>`` the member's calendar token. :class:`ServerLog` is
the logger aiohttp is given instead (``AppRunner(logger=…)``, a documented option): such a
request becomes one WARNING line naming the remote address, the status and the kind of
error, e.g. ``web: refused an unparsable request from 203.0.113.9 (400 LineTooLong)``.
What aiohttp logs at DEBUG (a first request that is not HTTP at all: TLS on the plain port,
scanners) stays at DEBUG, in one line, as does a broken body no handler read (the request
was answered). Anything else — an exception in one of our handlers,
a bug — keeps its ERROR record and traceback.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestPayloadError

__all__ = ["ServerLog", "parse_error", "unparsable"]


def _error_of(exc_info: object) -> BaseException | None:
    if isinstance(exc_info, BaseException):
        return exc_info
    if isinstance(exc_info, tuple) and len(exc_info) == 3:
        return exc_info[1]  # type: ignore[no-any-return]
    if exc_info:
        return sys.exc_info()[1]
    return None


def parse_error(error: BaseException | None) -> HttpProcessingError | None:
    """The parse error behind ``error``, if it is one (aiohttp wraps the errors it meets in a
    body in its ``RequestPayloadError``)."""
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, HttpProcessingError):
            return error
        error, seen = error.__cause__ or error.__context__, seen + 1
    return None


def unparsable(error: BaseException) -> str:
    """How a request that could not be parsed is described: status and kind, no content."""
    status = error.code if isinstance(error, HttpProcessingError) else 400
    return f"{status} {type(error).__name__}"


class ServerLog(logging.LoggerAdapter):  # type: ignore[type-arg]
    """The logger of aiohttp's request handler (see the module's docstring).

    Args:
        logger: Where the lines go (``aiohttp.server`` by default, as aiohttp's own).
    """

    def __init__(self, logger: logging.Logger | None = None) -> None:
        super().__init__(logger or logging.getLogger("aiohttp.server"), {})

    def _refused(
        self, level: int, msg: object, args: tuple[Any, ...], error: BaseException
    ) -> None:
        if not self.isEnabledFor(level):
            return
        try:
            # aiohttp's message says who sent it ("Error handling request from %s").
            who = str(msg) % args if args else str(msg)
            remote = who.rsplit(" from ", 1)[1] if " from " in who else "a client"
        except (TypeError, ValueError):
            remote = "a client"
        self.logger.log(
            level, "web: refused an unparsable request from %s (%s)", remote, unparsable(error)
        )

    def exception(  # type: ignore[override]
        self, msg: object, *args: Any, exc_info: object = True, **kwargs: Any
    ) -> None:
        raised = _error_of(exc_info)
        error = parse_error(raised)
        if error is not None:
            # A body the handler left unread, found broken when aiohttp drains it after the
            # answer: nothing was refused, so DEBUG. A request line or headers: refused.
            if isinstance(raised, RequestPayloadError):
                self.logger.debug(
                    "web: an unread request body was malformed (%s)", unparsable(error)
                )
            else:
                self._refused(logging.WARNING, msg, args, error)
            return
        super().exception(msg, *args, exc_info=exc_info, **kwargs)  # type: ignore[arg-type]

    def debug(self, msg: object, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        error = parse_error(_error_of(kwargs.get("exc_info")))
        if error is not None:
            self._refused(logging.DEBUG, msg, args, error)
            return
        super().debug(msg, *args, **kwargs)
