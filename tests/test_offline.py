"""The product makes no outbound connection: it answers with every network socket blocked."""

from __future__ import annotations

from conftest import run_fresh

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
    # The product must set HF_HUB_OFFLINE and ANONYMIZED_TELEMETRY itself.
    out = run_fresh(BLOCK_AND_ASK, built_index, unset=("HF_HUB_OFFLINE", "ANONYMIZED_TELEMETRY"))
    assert out["status"] == "answered"
