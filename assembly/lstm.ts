// Embedding → LSTM stack → Dense text classifier kernels (Keras semantics), data-parallel over fixed
// batch shards. The host lays out everything (src/classify/lstm/layout.ts) and describes it in the
// descriptors of assembly/abi/lstm.abi.json; nothing here allocates, there is no top-level code and no
// static data, so one instance per worker can share one memory.
//
// Symbols (Keras' names where it has them), as in the comments and the per-instance globals below:
//   T    sequence length: time steps per row       E    embedding dimension
//   L    number of stacked LSTM layers              H    units of the layer at hand (4H gate rows)
//   OUT  dense outputs (1: sigmoid, else softmax)   V    vocabulary (embedding rows)
//   R    rows per gradient shard                    S    slots per shard: R rows + the pad trajectory
//
// A batch is cut into shards of R rows (R fixed by the model, not by the thread count). Phase 1
// (trainShards): workers claim shards with an atomic counter; each shard runs forward + BPTT and writes
// its gradients into its own buffer. Phase 2 (applyUpdate): workers claim parameter chunks; a chunk's
// gradient is the sum of the shard buffers in shard order, then Adam. Every sum has a fixed order, so
// training with 1 or N threads is bit-identical.
//
// Pad skipping (exact): with Keras' 'pre' padding and no mask, the first p_i steps of row i see only
// the padding embedding from a zero state, so they equal one shared "pad trajectory" (slot 0 of every
// shard). The forward pass computes only real steps per row plus that trajectory; in BPTT the weight
// gradients of all padded steps at time t collapse into one entry (trajectory input × summed gate
// gradients), and the embedding gradient of all padding into one row.
import { gemmRows, gemmOuter, sumRowsInto, transpose, MODE_SET, MODE_ADD, MODE_BIAS } from './lib/gemm';
import { mixSeed, splitMixSeed, splitMixUniform } from './lib/rng';
export { heapBase, countNonFinite } from './lib/module-exports';
// Descriptor offsets: generated from assembly/abi/lstm.abi.json (the host's encoder too).
import {
  D_SEQUENCE_LENGTH, D_EMBEDDING_DIM, D_VOCAB_SIZE, D_LAYER_COUNT, D_OUTPUTS, D_SHARD_ROWS, D_TRAIN_EMBEDDINGS, D_EMBEDDING,
  D_EMBEDDING_GRAD, D_EMBEDDING_M, D_EMBEDDING_V, D_PARAMS, D_PARAM_COUNT, D_PARAMS_M, D_PARAMS_V, D_DENSE_KERNEL,
  D_DENSE_BIAS, D_GRADS, D_GRAD_STRIDE, D_DX, D_DX_STRIDE, D_SHARD_LOSS, D_SHARD_CORRECT, D_IDS, D_LABELS, D_PROBS,
  D_ROW_LOSS, D_COUNTER, D_BATCH_ROWS, D_LEARNING_RATE, D_BETA1, D_BETA2, D_EPSILON, D_INIT_SCRATCH, D_DENSE_CHUNK,
  D_EMBEDDING_CHUNK, D_LAYERS, LSTM_LAYER_BYTES, LY_INPUT_DIM, LY_UNITS, LY_KERNEL, LY_RECURRENT_KERNEL, LY_BIAS,
  TD_ZEROS, TD_GATE_GRADS, TD_INPUT_GRADS_A, TD_INPUT_GRADS_B, TD_DH, TD_DC, TD_PAD_GATE_GRADS, TD_LIST_A, TD_LIST_B,
  TD_LIST_C, TD_PAD_LENGTHS, TD_LOGIT_GRADS, TD_PAD_TOTAL, TD_LIST_H, TD_LAYERS, LSTM_THREAD_LAYER_BYTES, TL_GATES,
  TL_CELLS, TL_OUTPUTS, TL_TANH_CELLS, TL_RECURRENT_KERNEL_T, TL_KERNEL_T,
} from './abi/lstm.generated';

// Thread-local (per instance) bindings, set by setup(); the symbols are those of the glossary above.
let desc: usize = 0; // the model descriptor (LstmDescriptor)
let td: usize = 0; // this worker's thread descriptor (LstmThreadDescriptor)
let T: i32 = 0;
let E: i32 = 0;
let L: i32 = 0;
let OUT: i32 = 0;
let R: i32 = 0;
let S: i32 = 0;

@inline function dU32(off: usize): usize { return <usize>load<u32>(desc + off); }
@inline function tU32(off: usize): usize { return <usize>load<u32>(td + off); }
@inline function lyU32(l: i32, off: usize): usize { return <usize>load<u32>(desc + D_LAYERS + <usize>l * LSTM_LAYER_BYTES + off); }
@inline function tlU32(l: i32, off: usize): usize { return <usize>load<u32>(td + TD_LAYERS + <usize>l * LSTM_THREAD_LAYER_BYTES + off); }
@inline function setPtr(list: usize, i: i32, p: usize): void { store<u32>(list + (<usize>i << 2), <u32>p); }

/** Binds this instance to the model descriptor and its own thread block. */
export function setup(descPtr: usize, threadPtr: usize): void {
  desc = descPtr;
  td = threadPtr;
  T = <i32>dU32(D_SEQUENCE_LENGTH);
  E = <i32>dU32(D_EMBEDDING_DIM);
  L = <i32>dU32(D_LAYER_COUNT);
  OUT = <i32>dU32(D_OUTPUTS);
  R = <i32>dU32(D_SHARD_ROWS);
  S = R + 1;
}

// ---------------------------------------------------------------------------------------------
// Vector math (Cephes single precision): ~1 ulp exp, tanh accurate near 0. Lane-wise, so the same
// value gives the same bits in any lane; tails go through the same code on a partial vector.

@inline function vexp(x0: v128): v128 {
  let x = f32x4.min(f32x4.max(x0, f32x4.splat(-87.33654)), f32x4.splat(88.37626));
  const fx = f32x4.floor(f32x4.add(f32x4.mul(x, f32x4.splat(1.44269504088896341)), f32x4.splat(0.5)));
  x = f32x4.sub(x, f32x4.mul(fx, f32x4.splat(0.693359375)));
  x = f32x4.sub(x, f32x4.mul(fx, f32x4.splat(-2.12194440e-4)));
  const z = f32x4.mul(x, x);
  let y = f32x4.splat(1.9875691500e-4);
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(1.3981999507e-3));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(8.3334519073e-3));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(4.1665795894e-2));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(1.6666665459e-1));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(5.0000001201e-1));
  y = f32x4.add(f32x4.add(f32x4.mul(y, z), x), f32x4.splat(1.0));
  const n = i32x4.trunc_sat_f32x4_s(fx);
  const scale = i32x4.shl(i32x4.add(n, i32x4.splat(127)), 23);
  return f32x4.mul(y, scale);
}

@inline function vsigmoid(x: v128): v128 {
  return f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), vexp(f32x4.neg(x))));
}

@inline function vtanh(x: v128): v128 {
  const ax = f32x4.abs(x);
  // |x| >= 0.625: 1 - 2 / (exp(2|x|) + 1), sign restored
  const big = f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(vexp(f32x4.add(ax, ax)), f32x4.splat(1))));
  const bigSigned = v128.or(big, v128.and(x, i32x4.splat(<i32>0x80000000)));
  // |x| < 0.625: odd polynomial
  const z = f32x4.mul(x, x);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  return v128.bitselect(bigSigned, small, f32x4.ge(ax, f32x4.splat(0.625)));
}

/** Loads n (1..3) floats into the low lanes of a vector (upper lanes 0). */
@inline function loadPartial(p: usize, n: i32): v128 {
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (n > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (n > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

@inline function storePartial(p: usize, v: v128, n: i32): void {
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (n > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (n > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

// ---------------------------------------------------------------------------------------------
// LSTM cell (Keras gate order i, f, c, o; recurrent activation sigmoid, activation tanh).

@inline function cellForward4(g: usize, cp: usize, c: usize, tc: usize, h: usize, hb: usize, n: i32): void {
  const full = n == 4;
  const zi = full ? v128.load(g) : loadPartial(g, n);
  const zf = full ? v128.load(g + hb) : loadPartial(g + hb, n);
  const zg = full ? v128.load(g + 2 * hb) : loadPartial(g + 2 * hb, n);
  const zo = full ? v128.load(g + 3 * hb) : loadPartial(g + 3 * hb, n);
  const vcp = full ? v128.load(cp) : loadPartial(cp, n);
  const i = vsigmoid(zi), f = vsigmoid(zf), gg = vtanh(zg), o = vsigmoid(zo);
  const vc = f32x4.add(f32x4.mul(f, vcp), f32x4.mul(i, gg));
  const vtc = vtanh(vc);
  const vh = f32x4.mul(o, vtc);
  if (full) {
    v128.store(g, i); v128.store(g + hb, f); v128.store(g + 2 * hb, gg); v128.store(g + 3 * hb, o);
    v128.store(c, vc); v128.store(tc, vtc); v128.store(h, vh);
  } else {
    storePartial(g, i, n); storePartial(g + hb, f, n); storePartial(g + 2 * hb, gg, n); storePartial(g + 3 * hb, o, n);
    storePartial(c, vc, n); storePartial(tc, vtc, n); storePartial(h, vh, n);
  }
}

/** Activates the gate row g (4H pre-activations, in place) and writes c, tanh(c), h. */
function cellForward(g: usize, cp: usize, c: usize, tc: usize, h: usize, H: i32): void {
  const hb = <usize>H << 2;
  let j = 0;
  for (; j + 4 <= H; j += 4) {
    const o = <usize>j << 2;
    cellForward4(g + o, cp + o, c + o, tc + o, h + o, hb, 4);
  }
  if (j < H) {
    const o = <usize>j << 2;
    cellForward4(g + o, cp + o, c + o, tc + o, h + o, hb, H - j);
  }
}

@inline function cellBackward4(g: usize, tcp: usize, cp: usize, dhp: usize, dcp: usize, dz: usize, hb: usize, n: i32): void {
  const full = n == 4;
  const i = full ? v128.load(g) : loadPartial(g, n);
  const f = full ? v128.load(g + hb) : loadPartial(g + hb, n);
  const gg = full ? v128.load(g + 2 * hb) : loadPartial(g + 2 * hb, n);
  const o = full ? v128.load(g + 3 * hb) : loadPartial(g + 3 * hb, n);
  const tc = full ? v128.load(tcp) : loadPartial(tcp, n);
  const c0 = full ? v128.load(cp) : loadPartial(cp, n);
  const dh = full ? v128.load(dhp) : loadPartial(dhp, n);
  const dc = full ? v128.load(dcp) : loadPartial(dcp, n);
  const one = f32x4.splat(1);
  const dout = f32x4.mul(dh, tc);
  const dcc = f32x4.add(dc, f32x4.mul(f32x4.mul(dh, o), f32x4.sub(one, f32x4.mul(tc, tc))));
  const dzi = f32x4.mul(f32x4.mul(dcc, gg), f32x4.mul(i, f32x4.sub(one, i)));
  const dzf = f32x4.mul(f32x4.mul(dcc, c0), f32x4.mul(f, f32x4.sub(one, f)));
  const dzg = f32x4.mul(f32x4.mul(dcc, i), f32x4.sub(one, f32x4.mul(gg, gg)));
  const dzo = f32x4.mul(dout, f32x4.mul(o, f32x4.sub(one, o)));
  const dcn = f32x4.mul(dcc, f);
  if (full) {
    v128.store(dz, dzi); v128.store(dz + hb, dzf); v128.store(dz + 2 * hb, dzg); v128.store(dz + 3 * hb, dzo);
    v128.store(dcp, dcn);
  } else {
    storePartial(dz, dzi, n); storePartial(dz + hb, dzf, n); storePartial(dz + 2 * hb, dzg, n); storePartial(dz + 3 * hb, dzo, n);
    storePartial(dcp, dcn, n);
  }
}

/** Gate gradients dz (4H) from dh, the carried dc (updated to dc·f) and the saved activations. */
function cellBackward(g: usize, tc: usize, cp: usize, dh: usize, dc: usize, dz: usize, H: i32): void {
  const hb = <usize>H << 2;
  let j = 0;
  for (; j + 4 <= H; j += 4) {
    const o = <usize>j << 2;
    cellBackward4(g + o, tc + o, cp + o, dh + o, dc + o, dz + o, hb, 4);
  }
  if (j < H) {
    const o = <usize>j << 2;
    cellBackward4(g + o, tc + o, cp + o, dh + o, dc + o, dz + o, hb, H - j);
  }
}

/** y += x over n floats. */
function addInto(x: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), v128.load(x + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(y + o) + load<f32>(x + o));
  }
}

// ---------------------------------------------------------------------------------------------
// Shard addressing. Slots: 0 = pad trajectory, 1..n = the shard's rows.

@inline function idOf(rowBase: i32, i: i32, t: i32): i32 {
  return load<i32>(dU32(D_IDS) + ((<usize>(rowBase + i) * <usize>T + <usize>t) << 2));
}
@inline function padOf(i: i32): i32 { return load<i32>(tU32(TD_PAD_LENGTHS) + (<usize>i << 2)); }
/** Address of a per-slot row of `width` floats at (t, slot) in a [T × S × width] buffer. */
@inline function slotRow(base: usize, t: i32, slot: i32, width: i32): usize {
  return base + ((<usize>(t * S + slot) * <usize>width) << 2);
}
/** Address of a per-row buffer [T × R × width] at (t, row). */
@inline function rowRow(base: usize, t: i32, i: i32, width: i32): usize {
  return base + ((<usize>(t * R + i) * <usize>width) << 2);
}
/** The slot holding row i's state at step t (its own once its tokens start, else the trajectory). */
@inline function srcSlot(i: i32, t: i32): i32 { return t >= padOf(i) ? i + 1 : 0; }
@inline function gradOf(gradBase: usize, param: usize): usize { return gradBase + (param - dU32(D_PARAMS)); }

/** Leading padding per row; returns the longest. */
function computePads(rowBase: i32, n: i32): i32 {
  const pads = tU32(TD_PAD_LENGTHS);
  let pmax = 0;
  for (let i = 0; i < n; i++) {
    let p = 0;
    while (p < T && idOf(rowBase, i, p) == 0) p++;
    store<i32>(pads + (<usize>i << 2), p);
    if (p > pmax) pmax = p;
  }
  return pmax;
}

/** Input row of layer l at (t, slot): an embedding row for layer 0, else the layer below's h. */
@inline function inputRow(l: i32, rowBase: i32, t: i32, slot: i32): usize {
  if (l == 0) {
    const id = slot == 0 ? 0 : idOf(rowBase, slot - 1, t);
    return dU32(D_EMBEDDING) + ((<usize>id * <usize>E) << 2);
  }
  return slotRow(tlU32(l - 1, TL_OUTPUTS), t, slot, <i32>lyU32(l - 1, LY_UNITS));
}

/** Forward pass of one shard; leaves activations in the thread block and logits → probabilities. */
function forwardShard(rowBase: i32, n: i32): void {
  const pmax = computePads(rowBase, n);
  const alist = tU32(TD_LIST_A), clist = tU32(TD_LIST_C);
  const zero = tU32(TD_ZEROS);
  for (let l = 0; l < L; l++) {
    const inDim = <i32>lyU32(l, LY_INPUT_DIM), H = <i32>lyU32(l, LY_UNITS), G4 = 4 * H;
    const Gb = tlU32(l, TL_GATES), Cb = tlU32(l, TL_CELLS), Hb = tlU32(l, TL_OUTPUTS), TCb = tlU32(l, TL_TANH_CELLS);
    // Input projections of every computed (t, slot) with the bias, as one gathered GEMM.
    let cnt = 0;
    for (let t = 0; t < T; t++) {
      if (t < pmax) { setPtr(alist, cnt, inputRow(l, rowBase, t, 0)); setPtr(clist, cnt, slotRow(Gb, t, 0, G4)); cnt++; }
      for (let i = 0; i < n; i++) {
        if (t < padOf(i)) continue;
        setPtr(alist, cnt, inputRow(l, rowBase, t, i + 1)); setPtr(clist, cnt, slotRow(Gb, t, i + 1, G4)); cnt++;
      }
    }
    gemmRows(alist, clist, cnt, lyU32(l, LY_KERNEL), G4, inDim, G4, MODE_BIAS, lyU32(l, LY_BIAS));
    // Recurrence: one GEMM per step over the computed slots, then the cells.
    const U = lyU32(l, LY_RECURRENT_KERNEL);
    for (let t = 0; t < T; t++) {
      cnt = 0;
      if (t < pmax) { setPtr(alist, cnt, t > 0 ? slotRow(Hb, t - 1, 0, H) : zero); setPtr(clist, cnt, 0); cnt++; }
      for (let i = 0; i < n; i++) {
        if (t < padOf(i)) continue;
        setPtr(alist, cnt, t > 0 ? slotRow(Hb, t - 1, srcSlot(i, t - 1), H) : zero);
        setPtr(clist, cnt, i + 1);
        cnt++;
      }
      // clist holds slot numbers; turn them into gate rows for the GEMM, keep the slots for the cells.
      const blist = tU32(TD_LIST_B);
      for (let k = 0; k < cnt; k++) setPtr(blist, k, slotRow(Gb, t, <i32>load<u32>(clist + (<usize>k << 2)), G4));
      if (t > 0) gemmRows(alist, blist, cnt, U, G4, H, G4, MODE_ADD, 0);
      for (let k = 0; k < cnt; k++) {
        const slot = <i32>load<u32>(clist + (<usize>k << 2));
        const cp = t == 0 ? zero : slotRow(Cb, t - 1, slot == 0 ? 0 : srcSlot(slot - 1, t - 1), H);
        cellForward(slotRow(Gb, t, slot, G4), cp, slotRow(Cb, t, slot, H), slotRow(TCb, t, slot, H), slotRow(Hb, t, slot, H), H);
      }
    }
  }
}

/** The last layer's final h of row i. */
@inline function lastHidden(i: i32): usize {
  const l = L - 1;
  return slotRow(tlU32(l, TL_OUTPUTS), T - 1, srcSlot(i, T - 1), <i32>lyU32(l, LY_UNITS));
}

/**
 * Dense head on the shard's rows: logits, probabilities (to probs), and with labels the loss (f64,
 * also per row to rowLoss), correct count and d(mean loss)/d(logits) (to the thread's logitGrads).
 * Binary: sigmoid + binary cross-entropy from the logit; else softmax + categorical cross-entropy.
 */
function headShard(rowBase: i32, n: i32, withLabels: bool, batch: i32, shard: i32): void {
  const Hl = <i32>lyU32(L - 1, LY_UNITS);
  const Wd = dU32(D_DENSE_KERNEL), bd = dU32(D_DENSE_BIAS);
  const probs = dU32(D_PROBS), labels = dU32(D_LABELS), rowLoss = dU32(D_ROW_LOSS);
  const dlogit = tU32(TD_LOGIT_GRADS);
  const invB = 1.0 / <f64>batch;
  let lossSum: f64 = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const h = lastHidden(i);
    const row = rowBase + i;
    const y = withLabels ? load<i32>(labels + (<usize>row << 2)) : 0;
    const zrow = dlogit + ((<usize>i * <usize>OUT) << 2);
    // logits into logitGrads first (then overwritten by their gradients)
    for (let c = 0; c < OUT; c++) {
      let z: f32 = load<f32>(bd + (<usize>c << 2));
      for (let j = 0; j < Hl; j++) z = z + load<f32>(h + (<usize>j << 2)) * load<f32>(Wd + ((<usize>j * <usize>OUT + <usize>c) << 2));
      store<f32>(zrow + (<usize>c << 2), z);
    }
    const prow = probs + ((<usize>row * <usize>OUT) << 2);
    if (OUT == 1) {
      const z = <f64>load<f32>(zrow);
      const p = 1.0 / (1.0 + Math.exp(-z));
      const pf = <f32>p;
      store<f32>(prow, pf);
      if (withLabels) {
        const yf = <f64>y;
        const loss = Math.max(z, 0) - z * yf + Math.log1p(Math.exp(-Math.abs(z)));
        store<f64>(rowLoss + (<usize>row << 3), loss);
        lossSum += loss;
        if ((pf > <f32>0.5 ? 1 : 0) == y) correct++;
        store<f32>(zrow, <f32>((p - yf) * invB));
      }
    } else {
      let m: f64 = -Infinity;
      let arg = 0;
      for (let c = 0; c < OUT; c++) {
        const z = <f64>load<f32>(zrow + (<usize>c << 2));
        if (z > m) { m = z; arg = c; }
      }
      let sum: f64 = 0;
      for (let c = 0; c < OUT; c++) sum += Math.exp(<f64>load<f32>(zrow + (<usize>c << 2)) - m);
      const zy = <f64>load<f32>(zrow + (<usize>y << 2));
      for (let c = 0; c < OUT; c++) {
        const p = Math.exp(<f64>load<f32>(zrow + (<usize>c << 2)) - m) / sum;
        store<f32>(prow + (<usize>c << 2), <f32>p);
        if (withLabels) store<f32>(zrow + (<usize>c << 2), <f32>((p - (c == y ? 1.0 : 0.0)) * invB));
      }
      if (withLabels) {
        const loss = Math.log(sum) + m - zy;
        store<f64>(rowLoss + (<usize>row << 3), loss);
        lossSum += loss;
        if (arg == y) correct++;
      }
    }
  }
  store<f64>(dU32(D_SHARD_LOSS) + (<usize>shard << 3), lossSum);
  store<i32>(dU32(D_SHARD_CORRECT) + (<usize>shard << 2), correct);
}

/** BPTT for one shard after forwardShard/headShard; gradients into the shard's own buffers. */
function backwardShard(rowBase: i32, n: i32, shard: i32): void {
  const gradBase = dU32(D_GRADS) + <usize>shard * dU32(D_GRAD_STRIDE);
  memory.fill(gradBase, 0, dU32(D_PARAM_COUNT) << 2);
  const alist = tU32(TD_LIST_A), blist = tU32(TD_LIST_B), clist = tU32(TD_LIST_C), hlist = tU32(TD_LIST_H);
  const zero = tU32(TD_ZEROS);
  const dz = tU32(TD_GATE_GRADS), dhb = tU32(TD_DH), dcb = tU32(TD_DC), padSum = tU32(TD_PAD_GATE_GRADS);
  const dlogit = tU32(TD_LOGIT_GRADS);
  // Dense head: dWd += h^T dlogit, dbd += dlogit, dh = dlogit · Wd^T.
  {
    const Hl = <i32>lyU32(L - 1, LY_UNITS);
    const Wd = dU32(D_DENSE_KERNEL), gWd = gradOf(gradBase, Wd), gbd = gradOf(gradBase, dU32(D_DENSE_BIAS));
    for (let i = 0; i < n; i++) {
      const h = lastHidden(i);
      const zrow = dlogit + ((<usize>i * <usize>OUT) << 2);
      const dh = dhb + ((<usize>i * <usize>Hl) << 2);
      for (let j = 0; j < Hl; j++) {
        const hj = load<f32>(h + (<usize>j << 2));
        let acc: f32 = 0;
        for (let c = 0; c < OUT; c++) {
          const g = load<f32>(zrow + (<usize>c << 2));
          const wo = (<usize>j * <usize>OUT + <usize>c) << 2;
          store<f32>(gWd + wo, load<f32>(gWd + wo) + hj * g);
          acc = acc + g * load<f32>(Wd + wo);
        }
        store<f32>(dh + (<usize>j << 2), acc);
      }
      for (let c = 0; c < OUT; c++) {
        const o = <usize>c << 2;
        store<f32>(gbd + o, load<f32>(gbd + o) + load<f32>(zrow + o));
      }
    }
  }
  let dHin = tU32(TD_INPUT_GRADS_A), dHinNext = tU32(TD_INPUT_GRADS_B);
  for (let l = L - 1; l >= 0; l--) {
    const inDim = <i32>lyU32(l, LY_INPUT_DIM), H = <i32>lyU32(l, LY_UNITS), G4 = 4 * H;
    const Gb = tlU32(l, TL_GATES), Cb = tlU32(l, TL_CELLS), Hb = tlU32(l, TL_OUTPUTS), TCb = tlU32(l, TL_TANH_CELLS);
    const UT = tlU32(l, TL_RECURRENT_KERNEL_T);
    const top = l == L - 1;
    memory.fill(dcb, 0, (<usize>n * <usize>H) << 2);
    if (!top) memory.fill(dhb, 0, (<usize>n * <usize>H) << 2);
    for (let t = T - 1; t >= 0; t--) {
      for (let i = 0; i < n; i++) {
        const dh = dhb + ((<usize>i * <usize>H) << 2);
        if (!top) addInto(rowRow(dHin, t, i, H), dh, H);
        const src = srcSlot(i, t);
        const cp = t == 0 ? zero : slotRow(Cb, t - 1, srcSlot(i, t - 1), H);
        cellBackward(slotRow(Gb, t, src, G4), slotRow(TCb, t, src, H), cp, dh, dcb + ((<usize>i * <usize>H) << 2), rowRow(dz, t, i, G4), H);
      }
      if (t > 0) {
        for (let i = 0; i < n; i++) {
          setPtr(alist, i, rowRow(dz, t, i, G4));
          setPtr(clist, i, dhb + ((<usize>i * <usize>H) << 2));
        }
        gemmRows(alist, clist, n, UT, H, G4, H, MODE_SET, 0);
      }
    }
    // Weight-gradient entries in t order: per t, the padded rows' summed gate gradients (one entry
    // with the trajectory's inputs), then each real (t, row).
    let cnt = 0;
    let firstT1 = -1; // first entry with t >= 1 (t = 0 has h_prev = 0: no recurrent gradient)
    for (let t = 0; t < T; t++) {
      if (t == 1) firstT1 = cnt;
      let padded = false;
      const ps = padSum + ((<usize>t * <usize>G4) << 2);
      for (let i = 0; i < n; i++) {
        if (t >= padOf(i)) continue;
        if (!padded) { memory.copy(ps, rowRow(dz, t, i, G4), <usize>G4 << 2); padded = true; }
        else addInto(rowRow(dz, t, i, G4), ps, G4);
      }
      if (padded) {
        setPtr(alist, cnt, inputRow(l, rowBase, t, 0));
        setPtr(hlist, cnt, t > 0 ? slotRow(Hb, t - 1, 0, H) : zero);
        setPtr(blist, cnt, ps);
        cnt++;
      } else memory.fill(ps, 0, <usize>G4 << 2);
      for (let i = 0; i < n; i++) {
        if (t < padOf(i)) continue;
        setPtr(alist, cnt, inputRow(l, rowBase, t, i + 1));
        setPtr(hlist, cnt, t > 0 ? slotRow(Hb, t - 1, srcSlot(i, t - 1), H) : zero);
        setPtr(blist, cnt, rowRow(dz, t, i, G4));
        cnt++;
      }
    }
    if (firstT1 < 0) firstT1 = cnt;
    gemmOuter(alist, blist, cnt, gradOf(gradBase, lyU32(l, LY_KERNEL)), inDim, G4);
    gemmOuter(hlist + (<usize>firstT1 << 2), blist + (<usize>firstT1 << 2), cnt - firstT1, gradOf(gradBase, lyU32(l, LY_RECURRENT_KERNEL)), H, G4);
    sumRowsInto(blist, cnt, gradOf(gradBase, lyU32(l, LY_BIAS)), G4);
    const WT = tlU32(l, TL_KERNEL_T);
    if (l > 0) {
      // Gradient into the layer below's outputs, for every (t, row): padded steps carry it too.
      let k = 0;
      for (let t = 0; t < T; t++) {
        for (let i = 0; i < n; i++) {
          setPtr(alist, k, rowRow(dz, t, i, G4));
          setPtr(clist, k, rowRow(dHinNext, t, i, inDim));
          k++;
        }
      }
      gemmRows(alist, clist, k, WT, inDim, G4, inDim, MODE_SET, 0);
      const swap = dHin; dHin = dHinNext; dHinNext = swap;
    } else if (load<u32>(desc + D_TRAIN_EMBEDDINGS) != 0) {
      // Embedding-row gradients: one per real token, one for all padding together (summed in t order).
      const dxBase = dU32(D_DX) + <usize>shard * dU32(D_DX_STRIDE);
      const padTotal = tU32(TD_PAD_TOTAL);
      memory.fill(padTotal, 0, <usize>G4 << 2);
      for (let t = 0; t < T; t++) addInto(padSum + ((<usize>t * <usize>G4) << 2), padTotal, G4);
      let k = 0;
      for (let t = 0; t < T; t++) {
        for (let i = 0; i < n; i++) {
          if (t < padOf(i)) continue;
          setPtr(alist, k, rowRow(dz, t, i, G4));
          setPtr(clist, k, rowRow(dxBase, t, i, E));
          k++;
        }
      }
      setPtr(alist, k, padTotal);
      setPtr(clist, k, dxBase + ((<usize>(T * R) * <usize>E) << 2));
      k++;
      gemmRows(alist, clist, k, WT, E, G4, E, MODE_SET, 0);
    }
  }
}

/** Per-call preparation: transposed weights for the backward products (this thread's copies). */
function prepareTransposes(): void {
  for (let l = 0; l < L; l++) {
    const inDim = <i32>lyU32(l, LY_INPUT_DIM), H = <i32>lyU32(l, LY_UNITS);
    transpose(lyU32(l, LY_RECURRENT_KERNEL), H, 4 * H, tlU32(l, TL_RECURRENT_KERNEL_T));
    if (l > 0 || load<u32>(desc + D_TRAIN_EMBEDDINGS) != 0) transpose(lyU32(l, LY_KERNEL), inDim, 4 * H, tlU32(l, TL_KERNEL_T));
  }
}

@inline function claim(): i32 {
  return atomic.add<i32>(dU32(D_COUNTER), 1);
}

/**
 * Phase 1 of a training step over the batch in ids/labels (batchRows rows): claims shards until none
 * are left; returns how many this worker ran. The host zeroes the counter first.
 */
export function trainShards(): i32 {
  const batch = <i32>dU32(D_BATCH_ROWS);
  const shards = (batch + R - 1) / R;
  prepareTransposes();
  let done = 0;
  for (let s = claim(); s < shards; s = claim()) {
    const rowBase = s * R;
    const n = min(R, batch - rowBase);
    forwardShard(rowBase, n);
    headShard(rowBase, n, true, batch, s);
    backwardShard(rowBase, n, s);
    done++;
  }
  return done;
}

/** Forward only over `rows` rows of ids: probabilities to probs, with labels also losses. */
export function predictShards(rows: i32, withLabels: i32): i32 {
  const shards = (rows + R - 1) / R;
  let done = 0;
  for (let s = claim(); s < shards; s = claim()) {
    const rowBase = s * R;
    const n = min(R, rows - rowBase);
    forwardShard(rowBase, n);
    headShard(rowBase, n, withLabels != 0, rows, s);
    done++;
  }
  return done;
}

// ---------------------------------------------------------------------------------------------
// Phase 2: gradient reduction in shard order + Adam (Keras: m += (g - m)(1 - β1), v += (g² - v)(1 - β2),
// w -= α·m / (√v + ε̂) with α = lr·√(1 - β2^t) / (1 - β1^t), the epsilon outside the bias correction).

function adam(w: usize, m: usize, v: usize, g: usize, n: i32, alpha: f32, b1c: f32, b2c: f32, eps: f32, consume: bool): void {
  const va = f32x4.splat(alpha), v1 = f32x4.splat(b1c), v2 = f32x4.splat(b2c), ve = f32x4.splat(eps);
  const z = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const gv = v128.load(g + o);
    let mv = v128.load(m + o), vv = v128.load(v + o);
    mv = f32x4.add(mv, f32x4.mul(f32x4.sub(gv, mv), v1));
    vv = f32x4.add(vv, f32x4.mul(f32x4.sub(f32x4.mul(gv, gv), vv), v2));
    v128.store(m + o, mv);
    v128.store(v + o, vv);
    v128.store(w + o, f32x4.sub(v128.load(w + o), f32x4.div(f32x4.mul(mv, va), f32x4.add(f32x4.sqrt(vv), ve))));
    if (consume) v128.store(g + o, z);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const gv = load<f32>(g + o);
    let mv = load<f32>(m + o), vv = load<f32>(v + o);
    mv = mv + (gv - mv) * b1c;
    vv = vv + (gv * gv - vv) * b2c;
    store<f32>(m + o, mv);
    store<f32>(v + o, vv);
    store<f32>(w + o, load<f32>(w + o) - (mv * alpha) / (Mathf.sqrt(vv) + eps));
    if (consume) store<f32>(g + o, 0);
  }
}

/** Adds shard s's embedding-row gradients for ids in [r0, r1) into embeddingGrad, in (t, row) order, padding last. */
function scatterShard(s: i32, batch: i32, r0: i32, r1: i32): void {
  const rowBase = s * R;
  const n = min(R, batch - rowBase);
  const dxBase = dU32(D_DX) + <usize>s * dU32(D_DX_STRIDE);
  const grad = dU32(D_EMBEDDING_GRAD);
  computePads(rowBase, n);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < n; i++) {
      if (t < padOf(i)) continue;
      const id = idOf(rowBase, i, t);
      if (id < r0 || id >= r1) continue;
      addInto(rowRow(dxBase, t, i, E), grad + ((<usize>id * <usize>E) << 2), E);
    }
  }
  if (r0 == 0) addInto(dxBase + ((<usize>(T * R) * <usize>E) << 2), grad, E);
}

/**
 * Phase 2 of training step `step` (1-based): claims dense-parameter chunks (sum of shard gradients in
 * shard order, then Adam) and, when the embedding trains, embedding row chunks (scatter in a fixed
 * order, then dense Adam over those rows, as Keras applies it to the whole matrix). The host zeroes
 * the counter first. With `update` 0 only the reduction runs: the batch gradient is left in shard 0's
 * buffer and embeddingGrad (for gradient checks; the host clears it afterwards).
 */
export function applyUpdate(step: i32, update: i32): i32 {
  const batch = <i32>dU32(D_BATCH_ROWS);
  const shards = (batch + R - 1) / R;
  const lr = load<f64>(desc + D_LEARNING_RATE), b1 = load<f64>(desc + D_BETA1), b2 = load<f64>(desc + D_BETA2);
  const alpha = <f32>(lr * Math.sqrt(1 - Math.pow(b2, <f64>step)) / (1 - Math.pow(b1, <f64>step)));
  const b1c = <f32>(1 - b1), b2c = <f32>(1 - b2), eps = <f32>load<f64>(desc + D_EPSILON);
  const nParams = <i32>dU32(D_PARAM_COUNT);
  const denseChunk = <i32>dU32(D_DENSE_CHUNK), embChunk = <i32>dU32(D_EMBEDDING_CHUNK);
  const denseItems = (nParams + denseChunk - 1) / denseChunk;
  const trainEmb = load<u32>(desc + D_TRAIN_EMBEDDINGS) != 0;
  const V = <i32>dU32(D_VOCAB_SIZE);
  const embItems = trainEmb ? (V + embChunk - 1) / embChunk : 0;
  const grads = dU32(D_GRADS), stride = dU32(D_GRAD_STRIDE);
  const params = dU32(D_PARAMS), pm = dU32(D_PARAMS_M), pv = dU32(D_PARAMS_V);
  let done = 0;
  for (let item = claim(); item < denseItems + embItems; item = claim()) {
    if (item < denseItems) {
      const a = item * denseChunk;
      const len = min(denseChunk, nParams - a);
      const off = <usize>a << 2;
      const g0 = grads + off;
      for (let s = 1; s < shards; s++) addInto(grads + <usize>s * stride + off, g0, len);
      if (update != 0) adam(params + off, pm + off, pv + off, g0, len, alpha, b1c, b2c, eps, false);
    } else {
      const r0 = (item - denseItems) * embChunk;
      const r1 = min(V, r0 + embChunk);
      for (let s = 0; s < shards; s++) scatterShard(s, batch, r0, r1);
      const off = (<usize>r0 * <usize>E) << 2;
      if (update != 0) {
        adam(dU32(D_EMBEDDING) + off, dU32(D_EMBEDDING_M) + off, dU32(D_EMBEDDING_V) + off, dU32(D_EMBEDDING_GRAD) + off,
          (r1 - r0) * E, alpha, b1c, b2c, eps, true);
      }
    }
    done++;
  }
  return done;
}

// ---------------------------------------------------------------------------------------------
// Keras initialisation, computed here so seeded runs match across engines: Embedding uniform(±0.05),
// kernels glorot-uniform, recurrent kernels orthogonal (QR of a normal matrix, sign-fixed so diag(R) > 0),
// LSTM bias 0 with the forget slice 1, Dense bias 0. One SplitMix64 sequence (lib/rng) from the seed.

function fillUniform(p: usize, n: i32, limit: f64): void {
  for (let i = 0; i < n; i++) store<f32>(p + (<usize>i << 2), <f32>((splitMixUniform() * 2 - 1) * limit));
}

/** Standard normals into f64 memory (Marsaglia's polar method: no trigonometry, hence no static tables). */
function fillNormal(p: usize, n: i32): void {
  for (let i = 0; i < n; i += 2) {
    let u: f64 = 0, v: f64 = 0, s: f64 = 0;
    do {
      u = splitMixUniform() * 2 - 1;
      v = splitMixUniform() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    const m = Math.sqrt(-2.0 * Math.log(s) / s);
    store<f64>(p + (<usize>i << 3), u * m);
    if (i + 1 < n) store<f64>(p + (<usize>(i + 1) << 3), v * m);
  }
}

/**
 * Orthogonal H × 4H recurrent kernel, as Keras builds it: a (4H × H) normal matrix, its reduced QR
 * with Q's columns sign-fixed so diag(R) > 0 (Gram–Schmidt gives exactly that Q), transposed.
 * Modified Gram–Schmidt run twice in f64.
 */
function orthogonal(U: usize, H: i32, scratch: usize): void {
  const rows = 4 * H;
  fillNormal(scratch, rows * H);
  const colBytes = <usize>rows << 3;
  for (let j = 0; j < H; j++) {
    const v = scratch + <usize>j * colBytes;
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        const q = scratch + <usize>k * colBytes;
        let d: f64 = 0;
        for (let r = 0; r < rows; r++) d += load<f64>(q + (<usize>r << 3)) * load<f64>(v + (<usize>r << 3));
        for (let r = 0; r < rows; r++) {
          const o = <usize>r << 3;
          store<f64>(v + o, load<f64>(v + o) - d * load<f64>(q + o));
        }
      }
    }
    let nrm: f64 = 0;
    for (let r = 0; r < rows; r++) { const x = load<f64>(v + (<usize>r << 3)); nrm += x * x; }
    const inv = 1.0 / Math.sqrt(nrm);
    for (let r = 0; r < rows; r++) { const o = <usize>r << 3; store<f64>(v + o, load<f64>(v + o) * inv); }
  }
  // U[j][g] = Q[g][j]
  for (let j = 0; j < H; j++) {
    const q = scratch + <usize>j * colBytes;
    for (let g = 0; g < rows; g++) store<f32>(U + ((<usize>j * <usize>rows + <usize>g) << 2), <f32>load<f64>(q + (<usize>g << 3)));
  }
}

/** Keras-default initialisation of all weights from `seed`; clears the Adam moments. */
export function initParams(seed: u64): void {
  splitMixSeed(mixSeed(seed, 0x4C53544D));
  const V = <i32>dU32(D_VOCAB_SIZE);
  fillUniform(dU32(D_EMBEDDING), V * E, 0.05);
  for (let l = 0; l < L; l++) {
    const inDim = <i32>lyU32(l, LY_INPUT_DIM), H = <i32>lyU32(l, LY_UNITS);
    fillUniform(lyU32(l, LY_KERNEL), inDim * 4 * H, Math.sqrt(6.0 / <f64>(inDim + 4 * H)));
    orthogonal(lyU32(l, LY_RECURRENT_KERNEL), H, dU32(D_INIT_SCRATCH));
    const b = lyU32(l, LY_BIAS);
    memory.fill(b, 0, <usize>(4 * H) << 2);
    for (let j = 0; j < H; j++) store<f32>(b + (<usize>(H + j) << 2), 1);
  }
  const Hl = <i32>lyU32(L - 1, LY_UNITS);
  fillUniform(dU32(D_DENSE_KERNEL), Hl * OUT, Math.sqrt(6.0 / <f64>(Hl + OUT)));
  memory.fill(dU32(D_DENSE_BIAS), 0, <usize>OUT << 2);
  resetOptimizer();
}

/** Zeroes Adam's moments and the embedding gradient accumulator. */
export function resetOptimizer(): void {
  const V = <usize>dU32(D_VOCAB_SIZE);
  const nParams = dU32(D_PARAM_COUNT);
  memory.fill(dU32(D_PARAMS_M), 0, nParams << 2);
  memory.fill(dU32(D_PARAMS_V), 0, nParams << 2);
  const embBytes = (V * <usize>E) << 2;
  memory.fill(dU32(D_EMBEDDING_M), 0, embBytes);
  memory.fill(dU32(D_EMBEDDING_V), 0, embBytes);
  memory.fill(dU32(D_EMBEDDING_GRAD), 0, embBytes);
}
