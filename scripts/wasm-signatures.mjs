// Reads the function exports of a WebAssembly binary with their value types, straight from its type,
// function and export sections: the ground truth the generated kernel export interfaces are checked
// against (scripts/build-wasm.mjs after compiling, test/abi/abi.unit.test.ts on the embedded builds).

const VALTYPE = { 127: 'i32', 126: 'i64', 125: 'f32', 124: 'f64', 123: 'v128' };

/** Map of export name → { params: valtype[], results: valtype[] } for every exported function. */
export function wasmFunctionExports(bytes) {
  let p = 8;
  const u32 = () => {
    let result = 0,
      shift = 0,
      b;
    do {
      b = bytes[p++];
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return result;
  };
  const name = () => {
    const n = u32();
    const s = new TextDecoder().decode(bytes.subarray(p, p + n));
    p += n;
    return s;
  };
  const valtype = () => {
    const t = VALTYPE[bytes[p++]];
    if (!t) throw new Error(`unknown value type 0x${bytes[p - 1].toString(16)} at byte ${p - 1}`);
    return t;
  };
  const types = [];
  const functionTypes = [];
  let importedFunctions = 0;
  const exports = new Map();
  const pendingExports = [];
  while (p < bytes.length) {
    const id = bytes[p++];
    const size = u32();
    const end = p + size;
    if (id === 1) {
      for (let i = 0, n = u32(); i < n; i++) {
        if (bytes[p++] !== 0x60) throw new Error(`type ${i} is not a function type`);
        const params = Array.from({ length: u32() }, valtype);
        const results = Array.from({ length: u32() }, valtype);
        types.push({ params, results });
      }
    } else if (id === 2) {
      for (let i = 0, n = u32(); i < n; i++) {
        name();
        name();
        const kind = bytes[p++];
        if (kind === 0) {
          u32();
          importedFunctions++;
        } else break; // the kernels import only their memory
      }
    } else if (id === 3) {
      for (let i = 0, n = u32(); i < n; i++) functionTypes.push(u32());
    } else if (id === 7) {
      for (let i = 0, n = u32(); i < n; i++) {
        const field = name();
        const kind = bytes[p++];
        const index = u32();
        if (kind === 0) pendingExports.push([field, index]);
      }
    }
    p = end;
  }
  for (const [field, index] of pendingExports) {
    const local = index - importedFunctions;
    if (local < 0 || local >= functionTypes.length) throw new Error(`export ${field} is an imported function`);
    exports.set(field, types[functionTypes[local]]);
  }
  return exports;
}
