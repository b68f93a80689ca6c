/** @module String instructions MOVS CMPS SCAS LODS STOS with REP/REPE/REPNE, DF, and 16-bit addressing. */
import type { Cpu } from "../cpu.ts";
import type { Insn } from "../decode.ts";
import { LazyOp, MASK, setLazy } from "../flags.ts";
import type { Memory } from "../memory.ts";
import { EAX, ECX, EDI, ESI, getReg, readMem, SEG_ES, setReg, writeMem } from "./_operands.ts";

const DF = 0x400;

function step(cpu: Cpu, size: number): number {
  return cpu.flagsMisc & DF ? -size : size;
}

/** Advances an index register by d, honouring the address size. */
function adv(cpu: Cpu, r: number, d: number, asize: number): void {
  const regs = cpu.regs;
  if (asize === 4) regs[r] = regs[r] + d;
  else regs[r] = (regs[r] & ~0xffff) | ((regs[r] + d) & 0xffff);
}

function idx(cpu: Cpu, r: number, asize: number): number {
  return asize === 4 ? cpu.regs[r] : cpu.regs[r] & 0xffff;
}

function count(cpu: Cpu, asize: number): number {
  return asize === 4 ? cpu.regs[ECX] >>> 0 : cpu.regs[ECX] & 0xffff;
}

function setCount(cpu: Cpu, asize: number, n: number): void {
  if (asize === 4) cpu.regs[ECX] = n;
  else setReg(cpu, 2, ECX, n);
}

export function movs(cpu: Cpu, mem: Memory, i: Insn): void {
  const size = i.size, as = i.asize, d = step(cpu, size);
  const sb = cpu.segBase[i.seg], db = cpu.segBase[SEG_ES];
  if (i.rep === 0) {
    writeMem(mem, size, idx(cpu, EDI, as) + db, readMem(mem, size, idx(cpu, ESI, as) + sb));
    adv(cpu, ESI, d, as);
    adv(cpu, EDI, d, as);
    return;
  }
  let n = count(cpu, as);
  if (as === 4 && d > 0 && n > 16) n = bulkMovs(cpu, mem, size, n, sb, db);
  while (n !== 0) {
    writeMem(mem, size, idx(cpu, EDI, as) + db, readMem(mem, size, idx(cpu, ESI, as) + sb));
    adv(cpu, ESI, d, as);
    adv(cpu, EDI, d, as);
    setCount(cpu, as, --n);
  }
}

/** Forward REP MOVS as page-chunk copies; returns the count left for the element loop. */
function bulkMovs(cpu: Cpu, mem: Memory, size: number, n: number, sb: number, db: number): number {
  const regs = cpu.regs;
  while (n > 0) {
    const s = (regs[ESI] + sb) >>> 0, t = (regs[EDI] + db) >>> 0;
    const so = s & 0xfff, to = t & 0xfff;
    const bytes = Math.min(n * size, 4096 - so, 4096 - to);
    const elems = Math.floor(bytes / size);
    if (elems === 0) break;
    const sp = mem.r[s >>> 12], tp = mem.w[t >>> 12];
    if (sp === undefined || tp === undefined) break;
    const len = elems * size;
    if (sp === tp) {
      if (t > s && t < s + len) break; // overlapping forward copy replicates: leave it to the loop
      tp.copyWithin(to, so, so + len);
    } else tp.set(sp.subarray(so, so + len), to);
    regs[ESI] += len;
    regs[EDI] += len;
    n -= elems;
    regs[ECX] = n;
  }
  return n;
}

export function stos(cpu: Cpu, mem: Memory, i: Insn): void {
  const size = i.size, as = i.asize, d = step(cpu, size);
  const db = cpu.segBase[SEG_ES];
  const v = getReg(cpu, size, EAX);
  if (i.rep === 0) {
    writeMem(mem, size, idx(cpu, EDI, as) + db, v);
    adv(cpu, EDI, d, as);
    return;
  }
  let n = count(cpu, as);
  if (as === 4 && d > 0 && n > 16) n = bulkStos(cpu, mem, size, n, db, v);
  while (n !== 0) {
    writeMem(mem, size, idx(cpu, EDI, as) + db, v);
    adv(cpu, EDI, d, as);
    setCount(cpu, as, --n);
  }
}

function bulkStos(cpu: Cpu, mem: Memory, size: number, n: number, db: number, v: number): number {
  const regs = cpu.regs;
  const uniform = size === 1 || (size === 2 ? (v & 0xff) === (v >>> 8) : v === 0 || v === -1 ||
    ((v & 0xff) * 0x01010101 >>> 0) === (v >>> 0));
  while (n > 0) {
    const t = (regs[EDI] + db) >>> 0;
    const to = t & 0xfff;
    const elems = Math.floor(Math.min(n * size, 4096 - to) / size);
    if (elems === 0) break;
    const tp = mem.w[t >>> 12];
    if (tp === undefined) break;
    const len = elems * size;
    if (uniform) tp.fill(v & 0xff, to, to + len);
    else {
      for (let k = 0; k < len; k += size) {
        tp[to + k] = v;
        tp[to + k + 1] = v >> 8;
        if (size === 4) {
          tp[to + k + 2] = v >> 16;
          tp[to + k + 3] = v >> 24;
        }
      }
    }
    regs[EDI] += len;
    n -= elems;
    regs[ECX] = n;
  }
  return n;
}

export function lods(cpu: Cpu, mem: Memory, i: Insn): void {
  const size = i.size, as = i.asize, d = step(cpu, size);
  const sb = cpu.segBase[i.seg];
  if (i.rep === 0) {
    setReg(cpu, size, EAX, readMem(mem, size, idx(cpu, ESI, as) + sb));
    adv(cpu, ESI, d, as);
    return;
  }
  let n = count(cpu, as);
  while (n !== 0) {
    setReg(cpu, size, EAX, readMem(mem, size, idx(cpu, ESI, as) + sb));
    adv(cpu, ESI, d, as);
    setCount(cpu, as, --n);
  }
}

export function cmps(cpu: Cpu, mem: Memory, i: Insn): void {
  const size = i.size, as = i.asize, d = step(cpu, size), m = MASK[size];
  const sb = cpu.segBase[i.seg], db = cpu.segBase[SEG_ES];
  let n = i.rep === 0 ? 1 : count(cpu, as);
  while (n !== 0) {
    const a = readMem(mem, size, idx(cpu, ESI, as) + sb);
    const b = readMem(mem, size, idx(cpu, EDI, as) + db);
    adv(cpu, ESI, d, as);
    adv(cpu, EDI, d, as);
    setLazy(cpu, LazyOp.SUB, size, a, b, ((a - b) & m) >>> 0);
    if (i.rep === 0) return;
    setCount(cpu, as, --n);
    if ((a === b) !== (i.rep === 1)) return;
  }
}

export function scas(cpu: Cpu, mem: Memory, i: Insn): void {
  const size = i.size, as = i.asize, d = step(cpu, size), m = MASK[size];
  const db = cpu.segBase[SEG_ES];
  const a = getReg(cpu, size, EAX);
  let n = i.rep === 0 ? 1 : count(cpu, as);
  while (n !== 0) {
    const b = readMem(mem, size, idx(cpu, EDI, as) + db);
    adv(cpu, EDI, d, as);
    setLazy(cpu, LazyOp.SUB, size, a, b, ((a - b) & m) >>> 0);
    if (i.rep === 0) return;
    setCount(cpu, as, --n);
    if ((a === b) !== (i.rep === 1)) return;
  }
}
