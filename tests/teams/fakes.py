"""A loopback stand-in for the Bot Framework connector (LIBRARIES.md §2.1, Teams parts).

Threaded, because botbuilder's connector client calls it through ``requests`` in a thread pool, from
whichever event loop (or none) is running. It records every call and can be told to fail: the next
matching requests answer the given statuses (429 with ``Retry-After``, 403, 502 …) before succeeding.

It also stands in for OneDrive's upload sessions: a test puts ``fake.upload_url(...)`` in the
``uploadInfo`` of a ``fileConsent/invoke``, and the bot's PUTs there are put together by their
``Content-Range`` the way OneDrive does it (202 until the last byte, then 201); ``fake.uploads`` has the files.

And for files people send the bot: ``fake.host_file(...)`` serves bytes to GET at an address on this
server (a ``downloadUrl`` or a connector ``contentUrl``); ``fake.downloads()`` lists those GETs with their headers.
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
        hosted = self.server.hosted.get(path) if method == "GET" else None
        if hosted is not None:
            self._bytes(*hosted)
        elif method == "GET":
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

    def _bytes(self, data: bytes, content_type: str) -> None:
        try:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass            # the bot hung up (past its size limit)

    def do_POST(self) -> None:
        self._handle("POST")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def do_PUT(self) -> None:
        """A fragment of an upload session: ``Content-Range: bytes start-end/total``, in order."""
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length) if length else b""
        with self.server.lock:
            self.server.calls.append({"method": "PUT", "path": self.path, "body": data, "headers": dict(self.headers)})
            failure = self.server.take_failure(self.path)
        if failure is not None:
            self._answer(failure[0], {"error": {"code": f"E{failure[0]}", "message": f"fake {failure[0]}"}},
                         failure[1])
            return
        match = re.fullmatch(r"bytes (\d+)-(\d+)/(\d+)", self.headers.get("Content-Range", ""))
        if match is None or int(match.group(2)) - int(match.group(1)) + 1 != len(data):
            self._answer(400, {"error": {"code": "invalidRange", "message": "bad Content-Range"}})
            return
        start, total = int(match.group(1)), int(match.group(3))
        with self.server.lock:
            received = self.server.partial.get(self.path, b"")
            if start != len(received):
                answer: tuple[int, dict[str, Any]] = (416, {"nextExpectedRanges": [f"{len(received)}-"]})
            else:
                received += data
                if len(received) == total:
                    self.server.partial.pop(self.path, None)
                    self.server.uploads[self.path] = received
                    answer = (201, {"id": "drive-item-1", "size": total})
                else:
                    self.server.partial[self.path] = received
                    answer = (202, {"nextExpectedRanges": [f"{len(received)}-"]})
        self._answer(*answer)

    def do_GET(self) -> None:
        self._handle("GET")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.calls: list[dict[str, Any]] = []
        self.members: dict[str, dict[str, Any]] = {}
        self.partial: dict[str, bytes] = {}
        self.uploads: dict[str, bytes] = {}
        self.hosted: dict[str, tuple[bytes, str]] = {}       # path → (bytes, Content-Type) served to GET
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

    def upload_url(self, name: str) -> str:
        """An upload-session URL on this fake, as OneDrive would put in a ``fileConsent/invoke``."""
        return f"{self.url}/upload/{name}"

    @property
    def uploads(self) -> dict[str, bytes]:
        """Completed uploads by path (``/upload/<name>``)."""
        return self.httpd.uploads

    def host_file(self, path: str, data: bytes, content_type: str = "application/octet-stream") -> str:
        """Serve ``data`` at ``path`` on this server; its address."""
        self.httpd.hosted[path] = (data, content_type)
        return f"{self.url}{path}"

    def downloads(self) -> list[dict[str, Any]]:
        """The GETs of hosted files (or of addresses a test made fail), with their headers."""
        return [c for c in self.calls if c["method"] == "GET" and not c["path"].startswith("/v3/")]

    def puts(self) -> list[dict[str, Any]]:
        return [c for c in self.calls if c["method"] == "PUT"]

    def fail(self, pattern: str, statuses: Iterable[int], retry_after: str | None = None) -> None:
        """The next requests whose path matches ``pattern`` answer these statuses, one each."""
        headers = {"Retry-After": retry_after} if retry_after else {}
        self.httpd.failures.append((re.compile(pattern), [(s, headers) for s in statuses]))

    def add_member(self, user_id: str, email: str, aad: str | None = None, upn: str | None = None) -> None:
        self.httpd.members[user_id] = {"id": user_id, "name": "Member", "email": email, "aadObjectId": aad,
                                       "userPrincipalName": upn or email}
