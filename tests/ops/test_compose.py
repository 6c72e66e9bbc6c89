"""docker-compose.yml describes the production shape and agrees with the code: `docker compose config`
where the client has the compose plugin, and always a structural check of the parsed file (services,
healthchecks, volumes, commands, every environment name read by the settings), the web service's
environment passing Django's deployment check, and static files collected as the image does and served
by WhiteNoise under their hashed names. Beside it, .env.example lists what the file reads, and the
optional TLS proxy's deploy/nginx.conf forwards to gunicorn as the production settings expect."""

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
COMPOSE = BASE_DIR / "docker-compose.yml"
DOCKERFILE = BASE_DIR / "Dockerfile"
ENV_EXAMPLE = BASE_DIR / ".env.example"
NGINX_CONF = BASE_DIR / "deploy" / "nginx.conf"
# What the administrator must put in .env; the file refuses to start without them.
REQUIRED = {"DJANGO_SECRET_KEY": "k" * 20 + "-not-a-real-secret-" + "z" * 20, "POSTGRES_PASSWORD": "mat-khau-thu",
            "DJANGO_ALLOWED_HOSTS": "cchc.vinhlinh.example.vn"}
VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:\?|:-)(?P<arg>[^}]*))?\}|\$\$")
OUR_VARIABLES = (
    "DATABASE_URL", "REDIS_URL", "CELERY_FS_DIR", "VAR_DIR", "MEDIA_ROOT", "STATIC_ROOT", "DJANGO_SETTINGS_MODULE",
    "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DJANGO_DEBUG", "DJANGO_SECURE_SSL_REDIRECT",
)


def interpolate(value, env: dict, missing: list):
    """Compose's ${NAME}, ${NAME:-default}, ${NAME:?error} and $$ in every string of the parsed file,
    as `docker compose config` does (after parsing: `KEY: ${X:-}` is an empty string, not null)."""
    if isinstance(value, dict):
        return {k: interpolate(v, env, missing) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env, missing) for v in value]
    if not isinstance(value, str):
        return value

    def one(match):
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.group("name", "op", "arg")
        found = env.get(name, "")
        if op == ":?" and not found:
            missing.append(name)
        return found or (arg if op == ":-" else "")
    return VARIABLE.sub(one, value)


def compose(env: dict | None = None) -> dict:
    missing = []
    data = interpolate(yaml.safe_load(COMPOSE.read_text(encoding="utf-8")), REQUIRED if env is None else env, missing)
    data["missing"] = missing
    return data


def settings_names() -> set[str]:
    """Every environment name the settings and the Celery app read (env_str/env_bool/env_int/env_list, os.environ)."""
    names = set()
    for path in [*(BASE_DIR / "config" / "settings").glob("*.py"), BASE_DIR / "config" / "celery_app.py"]:
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"env_(?:str|bool|int|list)\(\s*\"(\w+)\"", text))
        names |= set(re.findall(r"os\.environ(?:\.get\(|\[)\s*\"(\w+)\"", text))
        names |= set(re.findall(r"for _name in \(([^)]*)\)", text) and
                     re.findall(r"\"(\w+)\"", re.findall(r"for _name in \(([^)]*)\)", text)[0]))
        names |= names_through_helpers(text)
    return names


def names_through_helpers(text: str) -> set[str]:
    """Names a settings file reads through a helper of its own (``def _ip_networks(name): ... env_list(name,
    ...)``, called as ``_ip_networks("DJANGO_TRUSTED_PROXIES")``)."""
    tree = ast.parse(text)
    readers = {"env_str", "env_bool", "env_int", "env_list"}
    helpers = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.args.args:
            parameter = node.args.args[0].arg
            if any(isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in readers
                   and call.args and isinstance(call.args[0], ast.Name) and call.args[0].id == parameter
                   for call in ast.walk(node)):
                helpers.add(node.name)
    return {call.args[0].value for call in ast.walk(tree)
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in helpers
            and call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str)}


def command_text(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def compose_client() -> list[str] | None:
    """Docker's compose plugin, else the standalone docker-compose (Debian's package, which
    scripts/system-deps.sh installs for the tests); None when neither is on the machine."""
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    standalone = shutil.which("docker-compose")
    return [standalone] if standalone else None


def test_it_passes_docker_compose_config():
    client = compose_client()
    # CI installs a client (scripts/system-deps.sh), so there the file is always validated by one.
    assert client or os.environ.get("CI") != "true", "no compose client: run scripts/system-deps.sh"
    if client:
        done = subprocess.run([*client, "-f", str(COMPOSE), "config", "--quiet"], capture_output=True,
                              text=True, env={**os.environ, **REQUIRED}, timeout=60)
        assert done.returncode == 0, done.stderr
        missing = subprocess.run([*client, "-f", str(COMPOSE), "config", "--quiet"], capture_output=True, text=True,
                                 env={k: v for k, v in os.environ.items() if k not in REQUIRED}, timeout=60)
        assert missing.returncode != 0 and "POSTGRES_PASSWORD" in missing.stderr + missing.stdout
    # Parsed here too: it must refuse to start without its three secrets.
    assert set(compose({})["missing"]) == set(REQUIRED)
    assert compose()["missing"] == []


def test_it_runs_every_part_of_the_production_shape_with_a_healthcheck():
    services = compose()["services"]

    assert set(services) == {"postgres", "redis", "web", "worker", "beat", "proxy"}
    # `docker compose up -d` starts the application; the TLS proxy only with `--profile proxy`.
    started = {name for name, service in services.items() if not service.get("profiles")}
    assert started == {"postgres", "redis", "web", "worker", "beat"}
    assert services["proxy"]["profiles"] == ["proxy"]
    for name in ("postgres", "redis", "web", "worker", "proxy"):
        check = services[name]["healthcheck"]["test"]
        assert check[0] in ("CMD", "CMD-SHELL") and len(check) > 1, name
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert services["redis"]["healthcheck"]["test"][-1] == "ping"
    assert services["web"]["healthcheck"]["test"][-1] == "scripts/healthcheck.py"
    assert (BASE_DIR / "scripts" / "healthcheck.py").is_file()
    assert "inspect ping" in " ".join(services["worker"]["healthcheck"]["test"])
    # web waits for healthy servers and migrates; worker and beat wait for web (so for the migrations).
    assert services["web"]["depends_on"] == {"postgres": {"condition": "service_healthy"},
                                             "redis": {"condition": "service_healthy"}}
    for name in ("worker", "beat"):
        assert services[name]["depends_on"] == {"web": {"condition": "service_healthy"}}
    for name, service in services.items():
        assert service.get("restart") == "unless-stopped", name


def test_it_starts_gunicorn_celery_worker_and_one_beat_from_the_project_modules():
    services = compose()["services"]
    web, worker, beat = (command_text(services[n]) for n in ("web", "worker", "beat"))

    assert "manage.py migrate --noinput" in web and web.index("migrate") < web.index("gunicorn")
    assert re.search(r"exec gunicorn config\.wsgi\b", web) and "--bind 0.0.0.0:8000" in web
    assert "--worker-class gthread --workers 3 --threads 2" in web  # WEB_WORKERS defaults to 3
    assert settings.WSGI_APPLICATION == "config.wsgi.application" and (BASE_DIR / "config" / "wsgi.py").is_file()
    assert worker.startswith("celery -A config worker") and beat.startswith("celery -A config beat")
    from celery import Celery

    from config import celery_app  # what `-A config` finds
    assert isinstance(celery_app, Celery)
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"
    # WEB_PORT defaults to 8000, published on the server's loopback only: no one reaches gunicorn around the proxy.
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]


def test_it_keeps_data_in_named_volumes_where_the_settings_look():
    data = compose()
    services, volumes = data["services"], data["volumes"]

    assert set(volumes) == {"pgdata", "redisdata", "data"}
    assert services["postgres"]["volumes"] == ["pgdata:/var/lib/postgresql/data"]
    assert services["redis"]["volumes"] == ["redisdata:/data"]
    assert "--appendonly" in services["redis"]["command"]  # queued tasks survive a restart
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert services[name]["volumes"] == ["data:/data"] and env["VAR_DIR"] == "/data", name
    # The image makes /data for its unprivileged user and keeps the collected static files outside it,
    # so that the volume mounted over /data never hides them.
    dockerfile = DOCKERFILE.read_text(encoding="utf-8")
    assert "mkdir -p /data && chown cchc /data" in dockerfile and "USER cchc" in dockerfile
    assert "STATIC_ROOT=/app/staticfiles" in dockerfile


def test_it_sets_only_environment_names_the_settings_read_and_every_one_production_needs():
    services = compose()["services"]
    read = settings_names()
    env = services["web"]["environment"]

    assert services["worker"]["environment"] == env == services["beat"]["environment"]
    unread = set(env) - read - {"DJANGO_SETTINGS_MODULE"}  # read by Django itself
    assert unread == set(), f"set in docker-compose.yml but read by no setting: {unread}"
    assert {"DJANGO_SETTINGS_MODULE", "DJANGO_SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOWED_HOSTS", "REDIS_URL"} <= set(env)
    assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    # The app's database and broker are the compose services, with the postgres service's own credentials.
    pg = services["postgres"]["environment"]
    assert env["DATABASE_URL"] == (f"postgres://{pg['POSTGRES_USER']}:{pg['POSTGRES_PASSWORD']}"
                                   f"@postgres:5432/{pg['POSTGRES_DB']}")
    assert env["REDIS_URL"].startswith("redis://redis:6379/")
    assert f"-U {pg['POSTGRES_USER']} -d {pg['POSTGRES_DB']}" in " ".join(services["postgres"]["healthcheck"]["test"])


def compose_variables() -> dict[str, tuple[str, str]]:
    """{name: (operator, argument)} of every ${NAME...} docker-compose.yml reads."""
    found = {}

    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            for match in VARIABLE.finditer(value):
                if match.group("name"):
                    found[match.group("name")] = (match.group("op") or "", match.group("arg") or "")
    walk(yaml.safe_load(COMPOSE.read_text(encoding="utf-8")))
    return found


def env_example() -> tuple[dict[str, str], dict[str, str]]:
    """(the names .env.example sets, the names it shows commented out with their default), with values."""
    given, commented = {}, {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if match := re.fullmatch(r"([A-Z][A-Z0-9_]*)=(.*)", line):
            given[match[1]] = match[2]
        elif match := re.fullmatch(r"# ([A-Z][A-Z0-9_]*)=(.*)", line):
            commented[match[1]] = match[2]
    return given, commented


def test_the_env_example_lists_every_variable_compose_reads_with_its_default():
    variables = compose_variables()
    given, commented = env_example()

    assert set(given) | set(commented) == set(variables)
    assert set(given) & set(commented) == set()
    required = {name for name, (op, _) in variables.items() if op == ":?"}
    assert required == set(REQUIRED)
    # The administrator fills these in; the example ships no secret and no host of its own.
    assert {name for name, value in given.items() if value == ""} >= required
    for name, value in commented.items():
        # A commented-out line shows what leaving it out means: compose's own default.
        assert variables[name] == (":-", value), name
    # The proxy setting the other helpers document is offered, uncommented, for the administrator to fill.
    assert "DJANGO_TRUSTED_PROXIES" in given


def nginx_directives() -> list[str]:
    text = "\n".join(line.split("#", 1)[0] for line in NGINX_CONF.read_text(encoding="utf-8").splitlines())
    return [" ".join(part.split()) for part in re.split(r"[;{}]", text) if part.strip()]


def test_the_optional_proxy_forwards_to_gunicorn_over_https_without_exposing_the_files():
    data = compose()
    proxy, web = data["services"]["proxy"], data["services"]["web"]
    directives = nginx_directives()

    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in proxy["volumes"] and NGINX_CONF.is_file()
    assert proxy["depends_on"] == {"web": {"condition": "service_healthy"}}
    assert sorted(proxy["ports"]) == ["443:443", "80:80"]
    # Gunicorn's own address inside the compose network, as the web command binds it.
    assert "--bind 0.0.0.0:8000" in command_text(web)
    assert directives.count("proxy_pass http://web:8000") == 1
    # What the production settings read: the scheme (SECURE_PROXY_SSL_HEADER) and the client's address.
    assert "proxy_set_header X-Forwarded-Proto $scheme" in directives
    production = (BASE_DIR / "config" / "settings" / "production.py").read_text(encoding="utf-8")
    assert 'SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")' in production
    assert "proxy_set_header X-Forwarded-For $remote_addr" in directives  # the edge replaces what the client sent
    assert "proxy_set_header Host $host" in directives
    assert "return 301 https://$host$request_uri" in directives
    # Room for the largest upload the app accepts, and not much more: a file up to the limit reaches the
    # app's own check; a far larger one is refused before it is read.
    limit = int(web["environment"]["UPLOAD_MAX_BYTES"])
    size = next(d.split()[1] for d in directives if d.startswith("client_max_body_size "))
    assert re.fullmatch(r"\d+m", size)
    assert limit < int(size[:-1]) * 1024 * 1024 <= limit + 2 * 1024 * 1024
    # Evidence and letters go out only through the app's role-checked views: the proxy neither mounts
    # the data volume nor serves any folder itself.
    assert not any(v.startswith("data:") for v in proxy["volumes"])
    assert not [d for d in directives if d.split()[0] in ("root", "alias") or d.startswith("location /media")]


def production_run(args, env, tmp_path):
    clean = {k: v for k, v in os.environ.items() if k not in OUR_VARIABLES}
    full = {**clean, **{k: str(v) for k, v in env.items()}, "VAR_DIR": str(tmp_path / "data"),
            "STATIC_ROOT": str(tmp_path / "staticfiles")}
    return subprocess.run([sys.executable, *args], cwd=BASE_DIR, env=full, capture_output=True, text=True, timeout=300)


def test_its_web_environment_passes_the_deployment_check(tmp_path):
    env = compose()["services"]["web"]["environment"]

    done = production_run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


SERVE_STATIC = """
import json, django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
from django.templatetags.static import static
setup_test_environment()
from django.conf import settings
settings.ALLOWED_HOSTS = ["testserver"]
client = Client(headers={"x-forwarded-proto": "https"})
url = static("css/app.css")
response = client.get(url, headers={"accept-encoding": "gzip"})
print(json.dumps({"url": url, "status": response.status_code, "encoding": response.get("Content-Encoding"),
                  "cache": response.get("Cache-Control"), "storage": settings.STORAGES["staticfiles"]["BACKEND"],
                  "whitenoise": settings.MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware")}))
"""


def test_it_serves_collected_static_files_with_whitenoise_under_hashed_names(tmp_path):
    import json

    env = compose()["services"]["web"]["environment"]
    # As the Dockerfile's build step does.
    assert "python manage.py collectstatic --noinput" in DOCKERFILE.read_text(encoding="utf-8")
    # Compressing the third-party bundles (Swagger UI, ReDoc, the admin's) and the letters' fonts takes
    # a minute and a half here; they are stored the same way, so the test collects the pages' own files.
    skipped = ["-i", "swagger-ui-dist", "-i", "redoc", "-i", "admin", "-i", "rest_framework",
               "-i", "fonts", "-i", "letter.css"]
    collected = production_run(["manage.py", "collectstatic", "--noinput", "-v0", *skipped], env, tmp_path)
    assert collected.returncode == 0, collected.stderr

    served = production_run(["-c", SERVE_STATIC], env, tmp_path)

    assert served.returncode == 0, served.stderr
    shown = json.loads(served.stdout)
    assert shown["storage"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert shown["whitenoise"] == 1  # right after SecurityMiddleware, as WhiteNoise asks
    assert re.fullmatch(r"/static/css/app\.[0-9a-f]{12}\.css", shown["url"]), shown["url"]
    assert shown["status"] == 200 and shown["encoding"] == "gzip"
    assert "immutable" in shown["cache"]  # hashed names are cached for good
    assert (tmp_path / "staticfiles" / "staticfiles.json").is_file()
