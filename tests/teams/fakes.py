"""A loopback stand-in for the Bot Framework connector (LIBRARIES.md §2.1, Teams parts).

Threaded, because botbuilder's connector client calls it through ``requests`` in a thread pool, from
whichever event loop (or none) is running. It records every call and can be told to fail: the next
matching requests answer the given statuses (429 with ``Retry-After``, 403, 502 …) before succeeding.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args: Any) -> None:       # keep test output clean
        pass

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode() if length else ""
        return json.loads(raw) if raw and "json" in self.headers.get("Content-Type", "") else raw

    def _answer(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _handle(self, method: str) -> None:
        body = self._body() if method == "POST" else None
        with self.server.lock:
            self.server.calls.append({"method": method, "path": self.path, "body": body,
                                      "headers": dict(self.headers)})
            failure = self.server.take_failure(self.path)
            count = len(self.server.calls)
        if failure is not None:
            status, headers = failure
            self._answer(status, {"error": {"code": f"E{status}", "message": f"fake {status}"}}, headers)
            return
        path = self.path
        if method == "GET":
            match = re.match(r"^/v3/conversations/[^/]+/members/([^/?]+)$", path)
            member = self.server.members.get(unquote(match.group(1))) if match else None
            if member is None:
                self._answer(404, {"error": {"code": "MemberNotFoundInConversation", "message": "not found"}})
            else:
                self._answer(200, member)
        elif path == "/v3/conversations":
            self._answer(200, {"id": "a:personal-opened", "activityId": f"act-{count}"})
        elif re.match(r"^/v3/conversations/[^/]+/activities", path):
            self._answer(200, {"id": f"act-{count}"})
        else:
            self._answer(200, {"ok": True})

    def do_POST(self) -> None:
        self._handle("POST")

    def do_GET(self) -> None:
        self._handle("GET")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.calls: list[dict[str, Any]] = []
        self.members: dict[str, dict[str, Any]] = {}
        self.failures: list[tuple[re.Pattern[str], list[tuple[int, dict[str, str]]]]] = []
        self.lock = threading.Lock()

    def take_failure(self, path: str) -> tuple[int, dict[str, str]] | None:
        for pattern, queue in self.failures:
            if queue and pattern.search(path):
                return queue.pop(0)
        return None


class FakeConnector:
    """``with FakeConnector() as fake:`` — ``fake.url`` is the serviceUrl to put in activities."""

    def __init__(self) -> None:
        self.httpd = _Server()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        # A short poll interval: the default 0.5 s would add half a second to every test's teardown.
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> FakeConnector:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def calls(self) -> list[dict[str, Any]]:
        return self.httpd.calls

    def activities(self) -> list[dict[str, Any]]:
        """Activities the bot posted (replies and proactive messages), oldest first."""
        return [c for c in self.calls if c["method"] == "POST" and re.search(r"^/v3/conversations/.+/activities",
                                                                              c["path"])]

    def fail(self, pattern: str, statuses: Iterable[int], retry_after: str | None = None) -> None:
        """The next requests whose path matches ``pattern`` answer these statuses, one each."""
        headers = {"Retry-After": retry_after} if retry_after else {}
        self.httpd.failures.append((re.compile(pattern), [(s, headers) for s in statuses]))

    def add_member(self, user_id: str, email: str, aad: str | None = None, upn: str | None = None) -> None:
        self.httpd.members[user_id] = {"id": user_id, "name": "Member", "email": email, "aadObjectId": aad,
                                       "userPrincipalName": upn or email}
