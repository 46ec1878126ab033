// Verifies submissions captured from the real component in a real browser with the
// official Standard Webhooks package from npm (`standardwebhooks`), as a host's Node
// backend would, and checks that it rejects a tampered body, a wrong key, a changed id
// or timestamp, and a stale timestamp.
//
//   node tests/verify-node/verify.mjs <captured.json>
//
// captured.json: { "messages": [{ "name", "secret", "id", "timestamp", "signature",
// "body_b64", "expect": "valid" | "stale" }] } (written by tests/delivery/verify.test.mjs).
// Exits 1 if any check fails.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

const file = process.argv[2];
if (!file) {
  console.error('usage: node tests/verify-node/verify.mjs <captured.json>');
  process.exit(2);
}
const { messages } = JSON.parse(readFileSync(file, 'utf8'));
let failures = 0;
let checks = 0;

function check(name, ok, detail = '') {
  checks++;
  if (!ok) failures++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
}

/** Runs `verify` and returns the error message, or null if it accepted. */
function rejection(secret, body, headers) {
  try {
    new Webhook(secret).verify(body, headers);
    return null;
  } catch (e) {
    return `${e.name}: ${e.message}`;
  }
}

/** Changes one byte of the JSON body: a letter of the first field name under "fields". */
function tamper(bytes) {
  const copy = Buffer.from(bytes);
  const at = copy.indexOf('"fields"') + 12;
  copy[at] = copy[at] === 0x41 ? 0x42 : 0x41;
  return copy;
}

for (const m of messages) {
  const body = Buffer.from(m.body_b64, 'base64');
  const headers = { 'webhook-id': m.id, 'webhook-timestamp': m.timestamp, 'webhook-signature': m.signature };
  const tag = `[${m.name}]`;
  if (m.expect === 'valid') {
    let parsed = null;
    try {
      parsed = new Webhook(m.secret).verify(body, headers);
    } catch (e) {
      check(`${tag} verifies`, false, `${e.name}: ${e.message}`);
    }
    if (parsed) {
      check(`${tag} verifies`, true, `${body.length} bytes`);
      check(`${tag} body id equals webhook-id`, parsed.id === m.id, parsed.id);
      // The library parses the body; verifying the same bytes as a string gives the same result.
      check(`${tag} verifies as a string too`, rejection(m.secret, body.toString('utf8'), headers) === null);
    }
    const t = rejection(m.secret, tamper(body), headers);
    check(`${tag} tampered body rejected`, t !== null, t ?? 'accepted!');
    const w = rejection('whsec_' + randomBytes(32).toString('base64'), body, headers);
    check(`${tag} wrong key rejected`, w !== null, w ?? 'accepted!');
    const i = rejection(m.secret, body, { ...headers, 'webhook-id': m.id.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) });
    check(`${tag} changed id rejected`, i !== null, i ?? 'accepted!');
    const ts = rejection(m.secret, body, { ...headers, 'webhook-timestamp': String(Number(m.timestamp) - 1) });
    check(`${tag} changed timestamp rejected`, ts !== null, ts ?? 'accepted!');
    const old = rejection(m.secret, body, { ...headers, 'webhook-timestamp': String(Number(m.timestamp) - 600) });
    check(`${tag} timestamp moved 10 minutes back rejected`, old !== null, old ?? 'accepted!');
  } else if (m.expect === 'stale') {
    const s = rejection(m.secret, body, headers);
    check(`${tag} stale timestamp rejected`, s !== null && /too old/i.test(s), s ?? 'accepted!');
    // Only the age is wrong: the library's own signature over the same bytes matches.
    const wh = new Webhook(m.secret);
    const expected = wh.sign(m.id, new Date(Number(m.timestamp) * 1000), body.toString('utf8'));
    check(`${tag} its signature is right for its (old) timestamp`, expected === m.signature);
  } else {
    check(`${tag} known expectation`, false, String(m.expect));
  }
}

console.log(`npm standardwebhooks: ${checks - failures}/${checks} checks passed on ${messages.length} captured messages`);
process.exit(failures === 0 && checks > 0 ? 0 : 1);
