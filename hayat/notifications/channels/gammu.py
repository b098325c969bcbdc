"""SMS through a GSM modem on the server, for hospitals without internet: Gammu's SMS daemon sends what is put in
its outbox.

With `HAYAT_SMS["gammu_inject"]` set to the path of `gammu-smsd-inject` (and the daemon's configuration), the
message is handed to that command; otherwise it is written into the daemon's files-backend outbox folder
(`HAYAT_SMS["gammu_outbox"]`) as `OUT<priority><date>_<time>_<serial>_<recipient>_<note>.txt` (gammu-smsd-files(7)),
in UTF-16 with a byte-order mark so that Cyrillic and Uzbek letters survive. The file is written under another
name and renamed, so the daemon never reads half a message.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from django.conf import settings

from hayat.core import clock
from hayat.notifications.channels import GatewayError, Outgoing

PRIORITY = "B"  # A is the highest; messages to patients leave before bulk ones, after urgent ones


def outbox_name(outgoing: Outgoing) -> str:
    stamp = clock.now().strftime("%Y%m%d_%H%M%S")
    return f"OUT{PRIORITY}{stamp}_00_{outgoing.recipient}_hayat{outgoing.reference}.txt"


class GammuGateway:
    def send(self, outgoing: Outgoing) -> str:
        if not outgoing.recipient.lstrip("+").isdigit():
            raise GatewayError(f"not a phone number: {outgoing.recipient}")
        inject = settings.HAYAT_SMS.get("gammu_inject")
        return self.inject(inject, outgoing) if inject else self.write(outgoing)

    def write(self, outgoing: Outgoing) -> str:
        folder = Path(settings.HAYAT_SMS.get("gammu_outbox") or "")
        if not folder.is_dir():
            raise GatewayError(f"Gammu outbox folder not found: {folder}")
        target = folder / outbox_name(outgoing)
        partial = folder / f".hayat-{outgoing.reference}.part"
        try:
            partial.write_text(outgoing.body, encoding="utf-16")
            os.replace(partial, target)
        except OSError as error:
            raise GatewayError(f"{type(error).__name__}: {error}") from error
        return f"written to {target.name}"

    def inject(self, command: str, outgoing: Outgoing) -> str:
        arguments = [command]
        if settings.HAYAT_SMS.get("gammu_config"):
            arguments += ["-c", settings.HAYAT_SMS["gammu_config"]]
        arguments += ["TEXT", outgoing.recipient, "-unicode", "-len", str(len(outgoing.body)), "-text", outgoing.body]
        try:
            done = subprocess.run(arguments, capture_output=True, text=True, timeout=settings.HAYAT_MESSAGE_TIMEOUT,
                                  check=False)  # noqa: S603 - the configured command, no shell
        except (OSError, subprocess.TimeoutExpired) as error:
            raise GatewayError(f"{type(error).__name__}: {error}") from error
        if done.returncode:
            raise GatewayError(f"gammu-smsd-inject exit {done.returncode}: {done.stderr or done.stdout}")
        return done.stdout.strip()[-500:] or "injected"
