// A small Node stand-in for the demo's backend, used by tests/e2e/server.mjs (the
// Playwright tests). `npm start` runs the reference receiver instead (scripts/serve,
// docs/receiver.md). Serves www/ and pkg/ on 127.0.0.1, issues short-lived signing keys
// at /api/keys, verifies what the demo form posts to /api/leads with the official
// `standardwebhooks` library and keeps it (printed, and appended to
// target/demo/received.jsonl; a repeated id is answered as the first time).
import { createServer } from 'node:http';
import { readFile, mkdir, appendFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

const root = resolve(new URL('..', import.meta.url).pathname);
const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.png': 'image/png',
  '.svg': 'image/svg+xml', '.ts': 'text/plain; charset=utf-8',
};
const received = join(root, 'target', 'demo', 'received.jsonl');
const keys = new Map(); // secret -> expiry (ms)
const seen = new Set();

async function serveFile(res, dir, rel) {
  const base = join(root, dir);
  const file = normalize(join(base, rel));
  if (!file.startsWith(base)) return send(res, 403, 'forbidden');
  try {
    const body = await readFile(file.endsWith('/') ? join(file, 'index.html') : file);
    res.writeHead(200, { 'content-type': types[extname(file) || '.html'] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(body);
  } catch {
    send(res, 404, 'not found');
  }
}

function send(res, status, text) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url, `http://${host}`);
  if (url.pathname === '/api/keys' && req.method === 'POST') {
    const secret = 'whsec_' + randomBytes(24).toString('base64');
    const expires = Date.now() + 10 * 60_000;
    keys.set(secret, expires);
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    return res.end(JSON.stringify({ secret, expires_at: Math.floor(expires / 1000) }));
  }
  if (url.pathname === '/api/leads' && req.method === 'POST') {
    const chunks = [];
    let size = 0;
    for await (const chunk of req) {
      size += chunk.length;
      if (size > 256 * 1024) return send(res, 413, 'payload too large');
      chunks.push(chunk);
    }
    const body = Buffer.concat(chunks).toString('utf8');
    const now = Date.now();
    const verified = [...keys].some(([secret, expires]) => {
      if (expires < now - 60_000) return false;
      try { new Webhook(secret).verify(body, req.headers); return true; } catch { return false; }
    });
    if (!verified) {
      console.log('rejected: bad or stale signature');
      return send(res, 401, 'signature not valid');
    }
    const id = req.headers['webhook-id'];
    if (seen.has(id)) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ ok: true, duplicate: true }));
    }
    seen.add(id);
    const record = { received_at: new Date().toISOString(), headers: {
      'webhook-id': req.headers['webhook-id'], 'webhook-timestamp': req.headers['webhook-timestamp'],
      'webhook-signature': req.headers['webhook-signature'] }, body };
    await mkdir(join(root, 'target', 'demo'), { recursive: true });
    await appendFile(received, JSON.stringify(record) + '\n');
    console.log(`received ${body.length} bytes: ${body.slice(0, 300)}`);
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ ok: true }));
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
  if (url.pathname.startsWith('/pkg/')) return serveFile(res, 'pkg', url.pathname.slice(5));
  return serveFile(res, 'www', url.pathname.slice(1) || 'index.html');
});

server.listen(port, host, () => {
  console.log(`consent-form demo: http://${host}:${port}/  (submissions: ${received})`);
});
