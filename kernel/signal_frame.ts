/**
 * @module The i386 signal frames as Linux builds them for a 32-bit task (arch/x86/ia32/ia32_signal.c
 * on our x86_64 oracle, the same layout as arch/x86/kernel/signal_32.c): rt_sigframe for
 * SA_SIGINFO, the old sigframe otherwise, the x87/SSE state below them (struct _fpstate_32 of a
 * CPU with FXSR and no XSAVE, arch/x86/kernel/fpu/signal.c), and their sigreturn.
 */
import { type Cpu, Flag, Mxcsr, Reg, Seg } from "../core/cpu.ts";
import { fxrstorImage, FXSAVE_SIZE, fxsaveImage } from "../core/fxsave.ts";
import type { Memory } from "../core/memory.ts";
import { SIGINFO_SIZE } from "./abi/signal.ts";
import type { SigInfo } from "./signals.ts";

/** struct sigcontext (asm/sigcontext.h, i386) byte offsets. */
export const SIGCONTEXT = {
  gs: 0,
  fs: 4,
  es: 8,
  ds: 12,
  edi: 16,
  esi: 20,
  ebp: 24,
  esp: 28,
  ebx: 32,
  edx: 36,
  ecx: 40,
  eax: 44,
  trapno: 48,
  err: 52,
  eip: 56,
  cs: 60,
  eflags: 64,
  sp_at_signal: 68,
  ss: 72,
  fpstate: 76,
  oldmask: 80,
  cr2: 84,
  size: 88,
} as const;

/** The kernel's struct ucontext (ia32): glibc's ucontext_t agrees up to uc_sigmask. */
export const UCONTEXT = {
  uc_flags: 0,
  uc_link: 4,
  uc_stack: 8,
  uc_mcontext: 20,
  uc_sigmask: 108,
  size: 116,
} as const;

/** siginfo_t field offsets (the union starts at 12). */
export const SIGINFO = {
  signo: 0,
  errno: 4,
  code: 8,
  pid: 12,
  uid: 16,
  value: 20,
  timerid: 12,
  overrun: 16,
  addr: 12,
  size: SIGINFO_SIZE,
} as const;

/** struct rt_sigframe_ia32 */
export const RT_SIGFRAME = {
  pretcode: 0,
  sig: 4,
  pinfo: 8,
  puc: 12,
  info: 16,
  uc: 16 + SIGINFO_SIZE,
  retcode: 16 + SIGINFO_SIZE + UCONTEXT.size,
  size: 16 + SIGINFO_SIZE + UCONTEXT.size + 8,
} as const;

/**
 * struct _fpstate_32 (asm/sigcontext.h) with FXSR: the fsave-format header (struct
 * user_i387_ia32_struct), status and magic, then the fxsave area (struct fxregs_state).
 */
export const FPSTATE = {
  cw: 0,
  sw: 4,
  tag: 8,
  ipoff: 12,
  cssel: 16,
  dataoff: 20,
  datasel: 24,
  /** _st[8], 10 bytes each, ST(0) first */
  st: 28,
  status: 108,
  magic: 110,
  /** the 512-byte fxsave image (sizeof(struct fregs_state) = 112) */
  fxsave: 112,
  /** fxsave's sw_reserved bytes (struct _fpx_sw_bytes), all zero without XSAVE */
  sw_reserved: 112 + 464,
  size: 112 + FXSAVE_SIZE,
} as const;

/** sizeof(struct _fpstate_32): the old frame keeps an unused one so extramask stays put. */
export const FPSTATE_32_SIZE = FPSTATE.size;
/** fpstate.magic of an FXSR frame (X86_FXSR_MAGIC); 0xffff would mean a plain fsave frame. */
export const X86_FXSR_MAGIC = 0x0000;

/** struct sigframe_ia32 */
export const SIGFRAME = {
  pretcode: 0,
  sig: 4,
  sc: 8,
  fpstate_unused: 8 + SIGCONTEXT.size,
  extramask: 8 + SIGCONTEXT.size + FPSTATE_32_SIZE,
  retcode: 12 + SIGCONTEXT.size + FPSTATE_32_SIZE,
  size: 20 + SIGCONTEXT.size + FPSTATE_32_SIZE,
} as const;

export const NR_SIGRETURN = 119;
export const NR_RT_SIGRETURN = 173;
/** popl %eax; movl $119, %eax; int $0x80 (gdb still looks for it) */
const OLD_RETCODE = [0x58, 0xb8, NR_SIGRETURN, 0, 0, 0, 0xcd, 0x80];
/** movl $173, %eax; int $0x80; pad */
const RT_RETCODE = [0xb8, NR_RT_SIGRETURN, 0, 0, 0, 0xcd, 0x80, 0];

/** User code selectors of a 32-bit task on x86_64 Linux (__USER32_CS, __USER32_DS). */
export const USER_CS = 0x23;
export const USER_DS = 0x2b;
/** EFLAGS.RF: set in the saved flags of a fault frame */
const FLAG_RF = 0x10000;
/** The EFLAGS bits sigreturn takes from the frame (Linux FIX_EFLAGS, RF aside). */
export const FIX_EFLAGS = Flag.AC | Flag.OF | Flag.DF | Flag.TF | Flag.SF | Flag.ZF | Flag.AF |
  Flag.PF | Flag.CF;

/** The last CPU exception of a thread, as sigcontext reports it (sticky, like thread.trap_nr). */
export interface TrapState {
  trapno: number;
  err: number;
  cr2: number;
}

/** uc_stack contents: the thread's sigaltstack. */
export interface StackT {
  sp: number;
  flags: number;
  size: number;
}

export interface FrameRequest {
  sig: number;
  info: SigInfo;
  /** SA_SIGINFO: rt_sigframe; otherwise the old sigframe */
  rt: boolean;
  handler: number;
  /** sa_restorer when SA_RESTORER is set, else 0 (then pretcode points at the retcode) */
  restorer: number;
  /** stack pointer to build below (after any switch to the alternate stack) */
  sp: number;
  /** the mask sigreturn restores */
  mask: bigint;
  stack: StackT;
  trap: TrapState;
  /** delivered for a CPU exception: the saved EFLAGS has RF set */
  fault: boolean;
}

/** Where the frame goes: below sp, aligned so that esp + 4 is 16-aligned at handler entry. */
export function frameAddress(sp: number, size: number): number {
  return ((((sp - size) >>> 0) + 4) & -16) - 4 >>> 0;
}

/**
 * Linux get_sigframe for an ia32 frame: the math frame first (fpu__alloc_mathframe: the fxsave
 * area 64-aligned below sp, the fsave header right below it), then the signal frame under it.
 */
export function frameLayout(sp: number, rt: boolean): { frame: number; fpstate: number } {
  const fpstate = ((((sp - FXSAVE_SIZE) >>> 0) & -64) - FPSTATE.fxsave) >>> 0;
  return { frame: frameAddress(fpstate, rt ? RT_SIGFRAME.size : SIGFRAME.size), fpstate };
}

/** siginfo_t bytes. */
export function encodeSiginfo(info: SigInfo): Uint8Array {
  const b = info.raw ? info.raw.slice(0, SIGINFO_SIZE) : new Uint8Array(SIGINFO_SIZE);
  const dv = new DataView(b.buffer);
  dv.setInt32(SIGINFO.signo, info.signo, true);
  if (info.raw) return b;
  dv.setInt32(SIGINFO.code, info.code, true);
  if (info.addr !== undefined) dv.setUint32(SIGINFO.addr, info.addr, true);
  if (info.pid !== undefined) {
    dv.setInt32(SIGINFO.pid, info.pid, true);
    dv.setInt32(SIGINFO.uid, 0, true);
  }
  if (info.timerid !== undefined) {
    dv.setInt32(SIGINFO.timerid, info.timerid, true);
    dv.setInt32(SIGINFO.overrun, info.overrun ?? 0, true);
  }
  if (info.value !== undefined) dv.setUint32(SIGINFO.value, info.value, true);
  return b;
}

function writeSigcontext(
  dv: DataView,
  at: number,
  cpu: Cpu,
  r: FrameRequest,
  fpstate: number,
): void {
  const put = (off: number, v: number) => dv.setUint32(at + off, v >>> 0, true);
  const g = cpu.regs;
  put(SIGCONTEXT.gs, cpu.seg[Seg.GS]);
  put(SIGCONTEXT.fs, cpu.seg[Seg.FS]);
  put(SIGCONTEXT.es, cpu.seg[Seg.ES]);
  put(SIGCONTEXT.ds, cpu.seg[Seg.DS]);
  put(SIGCONTEXT.edi, g[Reg.EDI]);
  put(SIGCONTEXT.esi, g[Reg.ESI]);
  put(SIGCONTEXT.ebp, g[Reg.EBP]);
  put(SIGCONTEXT.esp, g[Reg.ESP]);
  put(SIGCONTEXT.ebx, g[Reg.EBX]);
  put(SIGCONTEXT.edx, g[Reg.EDX]);
  put(SIGCONTEXT.ecx, g[Reg.ECX]);
  put(SIGCONTEXT.eax, g[Reg.EAX]);
  put(SIGCONTEXT.trapno, r.trap.trapno);
  put(SIGCONTEXT.err, r.trap.err);
  put(SIGCONTEXT.eip, cpu.eip);
  put(SIGCONTEXT.cs, cpu.seg[Seg.CS]);
  put(SIGCONTEXT.eflags, cpu.getEflags() | (r.fault ? FLAG_RF : 0));
  put(SIGCONTEXT.sp_at_signal, g[Reg.ESP]);
  put(SIGCONTEXT.ss, cpu.seg[Seg.SS]);
  put(SIGCONTEXT.fpstate, fpstate);
  put(SIGCONTEXT.oldmask, Number(r.mask & 0xffffffffn));
  put(SIGCONTEXT.cr2, r.trap.cr2);
}

/** The full x87 tag word from an fxsave image, as Linux twd_fxsr_to_i387 rebuilds it. */
function fullTag(fx: DataView): number {
  const top = (fx.getUint16(2, true) >> 11) & 7;
  const abridged = fx.getUint8(4);
  let tag = 0;
  for (let r = 0; r < 8; r++) {
    let t = 3;
    if (abridged & (1 << r)) {
      const st = 32 + 16 * ((r - top) & 7);
      const exp = fx.getUint16(st + 8, true) & 0x7fff;
      const lo = fx.getUint32(st, true), hi = fx.getUint32(st + 4, true);
      if (exp === 0x7fff) t = 2;
      else if (exp === 0) t = lo === 0 && hi === 0 ? 1 : 2;
      else t = hi & 0x80000000 ? 0 : 2;
    }
    tag |= t << (2 * r);
  }
  return tag;
}

/**
 * struct _fpstate_32 for `cpu` as a 64-bit kernel writes it for an ia32 task without XSAVE:
 * fxsaveq's image (FIP/FDP 64-bit, so no FCS/FDS), and the fsave header convert_from_fxsr derives
 * from it (cssel = the user CS, datasel = DS | 0xffff0000, no FOP).
 */
export function encodeFpstate(cpu: Cpu): Uint8Array {
  const b = new Uint8Array(FPSTATE.size);
  const dv = new DataView(b.buffer);
  const image = fxsaveImage(cpu);
  image.fill(0, 12, 16); // upper half of the 64-bit FIP
  image.fill(0, 20, 24); // upper half of the 64-bit FDP
  image.fill(0, 288, FXSAVE_SIZE); // XMM8-15 (none in compat mode), reserved, sw_reserved
  b.set(image, FPSTATE.fxsave);
  const fx = new DataView(b.buffer, FPSTATE.fxsave, FXSAVE_SIZE);
  dv.setUint32(FPSTATE.cw, (fx.getUint16(0, true) | 0xffff0000) >>> 0, true);
  dv.setUint32(FPSTATE.sw, (fx.getUint16(2, true) | 0xffff0000) >>> 0, true);
  dv.setUint32(FPSTATE.tag, (fullTag(fx) | 0xffff0000) >>> 0, true);
  dv.setUint32(FPSTATE.ipoff, fx.getUint32(8, true), true);
  dv.setUint32(FPSTATE.cssel, cpu.seg[Seg.CS], true);
  dv.setUint32(FPSTATE.dataoff, fx.getUint32(16, true), true);
  dv.setUint32(FPSTATE.datasel, (cpu.seg[Seg.DS] | 0xffff0000) >>> 0, true);
  for (let i = 0; i < 8; i++) {
    b.copyWithin(FPSTATE.st + 10 * i, FPSTATE.fxsave + 32 + 16 * i, FPSTATE.fxsave + 42 + 16 * i);
  }
  dv.setUint16(FPSTATE.status, fx.getUint16(2, true), true);
  dv.setUint16(FPSTATE.magic, X86_FXSR_MAGIC, true);
  return b;
}

const INIT_FXSAVE = new Uint8Array(FXSAVE_SIZE);
new DataView(INIT_FXSAVE.buffer).setUint16(0, 0x037f, true);
new DataView(INIT_FXSAVE.buffer).setUint32(24, Mxcsr.DEFAULT, true);

/** Linux fpu__clear_user_states: the init FPU state (fninit, MXCSR 0x1f80, XMM zero). */
export function resetFpu(cpu: Cpu): void {
  fxrstorImage(cpu, INIT_FXSAVE);
}

/**
 * Loads a saved _fpstate_32 as Linux __fpu_restore_sig does for an ia32 frame: the x87 part comes
 * from the fsave header (convert_to_fxsr), MXCSR and XMM from the fxsave area. False (FPU reset
 * to its init state) when unreadable or when MXCSR has reserved bits set.
 */
export function restoreFpstate(mem: Memory, cpu: Cpu, fpstate: number): boolean {
  if (fpstate === 0) {
    resetFpu(cpu);
    return true;
  }
  if (!mem.check(fpstate, FPSTATE.size, 1)) {
    resetFpu(cpu);
    return false;
  }
  const b = mem.readBytes(fpstate, FPSTATE.size);
  const dv = new DataView(b.buffer);
  const fx = b.slice(FPSTATE.fxsave, FPSTATE.size);
  const fdv = new DataView(fx.buffer);
  fdv.setUint16(0, dv.getUint16(FPSTATE.cw, true), true);
  fdv.setUint16(2, dv.getUint16(FPSTATE.sw, true), true);
  let abridged = 0;
  const tag = dv.getUint16(FPSTATE.tag, true);
  for (let r = 0; r < 8; r++) if (((tag >> (2 * r)) & 3) !== 3) abridged |= 1 << r;
  fdv.setUint16(4, abridged, true);
  fdv.setUint16(6, dv.getUint32(FPSTATE.cssel, true) >>> 16, true);
  fdv.setUint32(8, dv.getUint32(FPSTATE.ipoff, true), true);
  fdv.setUint32(12, 0, true);
  fdv.setUint32(16, dv.getUint32(FPSTATE.dataoff, true), true);
  fdv.setUint32(20, 0, true);
  for (let i = 0; i < 8; i++) {
    fx.set(b.subarray(FPSTATE.st + 10 * i, FPSTATE.st + 10 * i + 10), 32 + 16 * i);
  }
  if (!fxrstorImage(cpu, fx)) {
    resetFpu(cpu);
    return false;
  }
  return true;
}

/**
 * Builds the frame and the FPU state below it, then points the CPU at the handler as Linux does
 * (esp = frame, eax = sig, edx/ecx = &info/&uc for -mregparm=3, DS/ES reloaded, DF and TF
 * cleared, a fresh FPU state). Returns false when the frame is not writable (the caller forces
 * SIGSEGV).
 */
export function setupFrame(mem: Memory, cpu: Cpu, r: FrameRequest): boolean {
  const size = r.rt ? RT_SIGFRAME.size : SIGFRAME.size;
  const { frame, fpstate } = frameLayout(r.sp, r.rt);
  // the math frame is written first (copy_fpstate_to_sigframe inside get_sigframe)
  if (!mem.check(fpstate, FPSTATE.size, 2)) return false;
  mem.writeBytes(fpstate, encodeFpstate(cpu));
  if (!mem.check(frame, size, 2)) return false;
  const b = new Uint8Array(size);
  const dv = new DataView(b.buffer);
  const retcode = frame + (r.rt ? RT_SIGFRAME.retcode : SIGFRAME.retcode);
  dv.setUint32(0, r.restorer !== 0 ? r.restorer : retcode, true);
  dv.setInt32(4, r.sig, true);
  if (r.rt) {
    dv.setUint32(RT_SIGFRAME.pinfo, frame + RT_SIGFRAME.info, true);
    dv.setUint32(RT_SIGFRAME.puc, frame + RT_SIGFRAME.uc, true);
    b.set(encodeSiginfo(r.info), RT_SIGFRAME.info);
    const uc = RT_SIGFRAME.uc;
    dv.setUint32(uc + UCONTEXT.uc_flags, 0, true); // no XSAVE: not UC_FP_XSTATE
    dv.setUint32(uc + UCONTEXT.uc_link, 0, true);
    dv.setUint32(uc + UCONTEXT.uc_stack, r.stack.sp, true);
    dv.setUint32(uc + UCONTEXT.uc_stack + 4, r.stack.flags, true);
    dv.setUint32(uc + UCONTEXT.uc_stack + 8, r.stack.size, true);
    writeSigcontext(dv, uc + UCONTEXT.uc_mcontext, cpu, r, fpstate);
    dv.setBigUint64(uc + UCONTEXT.uc_sigmask, r.mask, true);
    b.set(RT_RETCODE, RT_SIGFRAME.retcode);
  } else {
    writeSigcontext(dv, SIGFRAME.sc, cpu, r, fpstate);
    dv.setUint32(SIGFRAME.extramask, Number(r.mask >> 32n), true);
    b.set(OLD_RETCODE, SIGFRAME.retcode);
  }
  mem.writeBytes(frame, b);
  const g = cpu.regs;
  g[Reg.ESP] = frame;
  g[Reg.EAX] = r.sig;
  g[Reg.EDX] = r.rt ? frame + RT_SIGFRAME.info : 0;
  g[Reg.ECX] = r.rt ? frame + RT_SIGFRAME.uc : 0;
  cpu.eip = r.handler >>> 0;
  cpu.loadSegment(Seg.DS, USER_DS);
  cpu.loadSegment(Seg.ES, USER_DS);
  cpu.setEflags(cpu.getEflags() & ~(Flag.DF | Flag.TF));
  resetFpu(cpu);
  return true;
}

/** What sigreturn read besides the registers. */
export interface Restored {
  mask: bigint;
  /** uc_stack (rt_sigreturn only): re-applied as sigaltstack, errors ignored */
  stack?: StackT;
  /**
   * False when the registers were restored but the FPU state was bad (Linux: the mask is set,
   * the FPU reset, and the thread gets SIGSEGV); uc_stack is then not applied.
   */
  fpuOk: boolean;
}

function readSigcontext(dv: DataView, at: number, cpu: Cpu): boolean {
  const get = (off: number) => dv.getUint32(at + off, true);
  const cs = get(SIGCONTEXT.cs) | 3, ss = get(SIGCONTEXT.ss) | 3;
  // only the flat user segments exist; another CS/SS would fault on the way back to user mode
  if ((cs & 0xffff) !== USER_CS || (ss & 0xffff) !== USER_DS) return false;
  for (const [sreg, off] of [[Seg.GS, 0], [Seg.FS, 4], [Seg.DS, 12], [Seg.ES, 8]]) {
    if (!cpu.loadSegment(sreg, get(off) & 0xffff)) return false;
  }
  const g = cpu.regs;
  g[Reg.EDI] = get(SIGCONTEXT.edi);
  g[Reg.ESI] = get(SIGCONTEXT.esi);
  g[Reg.EBP] = get(SIGCONTEXT.ebp);
  g[Reg.ESP] = get(SIGCONTEXT.esp);
  g[Reg.EBX] = get(SIGCONTEXT.ebx);
  g[Reg.EDX] = get(SIGCONTEXT.edx);
  g[Reg.ECX] = get(SIGCONTEXT.ecx);
  g[Reg.EAX] = get(SIGCONTEXT.eax);
  cpu.eip = get(SIGCONTEXT.eip);
  const saved = get(SIGCONTEXT.eflags);
  cpu.setEflags((cpu.getEflags() & ~FIX_EFLAGS) | (saved & FIX_EFLAGS));
  return true;
}

/**
 * sigreturn (rt = false: the frame is at esp - 8, pretcode and sig popped) or rt_sigreturn (at
 * esp - 4). Restores the registers; null when the frame is unreadable or bad (→ SIGSEGV).
 */
export function restoreFrame(mem: Memory, cpu: Cpu, rt: boolean): Restored | null {
  const sp = cpu.regs[Reg.ESP] >>> 0;
  const frame = (sp - (rt ? 4 : 8)) >>> 0;
  const size = rt ? RT_SIGFRAME.size : SIGFRAME.size;
  if (!mem.check(frame, size, 1)) return null;
  const dv = new DataView(mem.readBytes(frame, size).slice().buffer);
  if (rt) {
    const uc = RT_SIGFRAME.uc;
    const mask = dv.getBigUint64(uc + UCONTEXT.uc_sigmask, true);
    const sc = uc + UCONTEXT.uc_mcontext;
    if (!readSigcontext(dv, sc, cpu)) return null;
    const fpuOk = restoreFpstate(mem, cpu, dv.getUint32(sc + SIGCONTEXT.fpstate, true));
    const st = uc + UCONTEXT.uc_stack;
    const stack = {
      sp: dv.getUint32(st, true),
      flags: dv.getUint32(st + 4, true),
      size: dv.getUint32(st + 8, true),
    };
    return fpuOk ? { mask, stack, fpuOk } : { mask, fpuOk };
  }
  const low = BigInt(dv.getUint32(SIGFRAME.sc + SIGCONTEXT.oldmask, true));
  const high = BigInt(dv.getUint32(SIGFRAME.extramask, true));
  if (!readSigcontext(dv, SIGFRAME.sc, cpu)) return null;
  const fpuOk = restoreFpstate(mem, cpu, dv.getUint32(SIGFRAME.sc + SIGCONTEXT.fpstate, true));
  return { mask: (high << 32n) | low, fpuOk };
}
