/**
 * @module x87 instructions (D8–DF, WAIT): the register stack, tags, condition codes, stack
 * faults, masked default results and #MF for unmasked exceptions, over core/fpu/f80.ts.
 *
 * Register forms are dispatched on ModRM.reg (the decoder's group3) and ModRM.rm (here).
 * An unmasked exception sets ES and B; the next waiting x87 instruction (or WAIT) raises #MF,
 * delivered as SIGFPE with the si_code Linux derives from the unmasked flags.
 */
import { Flag } from "../cpu.ts";
import type { Cpu } from "../cpu.ts";
import type { Insn } from "../decode.ts";
import type { Memory } from "../memory.ts";
import * as F from "../fpu/f80.ts";
import { F80 } from "../fpu/f80.ts";
import * as T from "../fpu/f80_trans.ts";
import { ea, EAX, probeWrite, raise, SIGFPE, ud } from "./_operands.ts";

type X87Handler = (c: Cpu, mem: Memory, i: Insn) => void;

/** Status-word bits. */
export const Sw = {
  IE: 0x1,
  DE: 0x2,
  ZE: 0x4,
  OE: 0x8,
  UE: 0x10,
  PE: 0x20,
  SF: 0x40,
  ES: 0x80,
  C0: 0x100,
  C1: 0x200,
  C2: 0x400,
  C3: 0x4000,
  B: 0x8000,
} as const;
const IE = 0x1, DE = 0x2, ZE = 0x4, OE = 0x8, UE = 0x10, SF = 0x40, ES = 0x80;
const C0 = 0x100, C1 = 0x200, C2 = 0x400, C3 = 0x4000, B = 0x8000;
const CC = C0 | C1 | C2 | C3;
const EXC = 0x3f;
/** exceptions that stop an instruction from completing when unmasked */
const NO_RESULT = IE | DE | ZE;

/** Linux si_codes for SIGFPE. */
const FPE_FLTDIV = 3, FPE_FLTOVF = 4, FPE_FLTUND = 5, FPE_FLTRES = 6, FPE_FLTINV = 7;

// scratch values (handlers never nest)
const A = new F80(), Bv = new F80(), R = new F80(), R2 = new F80();
const INDEF = new F80(0xffff, 0xc0000000, 0);
const ZERO = new F80(0, 0, 0);
const ONE = new F80(0x3fff, 0x80000000, 0);
const U32 = new Uint32Array(2);
const BCD = new Uint8Array(10);

// ---- register stack ---------------------------------------------------------------------------

function tagClass(x: F80): number {
  const e = x.se & 0x7fff;
  if (e === 0) return x.hi === 0 && x.lo === 0 ? 1 : 2;
  if (e === 0x7fff) return 2;
  return x.hi & 0x80000000 ? 0 : 2;
}

/** Physical register of ST(i). */
function phys(c: Cpu, st: number): number {
  return (c.fpTop + st) & 7;
}

function isEmpty(c: Cpu, st: number): boolean {
  return ((c.fpTag >> (2 * phys(c, st))) & 3) === 3;
}

function get(c: Cpu, st: number, out: F80): F80 {
  const r = phys(c, st);
  out.se = c.fpExp[r];
  out.hi = c.fpSig[2 * r + 1];
  out.lo = c.fpSig[2 * r];
  return out;
}

function put(c: Cpu, st: number, x: F80): void {
  const r = phys(c, st);
  c.fpExp[r] = x.se;
  c.fpSig[2 * r + 1] = x.hi;
  c.fpSig[2 * r] = x.lo;
  c.fpTag = (c.fpTag & ~(3 << (2 * r))) | (tagClass(x) << (2 * r));
}

function setEmpty(c: Cpu, st: number): void {
  c.fpTag |= 3 << (2 * phys(c, st));
}

function pop(c: Cpu): void {
  setEmpty(c, 0);
  c.fpTop = (c.fpTop + 1) & 7;
}

/** Records exception flags and condition codes (those in ccMask are replaced). */
function report(c: Cpu, flags: number, ccMask: number): void {
  let sw = c.fpSw | (flags & (EXC | SF));
  sw = (sw & ~ccMask) | (flags & ccMask);
  if (flags & EXC & ~c.fpCw) sw |= ES | B;
  c.fpSw = sw;
}

/** True when the flags include an unmasked exception that suppresses the result. */
function blocked(c: Cpu, flags: number): boolean {
  return (flags & NO_RESULT & ~c.fpCw) !== 0;
}

/** Stack underflow: IE|SF, C1 = 0. Returns true if the masked response should be written. */
function underflow(c: Cpu): boolean {
  report(c, IE | SF, C1);
  return (c.fpCw & IE) !== 0;
}

/** Pushes x; a full stack gives stack overflow (IE|SF, C1 = 1) and, masked, pushes the indefinite. */
function push(c: Cpu, x: F80, flags = 0, ccMask = C1): void {
  if (!isEmpty(c, 7)) {
    report(c, IE | SF | C1, C1);
    if (c.fpCw & IE) {
      c.fpTop = (c.fpTop - 1) & 7;
      put(c, 0, INDEF);
    }
    return;
  }
  report(c, flags, ccMask);
  if (blocked(c, flags)) return;
  c.fpTop = (c.fpTop - 1) & 7;
  put(c, 0, x);
}

/** Full status word (TOP included). */
export function statusWord(c: Cpu): number {
  return ((c.fpSw & ~0x3800) | ((c.fpTop & 7) << 11)) & 0xffff;
}

/** Recomputes ES and B from the flags and masks (after FLDCW, FLDENV, FRSTOR). */
function syncSummary(c: Cpu): void {
  if (c.fpSw & EXC & ~c.fpCw) c.fpSw |= ES | B;
  else c.fpSw &= ~(ES | B);
}

/** The si_code Linux gives an #MF from the pending unmasked exceptions (0: spurious). */
export function fpeCode(sw: number, cw: number): number {
  const err = sw & ~cw;
  if (err & IE) return FPE_FLTINV;
  if (err & ZE) return FPE_FLTDIV;
  if (err & OE) return FPE_FLTOVF;
  if (err & (UE | DE)) return FPE_FLTUND;
  if (err & 0x20) return FPE_FLTRES;
  return 0;
}

/** A waiting instruction: #MF (SIGFPE) if an unmasked exception is pending. */
function check(c: Cpu, i: Insn): void {
  if (c.fpSw & ES) {
    const code = fpeCode(c.fpSw, c.fpCw);
    if (code !== 0) raise(SIGFPE, code, i.addr);
  }
}

/** Updates the last-instruction pointers FNSTENV/FXSAVE report (non-control instructions). */
function note(c: Cpu, i: Insn, dp: number): void {
  c.fpIp = i.addr;
  c.fpFop = (((i.op & 7) << 8) | (i.mod << 6) | (i.reg << 3) | i.rm) & 0x7ff;
  c.fpDp = dp;
}

// ---- arithmetic -------------------------------------------------------------------------------

type Op2 = (out: F80, a: F80, b: F80, cw: number) => number;
/** FADD FMUL FCOM FCOMP FSUB FSUBR FDIV FDIVR by ModRM.reg (FCOM slots unused). */
const ARITH: (Op2 | null)[] = [
  F.add,
  F.mul,
  null,
  null,
  F.sub,
  (o, a, b, cw) => F.sub(o, b, a, cw),
  F.div,
  (o, a, b, cw) => F.div(o, b, a, cw),
];

/** dest = dest op src on stack slots; `memDE` the memory operand's DE (widened operand in Bv). */
function arith(c: Cpu, op: Op2, dst: number, a: F80, b: F80, loadFlags: number): boolean {
  const cw = c.fpCw;
  const de = loadFlags === 0 ? 0 : F.memOperandDE(loadFlags, a);
  if (de & ~cw) {
    report(c, de, C1);
    return false;
  }
  const f = op(R, a, b, cw) | de;
  report(c, f, C1);
  if (blocked(c, f)) return false;
  put(c, dst, R);
  return true;
}

/** Loads the m32fp/m64fp/m32int/m16int operand of D8/DC/DA/DE memory forms into Bv. */
function loadArithOperand(mem: Memory, i: Insn, a: number): number {
  switch (i.op) {
    case 0xd8:
      return F.fromF32(Bv, mem.read32(a), true);
    case 0xdc:
      return F.fromF64(Bv, mem.read32(a), mem.read32(a + 4), true);
    case 0xda:
      F.fromInt32(Bv, mem.read32(a));
      return 0;
    default:
      F.fromInt32(Bv, (mem.read16(a) << 16) >> 16);
      return 0;
  }
}

/** D8/DC/DA/DE memory forms: ST(0) op= m (FCOM/FCOMP/FICOM/FICOMP for reg 2, 3). */
function arithMem(c: Cpu, mem: Memory, i: Insn): void {
  check(c, i);
  const a = ea(c, i);
  note(c, i, a);
  const lf = loadArithOperand(mem, i, a);
  if (isEmpty(c, 0)) {
    if (i.reg === 2 || i.reg === 3) {
      report(c, IE | SF | C0 | C2 | C3, CC);
      if (i.reg === 3 && (c.fpCw & IE)) pop(c);
    } else if (underflow(c)) put(c, 0, INDEF);
    return;
  }
  get(c, 0, A);
  if (i.reg === 2 || i.reg === 3) {
    compareAndReport(c, A, Bv, false, F.memOperandDE(lf, A), i.reg === 3 ? 1 : 0);
    return;
  }
  arith(c, ARITH[i.reg]!, 0, A, Bv, lf);
}

/** Compare ST(0) with b, set C0 C2 C3 (C1 = 0), then pop `pops` times. */
function compareAndReport(
  c: Cpu,
  a: F80,
  b: F80,
  quiet: boolean,
  extra: number,
  pops: number,
): void {
  const f = F.compare(a, b, quiet) | extra;
  report(c, f, CC);
  if (blocked(c, f)) return;
  for (let k = 0; k < pops; k++) pop(c);
}

/** D8 register forms: ST(0) = ST(0) op ST(i); FCOM/FCOMP ST(i). */
function arithSt0(c: Cpu, _mem: Memory, i: Insn): void {
  check(c, i);
  note(c, i, c.fpDp);
  const r = i.reg, s = i.rm;
  if (r === 2 || r === 3) return fcomReg(c, s, false, r === 3 ? 1 : 0);
  if (isEmpty(c, 0) || isEmpty(c, s)) {
    if (underflow(c)) put(c, 0, INDEF);
    return;
  }
  arith(c, ARITH[r]!, 0, get(c, 0, A), get(c, s, Bv), 0);
}

/** DC register forms (and DE with pop): ST(i) = ST(i) op ST(0), FSUB/FSUBR and FDIV/FDIVR swapped. */
function arithSti(c: Cpu, i: Insn, popAfter: boolean): void {
  const r = i.reg, s = i.rm;
  if (r === 2 || r === 3) {
    // DC D0+i / DC D8+i / DE D0+i alias FCOM / FCOMP
    return fcomReg(c, s, false, popAfter || r === 3 ? 1 : 0);
  }
  if (isEmpty(c, 0) || isEmpty(c, s)) {
    if (underflow(c)) {
      put(c, s, INDEF);
      if (popAfter) pop(c);
    }
    return;
  }
  const op = ARITH[r === 4 ? 5 : r === 5 ? 4 : r === 6 ? 7 : r === 7 ? 6 : r]!;
  if (arith(c, op, s, get(c, s, A), get(c, 0, Bv), 0) && popAfter) pop(c);
}

function arithStiDC(c: Cpu, _mem: Memory, i: Insn): void {
  check(c, i);
  note(c, i, c.fpDp);
  arithSti(c, i, false);
}

function arithStiDE(c: Cpu, mem: Memory, i: Insn): void {
  if (i.reg === 3 && i.rm !== 1) ud(c, mem, i); // #UD before a pending #MF
  check(c, i);
  note(c, i, c.fpDp);
  if (i.reg === 3) return fcomReg(c, 1, false, 2);
  arithSti(c, i, true);
}

/** FCOM/FUCOM ST(i) with `pops` pops. */
function fcomReg(c: Cpu, s: number, quiet: boolean, pops: number): void {
  if (isEmpty(c, 0) || isEmpty(c, s)) {
    report(c, IE | SF | C0 | C2 | C3, CC);
    if (c.fpCw & IE) { for (let k = 0; k < pops; k++) pop(c); }
    return;
  }
  compareAndReport(c, get(c, 0, A), get(c, s, Bv), quiet, 0, pops);
}

/** FCOMI/FUCOMI(P): ZF PF CF from comparing ST(0) with ST(i); OF SF AF cleared. */
function fcomi(c: Cpu, s: number, quiet: boolean, popAfter: boolean): void {
  let f: number;
  if (isEmpty(c, 0) || isEmpty(c, s)) {
    f = IE | SF | C0 | C2 | C3;
  } else f = F.compare(get(c, 0, A), get(c, s, Bv), quiet);
  if (f & SF) report(c, f & ~CC, C1);
  else report(c, f & ~CC, 0);
  const ef = (f & C3 ? Flag.ZF : 0) | (f & C2 ? Flag.PF : 0) | (f & C0 ? Flag.CF : 0);
  const all = Flag.ZF | Flag.PF | Flag.CF | Flag.OF | Flag.SF | Flag.AF;
  c.setEflags((c.getEflags() & ~all) | ef);
  if (popAfter && !blocked(c, f)) pop(c);
}

// ---- loads and stores -------------------------------------------------------------------------

/** FLD m32fp / m64fp / m80fp and FILD m16/m32/m64, FBLD. */
function loadMem(c: Cpu, mem: Memory, i: Insn, kind: number): void {
  check(c, i);
  const a = ea(c, i);
  note(c, i, a);
  let f = 0;
  switch (kind) {
    case 0: // m32fp
      f = F.fromF32(R, mem.read32(a));
      break;
    case 1: // m64fp
      f = F.fromF64(R, mem.read32(a), mem.read32(a + 4));
      break;
    case 2: // m80fp
      R.lo = mem.read32(a) >>> 0;
      R.hi = mem.read32(a + 4) >>> 0;
      R.se = mem.read16(a + 8);
      break;
    case 3: // m16int
      F.fromInt32(R, (mem.read16(a) << 16) >> 16);
      break;
    case 4: // m32int
      F.fromInt32(R, mem.read32(a));
      break;
    case 5: // m64int
      F.fromInt64(R, mem.read32(a), mem.read32(a + 4));
      break;
    case 6: // m80bcd
      for (let k = 0; k < 10; k++) BCD[k] = mem.read8(a + k);
      F.fromBcd(R, BCD);
      break;
  }
  push(c, R, f);
}

/** Operand bytes of the storeMem kinds. */
const STORE_SIZE = [4, 8, 10, 2, 4, 8, 10, 2, 4, 8];

/** FST/FSTP m32fp m64fp m80fp, FIST/FISTP/FISTTP m16 m32 m64, FBSTP. */
function storeMem(c: Cpu, mem: Memory, i: Insn, kind: number, popAfter: boolean): void {
  check(c, i);
  const a = ea(c, i);
  note(c, i, a);
  const n = STORE_SIZE[kind];
  probeWrite(mem, a, n);
  const cw = c.fpCw;
  let f = 0;
  if (isEmpty(c, 0)) {
    report(c, IE | SF, C1);
    if (!(cw & IE)) return;
    A.set(INDEF);
    f = IE; // store the masked response to the invalid operation
  } else get(c, 0, A);
  switch (kind) {
    case 0:
      f |= F.toF32(U32, A, cw);
      break;
    case 1:
      f |= F.toF64(U32, A, cw);
      break;
    case 2:
      break;
    case 3:
    case 7:
      f |= F.toInt(U32, A, 16, cw, kind === 7);
      break;
    case 4:
    case 8:
      f |= F.toInt(U32, A, 32, cw, kind === 8);
      break;
    case 5:
    case 9:
      f |= F.toInt(U32, A, 64, cw, kind === 9);
      break;
    case 6:
      f |= F.toBcd(BCD, A, cw);
      break;
  }
  if (isEmpty(c, 0)) f &= ~IE; // already reported
  report(c, f, C1);
  if (f & ~cw & (IE | DE | ZE | OE | UE)) return;
  switch (kind) {
    case 0:
      mem.write32(a, U32[0]);
      break;
    case 1:
    case 5:
    case 9:
      mem.write32(a, U32[0]);
      mem.write32(a + 4, U32[1]);
      break;
    case 2:
      mem.write32(a, A.lo);
      mem.write32(a + 4, A.hi);
      mem.write16(a + 8, A.se);
      break;
    case 3:
    case 7:
      mem.write16(a, U32[0]);
      break;
    case 4:
    case 8:
      mem.write32(a, U32[0]);
      break;
    case 6:
      for (let k = 0; k < 10; k++) mem.write8(a + k, BCD[k]);
      break;
  }
  if (popAfter) pop(c);
}

/** FLD ST(i). */
function fldSt(c: Cpu, i: Insn): void {
  if (isEmpty(c, i.rm)) {
    report(c, IE | SF, C1); // underflow outranks overflow
    if (c.fpCw & IE) {
      c.fpTop = (c.fpTop - 1) & 7;
      put(c, 0, INDEF);
    }
    return;
  }
  push(c, get(c, i.rm, R2), 0);
}

/** FST/FSTP ST(i); the reserved FSTP1 alias (D9 D8+i) copies an empty ST(0) without a fault. */
function fstSt(c: Cpu, s: number, popAfter: boolean, alias = false): void {
  if (isEmpty(c, 0) && alias) {
    report(c, 0, C1);
    return pop(c);
  }
  if (isEmpty(c, 0)) {
    if (underflow(c)) {
      put(c, s, INDEF);
      if (popAfter) pop(c);
    }
    return;
  }
  report(c, 0, C1);
  put(c, s, get(c, 0, A));
  if (popAfter) pop(c);
}

function fxch(c: Cpu, s: number): void {
  const e0 = isEmpty(c, 0), es = isEmpty(c, s);
  if (e0 || es) {
    if (!underflow(c)) return;
    if (e0) put(c, 0, INDEF);
    if (es) put(c, s, INDEF);
  } else report(c, 0, C1);
  get(c, 0, A);
  get(c, s, Bv);
  put(c, 0, Bv);
  put(c, s, A);
}

/** The EFLAGS bits FCMOVcc tests, by ModRM.reg & 3 (b e be u). */
const FCMOV_FLAGS = [Flag.CF, Flag.ZF, Flag.CF | Flag.ZF, Flag.PF];

/** FCMOVcc: DA (b e be u) and DB (nb ne nbe nu) by ModRM.reg. */
function fcmov(c: Cpu, i: Insn): void {
  const cond = (c.getEflags() & FCMOV_FLAGS[i.reg & 3]) !== 0;
  if (isEmpty(c, 0) || isEmpty(c, i.rm)) {
    if (underflow(c)) put(c, 0, INDEF);
    return;
  }
  if (cond === (i.op === 0xda)) put(c, 0, get(c, i.rm, A));
}

// ---- one-operand ST(0) ops ---------------------------------------------------------------------

/** ST(0) = f(ST(0)) with C1 from rounding. */
function unary(c: Cpu, fn: (out: F80, a: F80, cw: number) => number, ccMask = C1): void {
  if (isEmpty(c, 0)) {
    report(c, IE | SF, ccMask);
    if (c.fpCw & IE) put(c, 0, INDEF);
    return;
  }
  const f = fn(R, get(c, 0, A), c.fpCw);
  report(c, f, ccMask);
  if (blocked(c, f) || (f & C2)) return;
  put(c, 0, R);
}

const absFn = (o: F80, a: F80) => F.abs(o, a);
const chsFn = (o: F80, a: F80) => F.chs(o, a);

function ftst(c: Cpu): void {
  if (isEmpty(c, 0)) {
    report(c, IE | SF | C0 | C2 | C3, CC);
    return;
  }
  report(c, F.compare(get(c, 0, A), ZERO, false), CC);
}

function fxam(c: Cpu): void {
  report(c, F.xam(get(c, 0, A), isEmpty(c, 0)), CC);
}

/** ST(1) = f(ST(1), ST(0)), pop (FPATAN, FYL2X, FYL2XP1). */
function binaryPop(c: Cpu, fn: (out: F80, y: F80, x: F80, cw: number) => number): void {
  if (isEmpty(c, 0) || isEmpty(c, 1)) {
    if (underflow(c)) {
      put(c, 1, INDEF);
      pop(c);
    }
    return;
  }
  const f = fn(R, get(c, 1, A), get(c, 0, Bv), c.fpCw);
  report(c, f, C1);
  if (blocked(c, f)) return;
  put(c, 1, R);
  pop(c);
}

/** ST(0) = f(ST(0), ST(1)) without pop (FPREM, FPREM1, FSCALE). */
function binaryKeep(
  c: Cpu,
  fn: (out: F80, a: F80, b: F80, cw: number) => number,
  ccMask: number,
): void {
  if (isEmpty(c, 0) || isEmpty(c, 1)) {
    report(c, IE | SF, C1 | (ccMask & C2));
    if (c.fpCw & IE) put(c, 0, INDEF);
    return;
  }
  const f = fn(R, get(c, 0, A), get(c, 1, Bv), c.fpCw);
  // FPREM/FPREM1 with a NaN or invalid operand keep C0 and C3
  const nan = F.kindOf(A) >= F.Kind.QNAN || F.kindOf(Bv) >= F.Kind.QNAN || (f & IE) !== 0;
  report(c, f, ccMask === CC && nan ? C1 | C2 : ccMask);
  if (blocked(c, f)) return;
  put(c, 0, R);
}

/** ST(0) = f(ST(0)), then push g (FXTRACT, FPTAN, FSINCOS). */
function unaryPush(c: Cpu, kind: number): void {
  if (isEmpty(c, 0)) {
    report(c, IE | SF, kind === 0 ? C1 : C1 | C2);
    if (c.fpCw & IE) {
      put(c, 0, INDEF);
      c.fpTop = (c.fpTop - 1) & 7;
      put(c, 0, INDEF);
    }
    return;
  }
  if (!isEmpty(c, 7)) {
    report(c, IE | SF | C1, kind === 0 ? C1 : C1 | C2);
    if (c.fpCw & IE) {
      put(c, 0, INDEF);
      c.fpTop = (c.fpTop - 1) & 7;
      put(c, 0, INDEF);
    }
    return;
  }
  const cw = c.fpCw;
  get(c, 0, A);
  let f: number;
  if (kind === 0) f = F.xtract(R2, R, A, cw); // R = exponent -> ST(1), R2 = significand
  else if (kind === 1) {
    f = T.fptan(R, A, cw);
    R2.set(ONE);
  } else f = T.fsincos(R, R2, A, cw);
  if (kind === 1 && F.kindOf(R) >= F.Kind.QNAN) R2.set(R);
  report(c, f, kind === 0 ? C1 : C1 | C2);
  if (blocked(c, f) || (f & C2)) return;
  put(c, 0, R);
  c.fpTop = (c.fpTop - 1) & 7;
  put(c, 0, R2);
}

const D9_6: ((c: Cpu) => void)[] = [
  (c) => unary(c, T.f2xm1),
  (c) => binaryPop(c, (o, y, x, cw) => T.fyl2x(o, y, x, cw, false, F.add)),
  (c) => unaryPush(c, 1),
  (c) => binaryPop(c, (o, y, x, cw) => T.fpatan(o, y, x, cw, F.add)),
  (c) => unaryPush(c, 0),
  (c) => binaryKeep(c, (o, a, b, cw) => F.prem(o, a, b, cw, true), CC),
  (c) => {
    c.fpTop = (c.fpTop - 1) & 7;
    report(c, 0, C1);
  },
  (c) => {
    c.fpTop = (c.fpTop + 1) & 7;
    report(c, 0, C1);
  },
];

const D9_7: ((c: Cpu) => void)[] = [
  (c) => binaryKeep(c, (o, a, b, cw) => F.prem(o, a, b, cw, false), CC),
  (c) => binaryPop(c, (o, y, x, cw) => T.fyl2x(o, y, x, cw, true, F.add)),
  (c) => unary(c, F.sqrt),
  (c) => unaryPush(c, 2),
  (c) => unary(c, F.rndint),
  (c) => binaryKeep(c, F.scale, C1),
  (c) => unary(c, T.fsin, C1 | C2),
  (c) => unary(c, T.fcos, C1 | C2),
];

// ---- control ----------------------------------------------------------------------------------

function fninit(c: Cpu): void {
  c.fpCw = 0x037f;
  c.fpSw = 0;
  c.fpTop = 0;
  c.fpTag = 0xffff;
  c.fpFop = 0;
  c.fpIp = 0;
  c.fpCs = 0;
  c.fpDp = 0;
  c.fpDs = 0;
}

/** The full tag word as FNSTENV stores it: empty, or the class of the register's contents. */
function fullTag(c: Cpu): number {
  let t = 0;
  for (let r = 0; r < 8; r++) {
    let v = 3;
    if (((c.fpTag >> (2 * r)) & 3) !== 3) {
      A.se = c.fpExp[r];
      A.hi = c.fpSig[2 * r + 1];
      A.lo = c.fpSig[2 * r];
      v = tagClass(A);
    }
    t |= v << (2 * r);
  }
  return t;
}

/** FNSTENV/FNSAVE environment: 28 bytes (32-bit) or 14 bytes (0x66). Returns its size. */
function storeEnv(c: Cpu, mem: Memory, a: number, o16: boolean): number {
  if (o16) {
    mem.write16(a, c.fpCw);
    mem.write16(a + 2, statusWord(c));
    mem.write16(a + 4, fullTag(c));
    mem.write16(a + 6, c.fpIp);
    mem.write16(a + 8, c.fpCs);
    mem.write16(a + 10, c.fpDp);
    mem.write16(a + 12, c.fpDs);
    return 14;
  }
  mem.write32(a, 0xffff0000 | c.fpCw);
  mem.write32(a + 4, 0xffff0000 | statusWord(c));
  mem.write32(a + 8, 0xffff0000 | fullTag(c));
  mem.write32(a + 12, c.fpIp);
  mem.write32(a + 16, (c.fpCs & 0xffff) | ((c.fpFop & 0x7ff) << 16));
  mem.write32(a + 20, c.fpDp);
  mem.write32(a + 24, 0xffff0000 | c.fpDs);
  return 28;
}

function loadEnv(c: Cpu, mem: Memory, a: number, o16: boolean): number {
  let cw: number, sw: number, tag: number;
  if (o16) {
    cw = mem.read16(a);
    sw = mem.read16(a + 2);
    tag = mem.read16(a + 4);
    c.fpIp = mem.read16(a + 6);
    c.fpCs = mem.read16(a + 8);
    c.fpDp = mem.read16(a + 10);
    c.fpDs = mem.read16(a + 12);
  } else {
    cw = mem.read16(a);
    sw = mem.read16(a + 4);
    tag = mem.read16(a + 8);
    c.fpIp = mem.read32(a + 12);
    const w = mem.read32(a + 16);
    c.fpCs = w & 0xffff;
    c.fpFop = (w >>> 16) & 0x7ff;
    c.fpDp = mem.read32(a + 20);
    c.fpDs = mem.read16(a + 24);
  }
  c.fpCw = cw;
  c.fpTop = (sw >> 11) & 7;
  c.fpSw = sw & ~0x3800;
  // only empty / not empty survives: the class comes from the contents
  let t = 0;
  for (let r = 0; r < 8; r++) {
    let v = 3;
    if (((tag >> (2 * r)) & 3) !== 3) {
      A.se = c.fpExp[r];
      A.hi = c.fpSig[2 * r + 1];
      A.lo = c.fpSig[2 * r];
      v = tagClass(A);
    }
    t |= v << (2 * r);
  }
  c.fpTag = t;
  syncSummary(c);
  return o16 ? 14 : 28;
}

/** Recomputes the tags of non-empty registers after their contents were loaded. */
function retag(c: Cpu): void {
  let t = 0;
  for (let r = 0; r < 8; r++) {
    let v = 3;
    if (((c.fpTag >> (2 * r)) & 3) !== 3) {
      A.se = c.fpExp[r];
      A.hi = c.fpSig[2 * r + 1];
      A.lo = c.fpSig[2 * r];
      v = tagClass(A);
    }
    t |= v << (2 * r);
  }
  c.fpTag = t;
}

function fnstenv(c: Cpu, mem: Memory, i: Insn): void {
  const a = ea(c, i);
  probeWrite(mem, a, i.opsize16 ? 14 : 28);
  storeEnv(c, mem, a, i.opsize16);
  c.fpCw |= 0x3f;
}

function fldenv(c: Cpu, mem: Memory, i: Insn): void {
  const a = ea(c, i);
  loadEnv(c, mem, a, i.opsize16);
}

function fnsave(c: Cpu, mem: Memory, i: Insn): void {
  const a = ea(c, i);
  const n = i.opsize16 ? 14 : 28;
  probeWrite(mem, a, n + 80);
  storeEnv(c, mem, a, i.opsize16);
  for (let st = 0; st < 8; st++) {
    const r = phys(c, st), p = a + n + 10 * st;
    mem.write32(p, c.fpSig[2 * r]);
    mem.write32(p + 4, c.fpSig[2 * r + 1]);
    mem.write16(p + 8, c.fpExp[r]);
  }
  fninit(c);
}

function frstor(c: Cpu, mem: Memory, i: Insn): void {
  const a = ea(c, i);
  const n = i.opsize16 ? 14 : 28;
  mem.read8(a + n + 79);
  const tagSave = mem.read16(a + (i.opsize16 ? 4 : 8));
  const sw = mem.read16(a + (i.opsize16 ? 2 : 4));
  const top = (sw >> 11) & 7;
  for (let st = 0; st < 8; st++) {
    const r = (top + st) & 7, p = a + n + 10 * st;
    c.fpSig[2 * r] = mem.read32(p);
    c.fpSig[2 * r + 1] = mem.read32(p + 4);
    c.fpExp[r] = mem.read16(p + 8);
  }
  loadEnv(c, mem, a, i.opsize16);
  c.fpTag = tagSave;
  retag(c);
}

// ---- row handlers ----------------------------------------------------------------------------

const w = (fn: (c: Cpu, mem: Memory, i: Insn) => void): X87Handler => (c, mem, i) => {
  check(c, i);
  note(c, i, c.fpDp);
  fn(c, mem, i);
};

/** D8, DC, DA, DE memory forms. */
export const arithM: X87Handler = arithMem;
export const d8Reg: X87Handler = arithSt0;
export const dcReg: X87Handler = arithStiDC;
export const deReg: X87Handler = arithStiDE;

/** FLD/FILD/FBLD memory forms by kind (0 m32fp, 1 m64fp, 2 m80fp, 3 m16int, 4 m32int, 5 m64int, 6 bcd). */
export const loadM = (kind: number): X87Handler => (c, mem, i) => loadMem(c, mem, i, kind);
/** FST/FIST… memory forms (kinds: 0 m32fp 1 m64fp 2 m80fp 3/4/5 int16/32/64 6 bcd 7/8/9 fisttp 16/32/64). */
export const storeM = (kind: number, popAfter: boolean): X87Handler => (c, mem, i) =>
  storeMem(c, mem, i, kind, popAfter);

export const fldReg: X87Handler = w((c, _m, i) => fldSt(c, i));
export const fxchReg: X87Handler = w((c, _m, i) => fxch(c, i.rm));
export const fstReg = (popAfter: boolean, alias = false): X87Handler =>
  w((c, _m, i) => fstSt(c, i.rm, popAfter, alias));
export const fcmovReg: X87Handler = w((c, _m, i) => fcmov(c, i));
export const fucomReg = (pops: number): X87Handler => w((c, _m, i) => fcomReg(c, i.rm, true, pops));
export const fcomRegAlias = (pops: number): X87Handler =>
  w((c, _m, i) => fcomReg(c, i.rm, false, pops));
export const fucompp: X87Handler = (c, mem, i) => {
  if (i.rm !== 1) ud(c, mem, i);
  check(c, i);
  note(c, i, c.fpDp);
  fcomReg(c, 1, true, 2);
};
export const fcomiReg = (quiet: boolean, popAfter: boolean): X87Handler =>
  w((c, _m, i) => fcomi(c, i.rm, quiet, popAfter));
export const ffree = (popAfter: boolean): X87Handler => (c, _m, i) => {
  check(c, i);
  c.fpTag |= 3 << (2 * phys(c, i.rm));
  report(c, 0, C1);
  if (popAfter) pop(c);
};

/** D9 /2 (FNOP), /4 (FCHS FABS FTST FXAM), /5 (constants), /6, /7 register forms. */
export const d9Reg: X87Handler = (c, mem, i) => {
  const r = i.reg, s = i.rm;
  if (r === 2) {
    if (s !== 0) ud(c, mem, i);
    check(c, i);
    return;
  }
  if ((r === 4 && (s === 2 || s === 3 || s > 5)) || (r === 5 && s === 7)) ud(c, mem, i);
  check(c, i);
  note(c, i, c.fpDp);
  if (r === 4) {
    if (s === 0) unary(c, chsFn);
    else if (s === 1) unary(c, absFn);
    else if (s === 4) ftst(c);
    else fxam(c);
  } else if (r === 5) {
    if (s === 6) R.set(ZERO);
    else T.loadConstant(R, s, c.fpCw);
    push(c, R);
  } else if (r === 6) D9_6[s](c);
  else D9_7[s](c);
};

/** DB /4: FNCLEX, FNINIT; FENI/FDISI/FSETPM are no-ops on 387 and later. */
export const dbCtl: X87Handler = (c, mem, i) => {
  if (i.rm > 4) ud(c, mem, i);
  if (i.rm === 2) c.fpSw &= ~(EXC | SF | ES | B);
  else if (i.rm === 3) fninit(c);
};

export const fnstswAx: X87Handler = (c, mem, i) => {
  if (i.rm !== 0) ud(c, mem, i);
  c.regs[EAX] = (c.regs[EAX] & ~0xffff) | statusWord(c);
};
export const fnstswM: X87Handler = (c, mem, i) => mem.write16(ea(c, i), statusWord(c));
export const fnstcw: X87Handler = (c, mem, i) => mem.write16(ea(c, i), c.fpCw);
export const fldcw: X87Handler = (c, mem, i) => {
  c.fpCw = mem.read16(ea(c, i));
  syncSummary(c);
};
export const fnstenvM: X87Handler = fnstenv;
export const fldenvM: X87Handler = fldenv;
export const fnsaveM: X87Handler = fnsave;
export const frstorM: X87Handler = frstor;

/** WAIT/FWAIT: #MF if an unmasked exception is pending. */
export const fwait: X87Handler = (c, _m, i) => check(c, i);
