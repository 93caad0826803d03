"""Settings shared by every environment.

Everything a deployment changes is read from environment variables here. With no
variables set the portal runs embedded: SQLite file, Celery tasks run eagerly,
local media, e-mail printed to the console.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


SECRET_KEY = env("DJANGO_SECRET_KEY", "dev-insecure-key-change-me-in-production-0123456789")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Project apps first so their templates and translations win.
    "portal.org",
    "portal.home",
    "portal.sop",
    "portal.files",
    "portal.notify",
    "portal.events",
    "portal.imports",
    "training",
    "kpi",  # before audits: the demo's visits are proven by the demo's receipts
    "audits",
    "incidents",
    "kpi.bonus",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "portal.org.apps.WagtailUsersConfig",  # wagtail.users, superuser flag locked
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # Third party
    "crispy_forms",
    "crispy_bootstrap5",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.sessions.SessionClockMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The second factor: marks a session verified, then holds the roles that need it
    # (every page, /cms/ and /admin/ included) until it is.
    "django_otp.middleware.OTPMiddleware",
    "portal.org.second_factor.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]
if env_bool("PORTAL_QUERY_COUNT_HEADER", False):  # benchmarks read SQL queries per request
    MIDDLEWARE.insert(0, "portal.querycount.QueryCountMiddleware")

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.home.context_processors.navigation",
                "portal.notify.context_processors.inbox",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# No DATABASE_URL: an SQLite file next to manage.py (the embedded mode).
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Embedded: concurrent writers (an exam's autosaves) wait for each other instead of
    # failing with «database is locked»; IMMEDIATE takes the write lock at BEGIN, where
    # the busy timeout applies, not halfway through a transaction, where it does not.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------
# With a Redis broker and no REDIS_URL the cache shares that Redis: the web processes and
# the workers must see one cache (the workers' heartbeat, the API's throttling counters).
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
REDIS_URL = env("REDIS_URL") or (
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else ""
)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Users, login and safety ---------------------------------------------------------
AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses locked-out (login, IP) pairs before any check.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "portal.org.backends.EmailOrPersonnelNumberBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home:dashboard"
LOGOUT_REDIRECT_URL = "login"

# Store tablets are shared: a session ends after 30 idle minutes, and 12 hours after
# signing in however busy (portal.sessions.SessionClockMiddleware keeps both clocks and
# writes the idle one at most once a SESSION_TOUCH_SECONDS, not on every request). The
# cookie and the stored session live one touch longer, so they never end before it.
SESSION_IDLE_SECONDS = int(env("SESSION_IDLE_SECONDS", "1800"))
SESSION_ABSOLUTE_SECONDS = int(env("SESSION_ABSOLUTE_SECONDS", str(12 * 3600)))
SESSION_TOUCH_SECONDS = 60
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS + SESSION_TOUCH_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Lockout (django-axes): five failures lock the account, whichever way it was typed (an
# e-mail in any case or the personnel number name the same person), for 15 minutes; a
# client address is locked after AXES_ADDRESS_FAILURE_LIMIT failures on any accounts (a
# store's tablets share one address, so that limit is higher).
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_ADDRESS_FAILURE_LIMIT = int(env("AXES_ADDRESS_FAILURE_LIMIT", "50"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "portal.org.lockout.AccountAndAddressLockoutHandler"
AXES_USERNAME_CALLABLE = "portal.org.backends.login_account_key"
# The login form's field is "username" (it takes an e-mail or a personnel number).
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The client address: REMOTE_ADDR, unless the portal runs behind a reverse proxy that sets
# a header (PORTAL_CLIENT_IP_HEADER, e.g. X-Forwarded-For with AXES_PROXY_COUNT=1 proxy in
# front). Only that configured header is trusted; nothing else a client sends is read.
CLIENT_IP_HEADER = env("PORTAL_CLIENT_IP_HEADER")
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_" + CLIENT_IP_HEADER.upper().replace("-", "_"),) if CLIENT_IP_HEADER else ()
) + ("REMOTE_ADDR",)
AXES_IPWARE_PROXY_COUNT = int(env("AXES_PROXY_COUNT", "0")) or None
# The right-most entries of X-Forwarded-For are the ones our proxies appended; what the
# client wrote to the left is never believed.
AXES_IPWARE_PROXY_ORDER = "right-most"
# Password reset e-mails: at most this many per account and per client address an hour.
PASSWORD_RESET_RATE_PER_ACCOUNT = env("PASSWORD_RESET_RATE_PER_ACCOUNT", "3/h")
PASSWORD_RESET_RATE_PER_ADDRESS = env("PASSWORD_RESET_RATE_PER_ADDRESS", "20/h")
# Activation codes for people without e-mail (portal.org.activation): valid this many
# hours, blocked after this many wrong tries; the public form is throttled per address.
ACTIVATION_CODE_TTL_HOURS = int(env("ACTIVATION_CODE_TTL_HOURS", "72"))
ACTIVATION_CODE_MAX_ATTEMPTS = int(env("ACTIVATION_CODE_MAX_ATTEMPTS", "5"))
ACTIVATION_RATE_PER_ADDRESS = env("ACTIVATION_RATE_PER_ADDRESS", "20/h")

# The second factor (django-otp: TOTP apps, printed recovery codes) for the roles that
# change content or money-relevant data or see the whole network, and any superuser.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "LP Portal")
SECOND_FACTOR_RECOVERY_CODES = 10

# --- E-mail -------------------------------------------------------------------------
EMAIL_HOST = env("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(env("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "portal@lp-portal.local")

# Notifications (portal.notify): the inbox always; e-mail where a person has an address;
# SMS/messenger through the class named here (empty: off; the console sender logs the text).
NOTIFY_MESSENGER_SENDER = env("NOTIFY_MESSENGER_SENDER", "portal.notify.channels.ConsoleSender")
# A delivery that failed this many times is left alone by the retrying beat task.
NOTIFY_MAX_ATTEMPTS = int(env("NOTIFY_MAX_ATTEMPTS", "5"))

# --- Languages ------------------------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("ru", "Русский"), ("en", "English")]

# --- Static and media ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- KPIs --------------------------------------------------------------------------------
# A store needs this many receipts a day on average over a period to be ranked.
KPI_MIN_RECEIPTS_PER_DAY = int(env("KPI_MIN_RECEIPTS_PER_DAY", "10"))
# A bonus period closes this many days after it ends (its last receipts have arrived).
BONUS_CLOSE_AFTER_DAYS = int(env("BONUS_CLOSE_AFTER_DAYS", "2"))
# Boards show the running week or month by default once it has this many days of receipts
# (a week: all seven); until then the last complete one.
KPI_RUNNING_PERIOD_MIN_DAYS = int(env("KPI_RUNNING_PERIOD_MIN_DAYS", "7"))
# Largest receipts file accepted in the browser (bigger loads: `manage.py load_receipts`).
KPI_UPLOAD_MAX_BYTES = int(env("KPI_UPLOAD_MAX_MB", "50")) * 1024 * 1024

# --- Bonus schemes: abuse flags (`kpi.bonus.selectors.flags`) ---------------------------
# A pattern is flagged when its measure is above the threshold. One card on more than
# this many receipts on one day, or on receipts of more than this many stores.
BONUS_FLAG_CARD_RECEIPTS_PER_DAY = int(env("BONUS_FLAG_CARD_RECEIPTS_PER_DAY", "5"))
BONUS_FLAG_CARD_STORES = int(env("BONUS_FLAG_CARD_STORES", "4"))
# A store's N most frequent cards carrying more than this share (%) of its identified
# receipts, for a store with at least this many identified receipts in the period (below,
# a few regulars carry a large share by themselves).
BONUS_FLAG_TOP_CARDS = int(env("BONUS_FLAG_TOP_CARDS", "3"))
BONUS_FLAG_TOP_CARDS_SHARE = int(env("BONUS_FLAG_TOP_CARDS_SHARE", "20"))
BONUS_FLAG_MIN_IDENTIFIED = int(env("BONUS_FLAG_MIN_IDENTIFIED", "500"))
# A cashier (with at least this many receipts) whose identified share is more than this
# many points above their store's.
BONUS_FLAG_CASHIER_SHARE_PP = int(env("BONUS_FLAG_CASHIER_SHARE_PP", "25"))
BONUS_FLAG_CASHIER_MIN_RECEIPTS = int(env("BONUS_FLAG_CASHIER_MIN_RECEIPTS", "50"))
# A store's share more than this many points above its share over this many periods of
# the same length before.
BONUS_FLAG_JUMP_PP = int(env("BONUS_FLAG_JUMP_PP", "20"))
BONUS_FLAG_JUMP_PERIODS = int(env("BONUS_FLAG_JUMP_PERIODS", "4"))
# A cashier who enrolled more than this many cards enrolled twice or under invalid phones.
BONUS_FLAG_BAD_ENROLMENTS = int(env("BONUS_FLAG_BAD_ENROLMENTS", "2"))

# --- The complaint desk (`incidents`) ---------------------------------------------------
# A resolved or closed ticket may be reopened this many days after it was resolved.
INCIDENTS_REOPEN_DAYS = int(env("INCIDENTS_REOPEN_DAYS", "14"))
# The desk warns of a ticket by the same customer in the same category this recently.
INCIDENTS_DUPLICATE_DAYS = int(env("INCIDENTS_DUPLICATE_DAYS", "7"))
# Closed tickets lose their customer's personal data after this many days (152-FZ).
INCIDENTS_RETENTION_DAYS = int(env("INCIDENTS_RETENTION_DAYS", "1095"))
# A missed target goes to the supervisor; this many business minutes later, still open,
# to the regional manager of the ticket's store.
INCIDENTS_REGIONAL_AFTER_MINUTES = int(env("INCIDENTS_REGIONAL_AFTER_MINUTES", "540"))
# Who sends replies to customers (a dotted path to a `incidents.senders.Sender`).
INCIDENTS_REPLY_SENDER = env("INCIDENTS_REPLY_SENDER", "incidents.senders.EmailSender")
# The public form: filings per client address and per phone, and the largest request body.
INCIDENTS_PUBLIC_RATE_ADDRESS = env("INCIDENTS_PUBLIC_RATE_ADDRESS", "5/h")
INCIDENTS_PUBLIC_RATE_PHONE = env("INCIDENTS_PUBLIC_RATE_PHONE", "3/d")
INCIDENTS_PUBLIC_RATE_STATUS = env("INCIDENTS_PUBLIC_RATE_STATUS", "10/h")  # wrong look-ups
INCIDENTS_PUBLIC_MAX_BYTES = 6 * 1024 * 1024
# Tickets filed per other channel's token (the desk API).
INCIDENTS_API_THROTTLE_RATE = env("INCIDENTS_API_THROTTLE_RATE", "120/min")
INCIDENTS_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024

# --- File intake (`portal.imports`) -----------------------------------------------------
# Largest stores/staff CSV and question-bank file (CSV or Moodle XML) accepted.
IMPORT_MAX_BYTES = 5 * 1024 * 1024
# Excel workbooks: each zip member at most this big inflated and this many times its
# packed size (Excel's sheets pack 5-30 times), at most this many members and columns
# (read up to the header row's last cell, whatever the sheet declares), and at most this
# much text produced from the first sheet.
IMPORT_XLSX_MAX_MEMBER_BYTES = 256 * 1024 * 1024
IMPORT_XLSX_MAX_RATIO = 100
IMPORT_XLSX_MAX_MEMBERS = 200
IMPORT_XLSX_MAX_COLUMNS = 64
IMPORT_XLSX_MAX_TEXT_BYTES = 256 * 1024 * 1024

# --- REST framework: the POS API (`kpi.api`) ------------------------------------------------
# The POS API's views take a POS system's token and nothing else (set on the views). These
# defaults serve Wagtail's admin API under /cms/api/, which relies on the editor's session.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
# Calls a POS system (one token) may make; over it 429 with Retry-After ("N/s|min|hour|day").
POS_API_THROTTLE_RATE = env("POS_API_THROTTLE_RATE", "600/min")
SPECTACULAR_SETTINGS = {
    "TITLE": "LP portal POS API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],  # the schema is public; a stale token must not hide it
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SCHEMA_PATH_PREFIX": "/api/v[0-9]+",
    "PREPROCESSING_HOOKS": ["kpi.api.schema_endpoints"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "kpi.api.schema_limits",
    ],
}

# --- Celery -----------------------------------------------------------------------------
# No broker (CELERY_BROKER_URL, read with the cache above): tasks run eagerly in the web
# process (the embedded mode).
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # the LOGGING below, with its time zone

# Wagtail's own background tasks (reference index, file deletion) go through the
# django-tasks API: inline when embedded, on the Celery workers in production.
TASKS = {
    "default": {
        "BACKEND": (
            "portal.tasks_backend.CeleryTaskBackend"
            if CELERY_BROKER_URL
            else "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# --- /health/ (portal.health) --------------------------------------------------------------
# The operator's token for the details (`Authorization: Bearer …` or `X-Health-Token`);
# unset: only logged-in administrators see them.
HEALTH_TOKEN = env("HEALTH_TOKEN")
# Beat sends the worker heartbeat this often; /health/ fails when the last is older.
HEALTH_HEARTBEAT_SECONDS = int(env("HEALTH_HEARTBEAT_SECONDS", "30"))
HEALTH_WORKER_MAX_AGE = int(env("HEALTH_WORKER_MAX_AGE", "120"))

# --- Wagtail ------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "LP Portal"
# The portal's public address (links in e-mails, certificates' QR codes). Unset, pages
# that print links use the address the reader came by (a host in ALLOWED_HOSTS only).
PORTAL_BASE_URL = env("PORTAL_BASE_URL")
WAGTAILADMIN_BASE_URL = PORTAL_BASE_URL or "http://127.0.0.1:8000"
# Full-text search with Russian stemming on PostgreSQL («карты» finds «карта»); SQLite's
# embedded backend ignores the setting.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "russian"}
}
# Documents always go through our permission-checked view (portal.files), never a redirect
# to the storage's URL.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Every change to an SOP or script is approved by a second person before it goes live;
# with this on, a *minor* fix (no new confirmation) may be published directly.
SOP_MINOR_FIX_DIRECT_PUBLISH = env_bool("SOP_MINOR_FIX_DIRECT_PUBLISH", False)
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "txt", "csv", "png", "jpg"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# No SVG or HTML: they can carry scripts into a page the whole chain opens.
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
WAGTAIL_PASSWORD_RESET_ENABLED = False  # staff reset passwords on the portal itself

# --- Forms -----------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Logging ------------------------------------------------------------------------------
# Every line carries its time as ISO 8601 with the offset of TIME_ZONE (one zone for web,
# workers and beat; Celery keeps this configuration instead of its own).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "iso": {
            "()": "portal.logging.IsoTimeFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
            "tz": TIME_ZONE,
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "iso"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # Per-task and per-page chatter drowns what an operator needs; warnings still show.
    "loggers": {
        "axes": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": env("WAGTAIL_LOG_LEVEL", "WARNING")},
    },
}
