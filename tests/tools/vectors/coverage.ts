/**
 * @module Opcode coverage of the stored vectors: enumerates every encoding the decoder accepts
 * (from the opcode tables) as coverage keys, keys each stored vector by decoding its bytes, and
 * holds the documented allowlist of encodings that cannot be plain native vectors.
 *
 * A key names one accepted encoding class: `[prefix ]map opcode[/reg] [r|m][ o16|o32][ lock]`,
 * e.g. `01 m o16` (add r/m16, r16 with a memory operand), `0f ba/5 r o32` (bts r/m32, imm8),
 * `66 0f 58 r` (addpd xmm, xmm). The prefix is the SSE mandatory prefix (np, 66, f3, f2) for
 * rows that select by it; `r`/`m` appears when both a register and a memory operand are
 * accepted; `o16`/`o32` when the 0x66 prefix changes the operation; `lock` for lockable
 * memory forms (one key per opcode/reg, any operand size).
 */
import { decode, Insn } from "../../../core/decode.ts";
import type { Memory } from "../../../core/memory.ts";
import { ONE_BYTE, type Row, TWO_BYTE } from "../../../core/opcode_table.ts";
import { privileged } from "../../../core/ops/control.ts";
import { unhex, type Vector } from "./format.ts";

const PREFIX = ["np", "66", "f3", "f2"] as const;

/** One-byte opcodes whose operation changes under 0x66 although no operand is v/z-sized. */
const OSZ_EXTRA = new Set([
  0x06,
  0x07,
  0x0e,
  0x16,
  0x17,
  0x1e,
  0x1f,
  0x6a,
  0xc2,
  0xc3,
  0xc8,
  0xc9,
  0xca,
  0xcb,
  0xe0,
  0xe1,
  0xe2,
  0xe3,
  0xeb,
  ...Array.from({ length: 16 }, (_, k) => 0x70 + k),
  0x1a0,
  0x1a1,
  0x1a8,
  0x1a9,
]);

/** x87 escape opcodes (reported as their own row in COVERAGE.md). */
export const X87_OPCODES: ReadonlySet<number> = new Set([
  0x9b,
  0xd8,
  0xd9,
  0xda,
  0xdb,
  0xdc,
  0xdd,
  0xde,
  0xdf,
]);

const h2 = (b: number) => b.toString(16).padStart(2, "0");

function opText(op: number): string {
  return op >= 0x100 ? `0f ${h2(op & 0xff)}` : h2(op);
}

function dependsOnOsz(op: number, leaf: Row): boolean {
  if (OSZ_EXTRA.has(op)) return true;
  if (leaf.mn16 !== leaf.mn) return true;
  return leaf.operands.some((o) =>
    o.size === "v" || o.size === "z" || o.kind === "A" || o.size === "p"
  );
}

/** An accepted encoding class and what the decoder makes of it. */
export interface AcceptedKey {
  key: string;
  /** opcode: 0x00..0xff one-byte, 0x100..0x1ff 0F map */
  op: number;
  mn: string;
  x87: boolean;
  /** the row raises #GP at CPL 3 (ops/control.ts privileged) */
  privileged: boolean;
}

function acceptedLeaf(r: Row | undefined, mem: boolean): Row | undefined {
  if (r === undefined || r.fn === null) return undefined;
  if (mem ? r.regOnly : r.memOnly) return undefined;
  return r;
}

/** Every encoding class the decoder accepts, from the opcode tables. */
export function acceptedKeys(): AcceptedKey[] {
  const out: AcceptedKey[] = [];
  for (let op = 0; op < 0x200; op++) {
    const top = (op < 0x100 ? ONE_BYTE : TWO_BYTE)[op & 0xff];
    if (top === undefined || op === 0x0f) continue;
    const x87 = X87_OPCODES.has(op);
    const slots: [string, Row | undefined][] = top.sse === null
      ? [["", top]]
      : top.sse.map((r, k) => [PREFIX[k] + " ", r] as [string, Row | undefined]);
    for (const [pre, r] of slots) {
      if (r === undefined) continue;
      const regs: [string, Row | undefined, Row | undefined][] = [];
      if (r.group !== null) {
        for (let g = 0; g < 8; g++) {
          regs.push([`/${g}`, r.group[g], (r.group3 ?? r.group)[g]]);
        }
      } else {
        regs.push(["", r, r]);
      }
      for (const [slash, memRow, regRow] of regs) {
        const base = `${pre}${opText(op)}${slash}`;
        const modrm = r.group !== null || r.modrm;
        const eas: [string, Row][] = [];
        const m = modrm ? acceptedLeaf(memRow, true) : undefined;
        const g = modrm ? acceptedLeaf(regRow, false) : acceptedLeaf(r, false);
        if (m && g) eas.push([" m", m], [" r", g]);
        else if (m) eas.push(["", m]);
        else if (g) eas.push(["", g]);
        for (const [ea, leaf] of eas) {
          const osz = top.sse === null && !x87 && dependsOnOsz(op, leaf);
          for (const o of osz ? [" o16", " o32"] : [""]) {
            out.push({
              key: base + ea + o,
              op,
              mn: leaf.mn,
              x87,
              privileged: leaf.fn === privileged,
            });
          }
          if (leaf.lock && ea !== " r" && !x87) {
            out.push({ key: base + ea + " lock", op, mn: leaf.mn, x87, privileged: false });
          }
        }
      }
    }
  }
  return out;
}

/** The key(s) a decoded instruction covers (the plain key, and the lock key when locked). */
export function keysOf(i: Insn): string[] {
  const op = i.op;
  const top = (op < 0x100 ? ONE_BYTE : TWO_BYTE)[op & 0xff]!;
  let r = top, pre = "";
  if (top.sse !== null) {
    const slot = i.rep === 1 ? 2 : i.rep === 2 ? 3 : i.opsize16 ? 1 : 0;
    pre = PREFIX[slot] + " ";
    r = top.sse[slot]!;
  }
  const slash = r.group !== null ? `/${i.reg}` : "";
  const modrm = r.group !== null || r.modrm;
  let ea = "";
  if (modrm) {
    const memRow = r.group !== null ? r.group[i.reg] : r;
    const regRow = r.group !== null ? (r.group3 ?? r.group)[i.reg] : r;
    if (acceptedLeaf(memRow, true) && acceptedLeaf(regRow, false)) ea = i.isMem ? " m" : " r";
  }
  const leaf = i.row!;
  const x87 = X87_OPCODES.has(op);
  const osz = top.sse === null && !x87 && dependsOnOsz(op, leaf)
    ? (i.opsize16 ? " o16" : " o32")
    : "";
  const base = `${pre}${opText(op)}${slash}${ea}`;
  const keys = [base + osz];
  if (i.lock) keys.push(base + " lock");
  return keys;
}

/** Decodes a stored vector's instruction (its bytes at its address) and returns its keys. */
export function vectorKeys(v: Vector): string[] {
  const code = unhex(v.c);
  const fetch = { fetch8: (p: number) => code[p - v.a] ?? 0 } as unknown as Memory;
  return keysOf(decode(fetch, v.a, new Insn()));
}

/** Also tracked per vector: addressing features beyond the opcode (16-bit modes, overrides). */
export function addressingKeys(v: Vector): string[] {
  const code = unhex(v.c);
  const fetch = { fetch8: (p: number) => code[p - v.a] ?? 0 } as unknown as Memory;
  const i = decode(fetch, v.a, new Insn());
  const out: string[] = [];
  if (i.isMem && i.hasModrm) {
    out.push(i.asize === 2 ? `a16 mod${i.mod} rm${i.rm}` : `a32 mod${i.mod} rm${i.rm}`);
  }
  if (i.asize === 2 && !i.hasModrm) out.push(`a16 ${opText(i.op)}`);
  if (i.segOverride >= 0) out.push(`seg ${["es", "cs", "ss", "ds", "fs", "gs"][i.segOverride]}`);
  return out;
}

/**
 * Addressing features that must have vectors: every 16-bit mod/rm, the 0x67 forms without
 * ModRM (moffs, string ops, xlat), and FS/GS overrides (forms_segment.ts loads a TLS base).
 */
export const REQUIRED_ADDRESSING: readonly string[] = [
  ...[0, 1, 2].flatMap((mod) => Array.from({ length: 8 }, (_, rm) => `a16 mod${mod} rm${rm}`)),
  ...[0, 1, 2].flatMap((mod) => Array.from({ length: 8 }, (_, rm) => `a32 mod${mod} rm${rm}`)),
  ...["a1", "a2", "a4", "a5", "a6", "ac", "ad", "d7"].map((op) => `a16 ${op}`),
  "seg fs",
  "seg gs",
];

/** Why an accepted encoding has no vector, and the unit test in core/ that covers it instead. */
export interface Allowed {
  /** key prefix: every accepted key starting with it (at a word boundary) is allowed */
  key: string;
  why: string;
  /** `file: test name` of the unit test */
  test: string;
}

/** An allowlist entry matches a key when the key starts with it at a word boundary. */
export function allowMatch(a: Allowed, key: string): boolean {
  return key === a.key || key.startsWith(a.key + " ");
}

const NO_VECTOR_TEST = "core/no_vector_forms_test.ts";

/** Near branches: with 0x66 the target is truncated to 16 bits, below mmap_min_addr on Linux. */
const O16_BRANCHES = [
  ...Array.from({ length: 16 }, (_, k) => h2(0x70 + k)),
  ...Array.from({ length: 16 }, (_, k) => `0f ${h2(0x80 + k)}`),
  "e0",
  "e1",
  "e2",
  "e3",
  "e8",
  "e9",
  "eb",
  "c2",
  "c3",
  "ff/2 m",
  "ff/2 r",
  "ff/4 m",
  "ff/4 r",
].map((k) => `${k} o16`);

/**
 * Accepted encodings that cannot be plain native vectors, each with the unit test covering it.
 * Rows whose handler is `privileged` (in/out/ins/outs, hlt, cli/sti, far call/jmp/ret, iret,
 * descriptor-table and control/debug-register access, msr, sysenter …) are allowed as a class:
 * natively they kill the harness with SIGSEGV (or are emulated by the kernel under UMIP).
 */
export const ALLOWLIST: readonly Allowed[] = [
  ...O16_BRANCHES.map((key) => ({
    key,
    why: "0x66 near branch: the 16-bit target is unmappable natively (SIGSEGV)",
    test: `${NO_VECTOR_TEST}: o16 near branches truncate eip to 16 bits`,
  })),
  ...["cc", "cd", "ce", "f1"].map((key) => ({
    key,
    why: "int3/int n/into/int1 stop with a signal or a syscall",
    test: `${NO_VECTOR_TEST}: int, int3, int1 and into stop with their signals`,
  })),
  {
    key: "0f a2",
    why: "cpuid reports the modelled CPU, not the host",
    test: "core/interpreter_test.ts: cpuid reports GenuineIntel and FPU/CMOV/CX8/TSC",
  },
  {
    key: "0f 31",
    why: "rdtsc reads the logical clock, not the host TSC",
    test: "core/interpreter_test.ts: rdtsc reads tscBase + (icBase + retired) * tscPerInsn",
  },
  {
    key: "0f ae/0",
    why: "fxsave writes 512 bytes, beyond the 64-byte vector window",
    test: "core/simd_test.ts: fxsave then fxrstor round-trips the XMM, MXCSR and x87 state",
  },
  {
    key: "0f ae/1",
    why: "fxrstor reads 512 bytes, beyond the 64-byte vector window",
    test: "core/simd_test.ts: fxsave then fxrstor round-trips the XMM, MXCSR and x87 state",
  },
];

/** The allowlist rule for `privileged` rows. */
export const PRIVILEGED_ALLOWED: Allowed = {
  key: "(privileged rows)",
  why: "#GP at CPL 3: SIGSEGV natively",
  test: `${NO_VECTOR_TEST}: every privileged row raises SIGSEGV SI_KERNEL without retiring`,
};

/** The allowlist entry for an accepted key, if any. */
export function allowedFor(k: AcceptedKey): Allowed | undefined {
  if (k.privileged) return PRIVILEGED_ALLOWED;
  return ALLOWLIST.find((a) => allowMatch(a, k.key));
}

/** Coverage of a set of vector files: accepted keys, what covers each, and the gaps. */
export interface CoverageReport {
  accepted: AcceptedKey[];
  /** key → number of vectors */
  covered: Map<string, number>;
  /** key → forms (family/name) that cover it */
  forms: Map<string, Set<string>>;
  /** addressing features (a16/a32 mod/rm, segment overrides) → vectors */
  addressing: Map<string, number>;
  /** accepted, no vector and not allowlisted */
  missing: AcceptedKey[];
  allowed: [AcceptedKey, Allowed][];
  /** decoded keys the tables do not accept (a decoder/table mismatch) */
  unknown: string[];
  vectors: number;
}

/** Computes the coverage report over vector files (each `{ family, vectors }`). */
export function coverageReport(files: { family: string; vectors: Vector[] }[]): CoverageReport {
  const accepted = acceptedKeys();
  const known = new Set(accepted.map((a) => a.key));
  const covered = new Map<string, number>(), forms = new Map<string, Set<string>>();
  const addressing = new Map<string, number>();
  let vectors = 0;
  for (const f of files) {
    for (const v of f.vectors) {
      vectors++;
      for (const k of vectorKeys(v)) {
        covered.set(k, (covered.get(k) ?? 0) + 1);
        if (!forms.has(k)) forms.set(k, new Set());
        forms.get(k)!.add(`${f.family}: ${v.f}`);
      }
      for (const k of addressingKeys(v)) addressing.set(k, (addressing.get(k) ?? 0) + 1);
    }
  }
  const missing: AcceptedKey[] = [];
  const allowed: [AcceptedKey, Allowed][] = [];
  for (const a of accepted) {
    if (covered.has(a.key)) continue;
    const al = allowedFor(a);
    if (al) allowed.push([a, al]);
    else missing.push(a);
  }
  const unknown = [...covered.keys()].filter((k) => !known.has(k));
  return { accepted, covered, forms, addressing, missing, allowed, unknown, vectors };
}

/** The "Opcode coverage" section of tests/vectors/COVERAGE.md. */
export function coverageMarkdown(r: CoverageReport): string[] {
  const cov = (a: AcceptedKey) => r.covered.has(a.key);
  const lines = [
    "## Opcode coverage",
    "",
    "Checked by tests/vector_coverage_test.ts. Every encoding class the decoder accepts is",
    "enumerated from core/opcode_table*.ts as a key `[prefix ]map opcode[/reg] [r|m][ o16|o32][ lock]`",
    "(SSE mandatory prefix np/66/f3/f2; r/m when both operand kinds are accepted; o16/o32 when",
    "0x66 changes the operation; lock for lockable memory forms). Each stored vector is decoded",
    "with core/decode.ts and counts for its key. Keys with no vector must be on the allowlist",
    "(tests/tools/vectors/coverage.ts) with a unit test in core/.",
    "",
    "| | keys | with vectors | allowlisted |",
    "|---|---:|---:|---:|",
  ];
  const row = (name: string, pred: (a: AcceptedKey) => boolean) => {
    const ks = r.accepted.filter(pred);
    const al = r.allowed.filter(([a]) => pred(a)).length;
    lines.push(`| ${name} | ${ks.length} | ${ks.filter(cov).length} | ${al} |`);
  };
  row("one-byte map", (a) => a.op < 0x100 && !a.x87);
  row("0F map", (a) => a.op >= 0x100);
  row("x87 (D8–DF, 9B)", (a) => a.x87);
  row("**all**", () => true);
  lines.push("", "Allowlisted (no native vector possible; unit test instead):", "");
  const groups = new Map<string, { why: string; keys: string[] }>();
  for (const [a, al] of r.allowed) {
    const g = groups.get(al.test) ?? { why: al.why, keys: [] };
    g.keys.push(`${a.key} (${a.mn})`);
    groups.set(al.test, g);
  }
  for (const [test, g] of groups) {
    lines.push(`- ${g.why} — ${test}:`, `  ${g.keys.join(", ")}`);
  }
  lines.push(
    "",
    "Addressing forms exercised (vectors): " +
      [...r.addressing].sort().map(([k, n]) => `${k} ×${n}`).join(", ") + ".",
    "FS/GS (and, for 0x67 string ops, ES) operands run natively with a TLS descriptor the harness",
    "installs per case (set_thread_area, entry 12, the base in the vector's `tls`), so 16-bit",
    "effective addresses, which wrap at 64 KiB, reach the data window through the segment base.",
    `Required (tests/vector_coverage_test.ts): ${REQUIRED_ADDRESSING.join(", ")}.`,
    "",
  );
  return lines;
}
