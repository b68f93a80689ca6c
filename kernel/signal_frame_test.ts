import assert from "node:assert/strict";
import { Cpu, Flag, Reg, Seg } from "../core/cpu.ts";
import { Memory, Prot } from "../core/memory.ts";
import {
  encodeSiginfo,
  FPSTATE,
  FPSTATE_32_SIZE,
  frameAddress,
  frameLayout,
  type FrameRequest,
  restoreFrame,
  RT_SIGFRAME,
  setupFrame,
  SIGCONTEXT,
  SIGFRAME,
  SIGINFO,
  UCONTEXT,
} from "./signal_frame.ts";

/** Printed by kernel/testdata/signal_layout.c built with gcc -m32 (glibc, Linux 6.x headers). */
const NATIVE: Record<string, number> = {
  "sigcontext.size": 88,
  "sigcontext.gs": 0,
  "sigcontext.fs": 4,
  "sigcontext.es": 8,
  "sigcontext.ds": 12,
  "sigcontext.edi": 16,
  "sigcontext.esi": 20,
  "sigcontext.ebp": 24,
  "sigcontext.esp": 28,
  "sigcontext.ebx": 32,
  "sigcontext.edx": 36,
  "sigcontext.ecx": 40,
  "sigcontext.eax": 44,
  "sigcontext.trapno": 48,
  "sigcontext.err": 52,
  "sigcontext.eip": 56,
  "sigcontext.cs": 60,
  "sigcontext.eflags": 64,
  "sigcontext.sp_at_signal": 68,
  "sigcontext.ss": 72,
  "sigcontext.fpstate": 76,
  "sigcontext.oldmask": 80,
  "sigcontext.cr2": 84,
  "fpstate32.size": 624,
  "ucontext.uc_flags": 0,
  "ucontext.uc_link": 4,
  "ucontext.uc_stack": 8,
  "ucontext.uc_mcontext": 20,
  "ucontext.uc_sigmask": 108,
  "stack.ss_sp": 0,
  "stack.ss_flags": 4,
  "stack.ss_size": 8,
  "stack.size": 12,
  "mcontext.gregs.gs": 0,
  "mcontext.gregs.eip": 56,
  "mcontext.gregs.uesp": 68,
  "mcontext.gregs.ss": 72,
  "mcontext.fpregs": 76,
  "mcontext.oldmask": 80,
  "mcontext.cr2": 84,
  "siginfo.size": 128,
  "siginfo.si_signo": 0,
  "siginfo.si_errno": 4,
  "siginfo.si_code": 8,
  "siginfo.si_pid": 12,
  "siginfo.si_uid": 16,
  "siginfo.si_value": 20,
  "siginfo.si_timerid": 12,
  "siginfo.si_overrun": 16,
  "siginfo.si_status": 20,
  "siginfo.si_utime": 24,
  "siginfo.si_addr": 12,
  "siginfo.si_addr_lsb": 16,
  "siginfo.si_band": 12,
  "siginfo.si_fd": 16,
  "end": 0,
};

/** Our constants under the native names. */
function ours(): Record<string, number> {
  const o: Record<string, number> = {};
  for (const [k, v] of Object.entries(SIGCONTEXT)) o[`sigcontext.${k}`] = v;
  o["fpstate32.size"] = FPSTATE_32_SIZE;
  for (const [k, v] of Object.entries(UCONTEXT)) if (k !== "size") o[`ucontext.${k}`] = v;
  o["siginfo.size"] = SIGINFO.size;
  o["siginfo.si_signo"] = SIGINFO.signo;
  o["siginfo.si_errno"] = SIGINFO.errno;
  o["siginfo.si_code"] = SIGINFO.code;
  o["siginfo.si_pid"] = SIGINFO.pid;
  o["siginfo.si_uid"] = SIGINFO.uid;
  o["siginfo.si_value"] = SIGINFO.value;
  o["siginfo.si_timerid"] = SIGINFO.timerid;
  o["siginfo.si_overrun"] = SIGINFO.overrun;
  o["siginfo.si_addr"] = SIGINFO.addr;
  o["mcontext.gregs.eip"] = SIGCONTEXT.eip;
  o["mcontext.gregs.uesp"] = SIGCONTEXT.sp_at_signal;
  o["mcontext.fpregs"] = SIGCONTEXT.fpstate;
  return o;
}

Deno.test("signal structure offsets match the gcc -m32 snapshot", () => {
  for (const [k, v] of Object.entries(ours())) assert.equal(v, NATIVE[k], k);
  // the frames are built from those pieces as in ia32_signal.c
  assert.deepEqual(
    [RT_SIGFRAME.pinfo, RT_SIGFRAME.puc, RT_SIGFRAME.info, RT_SIGFRAME.uc, RT_SIGFRAME.size],
    [8, 12, 16, 144, 268],
  );
  assert.deepEqual([SIGFRAME.sc, SIGFRAME.extramask, SIGFRAME.retcode, SIGFRAME.size], [
    8,
    720,
    724,
    732,
  ]);
});

Deno.test({
  name: "signal structure snapshot matches a fresh gcc -m32 build",
  ignore: !hasGcc32(),
  fn() {
    const dir = Deno.makeTempDirSync();
    try {
      const src = new URL("./testdata/signal_layout.c", import.meta.url).pathname;
      const exe = `${dir}/layout`;
      const cc = new Deno.Command("gcc", { args: ["-m32", "-o", exe, src] }).outputSync();
      assert.ok(cc.success, new TextDecoder().decode(cc.stderr));
      const out = new Deno.Command(exe).outputSync();
      assert.deepEqual(JSON.parse(new TextDecoder().decode(out.stdout)), NATIVE);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});

function hasGcc32(): boolean {
  try {
    return new Deno.Command("gcc", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

const STACK = 0x40000000;

function setup(): { mem: Memory; cpu: Cpu } {
  const mem = new Memory();
  mem.map(STACK, 0x4000, Prot.READ | Prot.WRITE);
  const cpu = new Cpu();
  const regs = [0x11111111, 0x22222222, 0x33333333, 0x44444444, STACK + 0x3000, 0x66, 0x77, 0x88];
  regs.forEach((v, i) => cpu.regs[i] = v);
  cpu.eip = 0x08049123;
  cpu.setEflags(Flag.CF | Flag.ZF | Flag.DF | Flag.IF);
  cpu.gdt[12] = {
    base: 0x1000,
    limit: 0xfffff,
    limitInPages: true,
    seg32bit: true,
    contents: 0,
    readExecOnly: false,
    segNotPresent: false,
    useable: true,
  };
  assert.ok(cpu.loadSegment(Seg.GS, 0x63));
  return { mem, cpu };
}

function request(over: Partial<FrameRequest>): FrameRequest {
  return {
    sig: 10,
    info: { signo: 10, code: -6, pid: 1000 },
    rt: true,
    handler: 0x08049500,
    restorer: 0x08049600,
    sp: STACK + 0x3000,
    mask: (1n << 34n) | (1n << 2n),
    stack: { sp: 0, flags: 0, size: 0 },
    trap: { trapno: 14, err: 6, cr2: 0 },
    fault: false,
    ...over,
  };
}

Deno.test("frameAddress leaves esp + 4 16-aligned below the frame", () => {
  for (const sp of [0xbffff000, 0xbfffefff, 0xbfffeff3]) {
    const f = frameAddress(sp, RT_SIGFRAME.size);
    assert.equal((f + 4) % 16, 0);
    assert.ok(f + RT_SIGFRAME.size <= sp && sp - (f + RT_SIGFRAME.size) < 16);
  }
});

Deno.test("setupFrame builds an rt_sigframe and points the CPU at the handler", () => {
  const { mem, cpu } = setup();
  assert.ok(setupFrame(mem, cpu, request({})));
  const f = cpu.regs[Reg.ESP] >>> 0;
  assert.equal((f + 4) % 16, 0);
  assert.equal(mem.read32(f), 0x08049600); // pretcode = sa_restorer
  assert.equal(mem.read32(f + 4), 10);
  assert.equal(mem.read32(f + 8), f + 16);
  assert.equal(mem.read32(f + 12), f + 144);
  assert.equal(mem.read32(f + 16 + SIGINFO.code) | 0, -6);
  assert.equal(mem.read32(f + 16 + SIGINFO.pid), 1000);
  const sc = f + 144 + UCONTEXT.uc_mcontext;
  assert.equal(mem.read32(sc + SIGCONTEXT.gs), 0x63);
  assert.equal(mem.read32(sc + SIGCONTEXT.cs), 0x23);
  assert.equal(mem.read32(sc + SIGCONTEXT.ss), 0x2b);
  assert.equal(mem.read32(sc + SIGCONTEXT.eax), 0x11111111);
  assert.equal(mem.read32(sc + SIGCONTEXT.esp), STACK + 0x3000);
  assert.equal(mem.read32(sc + SIGCONTEXT.eip), 0x08049123);
  assert.equal(mem.read32(sc + SIGCONTEXT.trapno), 14);
  const { fpstate } = frameLayout(STACK + 0x3000, true);
  assert.equal(mem.read32(sc + SIGCONTEXT.fpstate), fpstate);
  assert.ok(f + RT_SIGFRAME.size <= fpstate && (fpstate + FPSTATE.fxsave) % 64 === 0);
  assert.equal(mem.read32(sc + SIGCONTEXT.oldmask), 4);
  assert.equal(mem.read32(f + 144 + UCONTEXT.uc_sigmask + 4), 4);
  // movl $173, %eax; int $0x80
  assert.deepEqual([...mem.readBytes(f + 260, 8)], [0xb8, 0xad, 0, 0, 0, 0xcd, 0x80, 0]);
  assert.equal(cpu.eip, 0x08049500);
  assert.equal(cpu.regs[Reg.EAX], 10);
  assert.equal(cpu.regs[Reg.EDX], f + 16);
  assert.equal(cpu.regs[Reg.ECX], f + 144);
  assert.equal(cpu.getEflags() & Flag.DF, 0);
});

Deno.test("setupFrame builds the old sigframe with extramask and the popl retcode", () => {
  const { mem, cpu } = setup();
  assert.ok(setupFrame(mem, cpu, request({ rt: false, restorer: 0 })));
  const f = cpu.regs[Reg.ESP] >>> 0;
  assert.equal(mem.read32(f), f + SIGFRAME.retcode); // no SA_RESTORER: the retcode itself
  assert.equal(mem.read32(f + 8 + SIGCONTEXT.oldmask), 4);
  assert.equal(mem.read32(f + SIGFRAME.extramask), 4);
  assert.deepEqual([...mem.readBytes(f + 724, 8)], [0x58, 0xb8, 119, 0, 0, 0, 0xcd, 0x80]);
  assert.equal(cpu.regs[Reg.EDX], 0);
  assert.equal(cpu.regs[Reg.ECX], 0);
});

Deno.test("setupFrame refuses an unwritable stack", () => {
  const { mem, cpu } = setup();
  assert.equal(setupFrame(mem, cpu, request({ sp: 0x1000 })), false);
  assert.equal(cpu.eip, 0x08049123);
});

for (const rt of [true, false]) {
  Deno.test(`restoreFrame restores registers, flags and mask (${rt ? "rt_" : ""}sigreturn)`, () => {
    const { mem, cpu } = setup();
    const before = { regs: [...cpu.regs], eip: cpu.eip, flags: cpu.getEflags() };
    assert.ok(setupFrame(mem, cpu, request({ rt })));
    // the handler clobbers registers, then returns into the restorer (ret pops pretcode;
    // the old restorer also pops sig)
    cpu.regs.fill(0x5a5a5a5a);
    cpu.regs[Reg.ESP] = frameLayout(STACK + 0x3000, rt).frame + (rt ? 4 : 8);
    cpu.setEflags(Flag.SF | Flag.OF);
    const r = restoreFrame(mem, cpu, rt);
    assert.ok(r);
    assert.deepEqual([...cpu.regs], before.regs);
    assert.equal(cpu.eip, before.eip);
    assert.equal(cpu.getEflags(), before.flags);
    assert.equal(r.mask, (1n << 34n) | (1n << 2n));
    assert.equal(r.stack !== undefined, rt);
    assert.ok(r.fpuOk);
  });
}

/** An FPU state to save: x87 stack 1.0, 0.0 (TOP 6), CW 0x27f, MXCSR 0x3f80, XMM0/1 patterns. */
function loadFpu(cpu: Cpu): void {
  cpu.fpCw = 0x027f;
  cpu.fpTop = 6;
  cpu.fpTag = 0x1fff; // R7 valid, R6 zero
  cpu.fpSig[14] = 0;
  cpu.fpSig[15] = 0x80000000;
  cpu.fpExp[7] = 0x3fff;
  cpu.mxcsr = 0x3f80;
  cpu.fpIp = 0x08049abc;
  cpu.fpFop = 0x1ee;
  for (let i = 0; i < 32; i++) cpu.xmm[i] = i + 1;
}

Deno.test("setupFrame saves the FPU as _fpstate_32 and starts the handler with the init state", () => {
  const { mem, cpu } = setup();
  loadFpu(cpu);
  assert.ok(setupFrame(mem, cpu, request({})));
  const fp = frameLayout(STACK + 0x3000, true).fpstate;
  const u32 = (o: number) => mem.read32(fp + o) >>> 0;
  assert.equal(u32(FPSTATE.cw), 0xffff027f);
  assert.equal(u32(FPSTATE.sw), 0xffff3000);
  assert.equal(u32(FPSTATE.tag), 0xffff1fff);
  assert.equal(u32(FPSTATE.ipoff), 0x08049abc);
  assert.equal(u32(FPSTATE.cssel), 0x23); // the user CS, no FOP (64-bit kernel)
  assert.equal(u32(FPSTATE.datasel), 0xffff002b);
  assert.deepEqual([...mem.readBytes(fp + FPSTATE.st + 10, 10)], [
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0x80,
    0xff,
    0x3f,
  ]);
  assert.equal(mem.read16(fp + FPSTATE.status), 0x3000);
  assert.equal(mem.read16(fp + FPSTATE.magic), 0);
  const fx = fp + FPSTATE.fxsave;
  assert.equal(mem.read16(fx), 0x027f);
  assert.equal(mem.read8(fx + 4), 0xc0); // abridged tag: R6, R7
  assert.equal(mem.read16(fx + 6), 0x1ee);
  assert.equal(mem.read32(fx + 24), 0x3f80);
  assert.equal(mem.read8(fx + 160), 1);
  assert.equal(mem.read8(fx + 191), 32);
  assert.deepEqual([...mem.readBytes(fx + 464, 48)], Array(48).fill(0)); // no XSAVE sw bytes
  // the handler's FPU: fninit, MXCSR default, XMM zero
  assert.deepEqual([cpu.fpCw, cpu.fpTop, cpu.fpTag, cpu.mxcsr], [0x037f, 0, 0xffff, 0x1f80]);
  assert.equal(cpu.xmm.every((b) => b === 0), true);
});

Deno.test("restoreFrame takes x87 from the fsave header and MXCSR/XMM from the fxsave area", () => {
  const { mem, cpu } = setup();
  loadFpu(cpu);
  assert.ok(setupFrame(mem, cpu, request({ rt: false })));
  const { frame, fpstate } = frameLayout(STACK + 0x3000, false);
  mem.write32(fpstate + FPSTATE.st + 8, 0x4000); // header ST(0): 0.0 → 2.0
  mem.write32(fpstate + FPSTATE.st + 4, 0x80000000);
  mem.write32(fpstate + FPSTATE.fxsave + 24, 0x5f80);
  cpu.regs[Reg.ESP] = frame + 8;
  const r = restoreFrame(mem, cpu, false);
  assert.ok(r?.fpuOk);
  assert.deepEqual([cpu.fpCw, cpu.fpTop, cpu.fpTag, cpu.mxcsr], [0x027f, 6, 0x0fff, 0x5f80]);
  assert.deepEqual([cpu.fpExp[6], cpu.fpSig[13]], [0x4000, 0x80000000]);
  assert.equal(cpu.fpFop, 0); // cssel holds no FOP
  assert.equal(cpu.xmm[31], 32);
});

Deno.test("restoreFrame resets the FPU for a NULL fpstate and fails on reserved MXCSR bits", () => {
  const { mem, cpu } = setup();
  loadFpu(cpu);
  assert.ok(setupFrame(mem, cpu, request({})));
  const { frame, fpstate } = frameLayout(STACK + 0x3000, true);
  const sc = frame + RT_SIGFRAME.uc + UCONTEXT.uc_mcontext;
  mem.write32(fpstate + FPSTATE.fxsave + 24, 0x11f80);
  cpu.mxcsr = 0x7f80;
  cpu.regs[Reg.ESP] = frame + 4;
  const bad = restoreFrame(mem, cpu, true);
  assert.ok(bad !== null && !bad.fpuOk && bad.stack === undefined);
  assert.equal(cpu.eip, 0x08049123); // the registers are back all the same
  assert.equal(cpu.mxcsr, 0x1f80);
  loadFpu(cpu);
  assert.ok(setupFrame(mem, cpu, request({})));
  mem.write32(sc + SIGCONTEXT.fpstate, 0);
  cpu.mxcsr = 0x7f80;
  cpu.regs[Reg.ESP] = frame + 4;
  assert.ok(restoreFrame(mem, cpu, true)?.fpuOk);
  assert.deepEqual([cpu.fpCw, cpu.fpTag, cpu.mxcsr], [0x037f, 0xffff, 0x1f80]);
});

Deno.test("frameLayout puts the fxsave area 64-aligned under sp and the frame under the header", () => {
  for (const sp of [0xbffff000, 0xbfffefff, 0xbfffeff3, 0x40003000]) {
    for (const rt of [true, false]) {
      const { frame, fpstate } = frameLayout(sp, rt);
      assert.equal((fpstate + FPSTATE.fxsave) % 64, 0);
      assert.ok(fpstate + FPSTATE_32_SIZE <= sp && sp - (fpstate + FPSTATE_32_SIZE) < 64);
      assert.equal(frame, frameAddress(fpstate, rt ? RT_SIGFRAME.size : SIGFRAME.size));
    }
  }
});

Deno.test("restoreFrame takes only the user-modifiable EFLAGS and rejects a bad CS", () => {
  const { mem, cpu } = setup();
  assert.ok(setupFrame(mem, cpu, request({})));
  const f = cpu.regs[Reg.ESP] >>> 0;
  const sc = f + 144 + UCONTEXT.uc_mcontext;
  mem.write32(sc + SIGCONTEXT.eflags, 0xffffffff);
  cpu.regs[Reg.ESP] = f + 4;
  assert.ok(restoreFrame(mem, cpu, true));
  const fl = cpu.getEflags();
  assert.equal(fl & (Flag.CF | Flag.OF | Flag.DF | Flag.AC), Flag.CF | Flag.OF | Flag.DF | Flag.AC);
  assert.equal(fl & Flag.ID, 0); // not in FIX_EFLAGS
  assert.ok(setupFrame(mem, cpu, request({})));
  const g = cpu.regs[Reg.ESP] >>> 0;
  mem.write32(g + 144 + UCONTEXT.uc_mcontext + SIGCONTEXT.cs, 0x33);
  cpu.regs[Reg.ESP] = g + 4;
  assert.equal(restoreFrame(mem, cpu, true), null);
});

Deno.test("encodeSiginfo writes fault addresses and queued raw siginfo", () => {
  const a = new DataView(encodeSiginfo({ signo: 11, code: 1, addr: 0x1234 }).buffer);
  assert.deepEqual([a.getInt32(0, true), a.getInt32(8, true), a.getUint32(12, true)], [
    11,
    1,
    0x1234,
  ]);
  const raw = new Uint8Array(128).fill(7);
  const b = encodeSiginfo({ signo: 40, code: 0, raw });
  assert.equal(new DataView(b.buffer).getInt32(0, true), 40);
  assert.equal(b[127], 7);
});
