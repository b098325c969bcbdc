"""Settings for the test suite: the real settings, with a throwaway key, fast hashing and temp files."""

import os
import tempfile

os.environ.setdefault("HAYAT_SECRET_KEY", "tests-only-not-a-secret-but-long-enough-for-hmac-sha256")

from hayat.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="hayat-test-media-"))  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
LOGGING = {"version": 1, "disable_existing_loggers": False}
# The matrix and hostile-input tests fire thousands of requests a minute; the rate-limit tests turn limits on.
HAYAT_RATE_LIMITS = dict.fromkeys(HAYAT_RATE_LIMITS, "off")  # noqa: F405

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not shared-cache memory: concurrency tests need SQLite's real locking (IMMEDIATE + busy timeout).
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.mkdtemp(prefix="hayat-test-db-")) / "test.sqlite3")}  # noqa: F405
# Backups, and the maintenance flag a restore puts in the data folder, stay in the test run's own folders.
DATA_DIR = Path(tempfile.mkdtemp(prefix="hayat-test-data-"))  # noqa: F405
HAYAT_BACKUP_DIR = DATA_DIR / "backups"
FILE_UPLOAD_TEMP_DIR = str(DATA_DIR / "uploads-in-progress")
