"""Server-Sent Events over httpx, parsed by simdsse.

The same shape as httpx-sse, so code written for it carries over:

    import httpx, simdsse.httpx

    with httpx.Client() as client:
        with simdsse.httpx.connect_sse(client, "GET", url) as source:
            for event in source.iter_sse():
                print(event.event, event.data, event.id)

connect_sse sends `Accept: text/event-stream` and `Cache-Control: no-store`;
iter_sse() raises SSEError unless the response's media type is
text/event-stream, then parses the decoded body bytes (Content-Encoding
undone by httpx) as they arrive. The HTTP status is not checked: call
source.response.raise_for_status() first if that matters.
"""

import itertools
from contextlib import asynccontextmanager, contextmanager

import httpx as _httpx

from . import _chunk_events, aiter_events

__all__ = ["EventSource", "SSEError", "aconnect_sse", "connect_sse"]


class SSEError(_httpx.TransportError):
    """The response is not a text/event-stream."""


def _media_type(response):
    content_type = response.headers.get("content-type", "")
    return content_type.partition(";")[0].strip().lower()


class EventSource:
    """A streamed response read as an event stream."""

    def __init__(self, response):
        self._response = response

    @property
    def response(self):
        return self._response

    def _check_content_type(self):
        media_type = _media_type(self._response)
        if media_type != "text/event-stream":
            raise SSEError(
                "expected the response's Content-Type to be 'text/event-stream', "
                f"got {self._response.headers.get('content-type', '(none)')!r}",
                request=self._response.request,
            )

    def iter_sse(self, *, on_error=None, **limits):
        """An iterator of the response's Events (see simdsse.iter_events);
        SSEError comes instead of the first when the response is not an
        event stream."""
        return itertools.chain.from_iterable(self._chunk_events(on_error, limits))

    def _chunk_events(self, on_error, limits):
        self._check_content_type()
        yield from _chunk_events(self._response.iter_bytes(), on_error, limits)

    async def aiter_sse(self, *, on_error=None, **limits):
        """Yields the response's Events (see simdsse.aiter_events)."""
        self._check_content_type()
        async for event in aiter_events(self._response.aiter_bytes(), on_error=on_error, **limits):
            yield event

    def __iter__(self):
        return self.iter_sse()

    def __aiter__(self):
        return self.aiter_sse()


def _sse_headers(kwargs):
    headers = _httpx.Headers(kwargs.pop("headers", None))
    headers["Accept"] = "text/event-stream"
    headers["Cache-Control"] = "no-store"
    return headers


@contextmanager
def connect_sse(client, method, url, **kwargs):
    """Opens a streamed request with client (an httpx.Client) and yields
    an EventSource for its response; kwargs go to client.stream()."""
    headers = _sse_headers(kwargs)
    with client.stream(method, url, headers=headers, **kwargs) as response:
        yield EventSource(response)


@asynccontextmanager
async def aconnect_sse(client, method, url, **kwargs):
    """connect_sse for an httpx.AsyncClient."""
    headers = _sse_headers(kwargs)
    async with client.stream(method, url, headers=headers, **kwargs) as response:
        yield EventSource(response)
