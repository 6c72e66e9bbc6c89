"""A closed-loop HTTP load generator: N threads, each with its own keep-alive connection and session
cookie, asking for pages until the time is up — back to back, or as people do, reading each page for a
while (``think``: seconds drawn uniformly between two bounds) before asking for the next. Standard
library only; loopback only."""

import http.client
import random
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Sample:
    page: str
    seconds: float
    status: int  # 0: no answer (connection error or timeout)


@dataclass
class Client:
    cookie: str
    pages: list[tuple[str, str]]  # (page name, path) this client asks for, in turn at random
    samples: list[Sample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def run_clients(host: str, port: int, clients: list[Client], seconds: float, *, timeout: float = 30.0,
                think: tuple[float, float] = (0.0, 0.0)) -> float:
    """Run every client in its own thread for ``seconds``; returns the wall time actually spent. Each
    client waits ``think`` (uniform between the bounds) after every answer; the wait is not timed."""
    deadline = time.monotonic() + seconds

    def loop(index: int, client: Client) -> None:
        rng = random.Random(index)
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
        headers = {"Cookie": client.cookie, "X-Forwarded-Proto": "https", "Host": host, "Accept-Encoding": "gzip"}
        if think[1] > 0:  # people do not all click at the same instant
            time.sleep(rng.uniform(0, think[1]))
        while time.monotonic() < deadline:
            page, path = rng.choice(client.pages)
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
                if response.will_close:
                    connection.close()
            except (OSError, http.client.HTTPException) as exc:
                status = 0
                client.errors.append(f"{path}: {type(exc).__name__}: {exc}")
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=timeout)
            elapsed = time.perf_counter() - started
            client.samples.append(Sample(page, elapsed, status))
            if status != 200 and status != 0:
                client.errors.append(f"{path}: HTTP {status}")
            if think[1] > 0:
                time.sleep(min(rng.uniform(*think), max(0.0, deadline - time.monotonic())))
        connection.close()

    threads = [threading.Thread(target=loop, args=(i, c), daemon=True) for i, c in enumerate(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + timeout + 10)
    return time.monotonic() - started


def percentile(sorted_values: list[float], share: float) -> float | None:
    """Nearest-rank percentile of already sorted values (share 0.95 for p95)."""
    if not sorted_values:
        return None
    rank = max(1, -(-int(share * 1000) * len(sorted_values) // 1000))  # ceil(share × n) without floats drifting
    return sorted_values[min(rank, len(sorted_values)) - 1]


def summary(samples: list[Sample], wall: float) -> dict:
    times = sorted(s.seconds for s in samples)
    errors = sum(1 for s in samples if s.status != 200)

    def ms(value):
        return None if value is None else round(value * 1000, 1)

    return {
        "requests": len(samples),
        "errors": errors,
        "requests_per_second": round(len(samples) / wall, 1) if wall else None,
        "p50_ms": ms(percentile(times, 0.50)),
        "p95_ms": ms(percentile(times, 0.95)),
        "p99_ms": ms(percentile(times, 0.99)),
        "max_ms": ms(times[-1] if times else None),
        "mean_ms": ms(sum(times) / len(times) if times else None),
    }
