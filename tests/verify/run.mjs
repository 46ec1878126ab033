// Test harness for verify_lead.mjs (receiver/tests/verify_samples.rs runs it).
// stdin: {"secret", "headers", "body"}; stdout: "200 <id>", "401 <why>" or "400 <why>".
import { WebhookVerificationError } from 'standardwebhooks';
import { verifyLead } from './verify_lead.mjs';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const { secret, headers, body } = JSON.parse(input);
try {
  const payload = verifyLead(secret, headers, Buffer.from(body, 'utf8'));
  console.log(`200 ${payload.id}`);
} catch (e) {
  console.log(`${e instanceof WebhookVerificationError ? 401 : 400} ${e.message}`);
}
