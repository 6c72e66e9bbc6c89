"""DJANGO_TRUSTED_PROXIES: the reverse proxies whose X-Forwarded-For the throttle and the audit log
believe. Read once at start-up, so each case runs in a fresh process (tests/config/test_settings.py)."""

from .test_settings import run

SHOW_PROXIES = "from django.conf import settings; print(' '.join(str(n) for n in settings.TRUSTED_PROXIES))"


def show_proxies(**env):
    return run(["-c", f"import django; django.setup(); {SHOW_PROXIES}"],
               DJANGO_SETTINGS_MODULE="config.settings.local", **env)


def test_by_default_no_proxy_is_trusted(tmp_path):
    done = show_proxies(VAR_DIR=str(tmp_path))

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_it_reads_addresses_and_networks(tmp_path):
    done = show_proxies(VAR_DIR=str(tmp_path), DJANGO_TRUSTED_PROXIES=" 172.18.0.2 , 10.0.0.0/8,2001:db8::/32,")

    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["172.18.0.2/32", "10.0.0.0/8", "2001:db8::/32"]


def test_a_value_that_is_no_address_stops_start_up_naming_the_variable(tmp_path):
    for bad in ("172.18.0.2,proxy.local", "10.0.0.0/33", "*"):
        done = run(["manage.py", "check"], DJANGO_SETTINGS_MODULE="config.settings.local", VAR_DIR=str(tmp_path),
                   DJANGO_TRUSTED_PROXIES=bad)
        assert done.returncode != 0, bad
        assert "DJANGO_TRUSTED_PROXIES" in done.stderr and "ImproperlyConfigured" in done.stderr, bad
