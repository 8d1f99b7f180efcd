"""`workbench serve`: localhost by default; anything else needs a token and prints a warning; with a token
every page, websocket and download asks for it. The server test is bounded in time and stops by itself."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from workbench.cli import main, web_cmds

TOKEN = "s3cret-token-for-tests-0123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "example.org"])
def test_a_non_local_bind_needs_a_token(example_store, capsys, host, monkeypatch):
    monkeypatch.delenv(web_cmds.TOKEN_ENV, raising=False)
    code = main(["--store", str(example_store.root), "serve", "--host", host])
    err = capsys.readouterr().err
    assert code == 2 and f"refusing to bind {host}" in err and "--token" in err
    code = main(["--store", str(example_store.root), "serve", "--host", host, "--token", "short"])
    assert code == 2 and "too short" in capsys.readouterr().err


def test_loopback_needs_no_token():
    assert web_cmds.is_loopback("127.0.0.1") and web_cmds.is_loopback("localhost") and web_cmds.is_loopback("::1")
    assert not web_cmds.is_loopback("0.0.0.0") and not web_cmds.is_loopback("my-host")
    web_cmds.check_bind("127.0.0.1", None)  # no error


def test_a_token_bind_warns_and_serves_read_only_command(example_store, capsys, monkeypatch):
    made = {}

    class FakeServer:
        public_url = "http://10.0.0.5:8000"

        def serve(self):
            made["served"] = True

    def fake(command, host, port, token, public_url, title):
        made.update(command=command, host=host, token=token, title=title)
        return FakeServer()

    monkeypatch.setattr(web_cmds, "make_server", fake)
    code = main(["--store", str(example_store.root), "serve", "--host", "10.0.0.5", "--token", TOKEN, "--read-only"])
    out, err = capsys.readouterr()
    assert code == 0 and made["served"] and made["token"] == TOKEN and made["host"] == "10.0.0.5"
    assert "WARNING: serving the workbench on 10.0.0.5:8000, beyond this machine" in err and "can read this" in err
    assert made["command"].endswith(f"--store {example_store.root} open --read-only")
    assert f"http://10.0.0.5:8000/?token={TOKEN}" in out and "(read-only)" in made["title"]


def get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=3) as r:
            return r.status, r.read().decode(), r.headers.get("Set-Cookie", "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), ""


@pytest.mark.parametrize("token", [None, TOKEN], ids=["default", "token"])
def test_serve_starts_and_answers_on_localhost(example_store, token):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != web_cmds.TOKEN_ENV} | {"PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "workbench",
            "--store",
            str(example_store.root),
            "serve",
            "--port",
            str(port),
            "--read-only",
            *(["--token", token] if token else []),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        status = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                status, body, cookie = get(base + ("?token=" + token if token else ""))
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        assert status == 200, f"no answer on {base}: {proc.poll()} {proc.stderr.read() if proc.poll() else ''}"
        assert f"ws://127.0.0.1:{port}/ws" in body
        if token:
            assert "workbench_token=" in cookie and "HttpOnly" in cookie
            assert get(base)[0] == 403  # no token, no page
            assert get(base + "?token=wrong-token-wrong-token")[0] == 403
            assert get(base + "ws")[0] == 403
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            out, _ = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise
    assert proc.returncode is not None
    assert f"Serving {example_store.root} read-only at http://127.0.0.1:{port}/" in out
