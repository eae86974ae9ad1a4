"""Django settings, read from the environment through small helpers.

DATABASE_URL picks the database (default: a SQLite file under ./var/). NGHIQUYET_DEBUG turns DEBUG on;
it is off unless set.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("NGHIQUYET_VAR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("NGHIQUYET_DEBUG")
def secret_key() -> str:
    """NGHIQUYET_SECRET_KEY, or a random key made once and kept in VAR_DIR/secret_key (mode 600). Several
    app servers behind one database must share the key: set the variable on each."""
    if os.environ.get("NGHIQUYET_SECRET_KEY"):
        return os.environ["NGHIQUYET_SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    if not path.exists():
        import secrets

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = secret_key()
ALLOWED_HOSTS = env_list("NGHIQUYET_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "nghiquyet.audit",
    "nghiquyet.orgunits",
    "nghiquyet.targets",
    "nghiquyet.figures",
    "nghiquyet.schedule",
    "nghiquyet.imports",
    "nghiquyet.notifications",
    "nghiquyet.reports",
    "nghiquyet.review",
    "nghiquyet.followup",
    "nghiquyet.accounts",
    "nghiquyet.demo",
    "nghiquyet.api",
    "nghiquyet.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "nghiquyet.web.middleware.RefuseNulMiddleware",
    "nghiquyet.web.middleware.AccessScopeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "nghiquyet.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "nghiquyet.web.middleware.AuditActorMiddleware",
    "nghiquyet.web.middleware.RateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "nghiquyet.web.middleware.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "nghiquyet.urls"
CSRF_FAILURE_VIEW = "nghiquyet.web.views.csrf_failure"
WSGI_APPLICATION = "nghiquyet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nghiquyet.web.context.site",
            ],
        },
    },
]


def database_config() -> dict:
    default_sqlite = f"sqlite:///{VAR_DIR / 'nghiquyet.sqlite3'}"
    url = os.environ.get("DATABASE_URL", default_sqlite)
    # Connections are kept between requests (a new PostgreSQL connection costs ~10 ms of server CPU) and
    # checked before reuse, so a restarted database server costs one failed check, not an error page.
    config = dj_database_url.parse(url, conn_max_age=int(os.environ.get("NGHIQUYET_CONN_MAX_AGE", "300")), conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at BEGIN so two
        # writers queue on busy_timeout instead of failing half-way with "database is locked".
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        if config["NAME"] != ":memory:":
            Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        config.setdefault("TEST", {})["NAME"] = os.environ.get("NGHIQUYET_TEST_SQLITE") or None
    return config


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # reads hashes made before Argon2 was on
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out logins before the password is checked
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout after repeated failures (django-axes): per username and address, for half an hour.
AXES_FAILURE_LIMIT = int(os.environ.get("NGHIQUYET_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("NGHIQUYET_LOCKOUT_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked.html"
AXES_VERBOSE = False
# The client's address as everything else reads it (NGHIQUYET_TRUSTED_PROXY_HEADER behind a proxy), so a
# lockout is per user and client, not per user and proxy.
AXES_CLIENT_IP_CALLABLE = "nghiquyet.audit.context.client_ip"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every start while it is missing
# `nghiquyet serve` collects static files into STATIC_ROOT and WhiteNoise serves them from there, so no
# web server is needed in front; tests and DEBUG read them from the apps directly.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_MAX_AGE = 3600

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
# In the database, so any app server can serve any request; with Redis, read through the shared cache first
# (written to both: a flushed cache loses no session).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = int(os.environ.get("NGHIQUYET_SESSION_SECONDS", str(8 * 3600)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# The cache is shared by all app servers: the database by default, Redis when NGHIQUYET_REDIS_URL is set.
NGHIQUYET_REDIS_URL = os.environ.get("NGHIQUYET_REDIS_URL", "")
# Review records (self-assessments, votes, decisions) need a session verified with the second factor.
NGHIQUYET_REVIEW_TWO_FACTOR = os.environ.get("NGHIQUYET_REVIEW_TWO_FACTOR", "on").lower() not in {"off", "0", "no"}
if NGHIQUYET_REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["NGHIQUYET_REDIS_URL"]}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "nghiquyet_cache"}}
# Progress of running jobs: written while an import holds its write transaction, so never in the database
# (on SQLite it would wait behind that transaction). Redis where configured; else files beside the data, which
# serves one machine (several app servers configure Redis).
CACHES["progress"] = (
    CACHES["default"] if NGHIQUYET_REDIS_URL
    else {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(VAR_DIR / "progress")}
)

# Long jobs (an uploaded workbook's check and write) on Django's task framework, queued in the database on
# SQLite and PostgreSQL alike. "in-process": each app process of `nghiquyet serve` runs a worker thread (the
# embedded default); "separate": run `nghiquyet db_worker` yourself (one or more, on any machine).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
NGHIQUYET_TASK_WORKER = os.environ.get("NGHIQUYET_TASK_WORKER", "in-process")

# Email (reminders): in the app always; by email only where a mail server or backend is configured.
EMAIL_BACKEND = os.environ.get("NGHIQUYET_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("NGHIQUYET_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("NGHIQUYET_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("NGHIQUYET_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("NGHIQUYET_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("NGHIQUYET_EMAIL_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("NGHIQUYET_EMAIL_FROM", "nghiquyet@localhost")
NGHIQUYET_SEND_EMAIL = bool(os.environ.get("NGHIQUYET_EMAIL_HOST") or os.environ.get("NGHIQUYET_EMAIL_BACKEND"))
NGHIQUYET_SITE_URL = os.environ.get("NGHIQUYET_SITE_URL", "")  # for links in emails, e.g. https://nghiquyet.example.vn

# Requests per minute: login attempts per address, API calls per user (or token, or address). 0 = off.
NGHIQUYET_RATE_LIMITS = {
    "login": int(os.environ.get("NGHIQUYET_LOGIN_PER_MINUTE", "20")),
    "api": int(os.environ.get("NGHIQUYET_API_PER_MINUTE", "600")),
}
NGHIQUYET_LOGIN_PATH = "/dang-nhap/"
# Behind reverse proxies: the request header that carries the client's address (HTTP_X_FORWARDED_FOR, or
# HTTP_X_REAL_IP when the proxy overwrites it), and how many proxies stand in front of the app: the client
# is that many entries from the right of the header (docs/security.md, "Behind a proxy").
NGHIQUYET_TRUSTED_PROXY_HEADER = os.environ.get("NGHIQUYET_TRUSTED_PROXY_HEADER", "")
NGHIQUYET_TRUSTED_PROXIES = int(os.environ.get("NGHIQUYET_TRUSTED_PROXIES", "1"))

# Served over HTTPS (behind a proxy that terminates TLS): secure cookies, HSTS, redirect to https.
HTTPS = env_bool("NGHIQUYET_HTTPS")
if HTTPS:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("NGHIQUYET_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("NGHIQUYET_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("NGHIQUYET_HSTS_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("NGHIQUYET_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading binds the domain to HTTPS in browsers for good: the operator opts in, deliberately.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS if host not in ("testserver",)]

# Import refuses files above this size (bytes) before reading them.
NGHIQUYET_IMPORT_MAX_BYTES = int(os.environ.get("NGHIQUYET_IMPORT_MAX_BYTES", str(200 * 1024 * 1024)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("NGHIQUYET_LOG_LEVEL", "WARNING")},
}
