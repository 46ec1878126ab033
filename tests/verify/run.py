"""Test harness for verify_lead.py (receiver/tests/verify_samples.rs runs it).
stdin: {"secret", "headers", "body"}; stdout: "200 <id>", "401 <why>" or "400 <why>"."""
import json
import sys

from standardwebhooks import WebhookVerificationError

from verify_lead import verify_lead

data = json.load(sys.stdin)
try:
    payload = verify_lead(data["secret"], data["headers"], data["body"].encode("utf-8"))
    print(f"200 {payload['id']}")
except WebhookVerificationError as e:
    print(f"401 {e}")
except ValueError as e:
    print(f"400 {e}")
