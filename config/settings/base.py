"""Settings shared by every mode. Everything that differs between machines comes from the
environment (see README, "Cấu hình"), with defaults that need no server: SQLite and a
filesystem Celery broker under var/."""

import ipaddress
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.celery_app import broker_settings
from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI assets for /api/docs/, served locally
    "django_celery_beat",
    "django_htmx",
    "common",
    "units",
    "scoring",
    "documents",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "units.context_processors.office",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", "")
if not DATABASE_URL:
    # SQLite creates the file but not its folder, and var/ is not in git.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Vietnamese throughout: the vi locale gives the decimal comma (23,41); config/formats/vi adds the
# dd/mm/yyyy dates of official documents. Thousands grouping (14.678) is left to the |vn filter,
# since Django's grouping would also print years as 2.023.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploads: refuse large files early; importers check content as well.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_DROP_DIR = Path(env_str("IMPORT_DROP_DIR", str(VAR_DIR / "drop")))
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 500_000)
# A dropped file names its period by a sidecar <file>.json, a "<period>_" prefix, or this default.
IMPORT_DEFAULT_PERIOD = env_str("IMPORT_DEFAULT_PERIOD", "")
# Files modified more recently than this many seconds may still be copying in; the next run takes them.
IMPORT_DROP_MIN_AGE = env_int("IMPORT_DROP_MIN_AGE", 5)

# Celery: Redis when REDIS_URL is set, otherwise kombu's filesystem transport so that tasks run
# in a real worker on a machine with no server installed. config/celery_app.py creates the folders.
CELERY_FS_DIR = Path(env_str("CELERY_FS_DIR", str(VAR_DIR / "celery")))
# Longer than the longest task: a task still running after it is delivered a second time.
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3600)
CELERY_BROKER_URL, CELERY_RESULT_BACKEND, CELERY_BROKER_TRANSPORT_OPTIONS = broker_settings(
    REDIS_URL, CELERY_FS_DIR, CELERY_VISIBILITY_TIMEOUT)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# The API (/api/v1/, config/api_urls.py). Token authentication comes first so that an anonymous
# request gets 401 with a WWW-Authenticate header; session authentication serves the browser.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    # Scores and rates cross JSON as strings ("23.41"), so no client reads them as binary floats.
    "COERCE_DECIMAL_TO_STRING": True,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNICODE_JSON": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CCHC scorekeeping API",
    "DESCRIPTION": (
        "API chấm điểm CCHC và HTNV của cơ quan nội vụ (Phòng/Sở Nội vụ): đơn vị, bộ tiêu chí, kỳ, đợt đánh giá, điểm, "
        "số liệu, lần nhập, văn bản, nhiệm vụ khắc phục. Xác thực: `Authorization: Token <khóa>` hoặc phiên đăng nhập."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Separate request and response components, so that read-only fields are not asked for and
    # multipart uploads are described as files.
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "status" or "kind" with their own choices: name each enum after its class.
    "ENUM_NAME_OVERRIDES": {
        "UnitKindEnum": "units.choices.UnitKind",
        "SetKindEnum": "scoring.choices.SetKind",
        "PeriodKindEnum": "scoring.choices.PeriodKind",
        "AssessmentStatusEnum": "scoring.choices.AssessmentStatus",
        "TaskStatusEnum": "scoring.choices.TaskStatus",
        "SourceEnum": "documents.choices.Source",
        "BatchStatusEnum": "documents.choices.BatchStatus",
        "LetterKindEnum": "reports.choices.LetterKind",
        "LetterStatusEnum": "reports.choices.LetterStatus",
    },
}

# Notifications' e-mail copies: through the SMTP server EMAIL_HOST names, or (none named) written to
# the log of the process that sends them.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 10  # seconds: a mail server that does not answer must not hold a worker
EMAIL_BACKEND = env_str("EMAIL_BACKEND") or ("django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
                                              else "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Appraisal rounds (scoring.rounds): the periodic task reminds whoever must act this many days before
# a stage's deadline. SITE_URL (e.g. https://cchc.vinhlinh.gov.vn) starts the links in e-mails;
# empty, they carry the path only.
REMINDER_DAYS_BEFORE = env_int("REMINDER_DAYS_BEFORE", 2)
SITE_URL = env_str("SITE_URL", "")

# Faults and hostile input (issue 8). A Redis that is down must not take the pages with it: the
# cache answers misses instead of errors (common.cache) and gives up on a silent Redis quickly.
CACHE_SOCKET_TIMEOUT = float(env_str("CACHE_SOCKET_TIMEOUT", "0.5"))
if REDIS_URL:
    CACHES["default"] = {
        "BACKEND": "common.cache.ForgivingRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": CACHE_SOCKET_TIMEOUT, "socket_timeout": CACHE_SOCKET_TIMEOUT},
    }
# SQLite reports every connection as usable, so the health check cannot replace a handle broken
# under the app; opening the file per request costs microseconds and always starts clean.
if DATABASES["default"]["ENGINE"].endswith("sqlite3") and not env_str("DB_CONN_MAX_AGE", ""):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# Sign-in throttling (common.security): this many wrong passwords per user name and IP address
# lock that pair out for LOGIN_LOCKOUT_SECONDS (the window the failures are counted in, too).
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 300)


def _ip_networks(name: str) -> tuple:
    networks = []
    for item in env_list(name, []):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{name} must list IP addresses or CIDR networks separated by commas "
                f"(e.g. 172.18.0.2,10.0.0.0/8), got {item!r}"
            ) from exc
    return tuple(networks)


# The reverse proxies (addresses or CIDR networks) whose X-Forwarded-For is believed when the throttle
# and the audit log ask who the client is (common.security.client_ip). Behind the TLS proxy REMOTE_ADDR
# is the proxy's address, so without this every sign-in would count against one shared address.
# Empty: no header is believed, REMOTE_ADDR is the client.
TRUSTED_PROXIES = _ip_networks("DJANGO_TRUSTED_PROXIES")
# Refused requests (403, and 404 to a signed-in user) go to the security audit log.
MIDDLEWARE += ["common.middleware.AuditRefusalsMiddleware"]
# A refused form (no or stale CSRF token) is explained in Vietnamese, and recorded in the audit log.
CSRF_FAILURE_VIEW = "common.security.csrf_failure"
