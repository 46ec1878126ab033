// Prints the raw, gzip (-9) and brotli (q11) bytes of every file a host ships, and the total.
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { createHash } from 'node:crypto';

const pkg = new URL('../pkg/', import.meta.url);
const shipped = ['consent_form_bg.wasm', 'consent_form.js', 'consent-form.js'];
const missing = shipped.filter((f) => !existsSync(new URL(f, pkg)));
if (missing.length) {
  console.error(`size: missing ${missing.map((f) => 'pkg/' + f).join(', ')}: run \`npm run build\` first`);
  process.exit(1);
}
const rows = shipped.map((name) => {
  const bytes = readFileSync(new URL(name, pkg));
  return {
    name,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
});
const total = rows.reduce((t, r) => ({ name: 'total', raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }),
  { raw: 0, gzip: 0, brotli: 0 });
const fmt = (n) => String(n).padStart(9);
console.log(`${'file'.padEnd(24)}${fmt('raw')}${fmt('gzip')}${fmt('brotli')}`);
for (const r of [...rows, total]) console.log(`${r.name.padEnd(24)}${fmt(r.raw)}${fmt(r.gzip)}${fmt(r.brotli)}`);
console.log(`(the CSS ships inside the wasm; budget: 100 KB gzip in total — ${(total.gzip / 1024).toFixed(1)} KB now)`);
// Written by scripts/build: the size build, or the plain one and why, and the wasm's
// SHA-256 (a pkg/ rebuilt by another tool leaves a line that is no longer true).
const modeFile = new URL('build-mode.txt', pkg);
const [line, hash] = existsSync(modeFile) ? readFileSync(modeFile, 'utf8').split('\n') : [];
const wasmHash = createHash('sha256').update(readFileSync(new URL(shipped[0], pkg))).digest('hex');
console.log(hash === `wasm sha256 ${wasmHash}` ? `built by: ${line}`
  : 'built by: unknown (pkg/ was not made by scripts/build; `npm run build` says which build it makes)');
