#!/usr/bin/env python3
"""browser_test.py -- examples/hub.c end to end in headless Chromium.

    browser_test.py WORKDIR [EMULATOR...] HUB

Starts the hub (ring of 8 events, retry 1500 ms) and Debian's chromium,
headless, with a fresh profile, driven over the DevTools protocol on a pipe
(--remote-debugging-pipe: no port, no download). Two tabs open the hub's
page at http://127.0.0.1:PORT/; their EventSource objects are the clients.
The test publishes events (multi-line, UTF-8, HTML-looking data) on the
hub's standard input and reads back, from each page, what its EventSource
delivered (the page keeps them in `received`). Then:
  1. SIGUSR1 closes both streams; events published while the pages wait to
     reconnect must be replayed to them after Last-Event-ID, exactly once;
  2. SIGUSR1 again, and more events than the ring holds: each page must get
     one `too-old` event, then the events the ring kept.
Each page must have received exactly the expected events, in order, and
connected three times. Prints "SKIP: ..." and exits 0 when chromium is not
installed. Bounded: every wait has a deadline, everything started is stopped.
EMULATOR (qemu-user in a cross build, valgrind in .ci/valgrind.sh) runs the
hub, as ctest runs its test programs.
"""
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time

DEADLINE = 20  # seconds per wait


class Browser:
    """Chromium with the DevTools protocol on fds 3 (commands) and 4 (replies)."""

    def __init__(self, exe, profile, log):
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()
        args = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--user-data-dir=" + profile, "--remote-debugging-pipe", "about:blank"]
        # bash puts the pipe ends on fds 3 and 4, where Chromium looks for them.
        self.proc = subprocess.Popen(
            ["bash", "-c", 'exec "$@" 3<&%d 4>&%d' % (to_chrome_r, from_chrome_w), "bash"] + args,
            pass_fds=(to_chrome_r, from_chrome_w), stdout=log, stderr=log)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.next_id = 0
        self.pending = b""

    def call(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_chrome, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + DEADLINE
        while True:
            while b"\0" not in self.pending:
                if time.monotonic() > deadline:
                    raise RuntimeError("no answer from chromium to " + method)
                chunk = os.read(self.from_chrome, 65536)
                if not chunk:
                    raise RuntimeError("chromium closed the DevTools pipe")
                self.pending += chunk
            raw, self.pending = self.pending.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self.next_id:  # events and other replies are skipped
                if "error" in reply:
                    raise RuntimeError(method + ": " + json.dumps(reply["error"]))
                return reply["result"]

    def open_tab(self, url):
        target = self.call("Target.createTarget", {"url": url})["targetId"]
        return self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]

    def evaluate(self, session, expression):
        r = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session)
        return r["result"].get("value")

    def close(self):
        try:
            self.call("Browser.close")
        except (RuntimeError, OSError):
            pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Hub:
    def __init__(self, command):
        self.proc = subprocess.Popen(command + ["--ring", "8", "--retry", "1500", "--heartbeat", "1000"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.port = int(self.proc.stdout.readline())
        self.log = queue.Queue()
        self.lines = []
        threading.Thread(target=self._read_log, daemon=True).start()

    def _read_log(self):
        for line in self.proc.stderr:
            self.log.put(line.decode(errors="replace").rstrip("\n"))

    def wait_log(self, text, count=1):
        """Waits for `count` log lines containing text, since the last forget()."""
        deadline = time.monotonic() + DEADLINE
        while sum(text in l for l in self.lines) < count:
            try:
                self.lines.append(self.log.get(timeout=max(0.01, deadline - time.monotonic())))
            except queue.Empty:
                raise RuntimeError("the hub never logged: " + text)

    def forget(self):
        self.lines = []

    def publish(self, datas):
        """Writes one event per data value, a data line per line, as text/event-stream."""
        out = ""
        for d in datas:
            out += "".join("data: " + line + "\n" for line in d.split("\n")) + "\n"
        self.proc.stdin.write(out.encode())
        self.proc.stdin.flush()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()


def wait_for(what, cond):
    deadline = time.monotonic() + DEADLINE
    while True:
        value = cond()
        if value:
            return value
        if time.monotonic() > deadline:
            raise RuntimeError("timed out waiting for " + what)
        time.sleep(0.1)


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: browser_test.py WORKDIR [EMULATOR...] HUB")
    work, hub_command = sys.argv[1], sys.argv[2:]
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("SKIP: chromium not found (Debian: apt-get install chromium)")
        return 0
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)

    datas = [
        "plain text",
        "line one\nline two\n\nline four, after an empty line",
        "h\u00e9llo w\u00f6rld \u2713 \u65e5\u672c\u8a9e \U0001F600",
        '<b>not bold</b> & "quotes" \\ backslash',
        " one leading space kept",
        "{\"json\": [1, 2, 3]}",
    ]
    more = ["event %d" % i for i in range(7, 17)]  # 10 events: more than the ring's 8
    failures = []
    hub = Hub(hub_command)
    browser = None
    chrome_log = open(os.path.join(work, "chromium.log"), "w")
    try:
        browser = Browser(chromium, os.path.join(work, "profile"), chrome_log)
        url = "http://127.0.0.1:%d/" % hub.port
        tabs = [browser.open_tab(url), browser.open_tab(url)]

        def state(tab):
            return json.loads(browser.evaluate(tab, "JSON.stringify({opens, received})") or "null")

        def all_have(opens, count):
            states = [state(t) for t in tabs]
            ok = all(s and s["opens"] >= opens and len(s["received"]) >= count for s in states)
            return states if ok else None

        wait_for("both pages to connect", lambda: all_have(1, 0))
        hub.publish(datas[:4])
        wait_for("the first 4 events", lambda: all_have(1, 4))

        # 1. The server drops both streams; two events go out while the pages
        # wait 1500 ms to reconnect: the ring must replay them.
        hub.proc.send_signal(signal.SIGUSR1)
        hub.wait_log("SIGUSR1: closing 2 subscriber stream(s)")
        hub.publish(datas[4:6])
        wait_for("the replay after reconnection", lambda: all_have(2, 6))
        hub.wait_log("resumes after 4: 2 event(s) to replay", 2)

        # 2. Again, with 10 events for a ring of 8: events 7 and 8 are gone.
        hub.forget()
        hub.proc.send_signal(signal.SIGUSR1)
        hub.wait_log("SIGUSR1: closing 2 subscriber stream(s)")
        hub.publish(more)
        wait_for("the too-old event and the ring's events", lambda: all_have(3, 15))

        expected = [{"type": "message", "data": d, "id": str(i + 1)} for i, d in enumerate(datas)]
        expected.append({"type": "too-old", "data": '{"last_event_id":"6","oldest":9}', "id": "6"})
        expected += [{"type": "message", "data": "event %d" % i, "id": str(i)} for i in range(9, 17)]
        time.sleep(0.5)  # anything extra (a duplicate) would arrive now
        for n, tab in enumerate(tabs):
            got = state(tab)
            if got["received"] != expected:
                failures.append("tab %d received %s" % (n + 1, json.dumps(got["received"], ensure_ascii=False)))
            if got["opens"] != 3:
                failures.append("tab %d connected %d times, not 3" % (n + 1, got["opens"]))
        print("2 tabs x %d events, 2 server-side drops, replay and too-old: %s"
              % (len(expected), "ok" if not failures else "FAILED"))
    except (RuntimeError, OSError) as e:  # OSError: chromium did not start, or died
        failures.append("%s: %s" % (type(e).__name__, e))
    finally:
        if browser:
            browser.close()
        chrome_log.close()
        status = hub.stop()
        if status != 0:
            failures.append("the hub exited with status %d" % status)
    for f in failures:
        print("FAILED:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
