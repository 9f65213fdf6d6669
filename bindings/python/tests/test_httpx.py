"""simdsse.httpx against a real HTTP server on 127.0.0.1 (started and
stopped here, ephemeral port)."""
import asyncio
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

httpx = pytest.importorskip("httpx")
import simdsse  # noqa: E402
import simdsse.httpx  # noqa: E402

PIECES = [b"retry: 500\n", b"id: 1\ndata: first\n", b"\n: ping\n\nevent: delta\ndata: \xe6\x9d\xb1", b"\xe4\xba\xac\r\n\r\n", b"data: unterminated"]


class Handler(BaseHTTPRequestHandler):
    seen = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        Handler.seen.append(dict(self.headers))
        if self.path == "/events":
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.end_headers()
            for piece in PIECES:
                self.wfile.write(piece)
                self.wfile.flush()
                time.sleep(0.01)
        else:
            body = b'{"not": "sse"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()
    thread.join(timeout=10)


EXPECTED = [("message", "first", "1", 500), ("delta", "\u6771\u4eac", "1", None)]


def test_connect_sse(server):
    with httpx.Client(timeout=10) as client:
        with simdsse.httpx.connect_sse(client, "GET", server + "/events") as source:
            assert source.response.status_code == 200
            got = [(e.event, e.data, e.id, e.retry) for e in source.iter_sse()]
    assert got == EXPECTED
    headers = {k.lower(): v for k, v in Handler.seen[-1].items()}
    assert headers["accept"] == "text/event-stream"
    assert headers["cache-control"] == "no-store"


def test_content_type_checked(server):
    with httpx.Client(timeout=10) as client:
        with simdsse.httpx.connect_sse(client, "GET", server + "/json") as source:
            with pytest.raises(simdsse.httpx.SSEError, match="text/event-stream"):
                list(source.iter_sse())


def test_aconnect_sse(server):
    async def run():
        async with httpx.AsyncClient(timeout=10) as client:
            async with simdsse.httpx.aconnect_sse(client, "GET", server + "/events") as source:
                return [(e.event, e.data, e.id, e.retry) async for e in source.aiter_sse()]

    assert asyncio.run(run()) == EXPECTED


def test_limits_through_httpx(server):
    with httpx.Client(timeout=10) as client:
        with simdsse.httpx.connect_sse(client, "GET", server + "/events") as source:
            errors = []
            got = [e.data for e in source.iter_sse(max_data_length=3, on_error=errors.append)]
    assert got == []
    assert [e.code for e in errors] == ["data-too-long", "data-too-long"]
