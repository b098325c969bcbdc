"""Hayat settings, read from environment variables so one code base serves every installation.

Variables (all optional for a demo on this machine):
  DATABASE_URL            sqlite:///path, postgres://..., mysql://...   (default: SQLite in HAYAT_DATA_DIR)
  HAYAT_DATA_DIR          where the SQLite file, uploads, backups and the secret key live (default ./var)
  HAYAT_SECRET_KEY        overrides the key kept in HAYAT_DATA_DIR/secret_key
  HAYAT_ALLOWED_HOSTS     comma-separated host names (default: localhost, 127.0.0.1)
  HAYAT_TIME_ZONE         the hospital's zone (default Asia/Tashkent)
  HAYAT_CURRENCY          ISO code of the money in use (default UZS)
  HAYAT_PHONE_REGION      default region for phone numbers written without a country code (default UZ)
  HAYAT_LANGUAGE          default UI language: en, ru or uz (default en)
  HAYAT_REDIS_URL         run the worker queue on Redis instead of the database
  HAYAT_DEBUG             1 for development error pages
  HAYAT_HTTPS             1 when served behind TLS: secure cookies, HSTS, redirect to https
  HAYAT_AUDIT_KEY         the key sealing the audit trail (default: made once in HAYAT_DATA_DIR/audit_key)
  HAYAT_TRUSTED_PROXIES   reverse proxies whose X-Forwarded-For/-Proto are believed (default: this machine)
  HAYAT_RATE_LIMIT_*      requests per user and per address on the API and expensive pages (README)
  HAYAT_BACKUP_DIR        where backup archives are written and looked for (default HAYAT_DATA_DIR/backups)
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("HAYAT_DATA_DIR", BASE_DIR / "var"))


def env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def read_secret_key() -> str:
    if os.environ.get("HAYAT_SECRET_KEY"):
        return os.environ["HAYAT_SECRET_KEY"]
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    raise ImproperlyConfigured(
        f"No secret key: set HAYAT_SECRET_KEY or run `python run.py serve` once to create {key_file}."
    )


SECRET_KEY = read_secret_key()
DEBUG = env_flag("HAYAT_DEBUG")
ALLOWED_HOSTS = env_list("HAYAT_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("HAYAT_CSRF_TRUSTED_ORIGINS", "")
# Reverse proxies (addresses or networks) whose X-Forwarded-For and X-Forwarded-Proto are believed; by default a
# proxy on this machine. Anybody else's forwarded headers are dropped (hayat.core.proxies).
HAYAT_TRUSTED_PROXIES = env_list("HAYAT_TRUSTED_PROXIES", "127.0.0.1,::1")

INSTALLED_APPS = [
    # Hayat's apps first: their templates and translations take precedence; lower layers first
    "hayat.core",
    "hayat.accounts",
    "hayat.patients",
    "hayat.facilities",
    "hayat.catalog",
    "hayat.stays",
    "hayat.clinical",
    "hayat.lab",
    "hayat.billing",
    "hayat.treatment",
    "hayat.ops",
    "hayat.reports",
    "hayat.backup",
    "hayat.documents",
    "hayat.notifications",
    "hayat.web",
    "hayat.core.admin_site.HayatAdminConfig",  # Django's admin, read-only but for service-backed models
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework_simplejwt",
    "rest_framework_simplejwt.token_blacklist",  # a rotated refresh token is refused
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "bootstrap",
    "fontawesome",
    "axes",
    "simple_history",
    "django_q",
]

MIDDLEWARE = [
    "hayat.core.proxies.TrustedProxyMiddleware",  # first: the client's address and scheme behind the proxy
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed (the 31-day calendar was measured at 1.1 MB, 71 KB gzipped); Django adds random padding
    # against BREACH. Static files come precompressed from whitenoise above and never reach it.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hayat.core.middleware.WebLoginRequiredMiddleware",
    "hayat.backup.maintenance.MaintenanceMiddleware",
    "hayat.core.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hayat.core.notices.NoticesMiddleware",  # after messages: what a use case told the person acting
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "hayat.accounts.middleware.PasswordChangeRequiredMiddleware",
    "hayat.core.middleware.ResponseHeadersMiddleware",
]

ROOT_URLCONF = "hayat.urls"
WSGI_APPLICATION = "hayat.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hayat.web.context_processors.navigation",
            ],
        },
    },
]


def database_from_url(url: str) -> dict:
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    engine = config["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # Writers queue up instead of failing on upgrade; WAL lets readers run during writes.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    elif engine == "django.db.backends.mysql":
        config["OPTIONS"] = {"charset": "utf8mb4", "isolation_level": "read committed"}
        config["TEST"] = {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"}
    elif engine == "django.db.backends.postgresql":
        config.setdefault("OPTIONS", {}).setdefault("connect_timeout", 10)  # a down server is named, not waited on
    return config


if DATABASE_URL := os.environ.get("DATABASE_URL"):
    default_database = database_from_url(DATABASE_URL)
else:
    default_database = database_from_url(f"sqlite:///{(DATA_DIR / 'hayat.sqlite3').as_posix()}")
if default_database["ENGINE"] == "django.db.backends.mysql":
    import pymysql

    pymysql.install_as_MySQLdb()
DATABASES = {"default": default_database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "login"

# Lockout by user ID, whatever the address, with a cool-off: never by address alone, since a whole ward
# shares one NAT address, and guesses spread over many addresses still count against the account.
AXES_FAILURE_LIMIT = int(os.environ.get("HAYAT_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("HAYAT_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks for the address in the lockout key, against attackers who rotate browsers or cookies; a lock
# by user ID alone holds whatever they rotate, and adding the address would let spread-out guesses through.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_CALLABLE = "hayat.accounts.lockout.user_id_from_credentials"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "hayat.core.middleware.client_ip"  # the client behind a trusted proxy, as in the audit

LANGUAGE_CODE = os.environ.get("HAYAT_LANGUAGE", "en")
LANGUAGES = [("en", _("English")), ("ru", _("Russian")), ("uz", _("Uzbek"))]
TIME_ZONE = os.environ.get("HAYAT_TIME_ZONE", "Asia/Tashkent")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = Path(os.environ.get("HAYAT_MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "/media-not-public/"  # patient files are only served through permission-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
# Files browsers ask for at the site's root (/favicon.ico), served by WhiteNoise from the web app's static folder.
WHITENOISE_ROOT = Path(__file__).resolve().parent / "web" / "static" / "root"

# Hayat's own settings
HAYAT_CURRENCY = os.environ.get("HAYAT_CURRENCY", "UZS")
HAYAT_PHONE_REGION = os.environ.get("HAYAT_PHONE_REGION", "UZ")
HAYAT_AVATAR_MAX_BYTES = int(os.environ.get("HAYAT_AVATAR_MAX_BYTES", str(2 * 1024 * 1024)))
# A signature drawn at check-in is a small PNG (a few kilobytes); anything bigger is refused.
HAYAT_SIGNATURE_MAX_BYTES = int(os.environ.get("HAYAT_SIGNATURE_MAX_BYTES", str(256 * 1024)))
HAYAT_UPLOAD_MAX_BYTES = int(os.environ.get("HAYAT_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
# All the files of one lab upload together; a proxy in front should allow request bodies of this size.
HAYAT_UPLOAD_GROUP_MAX_BYTES = int(os.environ.get("HAYAT_UPLOAD_GROUP_MAX_BYTES", str(100 * 1024 * 1024)))
HAYAT_LAB_MAX_FILES_PER_GROUP = int(os.environ.get("HAYAT_LAB_MAX_FILES_PER_GROUP", "20"))
# Messages to patients (hayat.notifications): which gateway carries each channel. E-mail: "smtp" (the mail server
# below) or "log"; SMS: "http" (any gateway, by the request shape in HAYAT_SMS), "eskiz", "semaphore", "gammu"
# (a GSM modem through Gammu's SMS daemon) or "log". "log" writes messages to the log and sends nothing.
HAYAT_MESSAGE_GATEWAYS = {
    "email": os.environ.get("HAYAT_EMAIL_GATEWAY", "log"),
    "sms": os.environ.get("HAYAT_SMS_GATEWAY", "log"),
}
HAYAT_SMS = {
    "url": os.environ.get("HAYAT_SMS_URL", ""),
    "method": os.environ.get("HAYAT_SMS_METHOD", "POST"),
    "format": os.environ.get("HAYAT_SMS_FORMAT", "json"),  # json or form
    "body": os.environ.get("HAYAT_SMS_BODY", ""),  # e.g. {"to": "{to}", "text": "{text}"}
    "auth_header": os.environ.get("HAYAT_SMS_AUTH_HEADER", ""),  # e.g. Authorization: Bearer abc
    "login": os.environ.get("HAYAT_SMS_LOGIN", ""),
    "password": os.environ.get("HAYAT_SMS_PASSWORD", ""),
    "api_key": os.environ.get("HAYAT_SMS_API_KEY", ""),
    "sender": os.environ.get("HAYAT_SMS_SENDER", ""),
    "gammu_outbox": os.environ.get("HAYAT_GAMMU_OUTBOX", ""),
    "gammu_inject": os.environ.get("HAYAT_GAMMU_INJECT", ""),
    "gammu_config": os.environ.get("HAYAT_GAMMU_CONFIG", ""),
}
HAYAT_MESSAGE_TIMEOUT = int(os.environ.get("HAYAT_MESSAGE_TIMEOUT", "10"))  # seconds a gateway may take
HAYAT_MESSAGE_ATTEMPTS = int(os.environ.get("HAYAT_MESSAGE_ATTEMPTS", "5"))  # then the message is failed
HAYAT_MESSAGE_INTERVAL_MINUTES = int(os.environ.get("HAYAT_MESSAGE_INTERVAL_MINUTES", "1"))
# The hospital's mail server, for the EmailBackend above.
EMAIL_HOST = os.environ.get("HAYAT_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("HAYAT_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("HAYAT_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("HAYAT_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_flag("HAYAT_EMAIL_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("HAYAT_EMAIL_FROM", "hayat@localhost")
HAYAT_HEARTBEAT_MINUTES = int(os.environ.get("HAYAT_HEARTBEAT_MINUTES", "1"))
# The department code for ICD-10 codes that no mapping covers.
HAYAT_FALLBACK_DEPARTMENT = os.environ.get("HAYAT_FALLBACK_DEPARTMENT", "IM")
HAYAT_BOOKING_ALLOW_PAST_START = env_flag("HAYAT_BOOKING_ALLOW_PAST_START")  # bookings may start before today
HAYAT_BOOKING_MAX_NIGHTS = int(os.environ.get("HAYAT_BOOKING_MAX_NIGHTS", "60"))  # longest stay one booking may hold
HAYAT_BOOKING_MAX_DAYS_AHEAD = int(os.environ.get("HAYAT_BOOKING_MAX_DAYS_AHEAD", "730"))  # latest start from today
HAYAT_BED_TIME_INTERVAL_MINUTES = int(os.environ.get("HAYAT_BED_TIME_INTERVAL_MINUTES", "60"))  # 1 in demos
HAYAT_RESERVATION_HOLD_HOURS = int(os.environ.get("HAYAT_RESERVATION_HOLD_HOURS", "48"))  # unpaid hold, then expiry
# How long the person who recorded a billable one-click (a session, an extra service) may undo it.
HAYAT_UNDO_MINUTES = int(os.environ.get("HAYAT_UNDO_MINUTES", "5"))
HAYAT_RESERVATION_EXPIRY_MINUTES = int(os.environ.get("HAYAT_RESERVATION_EXPIRY_MINUTES", "5"))  # job interval
# The key sealing the audit trail, kept outside the database; without the variable, a key made once in the data
# directory (every app host must then share it, or be given the same HAYAT_AUDIT_KEY).
HAYAT_AUDIT_KEY = os.environ.get("HAYAT_AUDIT_KEY", "")
HAYAT_AUDIT_KEY_FILE = DATA_DIR / "audit_key"
# Money of bookings (hayat.billing.bookings): the least deposit, an amount ("200000") or a share of the stay ("30%"),
# and the cancellation fees as "days before arrival:percent of the stay" rows ("14:0,7:20,0:50"; empty: free).
HAYAT_MINIMUM_DEPOSIT = os.environ.get("HAYAT_MINIMUM_DEPOSIT", "0")
HAYAT_CANCELLATION_FEES = os.environ.get("HAYAT_CANCELLATION_FEES", "")
# How far an inpatient's running bill may pass what was paid and deposited before the desk is asked for a top-up.
HAYAT_TOP_UP_MARGIN = os.environ.get("HAYAT_TOP_UP_MARGIN", "0")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploads larger than 2.5 MB wait in files here while the request runs; `run.py serve` empties the folder at
# every start, so a server killed mid-upload leaves no patient file behind (never the system's /tmp).
FILE_UPLOAD_TEMP_DIR = str(DATA_DIR / "uploads-in-progress")
# Backups: the folder (local disk, network share, USB drive), the daily time and how many archives are kept.
HAYAT_BACKUP_DIR = Path(os.environ.get("HAYAT_BACKUP_DIR", DATA_DIR / "backups"))
HAYAT_BACKUP_TIME = os.environ.get("HAYAT_BACKUP_TIME", "02:00")  # hospital time of the scheduled backup
HAYAT_BACKUP_KEEP_DAILY = int(os.environ.get("HAYAT_BACKUP_KEEP_DAILY", "7"))  # newest scheduled ones kept
HAYAT_BACKUP_KEEP_WEEKLY = int(os.environ.get("HAYAT_BACKUP_KEEP_WEEKLY", "4"))  # and one a week for this many weeks

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # JWT first, so an unauthenticated call gets 401 with a WWW-Authenticate header, not 403.
        "hayat.accounts.tokens.VersionedJWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["hayat.core.policy.HasCapability"],
    # JSON that refuses absurd nesting with 400; forms and uploads as DRF has them.
    "DEFAULT_PARSER_CLASSES": ["hayat.core.parsers.JSONParser", "rest_framework.parsers.FormParser",
                               "rest_framework.parsers.MultiPartParser"],
    "DEFAULT_PAGINATION_CLASS": "hayat.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "hayat.core.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["hayat.core.ratelimits.ApiRateLimit"],
}
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=30),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=1),
    "USER_ID_FIELD": "id",
    "AUTH_HEADER_TYPES": ("Bearer",),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "TOKEN_OBTAIN_SERIALIZER": "hayat.accounts.tokens.LoginSerializer",
    "TOKEN_REFRESH_SERIALIZER": "hayat.accounts.tokens.RefreshSerializer",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hayat API",
    "DESCRIPTION": "Hospital and sanatorium management: every function of the web UI, for other systems.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["hayat.core.policy.HasCapability"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}},  # core.params
    # One name per set of choices wherever a field of another name uses it ("to" of a booking transition is a
    # booking status), instead of hashed names like Status770Enum.
    "ENUM_NAME_OVERRIDES": {
        "BookingStatusEnum": "hayat.stays.models.BookingStatus",
        "BookingSourceEnum": "hayat.stays.models.BookingSource",
        "IllnessStateEnum": "hayat.stays.models.IllnessState",
        "IllnessKindEnum": "hayat.stays.models.IllnessKind",
        "BillStatusEnum": "hayat.billing.models.BillStatus",
        "EpisodeStatusEnum": "hayat.clinical.models.episodes.EpisodeStatus",
        "AdmissionTypeEnum": "hayat.clinical.models.episodes.AdmissionType",
        "MaintenanceStatusEnum": "hayat.facilities.models.MaintenanceStatus",
        "TreatmentHoursKindEnum": "hayat.treatment.models.HoursKind",
        "MessageKindEnum": "hayat.notifications.models.Kind",
        "MessageStateEnum": "hayat.notifications.models.State",
    },
}

Q_CLUSTER = {
    "name": "hayat",
    "workers": int(os.environ.get("HAYAT_WORKER_PROCESSES", "2")),
    "timeout": 600,
    "retry": 900,
    "max_attempts": 3,
    "catch_up": False,
    "save_limit": 500,
    "label": _("Background jobs"),
}
if os.environ.get("HAYAT_REDIS_URL"):
    Q_CLUSTER["redis"] = os.environ["HAYAT_REDIS_URL"]
else:
    Q_CLUSTER["orm"] = "default"
    Q_CLUSTER["poll"] = 1

# Shared by every app server: rate-limit counts live here (the database table, or Redis when configured).
if os.environ.get("HAYAT_REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["HAYAT_REDIS_URL"], "KEY_PREFIX": "hayat"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "hayat_cache",
                          "KEY_PREFIX": "hayat"}}
# Requests per user and per address ("120/min", "10/s", "off"); over them: 429 with Retry-After
# (hayat.core.ratelimits). A ward behind one NAT address shares the address's limit.
HAYAT_RATE_LIMITS = {
    "api:user": os.environ.get("HAYAT_RATE_LIMIT_API_USER", "600/min"),
    "api:address": os.environ.get("HAYAT_RATE_LIMIT_API_ADDRESS", "1200/min"),
    "expensive:user": os.environ.get("HAYAT_RATE_LIMIT_EXPENSIVE_USER", "120/min"),
    "expensive:address": os.environ.get("HAYAT_RATE_LIMIT_EXPENSIVE_ADDRESS", "600/min"),
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 12 * 60 * 60
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_flag("HAYAT_HTTPS"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HAYAT_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
