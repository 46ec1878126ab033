// Signs a body with the official npm `standardwebhooks` package, for the receiver's
// tests. Input on stdin: {"secret":"whsec_…","id":"msg_…","timestamp":<unix s>,"body":"…"}.
// Output: the webhook-signature value.
import { Webhook } from 'standardwebhooks';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const { secret, id, timestamp, body } = JSON.parse(input);
process.stdout.write(new Webhook(secret).sign(id, new Date(timestamp * 1000), body) + '\n');
