"""Notifications' e-mail copies leave the server through the SMTP server EMAIL_HOST names (port, TLS and
account beside it); with none named they are written to the log, and EMAIL_BACKEND still chooses."""

import json

from .test_settings import run

SHOW_EMAIL = """
import json
import django
django.setup()
from django.conf import settings
print(json.dumps({name: getattr(settings, name) for name in (
    "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS")}))
"""


def email_settings(tmp_path, **env) -> dict:
    done = run(["-c", SHOW_EMAIL], DJANGO_SETTINGS_MODULE="config.settings.local", VAR_DIR=str(tmp_path), **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_without_a_mail_server_the_copies_go_to_the_log(tmp_path):
    assert email_settings(tmp_path)["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    # An empty line in .env (EMAIL_BACKEND=) means the default too, not a backend named "".
    assert email_settings(tmp_path, EMAIL_BACKEND="")["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_a_mail_server_named_sends_through_smtp_with_its_account(tmp_path):
    shown = email_settings(tmp_path, EMAIL_HOST="mail.vinhlinh.example.vn", EMAIL_PORT="465",
                           EMAIL_HOST_USER="cchc", EMAIL_HOST_PASSWORD="bi-mat", EMAIL_USE_TLS="false")

    assert shown == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "mail.vinhlinh.example.vn",
        "EMAIL_PORT": 465, "EMAIL_HOST_USER": "cchc", "EMAIL_HOST_PASSWORD": "bi-mat", "EMAIL_USE_TLS": False,
    }


def test_a_bad_port_stops_the_start_naming_the_variable(tmp_path):
    done = run(["-c", SHOW_EMAIL], DJANGO_SETTINGS_MODULE="config.settings.local", VAR_DIR=str(tmp_path),
               EMAIL_HOST="mail.example.vn", EMAIL_PORT="năm trăm")
    assert done.returncode != 0 and "EMAIL_PORT" in done.stderr
