"""Settings shared by every profile.

Every environment variable the project reads is read here, once; ``dev``, ``test``
and ``production`` only override values.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


# --- Environment (the only place it is read) ---------------------------------------
SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG_FROM_ENV = os.environ.get("DEBUG", "")  # profiles pick their own default
DEBUG = env_bool("DEBUG", False)
SECURE_SSL_REDIRECT_FROM_ENV = env_bool("SECURE_SSL_REDIRECT", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
DATABASE_POOL_SIZE = int(os.environ.get("DATABASE_POOL_SIZE", "10"))
# Load balancers / reverse proxies whose X-Forwarded-For is believed (addresses or
# networks, comma-separated). Empty: the connecting peer is the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
# Largest integration API body (bytes): a 20,000-record sales-history batch is ~3 MB.
# Portal forms keep Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB).
API_MAX_BODY_BYTES = int(os.environ.get("API_MAX_BODY_BYTES", str(10 * 1024 * 1024)))
TELEGRAM_BOT_TOKEN = os.environ.get("TELEGRAM_BOT_TOKEN", "")
TELEGRAM_API_BASE_URL = os.environ.get(
    "TELEGRAM_API_BASE_URL", "https://api.telegram.org"
)
TELEGRAM_WEBHOOK_SECRET = os.environ.get("TELEGRAM_WEBHOOK_SECRET", "")
TELEGRAM_BOT_USERNAME = os.environ.get("TELEGRAM_BOT_USERNAME", "")
DEMO_API_KEY = os.environ.get("DEMO_API_KEY", "")
EMBEDDED_WORKER = env_bool("EMBEDDED_WORKER", False)
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000")
# Deployment (Procfile, compose.yaml): where ``serve`` listens, what ops may read.
SERVE_HOST = os.environ.get("HOST", "127.0.0.1")
SERVE_PORT = int(os.environ.get("PORT", "8000"))
WORKER_INTERVAL = float(os.environ.get("WORKER_INTERVAL", "5"))  # safety-net poll, s
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")  # Bearer token for /metrics
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", "127.0.0.1,::1")
PROMETHEUS_MULTIPROC_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
LOG_FORMAT = os.environ.get("LOG_FORMAT", "")  # "json" or "text"; profiles default
K3CLOUD_URL = os.environ.get("K3CLOUD_URL", "")

# --- Applications ------------------------------------------------------------------
INSTALLED_APPS = [
    # Project apps first so their templates and static files win.
    "portal",
    "dealers",
    "catalog",
    "promos",
    "contracts",
    "orders",
    "notifications",
    "conversations",
    "cms",
    "api",
    "erp",
    "common",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Third party
    "channels",
    "django_htmx",
    "axes",
    "treebeard",
    "django_tasks",
    "django_tasks_db",
    # Swagger UI for /api/v1/docs from its own static files, not a CDN (offline too)
    "ninja",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "portal.ops.logs.RequestLogMiddleware",  # outermost: times the whole stack
    "django.middleware.security.SecurityMiddleware",
    "common.middleware.RejectNulMiddleware",
    "common.middleware.ApiBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dealers.middleware.DealerMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
ASGI_APPLICATION = "portal.asgi.application"
WSGI_APPLICATION = None

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
                "portal.context_processors.shell",
            ],
        },
    },
]

# --- Data --------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # ASGI runs each request's sync code in a thread of its own: persistent
        # per-thread connections would pile up, so PostgreSQL uses a pool instead.
        conn_max_age=0,
        # Pooled connections are checked before use: a restarted PostgreSQL costs a
        # reconnect, not an error.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the embedded task worker read while a request writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Wagtail's search index uses PostgreSQL's full-text fields there.
    INSTALLED_APPS.append("django.contrib.postgres")
    # One pool per process: with N processes, N × DATABASE_POOL_SIZE stays below the
    # server's max_connections.
    DATABASES["default"]["OPTIONS"] = {
        "pool": {"min_size": 1, "max_size": DATABASE_POOL_SIZE, "timeout": 20}
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if REDIS_URL:
    CACHES = {
        "default": {
            # Redis away: reads miss and pages compute from the database.
            "BACKEND": "common.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # redis-py times sockets out after 5 s, as long as channels_redis blocks on
            # receive: give idle WebSocket consumers room.
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 30}]},
        }
    }
else:
    # Whole dealer pages are cached (portal.fragments): room for a few thousand
    # logins' pages (at most some 100 MB) before the oldest make way.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# django.tasks and Wagtail's django_tasks backport both read this setting.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "notifications", "reports"],
    }
}

# --- Auth --------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "dealers.backends.UsernameOrPhoneBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:login"

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "portal/locked_out.html"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# One counter per account and client: the login as typed is resolved to its account
# (case, phone format), the client address trusts only TRUSTED_PROXIES.
AXES_USERNAME_CALLABLE = "dealers.identity.axes_username"
AXES_CLIENT_IP_CALLABLE = "common.clientip.client_ip"

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["portal.formats"]
USE_THOUSAND_SEPARATOR = False
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"
# Dealers' photos (conversations): outside MEDIA_ROOT, which the proxy serves to
# anyone; a view that checks who asks serves them. Shared by every web process.
PRIVATE_MEDIA_ROOT = os.environ.get("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private"))
PRIVATE_STORAGE = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "conversations": PRIVATE_STORAGE,
}
WHITENOISE_USE_FINDERS = True
# The PWA manifest's own type ("add to home screen" checks it).
WHITENOISE_MIMETYPES = {".webmanifest": "application/manifest+json"}

# --- Wagtail ---------------------------------------------------------------------------
WAGTAIL_SITE_NAME = _("Dealer portal")
WAGTAILADMIN_BASE_URL = PORTAL_BASE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# --- Security defaults (production tightens them) ----------------------------------
SESSION_COOKIE_HTTPONLY = True
# Read from the cache (Redis when REDIS_URL is set, shared by every process), written
# through to the database; the cache being down falls back to the database.
SESSION_ENGINE = "portal.sessions"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the body's hx-headers
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True

# --- Telegram --------------------------------------------------------------------------
TELEGRAM = {
    "TOKEN": TELEGRAM_BOT_TOKEN,
    "API_BASE_URL": TELEGRAM_API_BASE_URL,
    "WEBHOOK_SECRET": TELEGRAM_WEBHOOK_SECRET,
    "BOT_USERNAME": TELEGRAM_BOT_USERNAME,  # t.me/<bot> deep links
    "GLOBAL_RATE": 25,  # messages per second, whole deployment
    "PER_CHAT_INTERVAL": 1.0,  # seconds between two messages to one chat
    "RATE_LIMITER": "auto",  # auto (Redis if REDIS_URL, else database), memory
    "SEND_CONNECTIONS": 64,  # concurrent sends of one worker
    "TIMEOUT": 10.0,  # seconds, each Bot API call
    "UPDATE_WINDOW_HOURS": 48,  # processed update ids remembered (de-duplication)
    "UPDATE_RESTART_GAP": 100_000,  # an id this far below the last: new numbering
    "RETRY_MAX_SECONDS": 30.0,  # runbot's back-off cap through an outage
}

# --- Portal ----------------------------------------------------------------------------
PORTAL = {
    "PAGE_SIZE": 20,
    "LOW_STOCK_THRESHOLD": 20,
    "AUTO_CONFIRM_DAYS": 7,  # a delivered shipment confirms itself after this many days
    # A long job (back-test) whose heartbeat is older than this lost its worker; the
    # tick (every NOTIFICATIONS["TICK_SECONDS"]) marks it failed, retryable.
    "HEARTBEAT_TIMEOUT_SECONDS": 40,
}

# --- ERP: Kingdee K/3 Cloud (erp/) ----------------------------------------------------
# Off unless K3CLOUD_URL is set. App signature when APP_ID and APP_SECRET are both set,
# else session login (AuthService.ValidateUser) with the password.
K3CLOUD = {
    "URL": K3CLOUD_URL,
    "ACCT_ID": os.environ.get("K3CLOUD_ACCT_ID", ""),
    "USERNAME": os.environ.get("K3CLOUD_USERNAME", ""),
    "APP_ID": os.environ.get("K3CLOUD_APP_ID", ""),
    "APP_SECRET": os.environ.get("K3CLOUD_APP_SECRET", ""),
    "PASSWORD": os.environ.get("K3CLOUD_PASSWORD", ""),
    "LCID": int(os.environ.get("K3CLOUD_LCID", "2052")),
    "SALE_ORG": os.environ.get("K3CLOUD_SALE_ORG", ""),
    "TIMEOUT": float(os.environ.get("K3CLOUD_TIMEOUT", "30")),  # seconds per call
    "PAGE_SIZE": int(os.environ.get("K3CLOUD_PAGE_SIZE", "2000")),  # rows per query
    # After Save: "" (leave as created), "submit" or "audit" (submit, then audit).
    "ORDER_APPROVAL": os.environ.get("K3CLOUD_ORDER_APPROVAL", "audit"),
    "ORDER_BILL_TYPE": os.environ.get("K3CLOUD_ORDER_BILL_TYPE", "XSDD01_SYS"),
    "CURRENCY": os.environ.get("K3CLOUD_CURRENCY", "PRE001"),
    # Customers carry no tier/region/org: these apply unless the mapping table says else.
    "DEFAULT_TIER": os.environ.get("K3CLOUD_DEFAULT_TIER", "standard"),
    "DEFAULT_REGION": os.environ.get("K3CLOUD_DEFAULT_REGION", "default"),
    "OVERLAP_MINUTES": 10,  # incremental windows reach this far behind the watermark
    "SYNC_EVERY_MINUTES": int(os.environ.get("K3CLOUD_SYNC_EVERY_MINUTES", "5")),
}


def logging_config(log_format: str) -> dict:
    """LOGGING for ``log_format`` "json" (one object per line, with the request, task
    and bot ids; one event per request and per task) or "text" (development)."""
    json_lines = log_format == "json"
    events = "INFO" if json_lines else "WARNING"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "common.logcontext.ContextFilter"}},
        "formatters": {"json": {"()": "portal.ops.logs.json_formatter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["context"],
                **({"formatter": "json"} if json_lines else {}),
            }
        },
        "root": {"handlers": ["console"], "level": "INFO"},
        "loggers": {
            # One event per request and per task run (portal.ops.logs).
            "portal.requests": {"level": events},
            "portal.tasks": {"level": events},
            # uvicorn's access log repeats the request event.
            "uvicorn.access": {"level": "WARNING" if json_lines else "INFO"},
            "django.db.backends": {"level": "WARNING"},
            # httpx logs every Bot API request at INFO (with the token in the URL).
            "httpx": {"level": "WARNING"},
            "httpcore": {"level": "WARNING"},
            # Every task state change (the notifications tick runs every few seconds);
            # failures still come through.
            "django.tasks": {"level": "WARNING"},
            "django_tasks": {"level": "WARNING"},
            "django_tasks_db": {"level": "WARNING"},
        },
    }


LOGGING = logging_config(LOG_FORMAT or "text")
