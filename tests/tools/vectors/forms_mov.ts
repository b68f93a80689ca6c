/** @module Forms for data movement: mov (all encodings), movzx/movsx, lea, xchg, xlat, nop. */
import { mr } from "./build.ts";
import { DATA_ADDR, EAX, EBX, type Form, type G, imm, Region, WIN } from "./lib.ts";

/** A random ModRM memory operand (any mode, any registers): only for lea, which never touches memory. */
function randomAddressing(g: G, reg: number, sib: boolean): number[] {
  const r = g.rng;
  const mod = r.int(3);
  const rm = sib ? 4 : r.pick([0, 1, 2, 3, 5, 6, 7]);
  const out = [(mod << 6) | (reg << 3) | rm];
  let disp32 = mod === 2 || (mod === 0 && rm === 5);
  if (rm === 4) {
    const s = r.u32() & 0xff;
    out.push(s);
    if (mod === 0 && (s & 7) === 5) disp32 = true;
  }
  if (mod === 1) out.push(r.u32() & 0xff);
  if (disp32) out.push(...imm(r.u32(), 4));
  return out;
}

export function movForms(): Form[] {
  const fam = "mov";
  const out: Form[] = [];
  const c = { family: fam };
  for (const mem of [false, true]) {
    const t = mem ? "mem" : "reg";
    out.push(
      mr({ ...c, name: `mov r/m8, r8 (${t})`, op: [0x88], regBits: 8, rmBits: 8, mem, n: 24 }),
      mr({ ...c, name: `mov r/m32, r32 (${t})`, op: [0x89], regBits: 32, rmBits: 32, mem, n: 24 }),
      mr({
        ...c,
        name: `mov r32, r/m32 (${t})`,
        op: [0x8b],
        regBits: 32,
        rmBits: 32,
        mem,
        dir: "reg",
        n: 24,
      }),
      mr({
        ...c,
        name: `mov r/m32, imm32 (${t})`,
        op: [0xc7],
        digit: 0,
        rmBits: 32,
        mem,
        immBytes: 4,
        n: 24,
      }),
      mr({ ...c, name: `xchg r/m32, r32 (${t})`, op: [0x87], regBits: 32, rmBits: 32, mem, n: 24 }),
      mr({ ...c, name: `xchg r/m8, r8 (${t})`, op: [0x86], regBits: 8, rmBits: 8, mem, n: 24 }),
    );
    for (const [name, op] of [["movzx", 0xb6], ["movsx", 0xbe]] as const) {
      out.push(
        mr({
          ...c,
          name: `${name} r32, r/m8 (${t})`,
          op: [0x0f, op],
          regBits: 32,
          rmBits: 8,
          mem,
          dir: "reg",
          n: 24,
        }),
        mr({
          ...c,
          name: `${name} r32, r/m16 (${t})`,
          op: [0x0f, op + 1],
          regBits: 32,
          rmBits: 16,
          mem,
          dir: "reg",
          n: 24,
        }),
      );
    }
  }
  out.push(
    mr({
      ...c,
      name: "movzx r16, r/m8 (reg)",
      op: [0x66, 0x0f, 0xb6],
      regBits: 16,
      rmBits: 8,
      mem: false,
      dir: "reg",
      n: 24,
    }),
    mr({
      ...c,
      name: "movsx r16, r/m8 (reg)",
      op: [0x66, 0x0f, 0xbe],
      regBits: 16,
      rmBits: 8,
      mem: false,
      dir: "reg",
      n: 24,
    }),
    mr({
      ...c,
      name: "mov r/m16, r16 (mem)",
      op: [0x66, 0x89],
      regBits: 16,
      rmBits: 16,
      mem: true,
      n: 24,
    }),
    mr({
      ...c,
      name: "mov r8, r/m8 (mem)",
      op: [0x8a],
      regBits: 8,
      rmBits: 8,
      mem: true,
      dir: "reg",
      n: 24,
    }),
    mr({
      ...c,
      name: "mov r16, r/m16 (mem)",
      op: [0x66, 0x8b],
      regBits: 16,
      rmBits: 16,
      mem: true,
      dir: "reg",
      n: 24,
    }),
    mr({
      ...c,
      name: "mov r/m8, imm8 (mem)",
      op: [0xc6],
      digit: 0,
      rmBits: 8,
      mem: true,
      immBytes: 1,
      n: 24,
    }),
    mr({
      ...c,
      name: "mov r/m16, imm16 (mem)",
      op: [0x66, 0xc7],
      digit: 0,
      rmBits: 16,
      mem: true,
      immBytes: 2,
      n: 24,
    }),
    mr({
      ...c,
      name: "xchg r/m16, r16 (reg)",
      op: [0x66, 0x87],
      regBits: 16,
      rmBits: 16,
      mem: false,
      n: 24,
    }),
  );
  const short = (name: string, code: (g: G) => number[], n = 24): Form => ({
    family: fam,
    name,
    n,
    gen: (g: G) => ({ code: code(g) }),
  });
  out.push(
    short("mov r8, imm8 (b0+r)", (g) => [0xb0 + g.rng.int(8), g.val(8)]),
    short("mov r16, imm16 (b8+r)", (g) => [0x66, 0xb8 + g.reg(), ...imm(g.val(16), 2)]),
    short("mov r32, imm32 (b8+r)", (g) => [0xb8 + g.reg(), ...imm(g.val(32), 4)]),
    short("xchg eax, r32 (90+r)", (g) => [0x90 + g.reg([EAX])]),
    short("xchg ax, r16 (66 90+r)", (g) => [0x66, 0x90 + g.reg([EAX])]),
    short("nop", () => [0x90], 8),
    short("lea r32, m (no SIB)", (g) => [0x8d, ...randomAddressing(g, g.reg(), false)], 48),
    short("lea r32, m (SIB)", (g) => [0x8d, ...randomAddressing(g, g.reg(), true)], 64),
    short(
      "lea r16, m",
      (g) => [0x66, 0x8d, ...randomAddressing(g, g.reg(), g.rng.chance(0.5))],
      32,
    ),
  );
  const moffs = (name: string, op: number[], bytes: number): Form => ({
    family: fam,
    name,
    n: 24,
    gen(g: G) {
      const off = g.rng.int(WIN - bytes + 1);
      g.setMem(DATA_ADDR + off, bytes * 8, g.val(bytes * 8));
      return { code: [...op, ...imm(DATA_ADDR + off, 4)] };
    },
  });
  out.push(
    moffs("mov al, moffs8", [0xa0], 1),
    moffs("mov ax, moffs16", [0x66, 0xa1], 2),
    moffs("mov eax, moffs32", [0xa1], 4),
    moffs("mov moffs8, al", [0xa2], 1),
    moffs("mov moffs32, eax", [0xa3], 4),
  );
  out.push({
    family: fam,
    name: "xlat",
    n: 24,
    gen(g: G) {
      const al = g.val(8);
      g.setReg(EAX, 8, al);
      g.fix(EBX, DATA_ADDR + g.rng.int(WIN) - al);
      g.regions |= Region.DATA;
      return { code: [0xd7] };
    },
  });
  return out;
}
