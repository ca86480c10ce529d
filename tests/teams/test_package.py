"""``assessbot teams package``: a zip Teams accepts — manifest, icons — built without extra dependencies."""

from __future__ import annotations

import json
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from adapters.cli import main
from adapters.compose import make_dialogue
from adapters.teams.package import COMMANDS, PackageDetails, PackageError, manifest, png
from bot.store import open_store
from bot.types import Message
from tests.teams.conftest import NOW, write_config

APP_ID = "6f1c2a9e-0b7d-4c1e-9a55-2d3f4b5c6d7e"


def read_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Parse our own PNG back (checking signature, CRCs and sizes): width, height, RGBA rows."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, {}
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        tag, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert crc == zlib.crc32(tag + body) & 0xFFFFFFFF
        chunks[tag] = body
        pos += 12 + length
    width, height, depth, colour, *_ = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert (depth, colour) == (8, 6)
    raw = zlib.decompress(chunks[b"IDAT"])
    stride = 1 + 4 * width
    assert len(raw) == stride * height and set(raw[::stride]) == {0}
    return width, height, [raw[y * stride + 1:(y + 1) * stride] for y in range(height)]


def test_package_from_the_config(tmp_path: Path, capsys) -> None:
    config = write_config(tmp_path, app_id=APP_ID)
    out = tmp_path / "pkg" / "assessbot.zip"
    assert main(["teams", "package", "--config", str(config), "--out", str(out),
                 "--website", "https://centre.example.ac.uk"]) == 0
    assert str(out) in capsys.readouterr().out
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        data = json.loads(archive.read("manifest.json"))
        color, outline = archive.read("color.png"), archive.read("outline.png")
    assert data["id"] == APP_ID and data["bots"][0]["botId"] == APP_ID
    assert data["bots"][0]["scopes"] == ["personal", "team", "groupChat"]
    assert data["bots"][0]["supportsFiles"] is True              # file-consent cards need it (issue #8)
    assert data["developer"]["privacyUrl"] == "https://centre.example.ac.uk/privacy"
    assert [c["title"] for c in data["bots"][0]["commandLists"][0]["commands"]] == [t for t, _ in COMMANDS]
    assert data["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert len(data["description"]["short"]) <= 80 and len(data["name"]["short"]) <= 30
    width, height, rows = read_png(color)
    assert (width, height) == (192, 192)
    pixels = {bytes(row[i:i + 4]) for row in rows for i in range(0, len(row), 4)}
    assert b"\xff\xff\xff\xff" in pixels and len(pixels) > 2             # a white tick on the accent colour
    width, height, rows = read_png(outline)
    assert (width, height) == (32, 32)
    # Teams requires the outline icon to be white and transparent only.
    assert all(row[i:i + 3] == b"\xff\xff\xff" for row in rows for i in range(0, len(row), 4))
    assert {row[i + 3] for row in rows for i in range(0, len(row), 4)} >= {0, 255}
    # The same inputs give the same bytes.
    again = tmp_path / "again.zip"
    main(["teams", "package", "--config", str(config), "--out", str(again), "--website", "https://centre.example.ac.uk"])
    assert again.read_bytes() == out.read_bytes()


def test_without_an_app_id_it_says_what_to_do(tmp_path: Path, capsys) -> None:
    assert main(["teams", "package", "--config", str(write_config(tmp_path)), "--out", str(tmp_path / "x.zip")]) == 1
    assert "teams.app_id" in capsys.readouterr().err
    assert not (tmp_path / "x.zip").exists()


def test_the_manifest_refuses_what_teams_would_refuse() -> None:
    with pytest.raises(PackageError):
        manifest(PackageDetails(APP_ID, website="http://insecure.example"))
    with pytest.raises(PackageError):
        manifest(PackageDetails(APP_ID, version="1.0"))
    with pytest.raises(PackageError):
        manifest(PackageDetails(APP_ID, commands=[("x" * 33, "too long")]))


def test_every_command_is_answered_by_the_core(kb, search_index) -> None:
    dialogue = make_dialogue(kb, open_store(None), clock=lambda: NOW, search=search_index)
    for title, _ in COMMANDS:
        [reply] = dialogue.handle(Message("teams:aad-new", f"c-{title}", title, "teams"))
        assert reply.intent not in ("fallback", "error"), title


def test_png_writer_tiny_image() -> None:
    assert read_png(png(2, 1, lambda x, y: (x * 255, 0, 0, 255)))[2] == [b"\x00\x00\x00\xff\xff\x00\x00\xff"]
