/**
 * @module Forms that complete opcode coverage (tests/vector_coverage_test.ts): LOCK and 0x66
 * variants, memory forms of shifts/cmov/setcc, every register of the +r opcodes, the 0x82
 * aliases, segment register moves/pushes/pops and far-pointer loads, bound, arpl, hint NOPs,
 * fences and MXCSR loads/stores. Few cases per form: they exist to exercise the decoder paths.
 */
import { mr } from "./build.ts";
import { shiftMask } from "./forms_shift.ts";
import {
  AF,
  CF,
  DATA_ADDR,
  EBP,
  ESP,
  type Form,
  FULL_MASK,
  type G,
  imm,
  modrm,
  OF,
  PF,
  Region,
  type RmOp,
  SF,
  STACK_INIT,
  STACK_WIN,
  ZF,
} from "./lib.ts";
import { fxImage } from "./simd.ts";
import { segmentForms } from "./forms_segment.ts";

const FAM = "variants";
const ALU = ["add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"] as const;
const SHIFT = ["rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"] as const;
const CC = ["o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"];
const LOGIC_MASK = FULL_MASK & ~AF;
const ALL = [0, 1, 2, 3, 4, 5, 6, 7];
/** Selectors a Linux i386 process starts with: user data for ES/CS/SS/DS, null FS/GS. */
const SEL = [0x2b, 0x23, 0x2b, 0x2b, 0, 0];
const SREG = ["es", "cs", "ss", "ds", "fs", "gs"];

function form(name: string, n: number, gen: Form["gen"], fx?: Form["fx"]): Form {
  return { family: FAM, name, n, gen, fx };
}

const o = (bits: number) => (bits === 16 ? [0x66] : []);
const t = (mem: boolean) => (mem ? "mem" : "reg");

function aluVariants(out: Form[]): void {
  ALU.forEach((op, k) => {
    const mask = op === "or" || op === "and" || op === "xor" ? LOGIC_MASK : FULL_MASK;
    const c = { family: FAM, mask, n: 8 };
    out.push(
      mr({
        ...c,
        name: `${op} r16, r/m16 (reg)`,
        op: [0x66, 8 * k + 3],
        regBits: 16,
        rmBits: 16,
        mem: false,
        dir: "reg",
      }),
      mr({
        ...c,
        name: `${op} r/m16, imm16 (mem)`,
        op: [0x66, 0x81],
        digit: k,
        rmBits: 16,
        mem: true,
        immBytes: 2,
      }),
      mr({
        ...c,
        name: `${op} r/m16, imm8 (reg)`,
        op: [0x66, 0x83],
        digit: k,
        rmBits: 16,
        mem: false,
        immBytes: 1,
      }),
    );
    for (const mem of [false, true]) {
      out.push(
        mr({
          ...c,
          name: `${op} r/m8, imm8 (82, ${t(mem)})`,
          op: [0x82],
          digit: k,
          rmBits: 8,
          mem,
          immBytes: 1,
        }),
      );
    }
    if (op === "cmp") return;
    out.push(
      mr({ ...c, name: `lock ${op} m8, r8`, op: [0xf0, 8 * k], regBits: 8, rmBits: 8, mem: true }),
      mr({
        ...c,
        name: `lock ${op} m16, r16`,
        op: [0xf0, 0x66, 8 * k + 1],
        regBits: 16,
        rmBits: 16,
        mem: true,
      }),
      mr({
        ...c,
        name: `lock ${op} m8, imm8`,
        op: [0xf0, 0x80],
        digit: k,
        rmBits: 8,
        mem: true,
        immBytes: 1,
      }),
      mr({
        ...c,
        name: `lock ${op} m32, imm32`,
        op: [0xf0, 0x81],
        digit: k,
        rmBits: 32,
        mem: true,
        immBytes: 4,
      }),
      mr({
        ...c,
        name: `lock ${op} m16, imm8`,
        op: [0xf0, 0x66, 0x83],
        digit: k,
        rmBits: 16,
        mem: true,
        immBytes: 1,
      }),
      mr({
        ...c,
        name: `lock ${op} m8, imm8 (82)`,
        op: [0xf0, 0x82],
        digit: k,
        rmBits: 8,
        mem: true,
        immBytes: 1,
      }),
    );
  });
  const u = { family: FAM, n: 8 };
  for (
    const [bits, rmBits, fe, f6] of [[8, 8, 0xfe, 0xf6], [16, 16, 0xff, 0xf7], [
      32,
      32,
      0xff,
      0xf7,
    ]] as const
  ) {
    out.push(
      mr({
        ...u,
        name: `lock inc m${bits}`,
        op: [0xf0, ...o(bits), fe],
        digit: 0,
        rmBits,
        mem: true,
      }),
      mr({
        ...u,
        name: `lock dec m${bits}`,
        op: [0xf0, ...o(bits), fe],
        digit: 1,
        rmBits,
        mem: true,
      }),
      mr({
        ...u,
        name: `lock not m${bits}`,
        op: [0xf0, ...o(bits), f6],
        digit: 2,
        rmBits,
        mem: true,
      }),
      mr({
        ...u,
        name: `lock neg m${bits}`,
        op: [0xf0, ...o(bits), f6],
        digit: 3,
        rmBits,
        mem: true,
      }),
    );
    for (const mem of [false, true]) {
      out.push(mr({
        ...u,
        name: `test r/m${bits}, imm${bits} (/1, ${t(mem)})`,
        op: [...o(bits), f6],
        digit: 1,
        rmBits,
        mem,
        immBytes: (bits / 8) as 1 | 2 | 4,
        mask: LOGIC_MASK,
      }));
    }
  }
  out.push(
    mr({ ...u, name: "lock xchg m8, r8", op: [0xf0, 0x86], regBits: 8, rmBits: 8, mem: true }),
    mr({
      ...u,
      name: "xchg r/m16, r16 (mem)",
      op: [0x66, 0x87],
      regBits: 16,
      rmBits: 16,
      mem: true,
    }),
    mr({
      ...u,
      name: "lock cmpxchg m8, r8",
      op: [0xf0, 0x0f, 0xb0],
      regBits: 8,
      rmBits: 8,
      mem: true,
    }),
    mr({
      ...u,
      name: "cmpxchg r/m16, r16 (mem)",
      op: [0x66, 0x0f, 0xb1],
      regBits: 16,
      rmBits: 16,
      mem: true,
      avoid: [0],
    }),
    mr({
      ...u,
      name: "lock xadd m8, r8",
      op: [0xf0, 0x0f, 0xc0],
      regBits: 8,
      rmBits: 8,
      mem: true,
    }),
    mr({
      ...u,
      name: "xadd r/m16, r16 (mem)",
      op: [0x66, 0x0f, 0xc1],
      regBits: 16,
      rmBits: 16,
      mem: true,
    }),
  );
}

function bitVariants(out: Form[]): void {
  const btMask = FULL_MASK & ~(OF | SF | AF | PF);
  const u = { family: FAM, n: 8, mask: btMask };
  ["bt", "bts", "btr", "btc"].forEach((name, k) => {
    out.push(
      mr({
        ...u,
        name: `${name} r/m16, imm8 (mem)`,
        op: [0x66, 0x0f, 0xba],
        digit: 4 + k,
        rmBits: 16,
        mem: true,
        immBytes: 1,
      }),
    );
    if (k === 0) return;
    out.push(
      mr({
        ...u,
        name: `lock ${name} m32, imm8`,
        op: [0xf0, 0x0f, 0xba],
        digit: 4 + k,
        rmBits: 32,
        mem: true,
        immBytes: 1,
      }),
      form(`lock ${name} m32, r32`, 8, (g) => {
        const m = g.mem(4);
        const reg = g.reg([...ALL].filter((r) => g.fixed[r]));
        g.setReg(reg, 32, g.rng.int(32));
        return { code: [0xf0, 0x0f, 0xa3 + 8 * k, ...m.enc(reg)], mask: btMask };
      }),
    );
  });
  const bsMask = FULL_MASK & ~(CF | OF | SF | AF | PF);
  for (const [name, op] of [["bsf", 0xbc], ["bsr", 0xbd]] as const) {
    out.push(
      mr({
        ...u,
        mask: bsMask,
        name: `${name} r16, r/m16 (mem)`,
        op: [0x66, 0x0f, op],
        regBits: 16,
        rmBits: 16,
        mem: true,
        dir: "reg",
      }),
    );
  }
  const mul = FULL_MASK & ~(SF | ZF | AF | PF);
  out.push(
    mr({
      ...u,
      mask: mul,
      name: "imul r16, r/m16 (mem)",
      op: [0x66, 0x0f, 0xaf],
      regBits: 16,
      rmBits: 16,
      mem: true,
      dir: "reg",
    }),
    mr({
      ...u,
      mask: mul,
      name: "imul r16, r/m16, imm16 (mem)",
      op: [0x66, 0x69],
      regBits: 16,
      rmBits: 16,
      mem: true,
      dir: "reg",
      immBytes: 2,
    }),
    mr({
      ...u,
      mask: mul,
      name: "imul r16, r/m16, imm8 (mem)",
      op: [0x66, 0x6b],
      regBits: 16,
      rmBits: 16,
      mem: true,
      dir: "reg",
      immBytes: 1,
    }),
  );
}

function shiftVariants(out: Form[]): void {
  const sizes = [
    [8, [], 0xd0, 0xd2, 0xc0],
    [16, [0x66], 0xd1, 0xd3, 0xc1],
    [32, [], 0xd1, 0xd3, 0xc1],
  ] as const;
  SHIFT.forEach((op, digit) => {
    for (const [bits, pre, one, cl, ib] of sizes) {
      const rmBits = bits as 8 | 16 | 32;
      const c = { family: FAM, n: 6, rmBits, mem: true, digit };
      out.push(
        mr({ ...c, name: `${op} m${bits}, 1`, op: [...pre, one], mask: shiftMask(op, bits, 1) }),
        mr({
          ...c,
          name: `${op} m${bits}, cl`,
          op: [...pre, cl],
          avoid: [1],
          setup: (g) => g.setReg(1, 8, g.rng.chance(0.7) ? g.rng.int(bits + 2) : g.rng.int(256)),
          mask: (init) => shiftMask(op, bits, init.regs[1] & 0xff),
        }),
        mr({
          ...c,
          name: `${op} m${bits}, imm8`,
          op: [...pre, ib],
          immBytes: 1,
          immVal: (g) => g.rng.chance(0.7) ? g.rng.int(bits + 2) : g.rng.int(256),
          mask: (_init, ops) => shiftMask(op, bits, ops.immValue!),
        }),
      );
    }
  });
}

function condVariants(out: Form[]): void {
  CC.forEach((cc, k) => {
    const c = { family: FAM, n: 6 };
    out.push(
      mr({ ...c, name: `set${cc} m8`, op: [0x0f, 0x90 + k], rmBits: 8, mem: true }),
      mr({
        ...c,
        name: `cmov${cc} r16, r/m16 (reg)`,
        op: [0x66, 0x0f, 0x40 + k],
        regBits: 16,
        rmBits: 16,
        mem: false,
        dir: "reg",
      }),
      mr({
        ...c,
        name: `cmov${cc} r16, r/m16 (mem)`,
        op: [0x66, 0x0f, 0x40 + k],
        regBits: 16,
        rmBits: 16,
        mem: true,
        dir: "reg",
      }),
      mr({
        ...c,
        name: `cmov${cc} r32, r/m32 (mem)`,
        op: [0x0f, 0x40 + k],
        regBits: 32,
        rmBits: 32,
        mem: true,
        dir: "reg",
      }),
    );
  });
}

function movVariants(out: Form[]): void {
  const c = { family: FAM, n: 8 };
  out.push(
    mr({
      ...c,
      name: "mov r/m16, r16 (reg)",
      op: [0x66, 0x89],
      regBits: 16,
      rmBits: 16,
      mem: false,
    }),
    mr({
      ...c,
      name: "mov r8, r/m8 (reg)",
      op: [0x8a],
      regBits: 8,
      rmBits: 8,
      mem: false,
      dir: "reg",
    }),
    mr({
      ...c,
      name: "mov r16, r/m16 (reg)",
      op: [0x66, 0x8b],
      regBits: 16,
      rmBits: 16,
      mem: false,
      dir: "reg",
    }),
    mr({
      ...c,
      name: "mov r/m8, imm8 (reg)",
      op: [0xc6],
      digit: 0,
      rmBits: 8,
      mem: false,
      immBytes: 1,
    }),
    mr({
      ...c,
      name: "mov r/m16, imm16 (reg)",
      op: [0x66, 0xc7],
      digit: 0,
      rmBits: 16,
      mem: false,
      immBytes: 2,
    }),
    mr({
      ...c,
      name: "movzx r16, r/m8 (mem)",
      op: [0x66, 0x0f, 0xb6],
      regBits: 16,
      rmBits: 8,
      mem: true,
      dir: "reg",
    }),
    mr({
      ...c,
      name: "movsx r16, r/m8 (mem)",
      op: [0x66, 0x0f, 0xbe],
      regBits: 16,
      rmBits: 8,
      mem: true,
      dir: "reg",
    }),
  );
  for (const mem of [false, true]) {
    out.push(
      mr({
        ...c,
        name: `movzx r16, r/m16 (${t(mem)})`,
        op: [0x66, 0x0f, 0xb7],
        regBits: 16,
        rmBits: 16,
        mem,
        dir: "reg",
      }),
      mr({
        ...c,
        name: `movsx r16, r/m16 (${t(mem)})`,
        op: [0x66, 0x0f, 0xbf],
        regBits: 16,
        rmBits: 16,
        mem,
        dir: "reg",
      }),
    );
  }
  out.push(form("mov moffs16, ax", 8, (g) => {
    const off = g.rng.int(63);
    g.setMem(DATA_ADDR + off, 16, g.val(16));
    return { code: [0x66, 0xa3, ...imm(DATA_ADDR + off, 4)] };
  }));
  // every register of the +r opcodes, ESP included (the harness does not use the guest stack)
  const plusR: [string, number[], (g: G) => number[]][] = [
    ["inc r16", [0x66, 0x40], () => []],
    ["inc r32", [0x40], () => []],
    ["dec r16", [0x66, 0x48], () => []],
    ["dec r32", [0x48], () => []],
    ["push r16", [0x66, 0x50], () => []],
    ["push r32", [0x50], () => []],
    ["pop r16", [0x66, 0x58], () => []],
    ["pop r32", [0x58], () => []],
    ["xchg ax, r16", [0x66, 0x90], () => []],
    ["xchg eax, r32", [0x90], () => []],
    ["mov r16, imm16", [0x66, 0xb8], (g) => imm(g.val(16), 2)],
    ["mov r32, imm32", [0xb8], (g) => imm(g.val(32), 4)],
    ["bswap r16", [0x66, 0x0f, 0xc8], () => []],
    ["bswap r32", [0x0f, 0xc8], () => []],
  ];
  for (const [name, op, tail] of plusR) {
    const xchg = name.startsWith("xchg");
    const regs = xchg ? [1, 2, 3, 4, 5, 6, 7] : ALL;
    out.push(form(`${name} (every register)`, regs.length, (g) => {
      g.regions |= Region.STACK;
      const r = regs[g.i % regs.length];
      const code = [...op.slice(0, -1), op[op.length - 1] + r, ...tail(g)];
      return {
        code,
        mask: name.startsWith("inc") || name.startsWith("dec") ? FULL_MASK : undefined,
      };
    }));
  }
}

function stackVariants(out: Form[]): void {
  const useStack = (g: G) => (g.regions |= Region.STACK);
  const rmStack = (g: G, mem: boolean, bytes: number): RmOp =>
    mem ? { kind: "mem", mem: g.mem(bytes, [ESP]) } : { kind: "reg", reg: g.reg() };
  for (const bits of [16, 32]) {
    for (const mem of [false, true]) {
      out.push(
        form(`pop r/m${bits} (8f, ${t(mem)})`, 8, (g) => {
          useStack(g);
          return { code: [...o(bits), 0x8f, ...modrm(0, rmStack(g, mem, bits / 8))] };
        }),
        form(`push r/m${bits} (ff /6, ${t(mem)})`, 8, (g) => {
          useStack(g);
          return { code: [...o(bits), 0xff, ...modrm(6, rmStack(g, mem, bits / 8))] };
        }),
      );
    }
  }
  out.push(
    form("push imm8 (o16)", 8, (g) => {
      useStack(g);
      return { code: [0x66, 0x6a, g.val(8)] };
    }),
    form("pushaw", 8, (g) => {
      useStack(g);
      return { code: [0x66, 0x60] };
    }),
    form("popaw", 8, (g) => {
      useStack(g);
      return { code: [0x66, 0x61] };
    }),
    form("leave (o16)", 8, (g) => {
      useStack(g);
      g.fix(EBP, STACK_WIN + 2 * g.rng.range(2, 29));
      return { code: [0x66, 0xc9] };
    }),
    form("enter imm16, imm8 (o16)", 8, (g) => {
      useStack(g);
      const level = g.rng.int(3);
      g.fix(EBP, STACK_INIT + 2 * g.rng.range(2, 10));
      return { code: [0x66, 0xc8, ...imm(g.rng.int(16), 2), level] };
    }),
  );
  // segment registers: push/pop/mov with the selectors the process already has
  const pushOp = [[0x06], [0x0e], [0x16], [0x1e], [0x0f, 0xa0], [0x0f, 0xa8]];
  const popOp = [[0x07], undefined, [0x17], [0x1f], [0x0f, 0xa1], [0x0f, 0xa9]];
  for (const bits of [16, 32]) {
    for (let s = 0; s < 6; s++) {
      out.push(form(`push ${SREG[s]} (o${bits})`, 4, (g) => {
        useStack(g);
        return { code: [...o(bits), ...pushOp[s]] };
      }));
      const pop = popOp[s];
      if (pop === undefined) continue;
      out.push(form(`pop ${SREG[s]} (o${bits})`, 4, (g) => {
        useStack(g);
        g.setMem(STACK_INIT, 16, SEL[s]);
        return { code: [...o(bits), ...pop] };
      }));
    }
    for (const mem of [false, true]) {
      out.push(form(`mov r/m${bits}, sreg (${t(mem)})`, 8, (g) => {
        const rm = mem
          ? { kind: "mem", mem: g.mem(2) } as const
          : { kind: "reg", reg: g.reg() } as const;
        return { code: [...o(bits), 0x8c, ...modrm(g.i % 6, rm)] };
      }));
    }
  }
  const loadable = [0, 2, 3, 4, 5];
  for (const mem of [false, true]) {
    out.push(form(`mov sreg, r/m16 (${t(mem)})`, 10, (g) => {
      const s = loadable[g.i % loadable.length];
      let rm: RmOp;
      if (mem) {
        const m = g.mem(2);
        g.setMem(m.addr, 16, SEL[s]);
        rm = { kind: "mem", mem: m };
      } else {
        const r = g.reg();
        g.setReg(r, 16, SEL[s]);
        rm = { kind: "reg", reg: r };
      }
      return { code: [0x8e, ...modrm(s, rm)] };
    }));
  }
  // far-pointer loads: les lds lss lfs lgs with the current selector
  const far: [string, number[], number][] = [
    ["les", [0xc4], 0],
    ["lds", [0xc5], 3],
    ["lss", [0x0f, 0xb2], 2],
    ["lfs", [0x0f, 0xb4], 4],
    ["lgs", [0x0f, 0xb5], 5],
  ];
  for (const [name, op, s] of far) {
    for (const bits of [16, 32]) {
      out.push(form(`${name} r${bits}, m16:${bits}`, 6, (g) => {
        const m = g.mem(bits / 8 + 2);
        const reg = g.reg();
        g.setMem(m.addr, bits, g.val(bits));
        g.setMem(m.addr + bits / 8, 16, SEL[s]);
        return { code: [...o(bits), ...op, ...m.enc(reg)] };
      }));
    }
  }
}

function miscVariants(out: Form[]): void {
  for (const bits of [16, 32]) {
    out.push(form(`bound r${bits}, m${bits}&${bits} (in range)`, 8, (g) => {
      const m = g.mem(bits / 4);
      const reg = g.reg(ALL.filter((r) => g.fixed[r])), span = 2 ** (bits - 1);
      const lo = g.rng.int(span) - span / 2, hi = lo + g.rng.int(span / 2);
      const v = lo + g.rng.int(hi - lo + 1);
      g.setMem(m.addr, bits, lo >>> 0);
      g.setMem(m.addr + bits / 8, bits, hi >>> 0);
      g.setReg(reg, bits, v >>> 0);
      return { code: [...o(bits), 0x62, ...m.enc(reg)] };
    }));
  }
  for (const mem of [false, true]) {
    out.push(
      mr({
        family: FAM,
        n: 12,
        name: `arpl r/m16, r16 (${t(mem)})`,
        op: [0x63],
        regBits: 16,
        rmBits: 16,
        mem,
      }),
    );
  }
  // hint NOPs: 0F 0D, 0F 18..1F with every /reg, register and memory operands, o16/o32
  const hints: number[][] = [];
  for (const op of [0x0d, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f]) {
    for (let reg = 0; reg < 8; reg++) {
      if (op !== 0x18 && reg > 0) continue;
      for (const mem of op === 0x0d ? [true] : [false, true]) {
        for (const p of op === 0x0d ? [[]] : [[], [0x66]]) {
          hints.push([op, reg, mem ? 1 : 0, p.length]);
        }
      }
    }
  }
  out.push(form("hint nop 0f 0d m, 0f 18-1f /r (r/m, o16/o32)", hints.length, (g) => {
    const [op, reg, mem, p16] = hints[g.i % hints.length];
    const rm: RmOp = mem ? { kind: "mem", mem: g.mem(1) } : { kind: "reg", reg: g.reg() };
    return { code: [...(p16 ? [0x66] : []), 0x0f, op, ...modrm(reg, rm)] };
  }));
  out.push(
    form("lfence", 4, () => ({ code: [0x0f, 0xae, 0xe8] })),
    form("mfence", 4, () => ({ code: [0x0f, 0xae, 0xf0] })),
    form("sfence", 4, () => ({ code: [0x0f, 0xae, 0xf8] })),
    form("clflush m8", 6, (g) => ({ code: [0x0f, 0xae, ...g.mem(1).enc(7)] })),
    form("ldmxcsr m32", 12, (g) => {
      g.fx = fxImage(g, "ps", "default", false);
      const m = g.mem(4);
      const v = 0x1f80 ^ (g.rng.int(4) << 13) ^ (g.rng.chance(0.3) ? 0x8040 : 0) ^
        (g.rng.u32() & 0x3f);
      g.setMem(m.addr, 32, v);
      return { code: [0x0f, 0xae, ...m.enc(2)] };
    }, "sse"),
    form("stmxcsr m32", 8, (g) => {
      g.fx = fxImage(g, "ps", "round", false);
      return { code: [0x0f, 0xae, ...g.mem(4).enc(3)] };
    }, "sse"),
  );
}

export function variantForms(): Form[] {
  const out: Form[] = [];
  aluVariants(out);
  bitVariants(out);
  shiftVariants(out);
  condVariants(out);
  movVariants(out);
  stackVariants(out);
  miscVariants(out);
  out.push(...segmentForms());
  return out;
}
