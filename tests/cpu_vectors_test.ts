/** @module Runs the interpreter on the CPU vectors captured natively (tests/vectors/*.json), one test per family. */
import { Cpu } from "../core/cpu.ts";
import { run } from "../core/interpreter.ts";
import { Memory, Prot } from "../core/memory.ts";
import { hex, unhex, type Vector, type VectorFile } from "./tools/vectors/format.ts";

/** DEJAVU_VECTOR_DIR=/path runs vectors from elsewhere (soak runs of gen_vectors --out). */
function vectorDir(): URL {
  try {
    const d = Deno.env.get("DEJAVU_VECTOR_DIR");
    if (d) return new URL("file://" + d.replace(/\/?$/, "/"));
  } catch {
    // no env permission: the committed vectors
  }
  return new URL("./vectors/", import.meta.url);
}
const DIR = vectorDir();
const REG_NAMES = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"];
const FLAG_NAMES: [number, string][] = [
  [0x1, "CF"],
  [0x4, "PF"],
  [0x10, "AF"],
  [0x40, "ZF"],
  [0x80, "SF"],
  [0x100, "TF"],
  [0x200, "IF"],
  [0x400, "DF"],
  [0x800, "OF"],
  [0x4000, "NT"],
  [0x40000, "AC"],
  [0x200000, "ID"],
];
/** At most this many run() calls per vector (a REP may count each iteration). */
const MAX_STEPS = 100_000;

/** Optional substring filter on form names, e.g. DEJAVU_VECTORS=shl */
function formFilter(): string | undefined {
  try {
    return Deno.env.get("DEJAVU_VECTORS") || undefined;
  } catch {
    return undefined;
  }
}

const h32 = (v: number) => "0x" + (v >>> 0).toString(16).padStart(8, "0");

function flagNames(f: number): string {
  return FLAG_NAMES.filter(([b]) => f & b).map(([, n]) => n).join(" ") || "-";
}

function describeInit(v: Vector): string {
  const regs = v.i.r.map((r, k) => `${REG_NAMES[k]}=${h32(r)}`).join(" ");
  const mem = v.i.m.map(([a, h]) => `\n      mem ${h32(a)}: ${h}`).join("");
  return `${regs}\n      eflags=${h32(v.i.f)} [${flagNames(v.i.f)}]${mem}`;
}

/**
 * Runs one vector; returns a description of the differences, or undefined when it matches.
 * `mem` may be reused across vectors (a fresh Memory costs milliseconds): the vector maps
 * its pages and unmaps them again, so nothing else is mapped while it runs.
 */
export function runVector(v: Vector, mem: Memory = new Memory()): string | undefined {
  const code = unhex(v.c);
  const first = v.a & ~0xfff;
  const end = ((v.a + code.length + 0xfff) & ~0xfff) + 0x1000;
  mem.map(first, end - first, Prot.READ | Prot.EXEC);
  mem.writeBytes(v.a, code);
  for (const [addr, bytes] of v.i.m) {
    mem.map(addr & ~0xfff, 0x1000, Prot.READ | Prot.WRITE);
    mem.writeBytes(addr, unhex(bytes));
  }
  try {
    return execute(v, mem);
  } finally {
    mem.unmap(first, end - first);
    for (const [addr] of v.i.m) mem.unmap(addr & ~0xfff, 0x1000);
  }
}

function execute(v: Vector, mem: Memory): string | undefined {
  const cpu = new Cpu();
  for (let r = 0; r < 8; r++) cpu.regs[r] = v.i.r[r] | 0;
  cpu.eip = v.a;
  cpu.setEflags(v.i.f);
  if (v.tls !== undefined) {
    cpu.gdt[v.tls.sel >> 3] = {
      base: v.tls.base | 0,
      limit: 0xfffff,
      limitInPages: true,
      seg32bit: true,
      contents: 0,
      readExecOnly: false,
      segNotPresent: false,
      useable: true,
    };
    for (let s = 0; s < 6; s++) {
      if ((v.tls.sregs >> s) & 1 && !cpu.loadSegment(s, v.tls.sel)) {
        return `loadSegment(${s}, ${h32(v.tls.sel)}) failed`;
      }
    }
  }
  if (v.i.x !== undefined) cpu.xmm.set(unhex(v.i.x));
  if (v.i.mx !== undefined) cpu.mxcsr = v.i.mx;
  if (v.i.st !== undefined) {
    const st = unhex(v.i.st), dv = new DataView(st.buffer);
    cpu.fpTop = ((v.i.fsw ?? 0) >> 11) & 7;
    cpu.fpSw = (v.i.fsw ?? 0) & ~0x3800;
    let tag = 0;
    for (let k = 0; k < 8; k++) {
      const r = (cpu.fpTop + k) & 7;
      cpu.fpSig[2 * r] = dv.getUint32(10 * k, true);
      cpu.fpSig[2 * r + 1] = dv.getUint32(10 * k + 4, true);
      cpu.fpExp[r] = dv.getUint16(10 * k + 8, true);
    }
    for (let r = 0; r < 8; r++) tag |= ((v.i.ftw ?? 0) & (1 << r) ? 0 : 3) << (2 * r);
    cpu.fpTag = tag;
    if (v.i.fcw !== undefined) cpu.fpCw = v.i.fcw;
  }
  try {
    for (let steps = 0; steps < MAX_STEPS; steps++) {
      run(cpu, mem, 1);
      if (cpu.stop.kind !== "budget") return `run() stopped with ${JSON.stringify(cpu.stop)}`;
      if (cpu.eip >>> 0 !== v.a) break;
    }
  } catch (e) {
    return `run() threw ${e instanceof Error ? e.message : String(e)}`;
  }
  const diffs: string[] = [];
  for (let r = 0; r < 8; r++) {
    const got = cpu.regs[r] >>> 0;
    if (got !== v.o.r[r]) {
      diffs.push(`${REG_NAMES[r]}: expected ${h32(v.o.r[r])} got ${h32(got)}`);
    }
  }
  if (cpu.eip >>> 0 !== v.o.eip) diffs.push(`eip: expected ${h32(v.o.eip)} got ${h32(cpu.eip)}`);
  const fl = cpu.getEflags();
  const bad = (fl ^ v.o.f) & v.mask;
  if (bad) {
    diffs.push(
      `eflags: expected ${h32(v.o.f & v.mask)} got ${h32(fl & v.mask)} (mask ${h32(v.mask)}; ` +
        `differ: ${flagNames(bad)}; expected [${flagNames(v.o.f & v.mask)}] got [${
          flagNames(fl & v.mask)
        }])`,
    );
  }
  diffs.push(...compareVector(v, cpu));
  v.i.m.forEach(([addr, init], k) => {
    const got = hex(mem.readBytes(addr, init.length / 2));
    if (got !== v.o.m[k]) {
      diffs.push(`mem ${h32(addr)}:\n      expected ${v.o.m[k]}\n      got      ${got}`);
    }
  });
  return diffs.length ? diffs.join("\n    ") : undefined;
}

/** Compares the XMM/MXCSR/x87 state of vectors that carry it. */
function compareVector(v: Vector, cpu: Cpu): string[] {
  const diffs: string[] = [];
  if (v.o.x !== undefined) {
    const got = hex(cpu.xmm);
    if (got !== v.o.x) {
      const want = unhex(v.o.x), g = cpu.xmm;
      const wf = new Float32Array(want.buffer), gf = new Float32Array(g.slice().buffer);
      for (let r = 0; r < 8; r++) {
        let bad = false;
        for (let lane = 0; lane < 4; lane++) {
          const k = 4 * r + lane;
          const same = want.slice(4 * k, 4 * k + 4).every((b, j) => b === g[4 * k + j]);
          if (same) continue;
          if (v.tol && (v.tol[0] >>> k) & 1) {
            const w = wf[k], x = gf[k];
            if (w === x || Math.abs(x - w) <= Math.abs(w) * v.tol[1]) continue;
          }
          bad = true;
        }
        if (bad) {
          diffs.push(
            `xmm${r}: expected ${v.o.x.slice(32 * r, 32 * r + 32)} got ${
              got.slice(32 * r, 32 * r + 32)
            }` +
              ` (initial ${v.i.x!.slice(32 * r, 32 * r + 32)})`,
          );
        }
      }
    }
  }
  if (v.o.mx !== undefined && cpu.mxcsr !== v.o.mx) {
    diffs.push(`mxcsr: expected ${h32(v.o.mx)} got ${h32(cpu.mxcsr)} (initial ${h32(v.i.mx!)})`);
  }
  if (v.o.st !== undefined) {
    const st = new Uint8Array(80), dv = new DataView(st.buffer);
    for (let k = 0; k < 8; k++) {
      const r = (cpu.fpTop + k) & 7;
      dv.setUint32(10 * k, cpu.fpSig[2 * r], true);
      dv.setUint32(10 * k + 4, cpu.fpSig[2 * r + 1], true);
      dv.setUint16(10 * k + 8, cpu.fpExp[r], true);
    }
    if (hex(st) !== v.o.st && !(v.ulp && x87Close(st, unhex(v.o.st), v.ulp))) {
      diffs.push(`x87 registers:\n      expected ${v.o.st}\n      got      ${hex(st)}`);
    }
    const fsw = (cpu.fpSw & ~0x3800) | (cpu.fpTop << 11);
    const fswMask = v.ulp ? ~0x200 : ~0;
    if ((fsw ^ v.o.fsw!) & fswMask) diffs.push(`fsw: expected ${h32(v.o.fsw!)} got ${h32(fsw)}`);
    let ftw = 0;
    for (let r = 0; r < 8; r++) if (((cpu.fpTag >> (2 * r)) & 3) !== 3) ftw |= 1 << r;
    if (ftw !== v.o.ftw) diffs.push(`abridged tag: expected ${h32(v.o.ftw!)} got ${h32(ftw)}`);
    if (v.o.fcw !== undefined && cpu.fpCw !== v.o.fcw) {
      diffs.push(`fcw: expected ${h32(v.o.fcw)} got ${h32(cpu.fpCw)}`);
    }
  }
  return diffs;
}

/** x87 register images (8 × 10 bytes) equal within `ulp` units in the last place, slot by slot. */
function x87Close(a: Uint8Array, b: Uint8Array, ulp: number): boolean {
  const ord = (x: Uint8Array, k: number): bigint => {
    let v = 0n;
    for (let j = 9; j >= 0; j--) v = (v << 8n) | BigInt(x[10 * k + j]);
    // exponent above the 63 fraction bits: consecutive values differ by 1 across binades
    const mag = (((v >> 64n) & 0x7fffn) << 63n) | (v & ((1n << 63n) - 1n));
    return v >> 79n ? -mag : mag;
  };
  for (let k = 0; k < 8; k++) {
    const d = ord(a, k) - ord(b, k);
    if (d > BigInt(ulp) || d < -BigInt(ulp)) return false;
  }
  return true;
}

const files = [...Deno.readDirSync(DIR)]
  .filter((e) => e.isFile && e.name.endsWith(".json"))
  .map((e) => e.name)
  .sort();

for (const name of files) {
  const family = name.replace(/\.json$/, "");
  Deno.test(`cpu vectors ${family} match the native CPU`, () => {
    const file: VectorFile = JSON.parse(Deno.readTextFileSync(new URL(name, DIR)));
    const filter = formFilter();
    const failures: string[] = [];
    const perForm = new Map<string, number>();
    const mem = new Memory();
    let ran = 0;
    for (const v of file.vectors) {
      if (filter && !v.f.includes(filter)) continue;
      ran++;
      const err = runVector(v, mem);
      if (err === undefined) continue;
      perForm.set(v.f, (perForm.get(v.f) ?? 0) + 1);
      if (failures.length < 10) {
        failures.push(
          `  ${v.f}  [${v.c}] at ${h32(v.a)}\n    initial: ${describeInit(v)}\n    ${err}`,
        );
      }
    }
    if (perForm.size) {
      const total = [...perForm.values()].reduce((a, b) => a + b, 0);
      const forms = [...perForm].map(([f, n]) => `  ${f}: ${n}`).join("\n");
      throw new Error(
        `${total} of ${ran} ${family} vectors failed in ${perForm.size} forms:\n${forms}\n` +
          `First failures:\n${failures.join("\n")}`,
      );
    }
  });
}
