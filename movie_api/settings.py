"""Settings for movie_api, read from the environment.

Every variable is listed in ``.env.example``. Development defaults are safe to
run on a laptop; with ``DJANGO_DEBUG=0`` nothing secret has a default and the
project refuses to start without a real ``DJANGO_SECRET_KEY``.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=True)

_DEV_SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0.")
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is too weak for production: use at least 50 random characters."
    )

# The product's display name (the package stays movie_api) and the site's public
# address, used for absolute links in emails and in sharing (Open Graph) meta.
SITE_NAME = env.str("SITE_NAME", default="Reelhouse")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    # Before django.contrib.auth: its changepassword command replaces auth's own.
    "users",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Third party
    "rest_framework",
    "rest_framework_simplejwt",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_yasg",
    "graphene_django",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "template_partials",
    "phonenumber_field",
    "axes",
    "django_prometheus",
    "csp",
    # Project
    "core",
    "ops",
    "movies",
    "support",
]

MIDDLEWARE = [
    # ops: metrics around everything, then the request id, then /healthz, /readyz, /metrics
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "ops.middleware.RequestIdMiddleware",
    "ops.middleware.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.db.QueryTimeoutMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last: it answers anonymous catalogue reads from the cache after the checks above
    # (and inside the metrics, so cached answers are counted too).
    "core.http_cache.CatalogueCacheMiddleware",
]

ROOT_URLCONF = "movie_api.urls"

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
                "core.context_processors.site",
                "movies.context_processors.tmdb_attribution",
            ],
        },
    },
    {
        # Only for the templates a page repeats dozens of times (movie cards): see
        # core/jinja2.py. They are rendered by name through this engine, never by render().
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [],
        "APP_DIRS": True,  # <app>/jinja2/
        "OPTIONS": {"environment": "core.jinja2.environment"},
    },
]

WSGI_APPLICATION = "movie_api.wsgi.application"
ASGI_APPLICATION = "movie_api.asgi.application"

# Database: SQLite file in the project unless DATABASE_URL says otherwise.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=0))
# django-prometheus counts queries and errors through its wrappers of Django's backends.
_METRICS_DB_ENGINES = {
    "django.db.backends.postgresql": "django_prometheus.db.backends.postgresql",
    "django.db.backends.sqlite3": "django_prometheus.db.backends.sqlite3",
}
DATABASES["default"]["ENGINE"] = _METRICS_DB_ENGINES.get(
    DATABASES["default"]["ENGINE"], DATABASES["default"]["ENGINE"]
)
# PostgreSQL cancels a web request's statement after this many ms (core.db; 0: never).
DATABASE_STATEMENT_TIMEOUT_MS = env.int("DATABASE_STATEMENT_TIMEOUT_MS", default=5000)

# Cache: in-process unless REDIS_URL is set; throttling and OTP cooldowns use it.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "ops.cache.RedisCache",  # Django's, with django-prometheus counters
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="movie_api"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django_prometheus.cache.backends.locmem.LocMemCache"}}

# Anonymous catalogue reads (core.http_cache): stored whole, keyed on the request and the
# catalogue version. HTTP_CACHE=0 stores nothing (ETags and 304s stay).
HTTP_CACHE = env.bool("HTTP_CACHE", default=True)
HTTP_CACHE_TIMEOUT = env.int("HTTP_CACHE_TIMEOUT", default=600)
# Cache-Control max-age of anonymous reads: 0 makes browsers and proxies revalidate
# (a cheap 304) every time, so no one sees a page older than the last write.
HTTP_CACHE_MAX_AGE = env.int("HTTP_CACHE_MAX_AGE", default=0)
# Exact counts of catalogue lists (core.counts), kept until the next catalogue write:
# 0 counts every time.
CATALOGUE_COUNT_CACHE = env.bool("CATALOGUE_COUNT_CACHE", default=True)
COUNT_CACHE_TIMEOUT = env.int("COUNT_CACHE_TIMEOUT", default=3600)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Static files through WhiteNoise; media on local disk or S3.
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Serve MEDIA_ROOT from Django itself (development, or a single box without S3).
SERVE_MEDIA = env.bool("DJANGO_SERVE_MEDIA", default=DEBUG)

AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None,
            "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=False),
            "file_overwrite": False,
            "default_acl": None,
            "location": env.str("AWS_LOCATION", default="media"),
        },
    }
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Uploads: posters are checked and re-encoded by movies.images.
POSTER_MAX_BYTES = env.int("POSTER_MAX_BYTES", default=5 * 1024 * 1024)
POSTER_MAX_PIXELS = env.int("POSTER_MAX_PIXELS", default=25_000_000)
FILE_UPLOAD_PERMISSIONS = 0o644

# Request bodies (core.request_limits): JSON and form bodies under /api/ and
# /graphql/ at most API_MAX_BODY_BYTES, multipart (a poster upload) at most
# API_MAX_UPLOAD_BYTES; over the cap is a 413 before the body is read.
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=2_621_440)  # 2.5 MB
API_MAX_UPLOAD_BYTES = env.int("API_MAX_UPLOAD_BYTES", default=POSTER_MAX_BYTES + 1024 * 1024)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGIN_URL = "users:login"
LOGIN_REDIRECT_URL = "movies:list"
LOGOUT_REDIRECT_URL = "movies:list"

# Login defence (users.login_defence): one throttle for the API, site and admin logins
# (THROTTLE_LOGIN below) and a per-account lockout with a cool-down (django-axes).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_LOCKOUT_FAILURES", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "users.login_defence.username_key"
AXES_CLIENT_IP_CALLABLE = "users.login_defence.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_DISABLE_ACCESS_LOG = True
# W002: a locked account answers as a wrong password does, so axes' middleware (which
# swaps in a lockout page) is left out on purpose. W006: the per-address limit is the
# login throttle, so the lockout counts per account only.
SILENCED_SYSTEM_CHECKS = ["axes.W002", "axes.W006"]

# REST framework. The browsable API (HTML pages under /api/) is on with DEBUG only,
# unless API_BROWSABLE says otherwise.
API_BROWSABLE = env.bool("API_BROWSABLE", default=DEBUG)
NUM_PROXIES = env.int("DJANGO_NUM_PROXIES", default=0)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": [
        "core.api.renderers.ORJSONRenderer",
        *(["rest_framework.renderers.BrowsableAPIRenderer"] if API_BROWSABLE else []),
    ],
    "DEFAULT_PARSER_CLASSES": [
        "core.request_limits.JSONParser",
        "core.request_limits.FormParser",
        "core.request_limits.MultiPartParser",
    ],
    "COERCE_DECIMAL_TO_STRING": False,
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_THROTTLE_RATES": {
        "login": env.str("THROTTLE_LOGIN", default="10/min"),
        "register": env.str("THROTTLE_REGISTER", default="10/hour"),
        "otp_verify": env.str("THROTTLE_OTP_VERIFY", default="20/hour"),
        "otp_resend": env.str("THROTTLE_OTP_RESEND", default="10/hour"),
        "password_reset": env.str("THROTTLE_PASSWORD_RESET", default="5/hour"),
        # Per user: filing a support ticket, and a comment on one (each may send email).
        "ticket_create": env.str("THROTTLE_TICKET_CREATE", default="20/hour"),
        "ticket_comment": env.str("THROTTLE_TICKET_COMMENT", default="60/hour"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=7)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    # users.api.serializers.LoginSerializer sends user_logged_in, which sets last_login.
    "UPDATE_LAST_LOGIN": False,
    "AUTH_HEADER_TYPES": ("Bearer",),
}

SWAGGER_SETTINGS = {
    "SECURITY_DEFINITIONS": {
        "Bearer": {
            "type": "apiKey",
            "name": "Authorization",
            "in": "header",
            "description": "A JWT from `POST /api/users/login/`, entered as `Bearer <access token>`.",
        }
    },
    # Swagger's session login/logout links use GET, which Django's logout refuses;
    # "Authorize" with a Bearer token is the documented way in.
    "USE_SESSION_AUTH": False,
    "LOGIN_URL": None,
    "LOGOUT_URL": None,
    "DEFAULT_MODEL_RENDERING": "example",
    # core.api.openapi: public operations need no token, error statuses documented,
    # paginated lists as paginated, patterns for phone numbers and codes.
    "DEFAULT_AUTO_SCHEMA_CLASS": "core.api.openapi.AutoSchema",
    "DEFAULT_FIELD_INSPECTORS": [
        "core.api.openapi.FieldInspector",
        "drf_yasg.inspectors.CamelCaseJSONFilter",
        "drf_yasg.inspectors.RecursiveFieldInspector",
        "drf_yasg.inspectors.ReferencingSerializerInspector",
        "drf_yasg.inspectors.ChoiceFieldInspector",
        "drf_yasg.inspectors.FileFieldInspector",
        "drf_yasg.inspectors.DictFieldInspector",
        "drf_yasg.inspectors.JSONFieldInspector",
        "drf_yasg.inspectors.HiddenFieldInspector",
        "drf_yasg.inspectors.RelatedFieldInspector",
        "drf_yasg.inspectors.SerializerMethodFieldInspector",
        "drf_yasg.inspectors.SimpleFieldInspector",
        "drf_yasg.inspectors.StringDefaultFieldInspector",
    ],
}

# The longest ?search= (and GraphQL search:) accepted, in characters.
SEARCH_MAX_LENGTH = env.int("SEARCH_MAX_LENGTH", default=1000)

# GraphQL
GRAPHENE = {
    "SCHEMA": "movie_api.schema.schema",
    "ATOMIC_MUTATIONS": True,
}
# The limits every document meets before it runs (core.graphql, docs/graphql.md).
GRAPHQL_MAX_DEPTH = env.int("GRAPHQL_MAX_DEPTH", default=7)  # graphene's count: { a { b } } is 1
GRAPHQL_MAX_LIMIT = env.int("GRAPHQL_MAX_LIMIT", default=100)
GRAPHQL_MAX_COST = env.int("GRAPHQL_MAX_COST", default=50_000)
GRAPHQL_MAX_ALIASES = env.int("GRAPHQL_MAX_ALIASES", default=30)
GRAPHQL_MAX_DOCUMENT_BYTES = env.int("GRAPHQL_MAX_DOCUMENT_BYTES", default=20_000)
GRAPHQL_MAX_TOKENS = env.int("GRAPHQL_MAX_TOKENS", default=2_000)
# Off unless DEBUG: the schema and an IDE are for developers, not for every visitor.
# (An empty value, as .env.example has it, means the default.)
GRAPHQL_INTROSPECTION = (
    env.bool("GRAPHQL_INTROSPECTION", default=DEBUG)
    if env.str("GRAPHQL_INTROSPECTION", default="")
    else DEBUG
)
GRAPHIQL_ENABLED = (
    env.bool("GRAPHIQL_ENABLED", default=DEBUG)
    if env.str("GRAPHIQL_ENABLED", default="")
    else DEBUG
)

# Pages
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# SMS and OTP
SMS_BACKEND = env.str("SMS_BACKEND", default="console")
SMS_FILE_PATH = env.str("SMS_FILE_PATH", default=str(BASE_DIR / "sent_sms"))
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM_NUMBER = env.str("TWILIO_FROM_NUMBER", default="")
OTP_HMAC_KEY = env.str("OTP_HMAC_KEY", default="") or SECRET_KEY
OTP_LENGTH = 6
OTP_TTL_SECONDS = env.int("OTP_TTL_SECONDS", default=600)
OTP_MAX_ATTEMPTS = env.int("OTP_MAX_ATTEMPTS", default=5)
OTP_RESEND_COOLDOWN_SECONDS = env.int("OTP_RESEND_COOLDOWN_SECONDS", default=60)
OTP_MAX_SENDS_PER_HOUR = env.int("OTP_MAX_SENDS_PER_HOUR", default=5)
PHONENUMBER_DEFAULT_REGION = env.str("PHONENUMBER_DEFAULT_REGION", default="US")
TWILIO_TIMEOUT_SECONDS = env.float("TWILIO_TIMEOUT_SECONDS", default=10.0)
# An unverified registration holds its username and email this long, then lapses.
REGISTRATION_PENDING_TTL_SECONDS = env.int("REGISTRATION_PENDING_TTL_SECONDS", default=86400)
# How long a password reset link works (Django's setting).
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60 * 24)
PHONENUMBER_DB_FORMAT = "E164"
PHONENUMBER_DEFAULT_FORMAT = "E164"

# Email
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "sent_emails"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="movie_api <noreply@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# Support desk: unset runs the GraphQL documents in-process against our schema.
SUPPORT_GRAPHQL_URL = env.str("SUPPORT_GRAPHQL_URL", default="")
SUPPORT_GRAPHQL_TIMEOUT = env.float("SUPPORT_GRAPHQL_TIMEOUT", default=5.0)
SUPPORT_AGENT_GROUP = "Support agents"

# Security: strict by default in production, relaxed for local development.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env.bool("DJANGO_SECURE_PROXY_SSL", default=False)
    else None
)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("DJANGO_CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG
)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True

# Content-Security-Policy (django-csp) on every response: scripts only from this site's
# own files (no inline script, no eval), so an injected <script> or on*= handler does
# not run. Styles may be inline: Swagger UI, ReDoc and htmx set style attributes.
# Posters on S3 come from the bucket's host; CSP_IMG_SRC adds more image hosts.
_csp_img_src = [SELF, "data:", "blob:", *env.list("CSP_IMG_SRC", default=[])]
if AWS_STORAGE_BUCKET_NAME:
    _csp_img_src.append(
        "https://" + _media_storage["OPTIONS"]["custom_domain"]
        if _media_storage["OPTIONS"]["custom_domain"]
        else _media_storage["OPTIONS"]["endpoint_url"] or "https://*.amazonaws.com"
    )
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": _csp_img_src,
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Work off the request path (Celery). Without a broker, tasks run at once in-process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# Several deployments (staging, production) may share one Redis with their own queue.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a worker that dies mid-task leaves it to another
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # the worker logs through LOGGING below
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BEAT_SCHEDULE = {
    "purge-pending-registrations": {
        "task": "users.tasks.pending_registrations_purge",
        "schedule": env.int("REGISTRATION_PURGE_INTERVAL_SECONDS", default=3600),
    },
}
EMAIL_MAX_RETRIES = env.int("EMAIL_MAX_RETRIES", default=5)
EMAIL_RETRY_BACKOFF_SECONDS = env.float("EMAIL_RETRY_BACKOFF_SECONDS", default=10.0)
EMAIL_RETRY_BACKOFF_MAX_SECONDS = env.float("EMAIL_RETRY_BACKOFF_MAX_SECONDS", default=600.0)
EMAIL_IDEMPOTENCY_SECONDS = env.int("EMAIL_IDEMPOTENCY_SECONDS", default=7 * 86400)
EMAIL_SEND_LOCK_SECONDS = env.int("EMAIL_SEND_LOCK_SECONDS", default=120)

# Health and metrics (ops): /healthz, /readyz, /metrics.
READYZ_TIMEOUT_SECONDS = env.float("READYZ_TIMEOUT_SECONDS", default=2.0)
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=[])
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# Probes come over plain HTTP from the load balancer.
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$", r"^readyz/?$", r"^metrics/?$"]

# Logs: plain lines, or one JSON object per line (LOG_FORMAT=json). With LOG_REQUESTS
# (default: on with json) each request gets one line on the ops.request logger.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured("LOG_FORMAT must be 'plain' or 'json'.")
LOG_REQUESTS = env.bool("LOG_REQUESTS", default=LOG_FORMAT == "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "ops.logging.RequestIdFilter"},
        "redact": {"()": "ops.logging.RedactFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"},
        "json": {"()": "ops.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "redact"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
        "django.db.backends": {"level": "WARNING"},
    },
}
SWAGGER_USE_COMPAT_RENDERERS = False
