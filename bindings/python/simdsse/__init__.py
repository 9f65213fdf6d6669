"""simdsse: fast, exact Server-Sent Events (text/event-stream) for Python.

A thin layer over the simdsse C library: parsing follows the WHATWG HTML
standard's "interpret an event stream" steps, strings are decoded as a
browser decodes them (UTF-8, U+FFFD for invalid sequences), and the writer
refuses any value that would inject a field.

    >>> import simdsse
    >>> p = simdsse.Parser()
    >>> p.feed(b"event: delta\\ndata: hi\\n\\n")
    [Event(event='delta', data='hi', id='', retry=None)]

`simdsse.httpx.connect_sse` reads an httpx streamed response.
"""

import itertools

try:
    from ._core import Parser as _probe  # noqa: F401
except ImportError as err:  # the source tree, not a build
    raise ImportError(
        "simdsse: the C extension simdsse._core is not built here; install the package "
        "(pip install --no-build-isolation ./bindings/python) or put a CMake build's "
        "build/bindings/python first on sys.path"
    ) from err

from ._core import (  # noqa: E402
    Diagnostic,
    Error,
    Event,
    FieldError,
    LimitError,
    Parser,
    __version__,
    default_kernel,
    format_comment,
    format_event,
    kernels,
    validate,
)

__all__ = [
    "Diagnostic",
    "Error",
    "Event",
    "FieldError",
    "LimitError",
    "Parser",
    "__version__",
    "aiter_events",
    "default_kernel",
    "format_comment",
    "format_event",
    "iter_events",
    "kernels",
    "validate",
]


def _events(feed, chunk, on_error):
    """The events of one chunk, in stream order: feed's list, or, when a
    limit error interrupted it, a generator that yields them with the
    errors raised (on_error None) or handed to on_error where they
    happened."""
    try:
        return feed(chunk)
    except LimitError as first:
        return _around_errors(first, on_error)


def _around_errors(first, on_error):
    if on_error is None:
        # Events before the error first; the rest are in first.events.
        yield from first.events[: first.index]
        raise first
    done = 0
    for err in first.errors:
        yield from first.events[done : err.index]
        done = err.index
        on_error(err)
    yield from first.events[done:]


def _chunk_events(chunks, on_error, limits):
    """Each chunk's events (see _events); ends after a raised error."""
    parser = Parser(**limits)
    feed = parser.feed
    for chunk in chunks:
        events = _events(feed, chunk, on_error)
        yield events
        if not isinstance(events, list) and on_error is None:
            return  # its generator raised: the iteration is over
    parser.finish()


def iter_events(chunks, *, on_error=None, **limits):
    """An iterator of the Events of a stream given as an iterable of bytes
    chunks (for instance httpx's response.iter_bytes()).

    limits are Parser's keywords. A limit error raises LimitError at the
    point of the stream where it happened, which ends the iteration; with
    on_error (a callable taking the LimitError) the iteration goes on past
    it. An event not ended by a blank line at the end is discarded, as the
    standard says. Chunks are read as the events are asked for; the
    events themselves come out of each chunk's list with no Python code
    run per event (itertools.chain over the lists).
    """
    return itertools.chain.from_iterable(_chunk_events(chunks, on_error, limits))


async def aiter_events(chunks, *, on_error=None, **limits):
    """The async twin of iter_events, for an async iterable of bytes (for
    instance httpx's response.aiter_bytes())."""
    parser = Parser(**limits)
    feed = parser.feed
    async for chunk in chunks:
        for event in _events(feed, chunk, on_error):
            yield event
    parser.finish()


def __getattr__(name):
    # simdsse.httpx is imported on first use: httpx is optional.
    if name == "httpx":
        import importlib

        return importlib.import_module(".httpx", __name__)
    raise AttributeError(f"module 'simdsse' has no attribute {name!r}")
