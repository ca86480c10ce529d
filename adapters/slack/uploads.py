"""Files a reply carries (a spreadsheet, a chart) uploaded to Slack where they may be seen: never into a
channel when the answer holds someone's records; into the person's direct message instead."""

from __future__ import annotations

import logging

from adapters.slack.destination import Destination
from adapters.slack.render import (
    file_failed_messages,
    moved_comment,
    moved_to_dm_messages,
    upload_args,
)
from bot.types import Attachment

log = logging.getLogger(__name__)


class Uploads:
    """Mixed into ``SlackAdapter``: sending a reply's files."""

    async def _send_files(self, where: Destination, files: list[Attachment], conversation: str) -> None:
        """Upload a reply's files after its text; the text stands whatever happens here."""
        sent: list[Attachment] = []
        failed: list[Attachment] = []
        moved = False
        try:
            channel, thread, moved = await self._file_destination(where)
        except Exception:
            log.exception("no channel for the files of a Slack answer in %s", conversation)
            failed = list(files)
        else:
            for attachment in files:
                comment = moved_comment(where.origin) if moved and not sent else None
                try:
                    await self.client.files_upload_v2(channel=channel, thread_ts=thread,
                                                      **upload_args(attachment, comment))
                    sent.append(attachment)
                except Exception:
                    log.exception("could not upload %s (%s, %d bytes) to Slack in %s", attachment.filename,
                                  attachment.media_type, len(attachment.data), conversation)
                    failed.append(attachment)
        self.stats["files"] += len(sent)
        self.stats["file_failures"] += len(failed)
        notes = (moved_to_dm_messages(len(sent)) if moved and sent else []) + \
            (file_failed_messages([a.filename for a in failed]) if failed else [])
        for message in notes:
            try:
                await self._post(where, message)
            except Exception:      # the answer itself arrived; only the note is lost
                log.exception("could not tell %s about their files", where.user)

    async def _file_destination(self, where: Destination) -> tuple[str, str | None, bool]:
        """The channel and thread for an answer's files, and whether that is the DM instead of where asked.

        A channel message's files go with it (its DM or thread). An ephemeral answer (``/assess``, an
        ephemeral button) has no message to sit under: its files go to the channel only when that is the
        person's DM with the bot; anywhere else everyone there would see them, so they go to the DM.
        """
        if where.respond is None:
            return where.channel or await self.dm_channel(where.user), where.thread, False
        dm = await self.dm_channel(where.user)
        return dm, None, where.origin != dm
