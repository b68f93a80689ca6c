/**
 * @module `deno run -A tests/tools/gen_f80_vectors.ts`: captures x87 test vectors for core/fpu/f80.ts
 * from the host CPU (tests/tools/vectors/f80_native.ts) and writes tests/vectors/f80/<op>.json.
 *
 * Row format (space-separated hex, big-endian per field): `cw a [b] sw [st0] [st1] [mem] [efl]`;
 * 80-bit values as 20 digits (sign/exponent, then the significand), memory operands at their width.
 */
import { parseArgs } from "node:util";
import { hashName, Rng } from "./vectors/lib.ts";
import { F80, mul } from "../../core/fpu/f80.ts";
import {
  buildOracle,
  IN_REC,
  NATIVE_OPS,
  type NativeOp,
  OUT_REC,
  runOracle,
} from "./vectors/f80_native.ts";
import { F80_FIELDS, type F80Spec, SW_MASK } from "./vectors/f80_format.ts";

const SEED = 0xf80f80;
const OUT_DIR = new URL("../vectors/f80/", import.meta.url).pathname;
const BIAS = 16383;

type V = [number, number, number];

const SPECIALS: V[] = [
  [0x0000, 0, 0], // +0
  [0x8000, 0, 0], // -0
  [0x7fff, 0x80000000, 0], // +inf
  [0xffff, 0x80000000, 0], // -inf
  [0xffff, 0xc0000000, 0], // indefinite
  [0x7fff, 0xc0000000, 1], // QNaN payload
  [0x7fff, 0xd0000000, 0x1234], // QNaN payload
  [0xffff, 0xe0000000, 0], // QNaN
  [0x7fff, 0x80000000, 1], // SNaN
  [0xffff, 0xa0000000, 0x55], // SNaN
  [0x7fff, 0xbfffffff, 0xffffffff], // SNaN max
  [0x0000, 0, 1], // min denormal
  [0x8000, 0x7fffffff, 0xffffffff], // max denormal
  [0x0000, 0x40000000, 0], // denormal
  [0x0000, 0x80000000, 0], // pseudo-denormal (min normal value)
  [0x8000, 0xc0000000, 5], // pseudo-denormal
  [0x0001, 0x80000000, 0], // min normal
  [0x7ffe, 0xffffffff, 0xffffffff], // max normal
  [0xfffe, 0xffffffff, 0xffffffff], // -max normal
  [0x3fff, 0x80000000, 0], // 1
  [0xbfff, 0x80000000, 0], // -1
  [0x3ffe, 0x80000000, 0], // 0.5
  [0x4000, 0xc0000000, 0], // 3
  [0x3fff, 0x40000000, 0], // unnormal
  [0x7fff, 0, 0], // pseudo-infinity
  [0x7fff, 0x40000000, 0], // pseudo-NaN
];

class Gen {
  constructor(readonly r: Rng) {}
  u32(): number {
    return this.r.u32();
  }
  /** A normalized 64-bit significand, biased toward rounding boundaries. */
  sig(): [number, number] {
    const r = this.r;
    const k = r.int(8);
    let hi = (r.u32() | 0x80000000) >>> 0, lo = r.u32();
    if (k === 1) {
      // p significant bits then a boundary pattern below
      const p = r.pick([24, 53, 64, r.range(1, 64)]);
      const tail = r.int(5);
      const keep = (n: number) => {
        // keep top n bits of hi:lo
        if (n >= 64) return;
        if (n >= 32) lo = (lo & ~(0xffffffff >>> (n - 32))) >>> 0;
        else {
          hi = (hi & ~(0xffffffff >>> n)) >>> 0;
          lo = 0;
        }
      };
      keep(p);
      const setBit = (b: number) => { // b: 0 = lsb of 64
        if (b < 0 || b > 63) return;
        if (b >= 32) hi = (hi | (1 << (b - 32))) >>> 0;
        else lo = (lo | (1 << b)) >>> 0;
      };
      const below = 64 - p; // bits below the rounding lsb
      if (tail === 0) setBit(below - 1); // exact half
      else if (tail === 1) {
        setBit(below - 1);
        setBit(0);
      } else if (tail === 2) { for (let b = 0; b < below - 1; b++) setBit(b); }
      else if (tail === 3) setBit(0);
      else if (tail === 4) { for (let b = 0; b < below; b++) setBit(b); }
    } else if (k === 2) {
      // few significant bits
      const n = r.range(1, 40);
      if (n < 32) {
        hi = (hi & ~(0xffffffff >>> n)) >>> 0;
        lo = 0;
      } else lo = (lo & ~(0xffffffff >>> (n - 32))) >>> 0;
    } else if (k === 3) {
      hi = r.pick([0x80000000, 0xffffffff, 0xc0000000, 0xaaaaaaaa]);
      lo = r.pick([0, 0xffffffff, 1, 0x80000000, 0xfffff800, 0x800]);
    }
    return [hi, lo];
  }
  exp(): number {
    const r = this.r;
    switch (r.int(6)) {
      case 0:
      case 1:
        return BIAS + r.range(-4, 4);
      case 2:
        return BIAS + r.range(-80, 80);
      case 3:
        return r.range(1, 0x7ffe);
      case 4:
        return r.range(1, 80);
      default:
        return r.range(0x7ffe - 80, 0x7ffe);
    }
  }
  sign(): number {
    return this.r.int(2) << 15;
  }
  special(): V {
    return this.r.pick(SPECIALS);
  }
  normal(e = this.exp()): V {
    const [hi, lo] = this.sig();
    return [this.sign() | Math.max(1, Math.min(0x7ffe, e)), hi, lo];
  }
  denormal(): V {
    const [hi, lo] = this.sig();
    const s = this.r.int(64) + 1;
    let h = hi, l = lo;
    if (s >= 32) {
      l = h >>> (s - 32);
      h = 0;
    } else {
      l = ((l >>> s) | (h << (32 - s))) >>> 0;
      h = h >>> s;
    }
    if (h === 0 && l === 0) l = 1;
    return [this.sign(), h, l];
  }
  /** Any operand: mostly normal, some specials and denormals. */
  any(): V {
    const x = this.r.int(20);
    if (x < 2) return this.special();
    if (x < 4) return this.denormal();
    return this.normal();
  }
}

/** A significand with exactly n significant bits, the lowest of them set. */
function bitsSig(r: Rng, n: number): [number, number] {
  let hi = (r.u32() | 0x80000000) >>> 0, lo = r.u32();
  const clear = 64 - n;
  if (clear >= 32) {
    hi = (hi & ~(0xffffffff >>> n)) >>> 0;
    lo = 0;
    hi = (hi | (1 << (clear - 32))) >>> 0;
  } else if (clear > 0) {
    lo = (lo & ~(0xffffffff >>> (32 - clear))) >>> 0;
    lo = (lo | (1 << clear)) >>> 0;
  }
  return [hi, lo];
}

const EXACT = new F80();
/** x * y computed exactly (the operands' significant bits must fit 64 together). */
function exactMul(x: V, y: V): V {
  mul(EXACT, new F80(...x), new F80(...y), 0x037f);
  return [EXACT.se, EXACT.hi, EXACT.lo];
}

/** Nudges the last significand bit: results just beside a rounding boundary. */
function nudge(r: Rng, v: V): V {
  const d = r.pick([0, 0, 1, -1]);
  const lo = (v[2] + d) >>> 0;
  return [v[0], v[1], lo];
}

/** Operands whose exact result lies on (or just beside) a rounding boundary. */
function boundary(g: Gen, op: string): [V, V] {
  const r = g.r;
  const p = r.pick([24, 53]);
  const e = () => BIAS + r.range(-20, 20);
  const sgn = () => r.int(2) << 15;
  if (op === "fsqrt") {
    const q: V = [e(), ...bitsSig(r, 25)];
    return [nudge(r, exactMul(q, q)), [0, 0, 0]];
  }
  if (op === "fdiv") {
    const q: V = [sgn() | e(), ...bitsSig(r, p + 1)];
    const b: V = [sgn() | e(), ...bitsSig(r, r.range(1, 63 - p))];
    return [nudge(r, exactMul(b, q)), b];
  }
  const k = r.range(1, p);
  const a: V = [sgn() | e(), ...bitsSig(r, k)];
  const b: V = [sgn() | e(), ...bitsSig(r, p + 2 - k)];
  return [a, b];
}

/** Operand pairs for a binary op, including exponent relations that over/underflow. */
function pair(g: Gen, op: string): [V, V] {
  const r = g.r;
  if ((op === "fmul" || op === "fdiv" || op === "fsqrt") && r.chance(0.15)) return boundary(g, op);
  const x = r.int(10);
  if (x === 0) return [g.any(), g.special()];
  if (x === 1) return [g.special(), g.any()];
  const a = g.normal();
  const ea = a[0] & 0x7fff;
  if (x < 4) return [a, g.normal()];
  if (x === 4) return [a, g.denormal()];
  let eb: number;
  if (op === "fmul" || op === "fscale") {
    eb = r.chance(0.5) ? 2 * BIAS - ea + r.range(-70, 3) : BIAS + (0x7ffe - ea) + r.range(-3, 3);
    if (r.chance(0.3)) eb = BIAS - ea + r.range(-80, 3);
  } else if (op === "fdiv" || op === "fprem" || op === "fprem1") {
    eb = r.chance(0.5) ? ea - BIAS + r.range(-3, 70) : ea - 0x7ffe + BIAS + r.range(-3, 3);
    if (op !== "fdiv") {
      eb = ea - r.pick([0, 1, 2, 5, 31, 32, 33, 62, 63, 64, 65, 70, 95, 96, 200, -1, -2]);
    }
  } else {
    eb = ea + r.range(-70, 70);
    if (r.chance(0.3)) {
      // cancellation: same exponent, nearby significand
      const b: V = [(r.int(2) << 15) | ea, a[1], (a[2] ^ r.int(1 << r.range(1, 31))) >>> 0];
      if (r.chance(0.5)) b[1] = (b[1] ^ r.int(256)) | 0x80000000;
      return [a, b];
    }
  }
  const b = g.normal(eb);
  if (eb < 1 && r.chance(0.5)) return [a, g.denormal()];
  return [a, b];
}

/** A control word: masks all set unless `unmasked`, the given PC/RC. */
function cwOf(pc: number, rc: number, masks = 0x3f): number {
  return 0x0040 | (masks & 0x3f) | (pc << 8) | (rc << 10) | 0x1000;
}

/** 24, 53, 64 bits and the reserved 01 */
const PCS = [0, 2, 3, 1];
const RCS = [0, 1, 2, 3];

interface Case {
  op: NativeOp;
  cw: number;
  a: Uint8Array; // 10 bytes
  b: Uint8Array; // 10 bytes
}

function bytes80(v: V): Uint8Array {
  const out = new Uint8Array(10);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, v[2] >>> 0, true);
  dv.setUint32(4, v[1] >>> 0, true);
  dv.setUint16(8, v[0] & 0xffff, true);
  return out;
}

function bytesInt(lo: number, hi = 0): Uint8Array {
  const out = new Uint8Array(10);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, lo >>> 0, true);
  dv.setUint32(4, hi >>> 0, true);
  return out;
}

/** Values near integer and range boundaries for fist/fisttp/frndint/fbstp. */
function intish(g: Gen, maxExp: number): V {
  const r = g.r;
  const x = r.int(10);
  if (x === 0) return g.special();
  if (x === 1) return g.denormal();
  const e = BIAS + r.range(-3, maxExp);
  const v = g.normal(e);
  if (r.chance(0.3)) {
    // exactly at a half or integer: clear low bits below the binary point (+ half)
    const frac = 63 - (e - BIAS);
    if (frac > 0 && frac < 64) {
      let [, hi, lo] = v;
      if (frac >= 32) {
        hi = (hi & ~(0xffffffff >>> (64 - frac))) >>> 0;
        lo = 0;
      } else lo = (lo & ~(0xffffffff >>> (32 - frac))) >>> 0;
      if (r.chance(0.5) && frac >= 1) {
        const b = frac - 1;
        if (b >= 32) hi = (hi | (1 << (b - 32))) >>> 0;
        else lo = (lo | (1 << b)) >>> 0;
      }
      return [v[0], hi | 0x80000000, lo];
    }
  }
  return v;
}

function f32Bits(g: Gen): number {
  const r = g.r;
  const x = r.int(8);
  const s = r.int(2) << 31;
  if (x === 0) {
    return (s |
      r.pick([
        0,
        0x7f800000,
        0x7fc00000,
        0x7f800001,
        0x7fa00000,
        0x7fffffff,
        1,
        0x7fffff,
        0x800000,
      ])) >>>
      0;
  }
  if (x === 1) return (s | r.int(0x800000)) >>> 0;
  return (s | r.u32() & 0x7fffffff) >>> 0;
}

function f64Bits(g: Gen): [number, number] {
  const r = g.r;
  const x = r.int(8);
  const s = r.int(2) << 31;
  if (x === 0) {
    const [hi, lo] = r.pick([
      [0, 0],
      [0x7ff00000, 0],
      [0x7ff80000, 0],
      [0x7ff00000, 1],
      [0x7ff40000, 0x1234],
      [0, 1],
      [0xfffff, 0xffffffff],
      [0x100000, 0],
    ]);
    return [lo, (s | hi) >>> 0];
  }
  if (x === 1) return [r.u32(), (s | r.int(0x100000)) >>> 0];
  return [r.u32(), (s | r.u32() & 0x7fffffff) >>> 0];
}

function bcdBytes(g: Gen): Uint8Array {
  const r = g.r;
  const out = new Uint8Array(10);
  const digits = r.pick([1, 2, 5, 9, 15, 17, 18, 18, 18]);
  for (let i = 0; i < digits; i++) {
    const d = r.chance(0.1) ? 9 : r.int(10);
    out[i >> 1] |= d << (4 * (i & 1));
  }
  out[9] = r.int(2) ? 0x80 : 0;
  return out;
}

function intBits(g: Gen, bits: 16 | 32 | 64): [number, number] {
  const r = g.r;
  const edges = bits === 16
    ? [0, 1, 0x7fff, 0x8000, 0xffff, 0x8001]
    : bits === 32
    ? [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x80000001]
    : [];
  if (bits === 64) {
    const e64: [number, number][] = [
      [0, 0],
      [1, 0],
      [0xffffffff, 0x7fffffff],
      [0, 0x80000000],
      [
        0xffffffff,
        0xffffffff,
      ],
      [1, 0x80000000],
      [0xffffffff, 0xffffffff],
    ];
    if (r.chance(0.2)) return r.pick(e64);
    const hi = r.u32() >>> r.int(32);
    return [r.u32(), r.int(2) ? hi : (~hi) >>> 0];
  }
  if (r.chance(0.2)) return [r.pick(edges), 0];
  return [(r.u32() >>> r.int(bits)) & (bits === 16 ? 0xffff : 0xffffffff), 0];
}

/** The cases for one op. */
function casesFor(op: NativeOp, spec: F80Spec): Case[] {
  const g = new Gen(new Rng(hashName(op) ^ SEED));
  const r = g.r;
  const out: Case[] = [];
  const push = (cw: number, a: Uint8Array, b: Uint8Array = new Uint8Array(10)) =>
    out.push({ op, cw, a, b });
  const pcs = spec.pc ? PCS : [3];
  for (const pc of pcs) {
    for (const rc of RCS) {
      for (let i = 0; i < spec.n; i++) {
        const thePc = spec.pc ? pc : r.pick([0, 2, 3]);
        const masks = spec.unmasked && r.chance(0.15) ? r.int(64) : 0x3f;
        const cw = cwOf(thePc, rc, masks);
        switch (spec.gen) {
          case "pair": {
            const [a, b] = r.chance(0.5) ? pair(g, op) : pair(g, op).reverse() as [V, V];
            push(cw, bytes80(a), bytes80(b));
            break;
          }
          case "cmp": {
            const a = g.any();
            const b: V = r.chance(0.3) ? [a[0] ^ (r.int(2) << 15), a[1], a[2]] : g.any();
            push(cw, bytes80(a), bytes80(r.chance(0.1) ? [0x8000 & b[0], 0, 0] : b));
            break;
          }
          case "unary":
            push(cw, bytes80(op === "fsqrt" && r.chance(0.2) ? pair(g, op)[0] : g.any()));
            break;
          case "scale": {
            const b: V = r.chance(0.15)
              ? g.special()
              : r.chance(0.5)
              ? numV(r.range(-70, 70) + (r.chance(0.3) ? r.u32() / 2 ** 32 : 0))
              : numV((r.int(2) ? 1 : -1) * r.range(16300, 33000));
            push(cw, bytes80(g.any()), bytes80(b));
            break;
          }
          case "int16":
          case "int32":
          case "int64": {
            const bits = spec.gen === "int16" ? 16 : spec.gen === "int32" ? 32 : 64;
            push(cw, bytesInt(...intBits(g, bits)));
            break;
          }
          case "intish":
            push(cw, bytes80(intish(g, spec.maxExp ?? 66)));
            break;
          case "f32":
            push(cw, bytesInt(f32Bits(g)));
            break;
          case "f64":
            push(cw, bytesInt(...f64Bits(g)));
            break;
          case "bcd":
            push(cw, bcdBytes(g));
            break;
          case "narrow": {
            // 80-bit values around the float32/float64 ranges
            const lim = op === "fst_m32" ? 127 : 1023;
            const e = r.chance(0.5)
              ? BIAS + r.range(-lim - 70, -lim + 3)
              : BIAS + r.range(lim - 3, lim + 3);
            const a = r.chance(0.2)
              ? g.any()
              : r.chance(0.3)
              ? g.normal(BIAS + r.range(-lim, lim))
              : g.normal(e);
            push(cw, bytes80(a));
            break;
          }
          case "mem32":
          case "mem64": {
            const [a] = pair(g, "fadd");
            const m = spec.gen === "mem32" ? bytesInt(f32Bits(g)) : bytesInt(...f64Bits(g));
            push(cw, bytes80(a), m);
            break;
          }
        }
      }
    }
  }
  return out;
}

function numV(x: number): V {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x, true);
  const lo = dv.getUint32(0, true), hi = dv.getUint32(4, true);
  if (x === 0) return [hi >>> 31 << 15, 0, 0];
  const e = (hi >>> 20) & 0x7ff;
  return [
    (hi >>> 31 << 15) | (e - 1023 + BIAS),
    (0x80000000 | ((hi & 0xfffff) << 11) | (lo >>> 21)) >>> 0,
    (lo << 11) >>> 0,
  ];
}

const COVERAGE_HEAD = `# x87 f80 vector coverage

Generated by \`deno run -A tests/tools/gen_f80_vectors.ts\`; do not edit. Captured natively on: CPU.
Checked by core/fpu/f80_test.ts (tests/tools/vectors/f80_check.ts).

Each row runs one x87 instruction after FNINIT + FLDCW (operands loaded with FLD m80, never
raising) and records the FNSAVE'd status word and registers, so cases with unmasked
exceptions are captured too. Operands mix specials (±0, ±inf, QNaN/SNaN payloads, indefinite,
denormals, pseudo-denormals, unnormals, pseudo-inf/NaN), significands on and beside
rounding boundaries for 24/53/64 bits, exponent pairs at the overflow/underflow limits,
exact-halfway quotients and roots, and random values.

| op | vectors | control words |
| --- | --- | --- |
`;

function describe(spec: F80Spec): string {
  const pc = spec.pc ? "PC 24/53/64/reserved × RC 4" : "RC 4 (PC random)";
  return spec.unmasked ? `${pc}, 15% random exception masks` : pc;
}

function hexBytes(b: Uint8Array, n: number): string {
  let s = "";
  for (let i = n - 1; i >= 0; i--) s += b[i].toString(16).padStart(2, "0");
  return s;
}

function hex16(x: number): string {
  return x.toString(16).padStart(4, "0");
}

async function main(): Promise<void> {
  const args = parseArgs({ args: Deno.args, options: { only: { type: "string" } } });
  const only = args.values.only?.split(",");
  const work = await Deno.makeTempDir({ prefix: "f80_vectors_" });
  const exe = await buildOracle(work);
  const cpu = ((await Deno.readTextFile("/proc/cpuinfo")).match(/model name\s*:\s*(.*)/)?.[1] ??
    "unknown").trim();
  await Deno.mkdir(OUT_DIR, { recursive: true });
  let total = 0;
  const lines: string[] = [];
  for (const [op, spec] of Object.entries(F80_FIELDS) as [NativeOp, F80Spec][]) {
    if (only && !only.includes(op)) continue;
    const cases = casesFor(op, spec);
    const opIndex = NATIVE_OPS.findIndex(([n]) => n === op);
    const input = new Uint8Array(cases.length * IN_REC);
    const dv = new DataView(input.buffer);
    cases.forEach((c, i) => {
      dv.setUint32(i * IN_REC, opIndex, true);
      dv.setUint32(i * IN_REC + 4, c.cw, true);
      input.set(c.a, i * IN_REC + 8);
      input.set(c.b, i * IN_REC + 18);
    });
    const output = await runOracle(exe, input);
    const odv = new DataView(output.buffer);
    const rows = cases.map((c, i) => {
      const o = i * OUT_REC;
      const f: string[] = [hex16(c.cw), hexBytes(c.a, spec.aBytes)];
      if (spec.bBytes) f.push(hexBytes(c.b, spec.bBytes));
      f.push(hex16(odv.getUint16(o, true) & SW_MASK));
      if (spec.st0) f.push(hexBytes(output.subarray(o + 8, o + 18), 10));
      if (spec.st1) f.push(hexBytes(output.subarray(o + 18, o + 28), 10));
      if (spec.memBytes) f.push(hexBytes(output.subarray(o + 28, o + 38), spec.memBytes));
      if (spec.efl) f.push(hex16(odv.getUint32(o + 4, true) & 0x45));
      return f.join(" ");
    });
    const text =
      `{"op":${JSON.stringify(op)},"cpu":${JSON.stringify(cpu)},"count":${rows.length},"rows":[\n` +
      rows.map((x) => JSON.stringify(x)).join(",\n") + "\n]}\n";
    await Deno.writeTextFile(`${OUT_DIR}${op}.json`, text);
    total += rows.length;
    lines.push(`| ${op} | ${rows.length} | ${describe(spec)} |`);
    console.log(`${op}: ${rows.length}`);
  }
  console.log(`total ${total}`);
  if (!only) {
    await Deno.writeTextFile(
      `${OUT_DIR}COVERAGE.md`,
      COVERAGE_HEAD.replace("CPU", cpu) + lines.join("\n") + `\n\nTotal: ${total} vectors.\n`,
    );
  }
  await Deno.remove(work, { recursive: true });
}

if (import.meta.main) await main();
