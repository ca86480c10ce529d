"""The Teams app package: ``manifest.json`` and two icons, zipped, ready to upload to Teams.

The icons are drawn here by a small PNG writer (zlib + struct) so packaging needs no imaging library:
a white tick on AssessBot's colour (192 × 192, "color") and the same tick in white on transparent
(32 × 32, "outline", which Teams requires to be white and transparent only).
"""

from __future__ import annotations

import io
import json
import math
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MANIFEST_VERSION = "1.17"
SCHEMA = f"https://developer.microsoft.com/en-us/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
ACCENT = (0x1F, 0x5F, 0x8B)           # a deep blue: reads well in Teams' light and dark themes
SCOPES = ["personal", "team", "groupChat"]
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

# What the compose box suggests. Titles are sent as typed (at most 32 characters); every one is
# answered by the core (tests/teams/test_package.py asks each of them).
COMMANDS: list[tuple[str, str]] = [
    ("help", "What AssessBot can do, with examples"),
    ("tell me about unit 501", "A unit: credits, learning outcomes, criteria, word counts and timings"),
    ("show my plan", "Your units and target dates, checked against the rules of combination"),
    ("when does my registration expire", "Your registration end date and the pace you need to finish in time"),
    ("show my evidence", "The evidence you've logged and the criteria it covers"),
    ("what reminders do I have", "Your reminders, and how to change, pause or stop them"),
    ("what can you do", "Examples of questions about criteria, evidence and the qualification rules"),
]


class PackageError(ValueError):
    """The package cannot be built as asked (the message says what to change)."""


@dataclass(frozen=True)
class PackageDetails:
    """What the manifest says about the app; the defaults are placeholders a centre should replace."""

    app_id: str
    version: str = "1.0.0"
    developer: str = "AssessBot"
    website: str = "https://example.org/assessbot"
    privacy_url: str = ""
    terms_url: str = ""
    commands: list[tuple[str, str]] = field(default_factory=lambda: list(COMMANDS))


# -- PNG ------------------------------------------------------------------------------------------------
Pixel = tuple[int, int, int, int]


def png(width: int, height: int, pixel: Callable[[int, int], Pixel]) -> bytes:
    """An 8-bit RGBA PNG; ``pixel(x, y)`` gives each pixel's colour."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)                      # filter type 0 (none) for every scanline
        for x in range(width):
            rows.extend(pixel(x, y))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)   # 8 bits, RGBA, deflate, no interlace
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + \
        chunk(b"IEND", b"")


_TICK = ((0.27, 0.53), (0.43, 0.69), (0.74, 0.34))     # the tick's three points, as fractions of the side


def _distance(px: float, py: float, a: tuple[float, float], b: tuple[float, float]) -> float:
    ax, ay, bx, by = *a, *b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def _tick_coverage(size: int, thickness: float) -> Callable[[int, int], float]:
    """How much of each pixel the tick covers (0–1): distance to the strokes, smoothed over one pixel."""
    points = [(x * size, y * size) for x, y in _TICK]
    half = thickness * size / 2

    def coverage(x: int, y: int) -> float:
        d = min(_distance(x + 0.5, y + 0.5, points[0], points[1]), _distance(x + 0.5, y + 0.5, points[1], points[2]))
        return max(0.0, min(1.0, half - d + 0.5))

    return coverage


def color_icon(size: int = 192) -> bytes:
    tick = _tick_coverage(size, 0.11)

    def pixel(x: int, y: int) -> Pixel:
        c = tick(x, y)
        r, g, b = (round(channel + (255 - channel) * c) for channel in ACCENT)
        return r, g, b, 255

    return png(size, size, pixel)


def outline_icon(size: int = 32) -> bytes:
    tick = _tick_coverage(size, 0.14)
    return png(size, size, lambda x, y: (255, 255, 255, round(255 * tick(x, y))))


# -- manifest and zip ---------------------------------------------------------------------------------------
def manifest(details: PackageDetails) -> dict[str, Any]:
    """``manifest.json`` for the Teams app whose bot is ``details.app_id``."""
    if not _GUID.match(details.app_id or ""):
        raise PackageError("The Teams package needs the bot's Microsoft App ID (a GUID such as "
                           "00000000-0000-0000-0000-000000000000): set teams.app_id in app.yaml (or TEAMS_APP_ID), "
                           "or pass --app-id.")
    if not re.fullmatch(r"\d+\.\d+\.\d+", details.version):
        raise PackageError(f"The app version must look like 1.0.0, not “{details.version}”.")
    for title, description in details.commands:
        if len(title) > 32 or len(description) > 128:
            raise PackageError(f"The command “{title}” is too long for Teams (title 32, description 128 characters).")
    website = details.website.rstrip("/")
    if not website.startswith("https://"):
        raise PackageError("Teams requires https:// addresses for the website, privacy and terms pages.")
    return {
        "$schema": SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": details.version,
        "id": details.app_id,
        "developer": {"name": details.developer, "websiteUrl": website,
                      "privacyUrl": details.privacy_url or f"{website}/privacy",
                      "termsOfUseUrl": details.terms_url or f"{website}/terms"},
        "name": {"short": "AssessBot", "full": "AssessBot — assessment planning"},
        "description": {
            "short": "Criteria, evidence, plans and reminders for ILM and City & Guilds learners",
            "full": "AssessBot answers questions about ILM and City & Guilds leadership and school business "
                    "management qualifications straight from the specifications: what each assessment criterion "
                    "asks for, what evidence fits it and the qualification's rules. Learners keep their plan, "
                    "evidence and registration dates in view and get reminders; tutors and centre managers see "
                    "their learners' progress. Ask in a personal chat, or mention @AssessBot in a channel.",
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": "#{:02X}{:02X}{:02X}".format(*ACCENT),
        "bots": [{
            "botId": details.app_id,
            "scopes": SCOPES,
            "supportsFiles": True,          # file-consent cards for exports (issue #8)
            "isNotificationOnly": False,
            "commandLists": [{"scopes": SCOPES, "commands": [{"title": t, "description": d}
                                                             for t, d in details.commands]}],
        }],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [],
    }


def build_package(details: PackageDetails, out: Path) -> Path:
    """Write the zip (manifest.json, color.png, outline.png at its root, as Teams expects) to ``out``."""
    files = {"manifest.json": json.dumps(manifest(details), ensure_ascii=False, indent=2).encode("utf-8"),
             "color.png": color_icon(), "outline.png": outline_icon()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            # A fixed timestamp: the same inputs give the same bytes, so a rebuilt package diffs clean.
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data,
                             compress_type=zipfile.ZIP_DEFLATED)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(buffer.getvalue())
    return out
