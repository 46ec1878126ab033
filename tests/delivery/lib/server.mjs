// The servers the delivery tests run against, on loopback, in the test's own process:
//
// - the page server (origin A) serves pkg/, the test page and www/, and issues
//   short-lived signing keys at POST /api/keys (and, for tests, bad key answers);
// - the receiver (origin B, so every submission is a CORS request, as on most sites)
//   takes POST /leads. It captures the exact bytes and headers of every request,
//   verifies the signature with the official `standardwebhooks` package from npm, and
//   stores each id once (a repeated id is answered 200 and counted as a duplicate).
//   Its `mode` makes it fail on purpose: refuse connections (it stops listening),
//   500, 503 + Retry-After, hang past the timeout, store then drop the connection,
//   4xx, redirects, huge or non-JSON answers, no CORS.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

export const root = resolve(new URL('../../..', import.meta.url).pathname);
export const pkgDir = resolve(process.env.CF_PKG_DIR ?? join(root, 'pkg'));

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json',
};

/** The receiver's ways of answering. */
export const MODES = [
  'ok', 'refuse', '500', '503', 'hang', 'store-then-drop', '400', '401', '403', '408', '422', '429',
  'redirect', 'no-cors', 'huge-200', 'huge-500', 'html-200', 'html-400', 'html-500',
];

function listen(server, port = 0) {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', fail);
      done(server.address().port);
    });
  });
}

function closeServer(server) {
  return new Promise((done) => {
    if (!server.listening) return done();
    server.close(() => done());
    server.closeAllConnections?.();
  });
}

async function readBody(req, limit) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new Error('too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Streams `bytes` of filler to `res` without holding them in memory (chunked unless `sized`). */
function streamHuge(res, status, bytes, sized = true, extra = {}) {
  res.writeHead(status, {
    ...extra, 'content-type': 'text/html; charset=utf-8', ...(sized ? { 'content-length': String(bytes) } : {}),
  });
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let left = bytes;
  const pump = () => {
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      left -= n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return res.once('drain', pump);
    }
    res.end();
  };
  res.on('close', () => { left = 0; });
  pump();
}

/**
 * `serve`, if given, answers the page server's GETs first: (pathname, url) => a `{ type, body }`
 * (and `headers`, if any) to send, or null to fall through to pkg/, /t/ and www/ (tests/e2e/frameworks.test.mjs
 * serves its framework pages and libraries this way).
 * The receiver answers CORS for the page server's origin, or for `state.pageOrigin` once
 * a test sets it (tests/e2e/nextjs.test.mjs: pages served by Next.js on its own port).
 */
export async function startServers({ serve = null } = {}) {
  const keys = new Map(); // secret -> expiry (ms)
  const state = {
    mode: 'ok',
    keyMode: 'ok',
    retryAfter: '1',
    /** Every POST /leads that arrived, in order: { id, timestamp, signature, bodyB64, mode, verified }. */
    captured: [],
    /** Ids stored, in order; each once. */
    stored: [],
    storedBodies: new Map(),
    /** Deliveries per id (valid signature), stored or answered as duplicates. */
    deliveries: new Map(),
    duplicates: 0,
    rejected: 0,
    requests: 0,
    preflights: 0,
    keyRequests: 0,
    /** How long an issued key lives. */
    keyTtlMs: 10 * 60_000,
    hanging: new Set(),
    /** Requests to the receiver other than POST /leads (a followed redirect would show here). */
    stray: [],
    /** The origin the receiver allows (CORS) if not the page server's. */
    pageOrigin: null,
  };
  let pageOrigin = '';

  const inlineSecrets = new Set();
  const issueKey = () => {
    const secret = 'whsec_' + randomBytes(32).toString('base64');
    keys.set(secret, Date.now() + state.keyTtlMs);
    return secret;
  };

  // ---------------------------------------------------------------- page server (A)
  const page = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname === '/api/keys' && req.method === 'POST') {
      state.keyRequests++;
      switch (state.keyMode) {
        case 'html':
          res.writeHead(200, { 'content-type': 'text/html' });
          return res.end('<!doctype html><title>Login</title><p>Please log in');
        case 'huge':
          return streamHuge(res, 200, 50 * 1024 * 1024);
        case 'huge-chunked':
          return streamHuge(res, 200, 50 * 1024 * 1024, false);
        case 'redirect':
          res.writeHead(302, { location: '/login' });
          return res.end();
        case '500':
          res.writeHead(500, { 'content-type': 'text/plain' });
          return res.end('key service down');
        case '404':
          res.writeHead(404, { 'content-type': 'text/html' });
          return res.end('<!doctype html><title>Not Found</title>');
        case 'hang':
          state.hanging.add(res);
          return;
        default: {
          const secret = issueKey();
          res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
          return res.end(JSON.stringify({ secret, expires_at: Math.floor(keys.get(secret) / 1000), now: Math.floor(Date.now() / 1000) }));
        }
      }
    }
    if (req.method !== 'GET') {
      res.writeHead(405);
      return res.end();
    }
    const own = serve && (await serve(url.pathname, url));
    if (own) {
      res.writeHead(200, { 'content-type': own.type, 'cache-control': 'no-store', ...own.headers });
      return res.end(own.body);
    }
    let base;
    let rel;
    if (url.pathname.startsWith('/pkg/')) [base, rel] = [pkgDir, url.pathname.slice(5)];
    else if (url.pathname.startsWith('/t/')) [base, rel] = [join(root, 'tests', 'delivery', 'page'), url.pathname.slice(3)];
    else [base, rel] = [join(root, 'www'), url.pathname.slice(1) || 'index.html'];
    const file = normalize(join(base, rel));
    if (!file.startsWith(base)) {
      res.writeHead(403);
      return res.end();
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end('not found');
    }
  });
  const pagePort = await listen(page);
  pageOrigin = `http://127.0.0.1:${pagePort}`;

  // ---------------------------------------------------------------- receiver (B)
  const cors = () => (state.mode === 'no-cors' ? {} : {
    'access-control-allow-origin': state.pageOrigin ?? pageOrigin,
    'access-control-expose-headers': 'Retry-After',
    vary: 'Origin',
  });

  const verify = (body, headers) => {
    const now = Date.now();
    for (const secret of [...keys.keys(), ...inlineSecrets]) {
      if ((keys.get(secret) ?? Infinity) < now - 60_000) continue;
      try {
        new Webhook(secret).verify(body, headers);
        return true;
      } catch {
        // not this key
      }
    }
    return false;
  };

  // state.retryAfter: the header's text, or a function that makes it at answer time.
  const retryAfter = () => String(typeof state.retryAfter === 'function' ? state.retryAfter() : state.retryAfter);

  const store = (id, body) => {
    state.deliveries.set(id, (state.deliveries.get(id) ?? 0) + 1);
    if (state.storedBodies.has(id)) {
      state.duplicates++;
      return false;
    }
    state.storedBodies.set(id, body);
    state.stored.push(id);
    return true;
  };

  const receiver = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (req.method === 'OPTIONS') {
      state.preflights++;
      res.writeHead(204, state.mode === 'no-cors' ? {} : {
        'access-control-allow-origin': state.pageOrigin ?? pageOrigin,
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'content-type, webhook-id, webhook-timestamp, webhook-signature',
        'access-control-max-age': '600',
        vary: 'Origin',
      });
      return res.end();
    }
    if (url.pathname === '/keys' && req.method === 'POST') {
      // A key service on the receiver's origin, answering with CORS, whose keys are tied
      // to no cookie: a cross-origin key-url that works (the form only warns of it).
      state.keyRequests++;
      const secret = issueKey();
      res.writeHead(200, { ...cors(), 'content-type': 'application/json', 'cache-control': 'no-store' });
      return res.end(JSON.stringify({ secret, expires_at: Math.floor(keys.get(secret) / 1000), now: Math.floor(Date.now() / 1000) }));
    }
    if (url.pathname !== '/leads' || req.method !== 'POST') {
      state.stray.push(`${req.method} ${url.pathname}`);
      res.writeHead(req.method === 'HEAD' || req.method === 'GET' ? 405 : 404, cors());
      return res.end();
    }
    state.requests++;
    const mode = state.mode;
    let raw;
    try {
      raw = await readBody(req, 256 * 1024);
    } catch {
      res.writeHead(413, cors());
      return res.end('payload too large');
    }
    const body = raw.toString('utf8');
    const headers = {
      'webhook-id': req.headers['webhook-id'],
      'webhook-timestamp': req.headers['webhook-timestamp'],
      'webhook-signature': req.headers['webhook-signature'],
    };
    const verified = verify(body, headers);
    state.captured.push({
      id: headers['webhook-id'], timestamp: headers['webhook-timestamp'], signature: headers['webhook-signature'],
      contentType: req.headers['content-type'], bodyB64: raw.toString('base64'), mode, verified, at: Date.now(),
    });
    switch (mode) {
      case '500':
      case 'html-500':
        res.writeHead(500, { ...cors(), 'content-type': 'text/html' });
        return res.end('<!doctype html><h1>500 Internal Server Error</h1>');
      case '503':
        res.writeHead(503, { ...cors(), 'retry-after': retryAfter(), 'content-type': 'text/plain' });
        return res.end('maintenance');
      case 'hang':
        state.hanging.add(res);
        return;
      case '403':
        // A plain-text explanation, as many frameworks send.
        res.writeHead(403, { ...cors(), 'content-type': 'text/plain; charset=utf-8' });
        return res.end('Origin   not\n allowed ' + 'x'.repeat(5000));
      case '422':
        // A JSON explanation, as the reference receiver sends.
        res.writeHead(422, { ...cors(), 'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: 'field `age` is not part of the contact form', code: 'invalid' }));
      case '400':
      case 'html-400':
        res.writeHead(Number(mode.replace('html-', '')), { ...cors(), 'content-type': 'text/html' });
        return res.end('<!doctype html><p>Bad request');
      case '401':
        res.writeHead(401, cors());
        return res.end('who are you');
      case '408':
        res.writeHead(408, cors());
        return res.end('request timeout');
      case '429':
        res.writeHead(429, { ...cors(), 'retry-after': retryAfter() });
        return res.end('slow down');
      case 'redirect':
        res.writeHead(307, { ...cors(), location: '/elsewhere' });
        return res.end();
      case 'huge-200':
        if (verified) store(headers['webhook-id'], body);
        return streamHuge(res, 200, 50 * 1024 * 1024, true, cors());
      case 'huge-500':
        return streamHuge(res, 500, 50 * 1024 * 1024, true, cors());
      case 'html-200':
        if (verified) store(headers['webhook-id'], body);
        res.writeHead(200, { ...cors(), 'content-type': 'text/html' });
        return res.end('<!doctype html><p>Thanks!');
      default:
        break;
    }
    if (!verified) {
      state.rejected++;
      res.writeHead(401, { ...cors(), 'content-type': 'text/plain' });
      return res.end('signature not valid');
    }
    const fresh = store(headers['webhook-id'], body);
    if (mode === 'store-then-drop') {
      // Stored, but the answer never reaches the browser: it must retry, and the
      // retry must not be stored again.
      return req.socket.destroy();
    }
    res.writeHead(fresh ? 201 : 200, { ...cors(), 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, duplicate: !fresh }));
  });
  receiver.keepAliveTimeout = 1000;
  const receiverPort = await listen(receiver);

  const releaseHanging = () => {
    for (const res of state.hanging) res.socket?.destroy();
    state.hanging.clear();
  };

  return {
    state,
    pageOrigin,
    endpoint: `http://127.0.0.1:${receiverPort}/leads`,
    /** An inline secret the receiver also accepts. */
    inlineSecret() {
      const secret = 'whsec_' + randomBytes(32).toString('base64');
      inlineSecrets.add(secret);
      return secret;
    },
    issuedKeys: () => [...keys.keys()],
    /** Switches the receiver's behaviour; `refuse` closes its port, anything else reopens it. */
    async setMode(mode) {
      if (!MODES.includes(mode)) throw new Error(`unknown mode ${mode}`);
      if (state.mode === 'hang' && mode !== 'hang') releaseHanging();
      state.mode = mode;
      if (mode === 'refuse') await closeServer(receiver);
      else if (!receiver.listening) await listen(receiver, receiverPort);
    },
    setKeyMode(mode) {
      if (state.keyMode === 'hang' && mode !== 'hang') releaseHanging();
      state.keyMode = mode;
    },
    async close() {
      releaseHanging();
      await Promise.all([closeServer(receiver), closeServer(page)]);
    },
  };
}
