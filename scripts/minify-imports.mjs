// Shortens the names the wasm imports its JS functions by, in the wasm and in the
// wasm-bindgen glue together: `__wbg_addEventListener_f2d27251d333a631` becomes `a`,
// and the import module `./consent_form_bg.js` becomes `m`; so do the names of the
// exports the glue calls (`wasm.__wbindgen_malloc`). wasm-bindgen's names carry a
// 16-digit hash each, which gzip cannot squeeze; every visitor downloads them twice
// (in the wasm and in the glue). Exports the glue does not call keep their names.
//
//   node scripts/minify-imports.mjs pkg/consent_form_bg.wasm pkg/consent_form.js
//
// Rewrites both files in place. Refuses (exit 1, files untouched) if the glue does not
// look as expected: every import must be defined exactly once in the glue's import
// object, and no old name may be left anywhere in the glue afterwards.

import { readFileSync, writeFileSync } from "node:fs";

const [wasmPath, jsPath] = process.argv.slice(2);
if (!wasmPath || !jsPath) {
  console.error("usage: node scripts/minify-imports.mjs <module_bg.wasm> <module.js>");
  process.exit(2);
}

const MODULE = "m";

function fail(message) {
  console.error(`minify-imports: ${message}; nothing changed`);
  process.exit(1);
}

/** Reads an unsigned LEB128 at `at`: [value, next offset]. */
function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    if (byte === undefined) fail("the wasm ends inside a number");
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

/** An unsigned LEB128. */
function encodeLeb(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
}

/** A name as wasm stores it: its length, then its UTF-8 bytes. */
function encodeName(text) {
  const bytes = new TextEncoder().encode(text);
  return [...encodeLeb(bytes.length), ...bytes];
}

/** Short names in order: a…z, A…Z, then two letters and so on (valid JS keys). */
function shortName(index) {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let name = "";
  do {
    name = letters[index % letters.length] + name;
    index = Math.floor(index / letters.length) - 1;
  } while (index >= 0);
  return name;
}

/** The byte length of an import's descriptor at `at` (function, table, memory, global, tag). */
function descriptorEnd(bytes, at) {
  const kind = bytes[at++];
  const limits = (p) => {
    const flags = bytes[p++];
    [, p] = leb(bytes, p);
    if (flags & 1) [, p] = leb(bytes, p);
    return p;
  };
  switch (kind) {
    case 0x00: return leb(bytes, at)[1]; // function: type index
    case 0x01: return limits(at + 1); // table: element type, limits
    case 0x02: return limits(at); // memory: limits
    case 0x03: return at + 2; // global: value type, mutability
    case 0x04: return leb(bytes, at + 1)[1]; // tag: attribute, type index
    default: fail(`unknown import kind ${kind}`);
  }
}

const wasm = readFileSync(wasmPath);
let js = readFileSync(jsPath, "utf8");
if (wasm.readUInt32LE(0) !== 0x6d736100) fail(`${wasmPath} is not a wasm module`);

const renames = new Map(); // old name -> new name
let oldModule = null;
/** Reads a name at `p`: [text, next offset]. */
function name(bytes, p) {
  const [length, start] = leb(bytes, p);
  return [bytes.subarray(start, start + length).toString("utf8"), start + length];
}

const exportRenames = new Map(); // old export name -> new, for those the glue calls as wasm.<name>
const parts = [wasm.subarray(0, 8)];
let at = 8;
while (at < wasm.length) {
  const id = wasm[at];
  const [size, start] = leb(wasm, at + 1);
  const end = start + size;
  if (id !== 2 && id !== 7) {
    parts.push(wasm.subarray(at, end));
    at = end;
    continue;
  }
  let [count, p] = leb(wasm, start);
  const body = encodeLeb(count);
  for (let i = 0; i < count; i++) {
    if (id === 2) {
      let module, field;
      [module, p] = name(wasm, p);
      [field, p] = name(wasm, p);
      const descriptorStart = p;
      p = descriptorEnd(wasm, p);
      if (oldModule === null) oldModule = module;
      if (module !== oldModule) fail(`imports from two modules (${oldModule}, ${module})`);
      if (renames.has(field)) fail(`${field} is imported twice`);
      renames.set(field, shortName(renames.size));
      body.push(...encodeName(MODULE), ...encodeName(renames.get(field)), ...wasm.subarray(descriptorStart, p));
    } else {
      let field;
      [field, p] = name(wasm, p);
      const descriptorStart = p;
      p = leb(wasm, p + 1)[1]; // kind, index
      if (new RegExp(`\\bwasm\\.${field}\\b`).test(js)) exportRenames.set(field, shortName(exportRenames.size));
      body.push(...encodeName(exportRenames.get(field) ?? field), ...wasm.subarray(descriptorStart, p));
    }
  }
  if (p !== end) fail(`section ${id} has bytes after its last entry`);
  parts.push(Uint8Array.from([id, ...encodeLeb(body.length), ...body]));
  at = end;
}
if (oldModule === null) fail("the wasm imports nothing");

// The glue's import object: `        <name>: function(` once per import, and the module key.
for (const [field, short] of renames) {
  const definition = new RegExp(`(\\n\\s+)${field}(: function\\b)`, "g");
  const found = js.match(definition)?.length ?? 0;
  if (found !== 1) fail(`${field} is defined ${found} times in ${jsPath}, not once`);
  js = js.replace(definition, `$1${short}$2`);
}
const moduleKey = `${JSON.stringify(oldModule)}: import0`;
if (js.split(moduleKey).length !== 2) fail(`${jsPath} does not key its imports by ${moduleKey}`);
js = js.replace(moduleKey, `${MODULE}: import0`);
// The exports the glue calls: `wasm.<name>` wherever it occurs.
for (const [field, short] of exportRenames) {
  js = js.replace(new RegExp(`\\bwasm\\.${field}\\b`, "g"), `wasm.${short}`);
}
const left = [
  ...[...renames.keys()].filter((field) => new RegExp(`\\b${field}\\b`).test(js)),
  ...[...exportRenames.keys()].filter((field) => new RegExp(`\\bwasm\\.${field}\\b`).test(js)),
];
if (left.length > 0) fail(`${jsPath} still uses ${left.slice(0, 3).join(", ")}`);

const out = Buffer.concat(parts);
writeFileSync(wasmPath, out);
writeFileSync(jsPath, js);
console.log(
  `minify-imports: ${renames.size} imports and ${exportRenames.size} exports renamed (${wasm.length} -> ${out.length} wasm bytes)`,
);
