/** @module Forms for string instructions (movs stos lods cmps scas) with rep/repe/repne and DF=0/1. */
import { DATA_ADDR, DF, EAX, ECX, EDI, ESI, type Form, type G, Region, WIN } from "./lib.ts";

type Op = "movs" | "stos" | "lods" | "cmps" | "scas";
const OPCODE: Record<Op, number> = { movs: 0xa4, stos: 0xaa, lods: 0xac, cmps: 0xa6, scas: 0xae };
const SUFFIX = ["b", "w", "d"];

/** A start offset so that `n` elements of `size` stepping by DF stay inside the window. */
function start(g: G, n: number, size: number, down: boolean): number {
  const span = Math.max(n, 1) * size;
  return down ? g.rng.range(span - size, WIN - size) : g.rng.range(0, WIN - span);
}

function stringForm(op: Op, sizeIdx: number, prefix: number | undefined): Form {
  const size = 1 << sizeIdx;
  const bits = size * 8;
  const pre = prefix === undefined
    ? ""
    : prefix === 0xf3
    ? (op === "cmps" || op === "scas" ? "repe " : "rep ")
    : "repne ";
  const usesSrc = op === "movs" || op === "lods" || op === "cmps";
  const usesDst = op === "movs" || op === "stos" || op === "cmps" || op === "scas";
  return {
    family: "string",
    name: `${pre}${op}${SUFFIX[sizeIdx]}`,
    n: prefix === undefined ? 24 : 40,
    gen(g: G) {
      const r = g.rng;
      const down = r.chance(0.5);
      g.eflags = down ? g.eflags | DF : g.eflags & ~DF;
      g.regions |= Region.DATA;
      const count = prefix === undefined
        ? 1
        : g.edge([0, 1, 2, 3], () => r.int(Math.floor(WIN / size / 2) + 1));
      if (prefix !== undefined) g.setReg(ECX, 32, count);
      if (usesSrc) g.fix(ESI, DATA_ADDR + start(g, count, size, down));
      if (usesDst) g.fix(EDI, DATA_ADDR + start(g, count, size, down));
      if (op === "cmps" && r.chance(0.7)) {
        // make the two ranges mostly equal so repe runs on and repne stops early (or the reverse)
        const fill = r.u32() & 0xff;
        for (let k = 0; k < WIN; k++) g.data[k] = r.chance(0.85) ? fill : r.u32() & 0xff;
      }
      if (op === "scas") {
        const v = g.val(bits);
        g.setReg(EAX, bits, v);
        if (r.chance(0.7)) {
          const di = g.regs[EDI] - DATA_ADDR;
          for (let k = 0; k < WIN; k++) {
            const b = (((k - di) % size) + size) % size;
            g.data[k] = r.chance(0.9) ? (v >>> (8 * b)) & 0xff : r.u32() & 0xff;
          }
        }
      }
      const code = [
        ...(prefix === undefined ? [] : [prefix]),
        ...(size === 2 ? [0x66] : []),
        OPCODE[op] + (size > 1 ? 1 : 0),
      ];
      return { code };
    },
  };
}

export function stringForms(): Form[] {
  const out: Form[] = [];
  for (const op of ["movs", "stos", "lods", "cmps", "scas"] as const) {
    for (let s = 0; s < 3; s++) {
      out.push(stringForm(op, s, undefined), stringForm(op, s, 0xf3));
      if (op === "cmps" || op === "scas") out.push(stringForm(op, s, 0xf2));
    }
  }
  return out;
}
