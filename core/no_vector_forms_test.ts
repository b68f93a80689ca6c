/** @module Unit tests for accepted encodings that cannot be native CPU vectors (see tests/tools/vectors/coverage.ts). */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { CODE, exec, machine } from "./_test_helpers.ts";
import { run } from "./interpreter.ts";
import { Prot } from "./memory.ts";
import { ONE_BYTE, type Row, TWO_BYTE } from "./opcode_table.ts";
import { privileged } from "./ops/control.ts";

/** Every encoding whose row is `privileged`: [bytes, text]. Register and memory ModRM forms. */
function privilegedEncodings(): [number[], string][] {
  const out: [number[], string][] = [];
  const leafAt = (r: Row, reg: number, mem: boolean) =>
    r.group === null ? r : (mem ? r.group : r.group3 ?? r.group)[reg];
  for (let op = 0; op < 0x200; op++) {
    const top = (op < 0x100 ? ONE_BYTE : TWO_BYTE)[op & 0xff];
    if (top === undefined || top.sse !== null || op === 0x0f) continue;
    const opBytes = op < 0x100 ? [op] : [0x0f, op & 0xff];
    const modrm = top.group !== null || top.modrm;
    for (const pre of [[], [0x66]]) {
      for (let reg = 0; reg < (modrm ? 8 : 1); reg++) {
        for (const mem of modrm ? [false, true] : [false]) {
          const leaf = leafAt(top, reg, mem);
          if (leaf === undefined || leaf.fn !== privileged) continue;
          if (mem ? leaf.regOnly : leaf.memOnly) continue;
          // mod=3 rm=0, or [disp32] pointing at the code page; immediates are zeros
          const m = modrm ? (mem ? [(reg << 3) | 5, ...[0, 0x10, 0, 0]] : [0xc0 | (reg << 3)]) : [];
          const bytes = [...pre, ...opBytes, ...m, 0, 0, 0, 0, 0, 0];
          out.push([bytes, `${leaf.mn} ${bytes.map((b) => b.toString(16)).join(" ")}`]);
        }
      }
    }
  }
  return out;
}

Deno.test("every privileged row raises SIGSEGV SI_KERNEL without retiring", () => {
  const all = privilegedEncodings();
  assertEquals(all.length > 60, true, `only ${all.length} privileged encodings`);
  const m = machine([]);
  for (const [bytes, text] of all) {
    m.mem.writeBytes(CODE, new Uint8Array(bytes));
    m.cpu.eip = CODE;
    const n = run(m.cpu, m.mem, 1);
    assertEquals(m.cpu.stop, { kind: "fault", signal: 11, code: 0x80, addr: 0 }, text);
    assertEquals(n, 0, text);
    assertEquals(m.cpu.eip, CODE, text);
  }
});

Deno.test("int, int3, int1 and into stop with their signals", () => {
  const trap = { kind: "fault", signal: 5, code: 0x80, addr: 0 };
  for (const [bytes, n] of [[[0xcc], 1], [[0xf1], 1], [[0xcd, 0x03], 1]] as const) {
    const m = exec([...bytes]);
    assertEquals(m.cpu.stop, trap, bytes.join(","));
    assertEquals([m.n, m.cpu.eip], [n, CODE + bytes.length]);
  }
  const gp = exec([0xcd, 0x21]); // int 0x21
  assertEquals(gp.cpu.stop, { kind: "fault", signal: 11, code: 0x80, addr: 0 });
  assertEquals([gp.n, gp.cpu.eip], [0, CODE]);
  const sys = exec([0xcd, 0x80]);
  assertEquals(sys.cpu.stop, { kind: "syscall" });
  // into: OF clear falls through to the int 0x80; OF set raises SIGSEGV after retiring
  const clear = exec([0xce], (m) => m.cpu.setEflags(0x202));
  assertEquals([clear.cpu.stop.kind, clear.n], ["syscall", 2]);
  const set = exec([0xce], (m) => m.cpu.setEflags(0xa02));
  assertEquals(set.cpu.stop, { kind: "fault", signal: 11, code: 0x80, addr: 0 });
  assertEquals([set.n, set.cpu.eip], [1, CODE + 1]);
});

Deno.test("o16 near branches truncate eip to 16 bits", () => {
  // each instruction sits at 0xfff0 so its 32-bit target would be above 0x10000
  const at = 0xfff0;
  const cases: [string, number[], number][] = [
    ["jmp rel8", [0x66, 0xeb, 0x20], 0x13],
    ["jmp rel16", [0x66, 0xe9, 0x20, 0x00], 0x14],
    ["call rel16", [0x66, 0xe8, 0x20, 0x00], 0x14],
    ["je rel8 (ZF)", [0x66, 0x74, 0x20], 0x13],
    ["je rel16 (ZF)", [0x66, 0x0f, 0x84, 0x20, 0x00], 0x15],
    ["loop rel8", [0x66, 0xe2, 0x20], 0x13],
    ["jecxz rel8", [0x66, 0xe3, 0x20], 0x13],
    ["ret (pops 0x12345)", [0x66, 0xc3], 0x2345],
    ["ret imm16", [0x66, 0xc2, 0x04, 0x00], 0x2345],
    ["jmp ax", [0x66, 0xff, 0xe0], 0x2345],
    ["call ax", [0x66, 0xff, 0xd0], 0x2345],
  ];
  for (const [name, bytes, want] of cases) {
    const m = machine([]);
    m.mem.map(0xf000, 0x1000, Prot.READ | Prot.EXEC);
    m.mem.writeBytes(at, new Uint8Array(bytes));
    m.cpu.eip = at;
    m.cpu.regs[0] = 0x00012345;
    m.cpu.regs[1] = name.startsWith("jecxz") ? 0 : 5;
    m.cpu.setEflags(0x242);
    m.mem.write32(m.cpu.regs[4], 0x00012345);
    run(m.cpu, m.mem, 1);
    assertEquals(m.cpu.stop.kind, "budget", name);
    assertEquals(m.cpu.eip >>> 0, want, name);
  }
});

Deno.test("0x67 addressing wraps at 64 KiB and string ops use si, di and cx", () => {
  const m = machine([
    0x65,
    0x67,
    0x8b,
    0x40,
    0x02, // mov eax, gs:[bx+si+0x2]
    0x67,
    0xf3,
    0xa4, // rep movsb (cx, si, di)
    0xcd,
    0x80,
  ]);
  m.mem.map(0x8000, 0x1000, Prot.READ | Prot.WRITE);
  m.mem.write32(0x8010, 0x11223344);
  m.mem.writeBytes(0x8100, new Uint8Array([1, 2, 3]));
  m.cpu.segBase[5] = 0x8000;
  m.cpu.regs[3] = 0xabcd000e; // bx: only the low word counts, 0x000e + 0 + 2 = 0x10
  m.cpu.regs[6] = 0x12340000 | 0x8100; // si
  m.cpu.regs[7] = 0x56780000 | 0x8200; // di
  m.cpu.regs[1] = 0x99990003; // cx = 3
  m.cpu.regs[6] = 0x12340000; // si for the first instruction: 0
  run(m.cpu, m.mem, 1);
  assertEquals(m.cpu.regs[0] >>> 0, 0x11223344);
  m.cpu.regs[6] = 0x12348100;
  run(m.cpu, m.mem, 100);
  assertEquals(m.cpu.stop.kind, "syscall");
  assertEquals([...m.mem.readBytes(0x8200, 3)], [1, 2, 3]);
  assertEquals([m.cpu.regs[1] >>> 0, m.cpu.regs[6] >>> 0, m.cpu.regs[7] >>> 0], [
    0x99990000,
    0x12348103,
    0x56788203,
  ]);
});
