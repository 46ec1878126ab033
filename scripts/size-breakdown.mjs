// The report of scripts/size-breakdown: reads a wasm with a "name" section, attributes
// each function body to a group (see scripts/size-breakdown; FOLD=0 shows core and alloc
// generics apart from the module or crate they were instantiated for) and prints the groups,
// largest first: functions, raw bytes, gzip -9 of the group's bytes alone.
//   node scripts/size-breakdown.mjs <named.wasm> [rows]
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const [file, rowsArg = '40'] = process.argv.slice(2);
const buf = readFileSync(file);
let pos = 8;
const leb = () => {
  let value = 0;
  let shift = 0;
  let byte;
  do {
    byte = buf[pos++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return value;
};
const skipLimits = () => {
  const flags = leb();
  leb();
  if (flags & 1) leb();
};

let imported = 0;
const bodies = [];
const data = [];
const names = new Map();
while (pos < buf.length) {
  const id = buf[pos++];
  const size = leb();
  const end = pos + size;
  if (id === 2) {
    // Imports: only the functions' count matters (they come first in the index space).
    for (let n = leb(); n > 0; n--) {
      for (let names = 0; names < 2; names++) {
        const length = leb(); // module, then field
        pos += length;
      }
      const kind = buf[pos++];
      if (kind === 0) { leb(); imported++; }
      else if (kind === 1) { pos++; skipLimits(); }
      else if (kind === 2) skipLimits();
      else if (kind === 3) pos += 2;
      else throw new Error(`import kind ${kind} not understood`);
    }
  } else if (id === 10) {
    for (let n = leb(); n > 0; n--) {
      const length = leb();
      bodies.push(buf.subarray(pos, pos + length));
      pos += length;
    }
  } else if (id === 11) {
    for (let n = leb(); n > 0; n--) {
      const flags = leb();
      if (flags === 2) leb();
      if (flags !== 1) while (buf[pos++] !== 0x0b); // the offset expression
      const length = leb();
      data.push(buf.subarray(pos, pos + length));
      pos += length;
    }
  } else if (id === 0) {
    const length = leb();
    const section = buf.subarray(pos, pos + length).toString();
    pos += length;
    if (section === 'name') {
      while (pos < end) {
        const sub = buf[pos++];
        const subSize = leb();
        const subEnd = pos + subSize;
        if (sub === 1) {
          for (let n = leb(); n > 0; n--) {
            const index = leb();
            const l = leb();
            names.set(index, buf.subarray(pos, pos + l).toString());
            pos += l;
          }
        }
        pos = subEnd;
      }
    }
  }
  pos = end;
}
if (names.size === 0) throw new Error(`${file} has no function names (built without strip = "none" / wasm-opt -g?)`);

const GENERIC = ['core', 'alloc', 'std', 'hashbrown', 'str', 'char', 'usize', 'u64', 'fn'];
const SPLIT = ['components'];
const fold = process.env.FOLD !== '0';
function group(raw) {
  const name = raw.replace(/\[[0-9a-f]+\]/g, ''); // v0 mangling's crate hashes
  const lead = /^(?:[<&\s]|mut\s|dyn\s)*([A-Za-z_]\w*)/.exec(name)?.[1] ?? '(unnamed)';
  const ours = /consent_form::([a-z_]+)(?:::([a-z_]+))?/.exec(name);
  const mine = ours && `consent_form::${ours[1]}${SPLIT.includes(ours[1]) && ours[2] ? `::${ours[2]}` : ''}`;
  if (lead === 'consent_form') return mine;
  if (mine && GENERIC.includes(lead)) return fold ? mine : `${mine} (${lead} generics)`;
  // Generics instantiated for another crate's types count as that crate's.
  const theirs = GENERIC.includes(lead) && /\b(yew|web_sys|js_sys|wasm_bindgen|gloo_\w+|implicit_clone|indexmap)::/.exec(name)?.[1];
  if (theirs) return fold ? theirs : `${theirs} (${lead} generics)`;
  return lead;
}

const groups = new Map();
bodies.forEach((body, i) => {
  const g = group(names.get(i + imported) ?? '(unnamed)');
  const entry = groups.get(g) ?? { count: 0, bytes: 0, parts: [] };
  entry.count++;
  entry.bytes += body.length;
  entry.parts.push(body);
  groups.set(g, entry);
});
const gz = (parts) => gzipSync(Buffer.concat(parts), { level: 9 }).length;
const code = bodies.reduce((sum, b) => sum + b.length, 0);
const ourBytes = [...groups].filter(([g]) => g.startsWith('consent_form::')).reduce((sum, [, e]) => sum + e.bytes, 0);
console.log(`code: ${code} B raw in ${bodies.length} functions (${(100 * ourBytes / code).toFixed(0)} % in consent_form's modules), gzip ${gz(bodies)}`);
console.log(`data: ${data.reduce((s, d) => s + d.length, 0)} B raw (texts, styles, tables), gzip ${gz(data)}`);
console.log(`${'group'.padEnd(42)} ${'fns'.padStart(5)} ${'raw B'.padStart(8)} ${'gzip B'.padStart(8)}`);
const rows = [...groups].map(([g, e]) => ({ g, ...e })).sort((a, b) => b.bytes - a.bytes);
for (const r of rows.slice(0, Number(rowsArg))) {
  console.log(`${r.g.padEnd(42)} ${String(r.count).padStart(5)} ${String(r.bytes).padStart(8)} ${String(gz(r.parts)).padStart(8)}`);
}
const rest = rows.slice(Number(rowsArg));
if (rest.length) console.log(`(${rest.length} smaller groups: ${rest.reduce((s, r) => s + r.bytes, 0)} B raw)`);
