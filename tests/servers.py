"""Real servers for tests: a free loopback port, and a subprocess started, awaited and stopped."""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Iterator, Sequence

import httpx
import pytest


def free_port() -> int:
    """A loopback port that nothing listens on (at the moment of asking)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(command: Sequence[str], ready_url: str, *, log: Path, timeout: float = 60,
            env: dict[str, str] | None = None) -> Iterator[subprocess.Popen]:
    """Run ``command`` in its own process group until ``ready_url`` answers 200; stop it afterwards.

    Fails the test with the end of the server's output when it exits or stays silent past ``timeout``.
    """
    with log.open("wb") as out:
        proc = subprocess.Popen(list(command), stdout=out, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                pytest.fail(f"{command[0]} exited with {proc.returncode}:\n{log.read_text()[-2000:]}")
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(ready_url, timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                pytest.fail(f"{command[0]} did not answer {ready_url} within {timeout} s:\n{log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
