/**
 * @module Forms for segment-override memory operands (FS/GS/ES bases from a TLS descriptor)
 * and 0x67 16-bit addressing. The harness installs a GDT TLS entry (set_thread_area) with the
 * case's base and loads it into the segments `G.tls` names, so `base + offset` lands in the
 * data window; 16-bit effective addresses wrap at 64 KiB before the base is added.
 */
import {
  AF,
  DATA_ADDR,
  DF,
  EAX,
  EBP,
  EBX,
  ECX,
  EDI,
  ESI,
  type Form,
  FULL_MASK,
  type G,
  imm,
  Region,
  WIN,
} from "./lib.ts";

const FAM = "variants";
const LOGIC_MASK = FULL_MASK & ~AF;
/** Segment register bits for `G.tls.sregs` (bit = ModRM sreg index). */
const ES = 1 << 0, FS = 1 << 4, GS = 1 << 5;
const PREFIX: Record<number, number> = { [FS]: 0x64, [GS]: 0x65 };
const SNAME: Record<number, string> = { [FS]: "fs", [GS]: "gs" };

/** 16-bit r/m encodings: base and index registers (bx si / bx di / bp si / bp di / si / di / bp / bx). */
const A16: readonly (readonly number[])[] = [
  [EBX, ESI],
  [EBX, EDI],
  [EBP, ESI],
  [EBP, EDI],
  [ESI],
  [EDI],
  [EBP],
  [EBX],
];
const A16_NAME = ["bx+si", "bx+di", "bp+si", "bp+di", "si", "di", "bp", "bx"];

/** A segment-relative memory operand: its linear address and its ModRM (+SIB, disp) bytes. */
interface SegMem {
  addr: number;
  enc(regField: number): number[];
}

const le = (v: number, n: number) => imm(v >>> 0, n);
/**
 * Keeps a 32-bit offset 256 bytes clear of 4 GiB: an access past the flat segment's limit
 * is #GP natively (the sum still wraps through the base).
 */
const inLimit = (v: number) => ((v >>> 0) > 0xffffff00 ? v - 0x100 : v) >>> 0;

/** Installs the TLS base that maps effective address `ea` to `addr` in segments `sregs`. */
function setBase(g: G, addr: number, ea: number, sregs: number): void {
  g.tls = { base: (addr - ea) >>> 0, sregs };
  g.regions |= Region.DATA;
}

/** A random in-window address for an operand of `bytes`. */
function target(g: G, bytes: number): number {
  return DATA_ADDR + g.rng.int(WIN - bytes + 1);
}

/**
 * A 32-bit-addressed operand through `sregs`: disp32, [base], [base+d8], [base+index*s+d32]
 * or [base+index*s] with random register values; the segment base makes up the difference
 * (the sum wraps at 4 GiB, as glibc's negative TLS offsets do).
 */
function mem32(g: G, bytes: number, sregs: number, avoid: readonly number[] = []): SegMem {
  const r = g.rng, addr = target(g, bytes);
  const free = [0, 1, 2, 3, 5, 6, 7].filter((x) => !avoid.includes(x) && !g.fixed[x]);
  const mode = free.length < 2 ? 0 : r.int(5);
  const base = r.pick(free.filter((x) => x !== EBP || mode !== 1));
  const index = r.pick(free.filter((x) => x !== base));
  const iv = g.val(32), scale = r.int(4), d8 = r.range(-128, 127);
  const scaled = mode >= 3 ? Math.imul(iv, 1 << scale) : 0;
  const disp = mode === 2 ? d8 : mode === 3 ? r.u32() : 0;
  // the base register (or the disp32 alone) absorbs the limit adjustment
  let bv = g.val(32);
  if (mode === 0) bv = 0;
  const ea = inLimit(bv + scaled + disp);
  const d = mode === 0 ? ea : disp;
  bv = (ea - scaled - disp) >>> 0;
  setBase(g, addr, ea, sregs);
  if (mode === 0) return { addr, enc: (f) => [(f << 3) | 5, ...le(d, 4)] };
  g.fix(base, bv);
  if (mode === 1) return { addr, enc: (f) => [(f << 3) | base] };
  if (mode === 2) return { addr, enc: (f) => [0x40 | (f << 3) | base, d8 & 0xff] };
  g.fix(index, iv);
  const sib = (scale << 6) | (index << 3) | base;
  if (mode === 3) return { addr, enc: (f) => [0x84 | (f << 3), sib, ...le(d, 4)] };
  if (base === EBP) return { addr, enc: (f) => [0x44 | (f << 3), sib, 0] };
  return { addr, enc: (f) => [0x04 | (f << 3), sib] };
}

/**
 * A 16-bit-addressed operand (0x67) with r/m `rm` and mod `mod` (rm 6 mod 0 is disp16):
 * registers get random upper halves (ignored) and the 16-bit sum wraps.
 */
function mem16(g: G, bytes: number, sregs: number, rm: number, mod: number): SegMem {
  const r = g.rng, addr = target(g, bytes);
  if (mod === 0 && rm === 6) {
    const d = r.int(0x10000);
    setBase(g, addr, d, sregs);
    return { addr, enc: (f) => [(f << 3) | 6, ...le(d, 2)] };
  }
  let ea = 0;
  for (const x of A16[rm]) {
    const v = g.fixed[x]
      ? g.regs[x]
      : r.chance(0.3)
      ? r.pick([0, 0xffff, 0x8000, 0xfffe])
      : g.val(32);
    g.fix(x, v);
    ea += v & 0xffff;
  }
  const d = mod === 1 ? r.range(-128, 127) : mod === 2 ? r.int(0x10000) : 0;
  ea = (ea + d) & 0xffff;
  setBase(g, addr, ea, sregs);
  const disp = mod === 1 ? [d & 0xff] : mod === 2 ? le(d, 2) : [];
  return { addr, enc: (f) => [(mod << 6) | (f << 3) | rm, ...disp] };
}

/** Registers a 16-bit r/m uses, so the other operand can stay clear of them. */
function a16Regs(rm: number, mod: number): readonly number[] {
  return mod === 0 && rm === 6 ? [] : A16[rm];
}

interface Op {
  name: string;
  /** opcode bytes after the prefixes */
  op: number[];
  /** reg field: a /digit, or a random register (0..7 or an 8-bit one for `r8`) */
  reg: number | "r32" | "r8" | "r16";
  bytes: number;
  immBytes?: number;
  mask?: number;
  /** operand-size prefix */
  o16?: boolean;
}

const OPS: readonly Op[] = [
  { name: "mov r/m32, r32", op: [0x89], reg: "r32", bytes: 4 },
  { name: "mov r32, r/m32", op: [0x8b], reg: "r32", bytes: 4 },
  { name: "mov r8, r/m8", op: [0x8a], reg: "r8", bytes: 1 },
  { name: "mov r/m16, r16", op: [0x89], reg: "r16", bytes: 2, o16: true },
  { name: "mov r/m8, imm8", op: [0xc6], reg: 0, bytes: 1, immBytes: 1 },
  { name: "mov r/m32, imm32", op: [0xc7], reg: 0, bytes: 4, immBytes: 4 },
  { name: "add r/m32, r32", op: [0x01], reg: "r32", bytes: 4 },
  { name: "add r32, r/m32", op: [0x03], reg: "r32", bytes: 4 },
  { name: "sub r/m8, imm8", op: [0x80], reg: 5, bytes: 1, immBytes: 1 },
  { name: "and r/m32, imm8", op: [0x83], reg: 4, bytes: 4, immBytes: 1, mask: LOGIC_MASK },
  { name: "cmp r/m32, imm8", op: [0x83], reg: 7, bytes: 4, immBytes: 1 },
  { name: "cmp r8, r/m8", op: [0x3a], reg: "r8", bytes: 1 },
  { name: "inc r/m16", op: [0xff], reg: 0, bytes: 2, o16: true },
  { name: "movzx r32, r/m8", op: [0x0f, 0xb6], reg: "r32", bytes: 1 },
  { name: "movzx r32, r/m16", op: [0x0f, 0xb7], reg: "r32", bytes: 2 },
  { name: "movsx r32, r/m16", op: [0x0f, 0xbf], reg: "r32", bytes: 2 },
  { name: "xchg r/m32, r32", op: [0x87], reg: "r32", bytes: 4 },
  { name: "push r/m32", op: [0xff], reg: 6, bytes: 4 },
  { name: "pop r/m32", op: [0x8f], reg: 0, bytes: 4 },
];

/** The reg field for `op`, avoiding the address registers for register operands. */
function regField(g: G, o: Op, addrRegs: readonly number[]): number {
  if (typeof o.reg === "number") return o.reg;
  if (o.reg === "r8") return g.reg8(addrRegs);
  return g.reg(addrRegs);
}

function stackUser(o: Op, g: G): void {
  if (o.name.startsWith("push") || o.name.startsWith("pop")) g.regions |= Region.STACK;
}

function opCode(o: Op, seg: number, a16: boolean, m: SegMem, f: number, g: G): number[] {
  const ib = o.immBytes ? le(g.rng.u32(), o.immBytes) : [];
  return [
    ...(o.o16 ? [0x66] : []),
    ...(a16 ? [0x67] : []),
    PREFIX[seg],
    ...o.op,
    ...m.enc(f),
    ...ib,
  ];
}

/** `op` with an fs:/gs: override and 32-bit addressing. */
function segForm(o: Op, seg: number): Form {
  return {
    family: FAM,
    name: `${o.name} (${SNAME[seg]}:, a32)`,
    n: 10,
    gen(g: G) {
      const f = typeof o.reg === "number" ? o.reg : -1;
      const m = mem32(g, o.bytes, seg);
      const used = [0, 1, 2, 3, 5, 6, 7].filter((x) => g.fixed[x]);
      const field = f >= 0 ? f : regField(g, o, used);
      stackUser(o, g);
      return { code: opCode(o, seg, false, m, field, g), mask: o.mask };
    },
  };
}

/** `op` with a gs:/fs: override and 16-bit addressing (0x67), r/m and mod cycling by case. */
function a16Form(o: Op, seg: number): Form {
  return {
    family: FAM,
    name: `${o.name} (${SNAME[seg]}:, a16)`,
    n: 12,
    gen(g: G) {
      const rm = g.i < 8 ? g.i : g.rng.int(8), mod = g.rng.int(3);
      const m = mem16(g, o.bytes, seg, rm, mod);
      const field = regField(g, o, a16Regs(rm, mod));
      stackUser(o, g);
      return { code: opCode(o, seg, true, m, field, g), mask: o.mask };
    },
  };
}

/** mov r32, gs:[m16] for one 16-bit r/m and mod: every 16-bit addressing mode has vectors. */
function a16Mode(rm: number, mod: number): Form {
  const what = mod === 0 && rm === 6
    ? "disp16"
    : `${A16_NAME[rm]}${mod === 1 ? "+disp8" : mod === 2 ? "+disp16" : ""}`;
  return {
    family: FAM,
    name: `mov r32, gs:[${what}] (a16)`,
    n: 6,
    gen(g: G) {
      const m = mem16(g, 4, GS, rm, mod);
      const field = g.reg(a16Regs(rm, mod));
      return { code: [0x67, 0x65, 0x8b, ...m.enc(field)] };
    },
  };
}

/** mov eax/al, seg:moffs and back, with 32- and 16-bit offsets. */
function moffsForms(): Form[] {
  const out: Form[] = [];
  for (
    const [name, op, bytes] of [["mov eax, moffs32", 0xa1, 4], ["mov moffs8, al", 0xa2, 1]] as const
  ) {
    for (const seg of [FS, GS]) {
      for (const a16 of [false, true]) {
        out.push({
          family: FAM,
          name: `${name} (${SNAME[seg]}:, ${a16 ? "a16" : "a32"})`,
          n: 6,
          gen(g: G) {
            const addr = target(g, bytes);
            const off = a16 ? g.rng.int(0x10000) : inLimit(g.rng.u32());
            setBase(g, addr, off, seg);
            return { code: [...(a16 ? [0x67] : []), PREFIX[seg], op, ...le(off, a16 ? 2 : 4)] };
          },
        });
      }
    }
  }
  return out;
}

/** lea with 0x67: the 16-bit effective address, zero-extended, no memory access. */
function leaForms(): Form[] {
  return [32, 16].map((bits) => ({
    family: FAM,
    name: `lea r${bits}, m (a16)`,
    n: 16,
    gen(g: G) {
      const rm = g.i < 8 ? g.i : g.rng.int(8), mod = g.rng.int(3);
      const m = mem16(g, 1, 0, rm, mod);
      g.tls = undefined;
      g.regions &= ~Region.DATA;
      const field = g.reg();
      return { code: [...(bits === 16 ? [0x66] : []), 0x67, 0x8d, ...m.enc(field)] };
    },
  }));
}

/**
 * String instructions whose source takes an fs:/gs: override (and, under 0x67, SI/DI/CX with
 * ES loaded from the same descriptor), plus xlat through gs:.
 */
function stringForms(): Form[] {
  const out: Form[] = [];
  const ops = [
    ["movsb", 0xa4, 1, true],
    ["movsd", 0xa5, 4, true],
    ["lodsb", 0xac, 1, false],
    ["lodsd", 0xad, 4, false],
    ["cmpsb", 0xa6, 1, true],
  ] as const;
  for (const [name, op, size, dst] of ops) {
    for (
      const [seg, a16, rep] of [[FS, false, false], [GS, true, false], [FS, false, true], [
        FS,
        true,
        true,
      ]] as const
    ) {
      if (rep && name.startsWith("lods")) continue;
      const pre = rep ? (name.startsWith("cmps") ? "repe " : "rep ") : "";
      out.push({
        family: FAM,
        name: `${pre}${name} (${SNAME[seg]}: source, ${a16 ? "a16" : "a32"})`,
        n: 10,
        gen(g: G) {
          const r = g.rng;
          const down = r.chance(0.5);
          g.eflags = down ? g.eflags | DF : g.eflags & ~DF;
          const count = rep ? g.edge([0, 1, 3], () => r.int(9)) : 1;
          const span = Math.max(count, 1) * size;
          // source in the first half of the window, destination in the second
          const src = DATA_ADDR + (down ? r.range(span - size, 24 - size) : r.range(0, 24 - span));
          const dstA = DATA_ADDR + 32 +
            (down ? r.range(span - size, 32 - size) : r.range(0, 32 - span));
          const wrap = (v: number) => a16 ? (g.regs[ESI] & 0xffff0000) | v : v;
          if (a16) {
            // ES gets the same base, so both offsets are 16-bit offsets from it
            const si = r.int(0x10000 - 64) + 32;
            const base = (src - si) >>> 0;
            g.tls = { base, sregs: seg | ES };
            g.regions |= Region.DATA;
            g.fix(ESI, wrap(si));
            if (dst) g.fix(EDI, ((g.regs[EDI] & 0xffff0000) | ((dstA - base) & 0xffff)) >>> 0);
            if (rep) g.fix(ECX, ((r.u32() & 0xffff0000) | count) >>> 0);
          } else {
            const si = inLimit(r.u32());
            setBase(g, src, si, seg);
            g.fix(ESI, si);
            if (dst) g.fix(EDI, dstA);
            if (rep) g.fix(ECX, count);
          }
          if (name.startsWith("cmps") && r.chance(0.7)) {
            const fill = r.u32() & 0xff;
            for (let k = 0; k < WIN; k++) g.data[k] = r.chance(0.85) ? fill : r.u32() & 0xff;
          }
          const code = [
            ...(a16 ? [0x67] : []),
            ...(rep ? [0xf3] : []),
            PREFIX[seg],
            op,
          ];
          return { code };
        },
      });
    }
  }
  out.push({
    family: FAM,
    name: "xlat (gs:, a32)",
    n: 8,
    gen(g: G) {
      const addr = target(g, 1);
      const al = g.rng.int(256), bx = inLimit(g.val(32) + al) - al;
      g.fix(EBX, bx);
      g.setReg(EAX, 8, al);
      setBase(g, addr, bx + al, GS);
      return { code: [0x65, 0xd7] };
    },
  }, {
    family: FAM,
    name: "xlat (gs:, a16)",
    n: 8,
    gen(g: G) {
      const addr = target(g, 1);
      const bx = g.val(32), al = g.rng.int(256);
      g.fix(EBX, bx);
      g.setReg(EAX, 8, al);
      setBase(g, addr, ((bx & 0xffff) + al) & 0xffff, GS);
      return { code: [0x67, 0x65, 0xd7] };
    },
  });
  return out;
}

/** Every segment/16-bit-addressing form. */
export function segmentForms(): Form[] {
  const out: Form[] = [];
  for (const o of OPS) out.push(segForm(o, FS), segForm(o, GS));
  for (const o of OPS) out.push(a16Form(o, GS));
  for (let rm = 0; rm < 8; rm++) for (let mod = 0; mod < 3; mod++) out.push(a16Mode(rm, mod));
  out.push(...moffsForms(), ...leaForms(), ...stringForms());
  return out;
}
