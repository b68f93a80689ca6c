/** @module Forms for xadd, cmpxchg, cmpxchg8b and lock-prefixed read-modify-write. */
import { mr, type Ops } from "./build.ts";
import { EAX, EBX, ECX, EDX, type Form, G } from "./lib.ts";

/** Makes the accumulator equal the destination about half the time (cmpxchg's "equal" path). */
function cmpxchgSetup(bits: number) {
  return (g: G, ops: Ops) => {
    if (g.rng.chance(0.5)) g.setReg(EAX, bits, G.read(g.state(), ops.dst));
  };
}

export function atomicForms(): Form[] {
  const fam = "atomic";
  const out: Form[] = [];
  const sizes = [[8, [], 0], [16, [0x66], 1], [32, [], 1]] as const;
  for (const [bits, pre, w] of sizes) {
    for (const mem of [false, true]) {
      if (bits === 16 && mem) continue;
      const t = mem ? "mem" : "reg";
      out.push(
        mr({
          family: fam,
          name: `xadd r/m${bits}, r${bits} (${t})`,
          op: [...pre, 0x0f, 0xc0 + w],
          regBits: bits,
          rmBits: bits,
          mem,
        }),
        mr({
          family: fam,
          name: `cmpxchg r/m${bits}, r${bits} (${t})`,
          op: [...pre, 0x0f, 0xb0 + w],
          regBits: bits,
          rmBits: bits,
          mem,
          avoid: [EAX],
          setup: cmpxchgSetup(bits),
          n: 40,
        }),
      );
    }
  }
  out.push(
    mr({
      family: fam,
      name: "lock xadd m32, r32",
      op: [0xf0, 0x0f, 0xc1],
      regBits: 32,
      rmBits: 32,
      mem: true,
    }),
    mr({
      family: fam,
      name: "lock cmpxchg m32, r32",
      op: [0xf0, 0x0f, 0xb1],
      regBits: 32,
      rmBits: 32,
      mem: true,
      avoid: [EAX],
      setup: cmpxchgSetup(32),
    }),
    mr({
      family: fam,
      name: "lock add m32, r32",
      op: [0xf0, 0x01],
      regBits: 32,
      rmBits: 32,
      mem: true,
    }),
    mr({ family: fam, name: "lock inc m32", op: [0xf0, 0xff], digit: 0, rmBits: 32, mem: true }),
    mr({
      family: fam,
      name: "lock xchg m32, r32",
      op: [0xf0, 0x87],
      regBits: 32,
      rmBits: 32,
      mem: true,
    }),
  );
  for (const [name, pre] of [["cmpxchg8b m64", []], ["lock cmpxchg8b m64", [0xf0]]] as const) {
    out.push({
      family: fam,
      name,
      n: 40,
      gen(g: G) {
        const m = g.mem(8, [EAX, ECX, EDX, EBX]);
        if (g.rng.chance(0.5)) {
          g.setReg(EAX, 32, G.read(g.state(), { kind: "mem", addr: m.addr, bits: 32 }));
          g.setReg(EDX, 32, G.read(g.state(), { kind: "mem", addr: m.addr + 4, bits: 32 }));
        }
        return { code: [...pre, 0x0f, 0xc7, ...m.enc(1)] };
      },
    });
  }
  return out;
}
