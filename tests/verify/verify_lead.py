import json

from standardwebhooks import Webhook, WebhookVerificationError


def verify_lead(secret: str, headers: dict, raw_body: bytes) -> dict:
    """secret: the whsec_… key the form signed with; raw_body: the body exactly as
    received. Raises WebhookVerificationError (answer 401) or ValueError (400)."""
    webhook = Webhook(secret)
    text = raw_body.decode("utf-8")  # UnicodeDecodeError is a ValueError
    try:
        # Signature over id.timestamp.body, and a timestamp within 5 minutes.
        webhook.verify(text, headers, json_parse=False)
    except ValueError as e:
        # What the library raises for a malformed webhook-signature ("garbage", bad
        # base64): no valid signature, so 401 like any other.
        raise WebhookVerificationError(f"malformed webhook-signature: {e}") from e
    payload = json.loads(text)  # json.JSONDecodeError is a ValueError
    if not isinstance(payload, dict):
        raise ValueError("the body is not a JSON object")
    lowered = {name.lower(): value for name, value in headers.items()}
    if payload.get("id") != lowered.get("webhook-id"):
        raise ValueError("the payload id differs from the webhook-id header")
    return payload  # store it once per payload["id"]; answer a repeated id 2xx again
