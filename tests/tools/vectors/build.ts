/** @module A table-friendly builder for ModRM instruction forms, with optional JS reference checks. */
import {
  ARITH,
  type CaseSpec,
  type Form,
  FULL_MASK,
  G,
  imm,
  type Loc,
  locOf,
  maskOf,
  modrm,
  type RmOp,
  type State,
} from "./lib.ts";

/** Operands of one case, for masks and reference checks. */
export interface Ops {
  /** the destination (written) operand */
  dst: Loc;
  /** the source operand: register, memory or immediate */
  src?: Loc;
  rm: RmOp;
  reg?: number;
  immValue?: number;
}

/** A reference result: the destination value and/or the arithmetic flags. */
export interface Ref {
  r?: number;
  f?: number;
}

export interface MrSpec {
  family: string;
  name: string;
  n?: number;
  /** prefix + opcode bytes */
  op: number[];
  /** the ModRM reg field is this /digit ... */
  digit?: number;
  /** ... or a register operand of this width */
  regBits?: 8 | 16 | 32;
  rmBits: 8 | 16 | 32;
  mem: boolean;
  immBytes?: 1 | 2 | 4;
  immVal?: (g: G) => number;
  /** "rm": r/m is the destination (default); "reg": the reg operand is */
  dir?: "rm" | "reg";
  /** registers the instruction uses implicitly: kept out of the operands */
  avoid?: number[];
  /** sets implicit inputs (e.g. CL, EAX) after the operands are chosen */
  setup?: (g: G, ops: Ops) => void;
  mask?: number | ((init: State, ops: Ops) => number);
  ref?: (a: number, b: number, init: State, ops: Ops) => Ref;
}

/** Builds a Form from a ModRM spec. */
export function mr(s: MrSpec): Form {
  return {
    family: s.family,
    name: s.name,
    n: s.n ?? 32,
    gen(g: G): CaseSpec {
      const avoid = s.avoid ?? [];
      const rmBytes = s.rmBits / 8;
      let rm: RmOp;
      if (s.mem) rm = { kind: "mem", mem: g.mem(rmBytes, avoid) };
      else {
        const r = s.rmBits === 8 ? g.reg8(avoid) : g.reg(avoid);
        rm = { kind: "reg", reg: r };
        g.setReg(r, s.rmBits, g.val(s.rmBits));
      }
      if (rm.kind === "mem") {
        const v = g.val(s.rmBits);
        g.setMem(rm.mem.addr, s.rmBits, v);
      }
      let reg: number | undefined;
      if (s.regBits !== undefined) {
        reg = s.regBits === 8 ? g.reg8(avoid) : g.reg(avoid);
        g.setReg(reg, s.regBits, g.val(s.regBits));
      }
      let immValue: number | undefined;
      let immBytes: number[] = [];
      if (s.immBytes) {
        immValue = (s.immVal ? s.immVal(g) : g.val(s.immBytes * 8)) >>> 0;
        immBytes = imm(immValue, s.immBytes);
      }
      const rmLoc = locOf(rm, s.rmBits);
      const regLoc: Loc | undefined = reg === undefined
        ? undefined
        : { kind: "reg", reg, bits: s.regBits! };
      const immLoc: Loc | undefined = immValue === undefined
        ? undefined
        : { kind: "imm", value: immValue, bits: s.immBytes! * 8 };
      const ops: Ops = s.dir === "reg"
        ? { dst: regLoc!, src: rmLoc, rm, reg, immValue }
        : { dst: rmLoc, src: regLoc ?? immLoc, rm, reg, immValue };
      s.setup?.(g, ops);
      const code = [...s.op, ...modrm(s.digit ?? reg ?? 0, rm), ...immBytes];
      const mask = s.mask === undefined
        ? FULL_MASK
        : typeof s.mask === "number"
        ? s.mask
        : (init: State) => (s.mask as (i: State, o: Ops) => number)(init, ops);
      const spec: CaseSpec = { code, mask };
      if (s.ref) {
        const ref = s.ref;
        spec.check = (init, fin) => {
          const a = G.read(init, ops.dst);
          const b = ops.src ? G.read(init, ops.src) : 0;
          const want = ref(a, b, init, ops);
          const m = typeof mask === "number" ? mask : mask(init);
          if (want.r !== undefined) {
            const got = G.read(fin, ops.dst);
            const w = (want.r & maskOf(ops.dst.bits)) >>> 0;
            if (got !== w) return `result 0x${got.toString(16)} != model 0x${w.toString(16)}`;
          }
          if (want.f !== undefined && ((fin.eflags ^ want.f) & m & ARITH) !== 0) {
            return `flags 0x${fin.eflags.toString(16)} != model 0x${want.f.toString(16)}`;
          }
          return undefined;
        };
      }
      return spec;
    },
  };
}
