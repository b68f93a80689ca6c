import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { FLAG_VECTORS } from "./_flag_vectors.ts";
import { exec } from "./_test_helpers.ts";
import { ARITH_FLAGS } from "./cpu.ts";
import { LazyOp, testCC } from "./flags.ts";
import { Cpu } from "./cpu.ts";

const hex = (v: number) => "0x" + (v >>> 0).toString(16);

for (const v of FLAG_VECTORS) {
  Deno.test(`flags of ${v.insn} match the host CPU`, () => {
    for (const c of v.cases) {
      const m = exec(v.bytes, ({ cpu }) => {
        cpu.regs[0] = c.in[0];
        cpu.regs[1] = c.in[1];
        cpu.regs[2] = c.in[1];
        cpu.regs[3] = c.in[2];
        cpu.setEflags(c.in[3]);
      });
      const got = [m.cpu.regs[0] >>> 0, m.cpu.regs[2] >>> 0, m.cpu.getEflags() & ARITH_FLAGS];
      assertEquals(got.map(hex), c.out.map(hex), `${v.insn} with ${c.in.map(hex).join(" ")}`);
    }
  });
}

Deno.test("testCC() agrees with the flag bits for every lazy op", () => {
  const cpu = new Cpu();
  const ops = [
    LazyOp.ADD,
    LazyOp.SUB,
    LazyOp.LOGIC,
    LazyOp.INC,
    LazyOp.DEC,
    LazyOp.NEG,
    LazyOp.ADC,
  ];
  const vals = [0, 1, 0x7f, 0x80, 0xff, 0x7fffffff, 0x80000000, 0xffffffff];
  for (const op of ops) {
    for (const size of [1, 4]) {
      for (const a of vals) {
        for (const b of vals) {
          const m = size === 1 ? 0xff : 0xffffffff;
          cpu.lop = op;
          cpu.lsize = size;
          cpu.la = a & m;
          cpu.lb = b & m;
          cpu.lr = ((op === LazyOp.SUB ? a - b : a + b) & m) >>> 0;
          cpu.lcf = 1;
          const f = cpu.getEflags();
          const cf = f & 1,
            zf = (f >> 6) & 1,
            sf = (f >> 7) & 1,
            of = (f >> 11) & 1,
            pf = (f >> 2) & 1;
          const expect = [of, cf, zf, cf | zf, sf, pf, sf ^ of, zf | (sf ^ of)];
          for (let cc = 0; cc < 16; cc++) {
            const want = (cc & 1) ? !expect[cc >> 1] : !!expect[cc >> 1];
            assertEquals(testCC(cpu, cc), want, `op ${op} size ${size} ${a} ${b} cc ${cc}`);
          }
        }
      }
    }
  }
});
