"""A loopback fake of the Slack Web API (and of ``response_url``), good enough to drive the real Bolt app.

Threaded, so it answers slack_sdk's synchronous client (reminder sender, in the test's thread) and its
asyncio client (the Bolt app, on the event loop) alike. It reads arguments from the query string as
well as the body, because the async client sends GET-style arguments (``users.info?user=U1``) there.
``fail(method, …)`` makes the next call(s) of a method answer 429 with ``Retry-After`` or a Slack error.

Files take ``files_upload_v2``'s three steps: ``files.getUploadURLExternal`` hands out an ``upload_url``
back on this server (``/upload/F…``), the bytes are POSTed there (the method ``upload`` for ``fail``),
and ``files.completeUploadExternal`` shares them in a channel; ``uploads()`` lists what was shared.

Files people share with the bot: ``host_file(...)`` puts bytes at a ``url_private_download`` on this server
(``/files-pri/…``, answered to GET, recorded as the method ``download`` with its headers) and returns the
Slack file object an event carries; ``files.info`` knows it too; ``downloads()`` lists the GETs.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

BOT_USER = "UBOT"
BOT_ID = "BBOT"
UPLOAD_PATH = "/upload/"
FILES_PATH = "/files-pri/"


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args: Any) -> None:        # quiet test output
        pass

    def do_GET(self) -> None:
        if urllib.parse.urlsplit(self.path).path.startswith(FILES_PATH):
            self._download()
        else:
            self._serve("")

    def _download(self) -> None:
        """A shared file's bytes, as files.slack.com serves ``url_private_download`` (or a queued failure)."""
        path = urllib.parse.urlsplit(self.path).path
        status, data, content_type = self.server.fake.download(path)
        self.server.fake.calls.append({"method": "download", "args": {"path": path}, "status": status,
                                       "headers": dict(self.headers), "at": time.monotonic()})
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass        # the bot hung up: past the size limit, or after its timeout

    def do_POST(self) -> None:
        size = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(size) if size else b""
        if urllib.parse.urlsplit(self.path).path.startswith(UPLOAD_PATH):
            self._upload(raw)        # a file's bytes (binary), not API arguments
        else:
            self._serve(raw.decode())

    def _upload(self, data: bytes) -> None:
        file_id = urllib.parse.urlsplit(self.path).path[len(UPLOAD_PATH):]
        self._reply("upload", {"file_id": file_id, "length": len(data)}, data)

    def _serve(self, raw: str) -> None:
        parsed = urllib.parse.urlsplit(self.path)
        args: dict[str, Any] = {k: v[0] for k, v in urllib.parse.parse_qs(parsed.query).items()}
        if raw:
            if "json" in (self.headers.get("Content-Type") or ""):
                args.update(json.loads(raw))
            else:
                args.update({k: v[0] for k, v in urllib.parse.parse_qs(raw).items()})
        for key in ("blocks", "view"):           # form-encoded JSON arguments, as slack_sdk sends some
            if isinstance(args.get(key), str):
                with contextlib.suppress(json.JSONDecodeError):
                    args[key] = json.loads(args[key])
        if isinstance(args.get("files"), str):      # files.completeUploadExternal's JSON list
            with contextlib.suppress(json.JSONDecodeError):
                args["files"] = json.loads(args["files"])
        method = parsed.path.rsplit("/", 1)[-1] if parsed.path.startswith("/api/") else parsed.path
        self._reply(method, args)

    def _reply(self, method: str, args: dict[str, Any], data: bytes | None = None) -> None:
        status, body, headers = self.server.fake.answer(method, args, data)
        self.server.fake.calls.append({"method": method, "args": args, "status": status,
                                       "headers": dict(self.headers), "at": time.monotonic()})
        payload = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if not isinstance(body, str) else "text/plain")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeSlack


class FakeSlack:
    """``with FakeSlack() as fake:`` — ``fake.api_url`` for ``slack.api_url``, ``fake.calls`` to assert on."""

    def __init__(self, users: dict[str, dict[str, str]] | None = None):
        self.users = users or {}
        self.calls: list[dict[str, Any]] = []
        self._failures: dict[str, list[tuple[int, str | None, int | None]]] = {}
        self._lock = threading.Lock()
        self._ts = 0
        self.files: dict[str, dict[str, Any]] = {}       # file id → what getUploadURLExternal was told, the bytes
        self.shared: list[dict[str, Any]] = []           # files completeUploadExternal shared, in order
        self.post_delay = 0.0                            # seconds chat.postMessage takes (a slow Slack)
        self.hosted: dict[str, tuple[bytes, str]] = {}   # download path → (bytes, Content-Type)
        self.download_delay = 0.0                        # seconds before a shared file's bytes come (a slow Slack)
        self.file_objects: dict[str, dict[str, Any]] = {}  # file id → the file object files.info answers
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.fake = self
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.api_url = f"{self.url}/api/"
        # poll_interval: the default 0.5 s makes every teardown half a second slower.
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    def __enter__(self) -> FakeSlack:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # -- behaviour ----------------------------------------------------------------------------------------
    def host_file(self, name: str, data: bytes, *, mimetype: str = "application/octet-stream",
                  size: int | None = None, content_type: str | None = None, **extra: Any) -> dict[str, Any]:
        """Serve ``data`` as a shared file; the Slack file object for an event (``size`` may lie, as a test
        needs). ``content_type`` is what the download answers with (default: ``mimetype``)."""
        with self._lock:
            file_id = f"FS{len(self.hosted) + 1:03d}"
            path = f"{FILES_PATH}T1-{file_id}/download/{name}"
            self.hosted[path] = (data, content_type or mimetype)
            file = {"id": file_id, "name": name, "title": name, "mimetype": mimetype,
                    "filetype": name.rsplit(".", 1)[-1], "size": len(data) if size is None else size,
                    "mode": "hosted", "is_external": False, "url_private": f"{self.url}{FILES_PATH}T1-{file_id}/{name}",
                    "url_private_download": f"{self.url}{path}", **extra}
            self.file_objects[file_id] = file
        return file

    def download(self, path: str) -> tuple[int, bytes, str]:
        if self.download_delay:
            time.sleep(self.download_delay)
        with self._lock:
            queued = self._failures.get("download")
            failure = queued.pop(0) if queued else None
            hosted = self.hosted.get(path)
        if failure is not None:
            return failure[0], b"fake failure", "text/plain"
        if hosted is None:
            return 404, b"file not found", "text/plain"
        return 200, hosted[0], hosted[1]

    def fail(self, method: str, status: int = 200, error: str | None = None, retry_after: int | None = None,
             times: int = 1) -> None:
        """The next ``times`` calls of ``method`` fail: HTTP ``status`` (429 with Retry-After) or a Slack error."""
        with self._lock:
            self._failures.setdefault(method, []).extend([(status, error, retry_after)] * times)

    def answer(self, method: str, args: dict[str, Any], data: bytes | None = None) -> tuple[int, Any, dict[str, str]]:
        with self._lock:
            queued = self._failures.get(method)
            failure = queued.pop(0) if queued else None
            self._ts += 1
            ts = f"1700000100.{self._ts:06d}"
        if failure is not None:
            status, error, retry_after = failure
            headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
            return status, {"ok": False, "error": error or "ratelimited"}, headers
        if method.startswith("/respond/"):
            return 200, "ok", {}
        if method == "auth.test":
            return 200, {"ok": True, "user_id": BOT_USER, "bot_id": BOT_ID, "team_id": "T1", "user": "assessbot",
                         "url": "https://example.slack.com/"}, {}
        if method == "users.info":
            user = self.users.get(str(args.get("user")))
            if user is None:
                return 200, {"ok": False, "error": "user_not_found"}, {}
            return 200, {"ok": True, "user": {"id": args["user"], "tz": user.get("tz"), "real_name": user.get("name"),
                                              "profile": {"email": user.get("email"),
                                                          "real_name": user.get("name")}}}, {}
        if method == "files.info":
            file = self.file_objects.get(str(args.get("file")))
            return 200, ({"ok": True, "file": file} if file else {"ok": False, "error": "file_not_found"}), {}
        if method == "conversations.open":
            return 200, {"ok": True, "channel": {"id": "D" + str(args.get("users"))}}, {}
        if method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            if method == "chat.postMessage" and self.post_delay:
                time.sleep(self.post_delay)
            return 200, {"ok": True, "channel": args.get("channel"), "ts": args.get("ts") or ts}, {}
        if method in ("files.getUploadURLExternal", "upload", "files.completeUploadExternal"):
            return self._file_step(method, args, data)
        return 200, {"ok": True}, {}

    def _file_step(self, method: str, args: dict[str, Any], data: bytes | None) -> tuple[int, Any, dict[str, str]]:
        """The three steps of ``files_upload_v2``, checked as Slack checks them."""
        with self._lock:
            if method == "files.getUploadURLExternal":
                if not args.get("filename") or not str(args.get("length") or "").isdigit():
                    return 200, {"ok": False, "error": "invalid_arguments"}, {}
                file_id = f"F{len(self.files) + 1:04d}"
                self.files[file_id] = {"id": file_id, "filename": args["filename"], "length": int(args["length"]),
                                       "alt_txt": args.get("alt_txt"), "data": None}
                return 200, {"ok": True, "file_id": file_id,
                             "upload_url": f"{self.url}{UPLOAD_PATH}{file_id}"}, {}
            if method == "upload":
                file = self.files.get(args["file_id"])
                if file is None:
                    return 404, "no such upload", {}
                if len(data or b"") != file["length"]:
                    return 400, "length mismatch", {}
                file["data"] = data
                return 200, f"OK - {len(data or b'')}", {}
            listed = args.get("files") if isinstance(args.get("files"), list) else []
            if not listed or not args.get("channel_id"):
                return 200, {"ok": False, "error": "invalid_arguments"}, {}
            shared = []
            for entry in listed:
                file = self.files.get(str(entry.get("id")))
                if file is None or file["data"] is None:
                    return 200, {"ok": False, "error": "file_not_found"}, {}
                shared.append({**file, "title": entry.get("title"), "channel_id": args["channel_id"],
                               "thread_ts": args.get("thread_ts"), "initial_comment": args.get("initial_comment")})
            self.shared.extend(shared)
            return 200, {"ok": True, "files": [{"id": f["id"], "name": f["filename"], "title": f["title"]}
                                               for f in shared]}, {}

    # -- assertions ---------------------------------------------------------------------------------------
    def called(self, method: str, ok_only: bool = True) -> list[dict[str, Any]]:
        return [c["args"] for c in list(self.calls) if c["method"] == method and (c["status"] == 200 or not ok_only)]

    def posts(self) -> list[dict[str, Any]]:
        return self.called("chat.postMessage")

    def uploads(self) -> list[dict[str, Any]]:
        """Files shared by ``files.completeUploadExternal``: filename, title, data, channel_id, thread_ts, …"""
        with self._lock:
            return list(self.shared)

    def downloads(self) -> list[dict[str, Any]]:
        """Every GET of a shared file (any status): ``path``, ``status`` and the request ``headers``."""
        return [{"path": c["args"]["path"], "status": c["status"], "headers": c["headers"]}
                for c in list(self.calls) if c["method"] == "download"]

    def responses(self) -> list[dict[str, Any]]:
        return [c["args"] for c in list(self.calls) if c["method"].startswith("/respond/")]


async def wait_for(predicate: Callable[[], Any], timeout: float = 5.0) -> Any:
    """Poll until ``predicate()`` is truthy (listeners run after the acknowledgement, as tasks)."""
    import asyncio

    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        await asyncio.sleep(0.01)
