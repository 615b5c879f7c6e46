// A tiny WebAssembly section reader. Every worker instantiates the kernel module on ONE shared memory,
// and each instantiation re-applies active data segments and re-runs the start function, so a kernel
// module must have: exactly one import (env.memory, shared as the target says), no start function,
// and no active data segments (tables are computed into the arena by exported init functions).
export function lintWasm(bytes, { shared }) {
  const problems = [];
  let p = 8;
  const u32 = () => {
    let result = 0,
      shift = 0,
      b;
    do {
      b = bytes[p++];
      result |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    return result >>> 0;
  };
  const name = () => {
    const n = u32();
    const s = Buffer.from(bytes.subarray(p, p + n)).toString('utf8');
    p += n;
    return s;
  };
  let imports = 0;
  while (p < bytes.length) {
    const id = bytes[p++];
    const size = u32();
    const end = p + size;
    if (id === 2) {
      const count = u32();
      for (let i = 0; i < count; i++) {
        const mod = name(),
          field = name(),
          kind = bytes[p++];
        imports++;
        if (mod !== 'env' || field !== 'memory' || kind !== 2) {
          problems.push(`unexpected import ${mod}.${field} (kind ${kind})`);
          break;
        }
        const flags = bytes[p++];
        if (Boolean(flags & 2) !== shared) problems.push(`memory import shared=${Boolean(flags & 2)}, expected ${shared}`);
      }
    } else if (id === 8) {
      problems.push('has a start function (top-level code would re-run in every worker)');
    } else if (id === 11) {
      const count = u32();
      for (let i = 0; i < count; i++) {
        const flag = u32();
        if (flag !== 1) {
          problems.push('has an active data segment (would be re-applied by every instantiation)');
          break;
        }
        // A passive segment is fine: its bytes follow as vec(byte); skip them and look at the next one.
        p += u32();
      }
    }
    p = end;
  }
  if (imports !== 1) problems.push(`expected exactly one import (env.memory), found ${imports}`);
  return problems;
}
