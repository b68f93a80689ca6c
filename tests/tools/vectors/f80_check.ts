/**
 * @module Checks core/fpu/f80.ts against the stored f80 vectors (tests/vectors/f80/*.json).
 * Used by core/fpu/f80_test.ts; `deno run -A tests/tools/vectors/f80_check.ts [op…]` prints a report.
 */
import * as f80 from "../../../core/fpu/f80.ts";
import { F80 } from "../../../core/fpu/f80.ts";
import { F80_FIELDS, type F80File, type F80Spec } from "./f80_format.ts";
import type { NativeOp } from "./f80_native.ts";

export const VECTOR_DIR = new URL("../../vectors/f80/", import.meta.url).pathname;

/** Status bits compared: exception flags and C0-C3 (SF, ES, TOP are the x87 layer's). */
const CMP_MASK = 0x473f;
const STOP = 0x7; // IE | DE | ZE: the instruction does not complete when unmasked

/** One op's result for a row. */
interface Got {
  sw: number;
  st0?: F80;
  st1?: F80;
  mem?: string;
  efl?: number;
}

function parse80(s: string): F80 {
  return new F80(
    parseInt(s.slice(0, 4), 16),
    parseInt(s.slice(4, 12), 16),
    parseInt(s.slice(12), 16),
  );
}

function fmt80(x: F80): string {
  return x.se.toString(16).padStart(4, "0") + x.hi.toString(16).padStart(8, "0") +
    x.lo.toString(16).padStart(8, "0");
}

function hexN(v: number, digits: number): string {
  return (v >>> 0).toString(16).padStart(digits, "0");
}

function parseBytes(s: string): Uint8Array {
  // big-endian hex → little-endian bytes
  const n = s.length / 2;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[n - 1 - i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function bytesHex(b: Uint8Array): string {
  let s = "";
  for (let i = b.length - 1; i >= 0; i--) s += b[i].toString(16).padStart(2, "0");
  return s;
}

const u32 = new Uint32Array(2);

type Runner = (a: string, b: string, cw: number) => Got;

function bin(fn: (o: F80, a: F80, b: F80, cw: number) => number): Runner {
  return (as, bs, cw) => {
    const a = parse80(as), o = new F80();
    const sw = fn(o, a, parse80(bs), cw);
    return { sw, st0: sw & ~cw & STOP ? a : o };
  };
}

function un(fn: (o: F80, a: F80, cw: number) => number): Runner {
  return (as, _b, cw) => {
    const a = parse80(as), o = new F80();
    const sw = fn(o, a, cw);
    return { sw, st0: sw & ~cw & STOP ? a : o };
  };
}

function cmpToEfl(sw: number): number {
  return (sw & 0x4000 ? 0x40 : 0) | (sw & 0x400 ? 0x04 : 0) | (sw & 0x100 ? 0x01 : 0);
}

function store(bits: 16 | 32 | 64, chop: boolean): Runner {
  return (as, _b, cw) => {
    const sw = f80.toInt(u32, parse80(as), bits, cw, chop);
    const v = bits === 64 ? hexN(u32[1], 8) + hexN(u32[0], 8) : hexN(u32[0], bits / 4);
    return { sw, mem: sw & ~cw & 0x1f ? "0".repeat(bits / 4) : v };
  };
}

function memOp(
  width: 32 | 64,
  fn: (o: F80, a: F80, b: F80, cw: number) => number,
): Runner {
  return (as, bs, cw) => {
    const a = parse80(as), b = new F80(), o = new F80();
    const v = parseInt(bs.slice(-8), 16), h = width === 64 ? parseInt(bs.slice(0, 8), 16) : 0;
    const lf = f80.memOperandDE(
      width === 32 ? f80.fromF32(b, v, true) : f80.fromF64(b, v, h, true),
      a,
    );
    if (lf & ~cw) return { sw: lf, st0: a };
    const sw = lf | fn(o, a, b, cw);
    return { sw, st0: sw & ~cw & STOP ? a : o };
  };
}

const ZERO = new F80();

/** The library call for each stored op. */
export const RUNNERS: Record<string, Runner> = {
  fadd: bin(f80.add),
  fsub: bin(f80.sub),
  fmul: bin(f80.mul),
  fdiv: bin(f80.div),
  fsqrt: un(f80.sqrt),
  fcom: (a, b) => ({ sw: f80.compare(parse80(a), parse80(b), false) }),
  fucom: (a, b) => ({ sw: f80.compare(parse80(a), parse80(b), true) }),
  fcomi: (a, b) => {
    const r = f80.compare(parse80(a), parse80(b), false);
    return { sw: r & 0x3f, efl: cmpToEfl(r) };
  },
  fucomi: (a, b) => {
    const r = f80.compare(parse80(a), parse80(b), true);
    return { sw: r & 0x3f, efl: cmpToEfl(r) };
  },
  ftst: (a) => ({ sw: f80.compare(parse80(a), ZERO, false) }),
  fxam: (a) => ({ sw: f80.xam(parse80(a)) }),
  frndint: un(f80.rndint),
  fscale: bin(f80.scale),
  fxtract: (as, _b, cw) => {
    const a = parse80(as), s = new F80(), e = new F80();
    const sw = f80.xtract(s, e, a, cw);
    return sw & ~cw & STOP ? { sw, st0: a } : { sw, st0: s, st1: e };
  },
  fprem: bin((o, a, b, cw) => f80.prem(o, a, b, cw, false)),
  fprem1: bin((o, a, b, cw) => f80.prem(o, a, b, cw, true)),
  fabs: un((o, a) => f80.abs(o, a)),
  fchs: un((o, a) => f80.chs(o, a)),
  fld_m32: (a, _b, cw) => {
    const o = new F80();
    const sw = f80.fromF32(o, parseInt(a, 16));
    return { sw, st0: sw & ~cw & STOP ? undefined : o };
  },
  fld_m64: (a, _b, cw) => {
    const o = new F80();
    const sw = f80.fromF64(o, parseInt(a.slice(8), 16), parseInt(a.slice(0, 8), 16));
    return { sw, st0: sw & ~cw & STOP ? undefined : o };
  },
  fst_m32: (a, _b, cw) => {
    const sw = f80.toF32(u32, parse80(a), cw);
    return { sw, mem: sw & ~cw & 0x1f ? "00000000" : hexN(u32[0], 8) };
  },
  fst_m64: (a, _b, cw) => {
    const sw = f80.toF64(u32, parse80(a), cw);
    return { sw, mem: sw & ~cw & 0x1f ? "0".repeat(16) : hexN(u32[1], 8) + hexN(u32[0], 8) };
  },
  fild_m16: (a) => {
    const o = new F80();
    f80.fromInt32(o, (parseInt(a, 16) << 16) >> 16);
    return { sw: 0, st0: o };
  },
  fild_m32: (a) => {
    const o = new F80();
    f80.fromInt32(o, parseInt(a, 16) | 0);
    return { sw: 0, st0: o };
  },
  fild_m64: (a) => {
    const o = new F80();
    f80.fromInt64(o, parseInt(a.slice(8), 16), parseInt(a.slice(0, 8), 16));
    return { sw: 0, st0: o };
  },
  fist_m16: store(16, false),
  fist_m32: store(32, false),
  fistp_m64: store(64, false),
  fisttp_m16: store(16, true),
  fisttp_m32: store(32, true),
  fisttp_m64: store(64, true),
  fbld: (a) => {
    const o = new F80();
    f80.fromBcd(o, parseBytes(a));
    return { sw: 0, st0: o };
  },
  fbstp: (a, _b, cw) => {
    const m = new Uint8Array(10);
    const sw = f80.toBcd(m, parse80(a), cw);
    return { sw, mem: sw & ~cw & 0x1f ? "0".repeat(20) : bytesHex(m) };
  },
  fadd_m32: memOp(32, f80.add),
  fadd_m64: memOp(64, f80.add),
  fdiv_m32: memOp(32, f80.div),
  fcom_m64: (as, bs) => {
    const b = new F80();
    const a = parse80(as);
    const lf = f80.memOperandDE(
      f80.fromF64(b, parseInt(bs.slice(8), 16), parseInt(bs.slice(0, 8), 16), true),
      a,
    );
    return { sw: lf | f80.compare(a, b, false) };
  },
};

/** Result of checking one op's file. */
export interface OpReport {
  op: string;
  total: number;
  failed: number;
  examples: string[];
}

/** Checks one row; returns a description of the mismatch or undefined. */
export function checkRow(op: string, spec: F80Spec, row: string): string | undefined {
  const f = row.split(" ");
  let i = 0;
  const cw = parseInt(f[i++], 16);
  const a = f[i++];
  const b = spec.bBytes ? f[i++] : "";
  const sw = parseInt(f[i++], 16);
  const got = RUNNERS[op](a, b, cw);
  const diffs: string[] = [];
  if (((got.sw ^ sw) & CMP_MASK) !== 0) {
    diffs.push(`sw ${hexN(got.sw & CMP_MASK, 4)} != ${hexN(sw & CMP_MASK, 4)}`);
  }
  if (spec.st0) {
    const want = f[i++];
    if (got.st0 && fmt80(got.st0) !== want) diffs.push(`st0 ${fmt80(got.st0)} != ${want}`);
  }
  if (spec.st1) {
    const want = f[i++];
    if (got.st1 && fmt80(got.st1) !== want) diffs.push(`st1 ${fmt80(got.st1)} != ${want}`);
  }
  if (spec.memBytes) {
    const want = f[i++];
    if (got.mem !== undefined && got.mem !== want) diffs.push(`mem ${got.mem} != ${want}`);
  }
  if (spec.efl) {
    const want = parseInt(f[i++], 16);
    if (got.efl !== want) diffs.push(`efl ${hexN(got.efl ?? 0, 2)} != ${hexN(want, 2)}`);
  }
  return diffs.length ? `${op} [${row}]: ${diffs.join(", ")}` : undefined;
}

/** Checks every row of one op's file. */
export async function checkOp(op: NativeOp, maxExamples = 8): Promise<OpReport> {
  const spec = F80_FIELDS[op]!;
  const file = JSON.parse(await Deno.readTextFile(`${VECTOR_DIR}${op}.json`)) as F80File;
  const examples: string[] = [];
  let failed = 0;
  for (const row of file.rows) {
    let bad: string | undefined;
    try {
      bad = checkRow(op, spec, row);
    } catch (e) {
      bad = `${op} [${row}]: threw ${e}`;
    }
    if (bad) {
      failed++;
      if (examples.length < maxExamples) examples.push(bad);
    }
  }
  return { op, total: file.rows.length, failed, examples };
}

if (import.meta.main) {
  const ops = (Deno.args.length ? Deno.args : Object.keys(F80_FIELDS)) as NativeOp[];
  let total = 0, failed = 0;
  for (const op of ops) {
    const r = await checkOp(op, Number(Deno.env.get("F80_EXAMPLES") ?? 6));
    total += r.total;
    failed += r.failed;
    console.log(`${op.padEnd(11)} ${r.total - r.failed}/${r.total}`);
    for (const e of r.examples) console.log(`  ${e}`);
  }
  console.log(`${total - failed} passed, ${failed} failed`);
}
