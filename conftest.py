"""Suite-wide rules: a skipped test is a failure here, since every test must run in CI."""


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped and session.exitstatus == 0:
        reporter.write_line(f"{skipped} test(s) were skipped: every test must run, so the run fails.", red=True)
        session.exitstatus = 1
