import { Webhook } from 'standardwebhooks';

// secret: the whsec_… key the form signed with; headers: the request's headers;
// rawBody: the body exactly as received (string or Buffer), never re-serialised JSON.
// Throws WebhookVerificationError (answer 401) or Error (answer 400).
export function verifyLead(secret, headers, rawBody) {
  // Signature over id.timestamp.body, and a timestamp within 5 minutes.
  const payload = new Webhook(secret).verify(rawBody, headers);
  const id = Object.entries(headers).find(([name]) => name.toLowerCase() === 'webhook-id')?.[1];
  if (payload.id !== id) throw new Error('the payload id differs from the webhook-id header');
  return payload; // store it once per payload.id; answer a repeated id 2xx again
}
