// Issue 5, point 3: payloads made by the real component in a real browser (Chromium
// driving the built pkg/) are captured byte for byte at a loopback receiver, then
// verified by the official Standard Webhooks packages from npm and PyPI
// (tests/verify-node/verify.mjs, on Node 20 and on tests/node/'s 24 and 22;
// tests/verify-python/verify.py), which must also reject
// a tampered body, a wrong key and a stale timestamp.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServers, root } from './lib/server.mjs';
import { nodeBinary, withoutNode } from '../e2e/server.mjs';
import { launch, newContext, openForms, submit, waitFor } from './lib/browser.mjs';

let servers;
let browser;
const messages = [];
const out = join(root, 'target', 'delivery');
const capturedFile = join(out, 'captured.json');

before(async () => {
  servers = await startServers();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await servers?.close();
});

/** The receiver's capture of submission `id` (the last, if several). */
function captureOf(id) {
  const found = servers.state.captured.filter((c) => c.id === id);
  assert.ok(found.length > 0, `the receiver saw ${id}`);
  return found[found.length - 1];
}

test('a typical contact submission with a key from key-url', async () => {
  const { context, events, errors } = await newContext(browser);
  const page = await openForms(context, servers);
  await submit(page, 'f0', {
    name: 'Nguyễn Thị Minh Khai',
    phone: '0902 666 984',
    more: { company: 'Công ty TNHH Ánh Dương', email: 'minh.khai@example.vn', need: 'Tư vấn thiết kế website bán hàng', industry: true },
  });
  const done = await waitFor(page, 'f0', ['sent', 'failed']);
  assert.equal(done.phase, 'sent', done.text);
  const submitEvent = events.find((e) => e.type === 'consent-form:submit');
  assert.equal(submitEvent?.detail?.id, done.id, 'the receipt shows the id the submit event gave');
  const c = captureOf(done.id);
  assert.equal(c.contentType, 'application/json');
  const body = Buffer.from(c.bodyB64, 'base64');
  const payload = JSON.parse(body.toString('utf8'));
  assert.equal(payload.id, c.id);
  assert.equal(payload.form, 'contact');
  assert.equal(payload.fields.phone, '+84902666984');
  assert.deepEqual(payload.consents.map((x) => [x.purpose, x.granted]),
    [['consultation', true], ['marketing', false], ['call_recording', false]]);
  // The page gave policy_url "/privacy.html": each consent names the policy by its
  // absolute URL on the page's site, and so does the receipt.
  const policy = `${servers.pageOrigin}/privacy.html`;
  for (const consent of payload.consents) {
    assert.equal(consent.policy_url, policy, consent.purpose);
    assert.equal(consent.record.processing.notice.policy_url, policy, consent.purpose);
  }
  assert.ok(done.text.includes(policy), `the receipt shows ${policy}`);
  // The key that signed it: the one key the page fetched from /api/keys.
  assert.equal(servers.issuedKeys().length, 1);
  messages.push({ name: 'contact, key-url', secret: servers.issuedKeys()[0], id: c.id, timestamp: c.timestamp,
    signature: c.signature, body_b64: c.bodyB64, expect: 'valid' });
  console.log(`typical contact payload: ${body.length} bytes (company, name, industry, need, phone, email; 3 consents)`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a submission signed with an inline secret, marketing agreed, Vietnamese texts', async () => {
  const { context, errors } = await newContext(browser);
  const secret = servers.inlineSecret();
  const page = await openForms(context, servers, { config: { key_url: null, secret, locale: 'vi' } });
  await submit(page, 'f0', { name: 'Trần Văn Ba', phone: '+84 38 123 4567', marketing: true });
  const done = await waitFor(page, 'f0', ['sent', 'failed']);
  assert.equal(done.phase, 'sent', done.text);
  const c = captureOf(done.id);
  const payload = JSON.parse(Buffer.from(c.bodyB64, 'base64').toString('utf8'));
  assert.equal(payload.locale, 'vi');
  assert.equal(payload.consents.find((x) => x.purpose === 'marketing')?.granted, true);
  messages.push({ name: 'contact, inline secret, vi', secret, id: c.id, timestamp: c.timestamp,
    signature: c.signature, body_b64: c.bodyB64, expect: 'valid' });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a captcha token from the host\'s hook is in the signed body', async () => {
  const { context, errors } = await newContext(browser);
  const page = await openForms(context, servers);
  // As a host would with a provider's widget: the token comes later, from a promise.
  await page.evaluate(() => {
    window.cfCaptchaCalls = [];
    document.getElementById('f0').captcha = (detail) => {
      window.cfCaptchaCalls.push(detail);
      return new Promise((resolve) => setTimeout(() => resolve(`0.pw-${detail.id}`), 100));
    };
  });
  await submit(page, 'f0', { name: 'Phạm Thị Captcha' });
  const done = await waitFor(page, 'f0', ['sent', 'failed']);
  assert.equal(done.phase, 'sent', done.text);
  const calls = await page.evaluate(() => window.cfCaptchaCalls);
  assert.deepEqual(calls, [{ id: done.id, form: 'contact' }]);
  const c = captureOf(done.id);
  assert.equal(c.verified, true, 'the receiver verified the signature over the body with the token');
  const payload = JSON.parse(Buffer.from(c.bodyB64, 'base64').toString('utf8'));
  assert.equal(payload.captcha, `0.pw-${done.id}`);
  messages.push({ name: 'contact, captcha token', secret: servers.issuedKeys().at(-1), id: c.id,
    timestamp: c.timestamp, signature: c.signature, body_b64: c.bodyB64, expect: 'valid' });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a browser whose clock is 10 minutes slow signs a stale timestamp', async () => {
  const { context, errors } = await newContext(browser);
  const secret = servers.inlineSecret();
  await context.clock.setFixedTime(Date.now() - 10 * 60_000);
  const slow = await openForms(context, servers, { config: { key_url: null, secret } });
  await submit(slow, 'f0', { name: 'Lê Văn Chậm' });
  // The receiver (npm standardwebhooks) refuses it with 401: final, shown with the reason.
  const failed = await waitFor(slow, 'f0', ['failed', 'sent']);
  assert.equal(failed.phase, 'failed', failed.text);
  assert.match(failed.text, /401/);
  assert.equal(failed.values.name, 'Lê Văn Chậm', 'what the visitor typed is still there');
  const c = servers.state.captured[servers.state.captured.length - 1];
  assert.equal(c.verified, false);
  assert.ok(Math.abs(Number(c.timestamp) - (Date.now() / 1000 - 600)) < 60, `timestamp ${c.timestamp} is 10 minutes old`);
  messages.push({ name: 'stale clock', secret, id: c.id, timestamp: c.timestamp, signature: c.signature,
    body_b64: c.bodyB64, expect: 'stale' });
  assert.deepEqual(errors, []);
  await context.close();
});

/** `cmd args` in the repository's root, to its end: what it printed (a failure if it failed). */
function run(cmd, args) {
  try {
    return execFileSync(cmd, args, { cwd: root, encoding: 'utf8' });
  } catch (e) {
    assert.fail(`${cmd} ${args.join(' ')} failed:\n${e.stdout}\n${e.stderr}`);
  }
}

test('the official verifiers from npm and PyPI agree', () => {
  assert.equal(messages.length, 4, 'all four captures were made');
  mkdirSync(out, { recursive: true });
  writeFileSync(capturedFile, JSON.stringify({ messages }, null, 2));
  const node = run('node', ['tests/verify-node/verify.mjs', capturedFile]);
  process.stdout.write(node);
  assert.match(node, /npm standardwebhooks: (\d+)\/\1 checks passed on 4 captured messages/);
  const python = run('python3', ['tests/verify-python/verify.py', capturedFile]);
  process.stdout.write(python);
  assert.match(python, /PyPI standardwebhooks: (\d+)\/\1 checks passed on 4 captured messages/);
});

// A host's backend on the Node servers run today (tests/node/'s 24 and 22; a missing one
// is skipped, saying so): npm's verifier takes and refuses the same.
for (const major of [24, 22]) {
  test(`npm's standardwebhooks on Node ${major} agrees too`, { skip: withoutNode(major) }, () => {
    const node = run(nodeBinary(major), ['tests/verify-node/verify.mjs', capturedFile]);
    assert.match(node, /npm standardwebhooks: (\d+)\/\1 checks passed on 4 captured messages/, node);
  });
}
