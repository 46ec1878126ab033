"""Verifies submissions captured from the real component in a real browser with the
official Standard Webhooks package from PyPI (`standardwebhooks`), as a host's Python
backend would, and checks that it rejects a tampered body, a wrong key, a changed id or
timestamp, and a stale timestamp.

    python3 tests/verify-python/verify.py <captured.json>

captured.json is described in tests/verify-node/verify.mjs. Exits 1 if any check fails.
"""

import base64
import json
import os
import sys
from datetime import datetime, timezone

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

checks = 0
failures = 0


def check(name, ok, detail=""):
    global checks, failures
    checks += 1
    if not ok:
        failures += 1
    print(f"{'ok  ' if ok else 'FAIL'} {name}{' — ' + detail if detail else ''}")


def rejection(secret, body, headers):
    """The error the library raises, or None if it accepted."""
    try:
        Webhook(secret).verify(body, headers)
        return None
    except WebhookVerificationError as e:
        return f"WebhookVerificationError: {e}"


def tamper(body: bytes) -> bytes:
    """Changes one byte of the JSON body: a letter of the first field name under "fields"."""
    copy = bytearray(body)
    at = copy.index(b'"fields"') + 12
    copy[at] = 0x42 if copy[at] == 0x41 else 0x41
    return bytes(copy)


def main(path):
    with open(path, encoding="utf-8") as f:
        messages = json.load(f)["messages"]
    for m in messages:
        body = base64.b64decode(m["body_b64"])
        headers = {
            "webhook-id": m["id"],
            "webhook-timestamp": m["timestamp"],
            "webhook-signature": m["signature"],
        }
        tag = f"[{m['name']}]"
        if m["expect"] == "valid":
            try:
                parsed = Webhook(m["secret"]).verify(body, headers)
                check(f"{tag} verifies", True, f"{len(body)} bytes")
                check(f"{tag} body id equals webhook-id", parsed.get("id") == m["id"], str(parsed.get("id")))
            except WebhookVerificationError as e:
                check(f"{tag} verifies", False, str(e))
            r = rejection(m["secret"], tamper(body), headers)
            check(f"{tag} tampered body rejected", r is not None, r or "accepted!")
            wrong = "whsec_" + base64.b64encode(os.urandom(32)).decode()
            r = rejection(wrong, body, headers)
            check(f"{tag} wrong key rejected", r is not None, r or "accepted!")
            other = m["id"][:-1] + ("B" if m["id"][-1] == "A" else "A")
            r = rejection(m["secret"], body, {**headers, "webhook-id": other})
            check(f"{tag} changed id rejected", r is not None, r or "accepted!")
            r = rejection(m["secret"], body, {**headers, "webhook-timestamp": str(int(m["timestamp"]) - 1)})
            check(f"{tag} changed timestamp rejected", r is not None, r or "accepted!")
            r = rejection(m["secret"], body, {**headers, "webhook-timestamp": str(int(m["timestamp"]) - 600)})
            check(f"{tag} timestamp moved 10 minutes back rejected", r is not None, r or "accepted!")
        elif m["expect"] == "stale":
            r = rejection(m["secret"], body, headers)
            check(f"{tag} stale timestamp rejected", r is not None and "too old" in r, r or "accepted!")
            # Only the age is wrong: the library's own signature over the same bytes matches.
            at = datetime.fromtimestamp(int(m["timestamp"]), tz=timezone.utc)
            expected = Webhook(m["secret"]).sign(m["id"], at, body.decode("utf-8"))
            check(f"{tag} its signature is right for its (old) timestamp", expected == m["signature"])
        else:
            check(f"{tag} known expectation", False, str(m["expect"]))
    print(f"PyPI standardwebhooks: {checks - failures}/{checks} checks passed on {len(messages)} captured messages")
    return 0 if failures == 0 and checks > 0 else 1


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: python3 tests/verify-python/verify.py <captured.json>", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
