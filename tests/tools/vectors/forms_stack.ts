/** @module Forms for the stack and control transfer: push/pop, pusha/popa, pushf/popf, enter/leave, call/ret, jmp, loop, jecxz. */
import { regSlot } from "./harness.ts";
import {
  EBP,
  ECX,
  ESP,
  type Form,
  type G,
  imm,
  modrm,
  Region,
  STACK_INIT,
  STACK_WIN,
  WIN,
} from "./lib.ts";

const FAM = "stack";

function form(name: string, n: number, gen: Form["gen"]): Form {
  return { family: FAM, name, n, gen };
}

/** Marks the stack window as used (its bytes are already random). */
function useStack(g: G): void {
  g.regions |= Region.STACK;
}

/** popf values: arithmetic flags, DF, ID, NT and bits user mode cannot change (IF, IOPL, reserved). */
function popfValue(g: G): number {
  const junk = 0x1000 | 0x2000 | 0x200 | 0x8 | 0x20 | 0x8000 | 0x4000 | 0x200000;
  return (g.rng.u32() & (0x8d5 | 0x400 | junk)) >>> 0;
}

export function stackForms(): Form[] {
  const out: Form[] = [];
  const all = [0, 1, 2, 3, 4, 5, 6, 7];
  out.push(
    form("push r32 (50+r)", 32, (g) => {
      useStack(g);
      return { code: [0x50 + g.edge([ESP], () => g.rng.pick(all))] };
    }),
    form("pop r32 (58+r)", 32, (g) => {
      useStack(g);
      return { code: [0x58 + g.edge([ESP], () => g.rng.pick(all))] };
    }),
    form("push r16 (66 50+r)", 16, (g) => {
      useStack(g);
      return { code: [0x66, 0x50 + g.rng.pick(all)] };
    }),
    form("pop r16 (66 58+r)", 16, (g) => {
      useStack(g);
      return { code: [0x66, 0x58 + g.rng.pick(all)] };
    }),
    form("push imm8", 24, (g) => {
      useStack(g);
      return { code: [0x6a, g.val(8)] };
    }),
    form("push imm32", 24, (g) => {
      useStack(g);
      return { code: [0x68, ...imm(g.val(32), 4)] };
    }),
    form("push imm16 (66 68)", 16, (g) => {
      useStack(g);
      return { code: [0x66, 0x68, ...imm(g.val(16), 2)] };
    }),
    form("push m32", 24, (g) => {
      useStack(g);
      const m = g.mem(4, [ESP]);
      return { code: [0xff, ...modrm(6, { kind: "mem", mem: m })] };
    }),
    form("pop m32", 24, (g) => {
      useStack(g);
      const m = g.mem(4, [ESP]);
      return { code: [0x8f, ...modrm(0, { kind: "mem", mem: m })] };
    }),
    form("push m32 (esp-based)", 24, (g) => {
      useStack(g);
      const d = g.rng.range(-32, 28);
      return { code: [0xff, 0x74, 0x24, d & 0xff] }; // push dword [esp+d]
    }),
    form("pop m32 (esp-based)", 24, (g) => {
      useStack(g);
      const d = g.rng.range(-36, 24); // the address uses esp after the pop
      return { code: [0x8f, 0x44, 0x24, d & 0xff] }; // pop dword [esp+d]
    }),
    form("pushad", 16, (g) => {
      useStack(g);
      return { code: [0x60] };
    }),
    form("popad", 16, (g) => {
      useStack(g);
      return { code: [0x61] };
    }),
    form("pushfd", 24, (g) => {
      useStack(g);
      return { code: [0x9c] };
    }),
    form("pushf (66 9c)", 16, (g) => {
      useStack(g);
      return { code: [0x66, 0x9c] };
    }),
    form("popfd", 48, (g) => {
      useStack(g);
      g.setMem(STACK_INIT, 32, popfValue(g));
      return { code: [0x9d] };
    }),
    form("popf (66 9d)", 24, (g) => {
      useStack(g);
      g.setMem(STACK_INIT, 16, popfValue(g));
      return { code: [0x66, 0x9d] };
    }),
    form("leave", 24, (g) => {
      useStack(g);
      g.fix(EBP, STACK_WIN + g.rng.range(0, WIN - 4));
      return { code: [0xc9] };
    }),
  );
  for (const level of [0, 1, 2, 3]) {
    out.push(form(`enter imm16, ${level}`, 24, (g) => {
      useStack(g);
      g.fix(EBP, STACK_WIN + g.rng.range(12, WIN - 4));
      // AMD probes the new stack top: keep it inside the mapped stack page
      const size = g.rng.chance(0.5) ? g.rng.int(64) : g.rng.int(0xf00);
      return { code: [0xc8, ...imm(size, 2), level] };
    }));
  }
  // control transfer: the harness places a target stub and patches addresses to it ("T")
  out.push(
    form("call rel32", 24, (g) => {
      useStack(g);
      return { code: [0xe8, { rel: 4 }], branch: g.branch(300) };
    }),
    form("call r32", 24, (g) => {
      useStack(g);
      const r = g.reg();
      g.patches.push([regSlot(r), "T"]);
      return { code: [0xff, 0xd0 + r], branch: g.branch() };
    }),
    form("call m32", 24, (g) => {
      useStack(g);
      const m = g.mem(4, [ESP]);
      g.patches.push([`0x${m.addr.toString(16)}`, "T"]);
      return { code: [0xff, ...modrm(2, { kind: "mem", mem: m })], branch: g.branch() };
    }),
    form("ret", 24, (g) => {
      useStack(g);
      g.patches.push([`0x${STACK_INIT.toString(16)}`, "T"]);
      return { code: [0xc3], branch: g.branch() };
    }),
    form("ret imm16", 24, (g) => {
      useStack(g);
      g.patches.push([`0x${STACK_INIT.toString(16)}`, "T"]);
      return {
        code: [0xc2, ...imm(g.edge([0, 4, 0xfffc], () => g.rng.int(0x10000)), 2)],
        branch: g.branch(),
      };
    }),
    form("jmp rel8", 16, (g) => ({ code: [0xeb, { rel: 1 }], branch: g.branch() })),
    form("jmp rel32", 16, (g) => ({ code: [0xe9, { rel: 4 }], branch: g.branch(300) })),
    form("jmp r32", 16, (g) => {
      const r = g.reg();
      g.patches.push([regSlot(r), "T"]);
      return { code: [0xff, 0xe0 + r], branch: g.branch() };
    }),
    form("jmp m32", 16, (g) => {
      const m = g.mem(4);
      g.patches.push([`0x${m.addr.toString(16)}`, "T"]);
      return { code: [0xff, ...modrm(4, { kind: "mem", mem: m })], branch: g.branch() };
    }),
  );
  const counts = [0, 1, 2, 0x10000, 0x10001, 0xffffffff, 0x80000000];
  const loops = [
    ["loop", [0xe2]],
    ["loope", [0xe1]],
    ["loopne", [0xe0]],
    ["jecxz", [0xe3]],
    ["jcxz (67 e3)", [0x67, 0xe3]],
    ["loop cx (67 e2)", [0x67, 0xe2]],
  ] as const;
  for (const [name, op] of loops) {
    out.push(form(name, 32, (g) => {
      g.setReg(ECX, 32, g.edge(counts, () => g.val(32)));
      return { code: [...op, { rel: 1 }], branch: g.branch() };
    }));
  }
  return out;
}
