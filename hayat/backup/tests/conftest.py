import pytest

from hayat.backup.tests.filling import fill_every_table


@pytest.fixture
def backup_settings(settings, tmp_path):
    """A private data folder, uploads folder and backup folder for each test."""
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "data" / "media"
    settings.HAYAT_BACKUP_DIR = tmp_path / "backups"
    settings.MEDIA_ROOT.mkdir(parents=True)
    return settings


@pytest.fixture
def hospital(db, backup_settings, monkeypatch):
    fill_every_table(monkeypatch)
