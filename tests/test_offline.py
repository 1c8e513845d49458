"""The product makes no outbound connection: it answers with every network socket blocked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

BLOCK_AND_ASK = """
import socket, json
def refuse(*args, **kwargs):
    raise OSError("network blocked by test")
class NoNetwork(socket.socket):
    def connect(self, address):
        if self.family != socket.AF_UNIX:
            refuse()
    connect_ex = connect
socket.socket = NoNetwork
socket.create_connection = refuse
socket.getaddrinfo = refuse
from bot import Bot
answer = Bot(progress=False).ask("How do traffickers use social media?")
print(json.dumps(answer.to_dict()))
"""


def test_answers_with_all_network_sockets_blocked(built_index):
    env = {
        **os.environ,
        "BOT_INDEX_DIR": str(built_index.index_dir),
        "BOT_CORPUS_DIR": str(built_index.corpus_dir),
    }
    for key in ("HF_HUB_OFFLINE", "ANONYMIZED_TELEMETRY"):
        env.pop(key, None)  # the product must set these itself
    out = subprocess.run(
        [sys.executable, "-c", BLOCK_AND_ASK],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.splitlines()[-1])["status"] == "answered"
