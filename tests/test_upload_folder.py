"""Half-received uploads wait in Hayat's own folder under the data folder, never in the system's /tmp, and a
server killed in the middle of one leaves nothing there after the next start."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory, override_settings

from tests.processes import ROOT, manage, private_environment

BIG_FILE = b"%PDF-1.4 patient scan " * 200_000  # 4.4 MB: above Django's 2.5 MB in-memory threshold


def test_the_upload_folder_is_in_the_data_folder():
    assert Path(settings.FILE_UPLOAD_TEMP_DIR).parent == Path(settings.DATA_DIR)


def test_a_large_upload_waits_in_the_upload_folder(tmp_path):
    folder = tmp_path / "uploads-in-progress"
    folder.mkdir()
    with override_settings(FILE_UPLOAD_TEMP_DIR=str(folder)):
        request = RequestFactory().post("/lab/", {"file": SimpleUploadedFile("scan.pdf", BIG_FILE)})
        upload = request.FILES["file"]
        assert Path(upload.temporary_file_path()).parent == folder
        upload.close()


KILLED_MID_UPLOAD = """
import os, signal, django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
request = RequestFactory().post("/lab/", {"file": SimpleUploadedFile("scan.pdf", b"patient scan " * 400_000)})
request.FILES["file"]
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.processes
def test_a_server_killed_during_an_upload_leaves_nothing_after_the_next_start(tmp_path):
    env = private_environment(tmp_path)
    killed = subprocess.run([sys.executable, "-c", KILLED_MID_UPLOAD], env=env, cwd=ROOT, timeout=120)
    folder = tmp_path / "uploads-in-progress"
    assert killed.returncode != 0 and len(list(folder.iterdir())) == 1  # the half-received file, left behind

    manage(env, "empty_upload_folder")  # as `run.py serve` does before it serves

    assert list(folder.iterdir()) == []
