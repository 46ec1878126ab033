from standardwebhooks import Webhook


def verify_lead(secret: str, headers: dict, raw_body: bytes) -> dict:
    """secret: the whsec_… key the form signed with; raw_body: the body exactly as
    received. Raises WebhookVerificationError (answer 401) or ValueError (400)."""
    # Signature over id.timestamp.body, and a timestamp within 5 minutes.
    payload = Webhook(secret).verify(raw_body, headers)
    lowered = {name.lower(): value for name, value in headers.items()}
    if payload.get("id") != lowered.get("webhook-id"):
        raise ValueError("the payload id differs from the webhook-id header")
    return payload  # store it once per payload["id"]; answer a repeated id 2xx again
