"""SMS through a GSM modem: the message lands in Gammu's files-backend outbox under its documented name."""

import re
import stat

import pytest

from hayat.notifications.channels import GatewayError, Outgoing
from hayat.notifications.channels.gammu import GammuGateway

MESSAGE = Outgoing(recipient="+998901234567", subject="", body="Ertaga soat 9:00 da — ждём вас", reference="42")


def test_a_message_is_written_into_the_outbox_folder_in_utf16(settings, tmp_path, clock):
    settings.HAYAT_SMS = {**settings.HAYAT_SMS, "gammu_outbox": str(tmp_path), "gammu_inject": ""}
    answer = GammuGateway().send(MESSAGE)
    [written] = list(tmp_path.iterdir())
    assert re.fullmatch(r"OUTB\d{8}_\d{6}_00_\+998901234567_hayat42\.txt", written.name)
    assert written.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")  # the byte-order mark Gammu reads Unicode by
    assert written.read_text(encoding="utf-16") == MESSAGE.body
    assert answer == f"written to {written.name}"


def test_a_missing_outbox_folder_is_a_gateway_error(settings, tmp_path):
    settings.HAYAT_SMS = {**settings.HAYAT_SMS, "gammu_outbox": str(tmp_path / "absent"), "gammu_inject": ""}
    with pytest.raises(GatewayError, match="outbox folder not found"):
        GammuGateway().send(MESSAGE)


def test_a_recipient_that_is_not_a_number_never_reaches_a_file_name(settings, tmp_path):
    settings.HAYAT_SMS = {**settings.HAYAT_SMS, "gammu_outbox": str(tmp_path), "gammu_inject": ""}
    with pytest.raises(GatewayError, match="not a phone number"):
        GammuGateway().send(Outgoing(recipient="../../etc/passwd", subject="", body="x"))
    assert not list(tmp_path.iterdir())


def test_with_gammu_smsd_inject_configured_the_command_gets_the_message(settings, tmp_path):
    command = tmp_path / "gammu-smsd-inject"
    record = tmp_path / "arguments"
    command.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {record}\necho "Written message with ID 17"\n')
    command.chmod(command.stat().st_mode | stat.S_IEXEC)
    settings.HAYAT_SMS = {**settings.HAYAT_SMS, "gammu_inject": str(command), "gammu_config": "/etc/gammu-smsdrc"}
    assert GammuGateway().send(MESSAGE) == "Written message with ID 17"
    assert record.read_text().splitlines() == ["-c", "/etc/gammu-smsdrc", "TEXT", "+998901234567", "-unicode",
                                               "-len", str(len(MESSAGE.body)), "-text", MESSAGE.body]
