"""scripts/serve.sh keeps web, worker and beat running: its restart loops
(scripts/lib/supervise.sh) run here on small stand-in processes."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
SUPERVISE = BASE_DIR / "scripts" / "lib" / "supervise.sh"

SCRIPT = """
set -euo pipefail
source "{supervise}"
supervise flaky sh -c 'echo started >> "{dir}/flaky.log"; exit 3' &
supervise steady sh -c 'echo $$ >> "{dir}/steady.pids"; exec sleep 300' &
supervise_wait
"""


def _wait_for(condition, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def _lines(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def supervised(tmp_path):
    """The two stand-ins under supervision, in a process group of their own (a terminal)."""
    script = tmp_path / "serve.sh"
    script.write_text(SCRIPT.format(supervise=SUPERVISE, dir=tmp_path))
    env = {**os.environ, "SUPERVISE_MAX_DELAY": "1", "SUPERVISE_STABLE_SECONDS": "60"}
    process = subprocess.Popen(
        ["/bin/bash", str(script)],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert _wait_for(lambda: len(_lines(tmp_path / "steady.pids")) == 1)
    yield process, tmp_path
    if _group_alive(process.pid):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)


def test_a_process_that_dies_is_restarted_and_the_others_keep_running(supervised):
    process, tmp = supervised
    steady = int(_lines(tmp / "steady.pids")[0])

    restarted = _wait_for(lambda: len(_lines(tmp / "flaky.log")) >= 3)

    assert restarted, "the crashing process was not started again"
    assert process.poll() is None
    assert _alive(steady) and _lines(tmp / "steady.pids") == [str(steady)]


def test_a_killed_process_comes_back_with_a_new_pid(supervised):
    process, tmp = supervised
    first = int(_lines(tmp / "steady.pids")[0])

    os.kill(first, signal.SIGKILL)

    assert _wait_for(lambda: len(_lines(tmp / "steady.pids")) == 2)
    second = int(_lines(tmp / "steady.pids")[1])
    assert second != first and _alive(second)
    assert process.poll() is None


@pytest.mark.parametrize(
    ("send", "code"),
    [
        (lambda p: os.killpg(p.pid, signal.SIGINT), 130),  # Ctrl+C in the terminal
        (lambda p: os.kill(p.pid, signal.SIGTERM), 143),  # a process manager's stop
    ],
    ids=["ctrl-c", "term"],
)
def test_ctrl_c_or_term_stops_everything(supervised, send, code):
    process, tmp = supervised
    steady = int(_lines(tmp / "steady.pids")[0])

    send(process)

    assert process.wait(timeout=90) == code
    assert _wait_for(lambda: not _group_alive(process.pid), 10), "a process survived"
    assert not _alive(steady)


def test_serve_sh_runs_web_worker_and_beat_under_supervision():
    serve = (BASE_DIR / "scripts" / "serve.sh").read_text()

    assert "source scripts/lib/supervise.sh" in serve
    for name in ("web", "worker", "beat"):
        assert f"supervise {name} " in serve
    assert "supervise_wait" in serve and "wait -n" not in serve
