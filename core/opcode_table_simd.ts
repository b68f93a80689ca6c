/** @module The MMX, SSE and SSE2 rows of the 0F opcode map, selected by mandatory prefix (none, 66, F3, F2). */
import type { Handler } from "./decode.ts";
import { grp, type Row, row, sse } from "./opcode_table.ts";
import { type Kernel, mmxOp, xmmOp } from "./ops/_vec.ts";
import * as F from "./ops/simd_float.ts";
import * as I from "./ops/simd_int.ts";
import * as M from "./ops/simd_mov.ts";
import * as Sy from "./ops/system.ts";

/** Integer ops that exist as `op mm, mm/m64` and `66 op xmm, xmm/m128`. */
const INT_OPS: [number, string, Kernel][] = [
  [0x60, "punpcklbw", I.punpcklbw],
  [0x61, "punpcklwd", I.punpcklwd],
  [0x62, "punpckldq", I.punpckldq],
  [0x63, "packsswb", I.packsswb],
  [0x64, "pcmpgtb", I.pcmpgtb],
  [0x65, "pcmpgtw", I.pcmpgtw],
  [0x66, "pcmpgtd", I.pcmpgtd],
  [0x67, "packuswb", I.packuswb],
  [0x68, "punpckhbw", I.punpckhbw],
  [0x69, "punpckhwd", I.punpckhwd],
  [0x6a, "punpckhdq", I.punpckhdq],
  [0x6b, "packssdw", I.packssdw],
  [0x74, "pcmpeqb", I.pcmpeqb],
  [0x75, "pcmpeqw", I.pcmpeqw],
  [0x76, "pcmpeqd", I.pcmpeqd],
  [0xd4, "paddq", I.paddq],
  [0xd5, "pmullw", I.pmullw],
  [0xd8, "psubusb", I.psubusb],
  [0xd9, "psubusw", I.psubusw],
  [0xda, "pminub", I.pminub],
  [0xdb, "pand", I.pand],
  [0xdc, "paddusb", I.paddusb],
  [0xdd, "paddusw", I.paddusw],
  [0xde, "pmaxub", I.pmaxub],
  [0xdf, "pandn", I.pandn],
  [0xe0, "pavgb", I.pavgb],
  [0xe3, "pavgw", I.pavgw],
  [0xe4, "pmulhuw", I.pmulhuw],
  [0xe5, "pmulhw", I.pmulhw],
  [0xe8, "psubsb", I.psubsb],
  [0xe9, "psubsw", I.psubsw],
  [0xea, "pminsw", I.pminsw],
  [0xeb, "por", I.por],
  [0xec, "paddsb", I.paddsb],
  [0xed, "paddsw", I.paddsw],
  [0xee, "pmaxsw", I.pmaxsw],
  [0xef, "pxor", I.pxor],
  [0xf4, "pmuludq", I.pmuludq],
  [0xf5, "pmaddwd", I.pmaddwd],
  [0xf6, "psadbw", I.psadbw],
  [0xf8, "psubb", I.psubb],
  [0xf9, "psubw", I.psubw],
  [0xfa, "psubd", I.psubd],
  [0xfb, "psubq", I.psubq],
  [0xfc, "paddb", I.paddb],
  [0xfd, "paddw", I.paddw],
  [0xfe, "paddd", I.paddd],
];

const SHIFTS: [number, string, I.ShiftKernel][] = [
  [0xd1, "psrlw", I.psrlw],
  [0xd2, "psrld", I.psrld],
  [0xd3, "psrlq", I.psrlq],
  [0xe1, "psraw", I.psraw],
  [0xe2, "psrad", I.psrad],
  [0xf1, "psllw", I.psllw],
  [0xf2, "pslld", I.pslld],
  [0xf3, "psllq", I.psllq],
];

/** Packed-float logic and arithmetic: [opcode, name, ps/pd kernel or float op]. */
const LOGIC: [number, string, Kernel][] = [
  [0x54, "and", I.pand],
  [0x55, "andn", I.pandn],
  [0x56, "or", I.por],
  [0x57, "xor", I.pxor],
];

const ARITH: [number, string, number][] = [
  [0x58, "add", F.Op.ADD],
  [0x59, "mul", F.Op.MUL],
  [0x5c, "sub", F.Op.SUB],
  [0x5d, "min", F.Op.MIN],
  [0x5e, "div", F.Op.DIV],
  [0x5f, "max", F.Op.MAX],
  [0x51, "sqrt", F.Op.SQRT],
];

/** Installs the MMX/SSE/SSE2 rows into the 0F map. */
export function addSimdRows(T2: (Row | undefined)[]): void {
  const r = row;

  for (const [op, mn, k] of INT_OPS) {
    const mmxSrc = op >= 0x60 && op <= 0x62 ? 4 : 8;
    const mmx = r(mn, mmxSrc === 4 ? "Pq,Qd" : "Pq,Qq", mmxOp(k, mmxSrc));
    T2[op] = sse(mmx, r(mn, "Vx,Wx", xmmOp(k)));
  }
  T2[0x6c] = sse(undefined, r("punpcklqdq", "Vx,Wx", xmmOp(I.punpcklqdq)));
  T2[0x6d] = sse(undefined, r("punpckhqdq", "Vx,Wx", xmmOp(I.punpckhqdq)));
  for (const [op, mn, k] of SHIFTS) {
    T2[op] = sse(r(mn, "Pq,Qq", M.mmxShift(k)), r(mn, "Vx,Wx", M.xmmShift(k)));
  }
  const shiftGrp = (ks: (I.ShiftKernel | undefined)[], mns: string[], xmm: boolean) =>
    grp(
      [],
      ks.map((k, n) =>
        k === undefined
          ? undefined
          : r(mns[n], xmm ? "Ux,Ib" : "Nq,Ib", xmm ? M.xmmShiftI(k) : M.mmxShiftI(k))
      ),
    );
  const W = ["", "", "psrlw", "", "psraw", "", "psllw", ""];
  const D = ["", "", "psrld", "", "psrad", "", "pslld", ""];
  const Q = ["", "", "psrlq", "psrldq", "", "", "psllq", "pslldq"];
  const u = undefined;
  T2[0x71] = sse(
    shiftGrp([u, u, I.psrlw, u, I.psraw, u, I.psllw], W, false),
    shiftGrp([u, u, I.psrlw, u, I.psraw, u, I.psllw], W, true),
  );
  T2[0x72] = sse(
    shiftGrp([u, u, I.psrld, u, I.psrad, u, I.pslld], D, false),
    shiftGrp([u, u, I.psrld, u, I.psrad, u, I.pslld], D, true),
  );
  T2[0x73] = sse(
    shiftGrp([u, u, I.psrlq, u, u, u, I.psllq], Q, false),
    shiftGrp([u, u, I.psrlq, I.psrldq, u, u, I.psllq, I.pslldq], Q, true),
  );

  // ---- moves ----
  T2[0x10] = sse(
    r("movups", "Vx,Wx", M.movuVW),
    r("movupd", "Vx,Wx", M.movuVW),
    r("movss", "Vx,Wd", M.movssVW),
    r("movsd", "Vx,Wq", M.movsdVW),
  );
  T2[0x11] = sse(
    r("movups", "Wx,Vx", M.movuWV),
    r("movupd", "Wx,Vx", M.movuWV),
    r("movss", "Wd,Vx", M.movssWV),
    r("movsd", "Wq,Vx", M.movsdWV),
  );
  T2[0x12] = sse(lowHigh("movlps", "movhlps", M.movlVM), r("movlpd", "Vx,Mq", M.movlVM));
  T2[0x13] = sse(r("movlps", "Mq,Vx", M.movlMV), r("movlpd", "Mq,Vx", M.movlMV));
  T2[0x16] = sse(lowHigh("movhps", "movlhps", M.movhVM), r("movhpd", "Vx,Mq", M.movhVM));
  T2[0x17] = sse(r("movhps", "Mq,Vx", M.movhMV), r("movhpd", "Mq,Vx", M.movhMV));
  T2[0x14] = sse(
    r("unpcklps", "Vx,Wx", xmmOp(I.unpcklps)),
    r("unpcklpd", "Vx,Wx", xmmOp(I.unpcklpd)),
  );
  T2[0x15] = sse(
    r("unpckhps", "Vx,Wx", xmmOp(I.unpckhps)),
    r("unpckhpd", "Vx,Wx", xmmOp(I.unpckhpd)),
  );
  T2[0x28] = sse(r("movaps", "Vx,Wx", M.movaVW), r("movapd", "Vx,Wx", M.movaVW));
  T2[0x29] = sse(r("movaps", "Wx,Vx", M.movaWV), r("movapd", "Wx,Vx", M.movaWV));
  T2[0x2b] = sse(r("movntps", "Mx,Vx", M.movaWV), r("movntpd", "Mx,Vx", M.movaWV));
  T2[0x50] = sse(r("movmskps", "Gd,Ux", M.movmskps), r("movmskpd", "Gd,Ux", M.movmskpd));
  T2[0x6e] = sse(r("movd", "Pq,Ed", M.movdPE), r("movd", "Vx,Ed", M.movdVE));
  T2[0x7e] = sse(
    r("movd", "Ed,Pq", M.movdEP),
    r("movd", "Ed,Vx", M.movdEV),
    r("movq", "Vx,Wq", M.movqVW),
  );
  T2[0x6f] = sse(
    r("movq", "Pq,Qq", M.movqPQ),
    r("movdqa", "Vx,Wx", M.movaVW),
    r("movdqu", "Vx,Wx", M.movuVW),
  );
  T2[0x7f] = sse(
    r("movq", "Qq,Pq", M.movqQP),
    r("movdqa", "Wx,Vx", M.movaWV),
    r("movdqu", "Wx,Vx", M.movuWV),
  );
  T2[0xd6] = sse(
    undefined,
    r("movq", "Wq,Vx", M.movqWV),
    r("movq2dq", "Vx,Nq", M.movq2dq),
    r("movdq2q", "Pq,Ux", M.movdq2q),
  );
  T2[0xe7] = sse(r("movntq", "Mq,Pq", M.movqQP), r("movntdq", "Mx,Vx", M.movaWV));
  T2[0xc3] = sse(r("movnti", "Md,Gd", M.movnti));
  T2[0xd7] = sse(r("pmovmskb", "Gd,Nq", M.pmovmskbP), r("pmovmskb", "Gd,Ux", M.pmovmskbV));
  T2[0xc5] = sse(r("pextrw", "Gd,Nq,Ib", M.pextrwP), r("pextrw", "Gd,Ux,Ib", M.pextrwV));
  T2[0xc4] = sse(r("pinsrw", "Pq,Ed,Ib", M.pinsrwP), r("pinsrw", "Vx,Ed,Ib", M.pinsrwV));
  T2[0xf7] = sse(r("maskmovq", "Pq,Nq", M.maskmovq), r("maskmovdqu", "Vx,Ux", M.maskmovdqu));
  T2[0x70] = sse(
    r("pshufw", "Pq,Qq,Ib", M.mmxImm(I.pshufw)),
    r("pshufd", "Vx,Wx,Ib", xmmOp(I.pshufd)),
    r("pshufhw", "Vx,Wx,Ib", xmmOp(I.pshufhw)),
    r("pshuflw", "Vx,Wx,Ib", xmmOp(I.pshuflw)),
  );
  T2[0xc6] = sse(
    r("shufps", "Vx,Wx,Ib", xmmOp(I.shufps)),
    r("shufpd", "Vx,Wx,Ib", xmmOp(I.shufpd)),
  );
  T2[0x77] = row("emms", "", M.emms);

  // ---- floating point ----
  for (const [op, mn, k] of LOGIC) {
    T2[op] = sse(r(mn + "ps", "Vx,Wx", xmmOp(k)), r(mn + "pd", "Vx,Wx", xmmOp(k)));
  }
  for (const [op, mn, fop] of ARITH) {
    T2[op] = sse(
      r(mn + "ps", "Vx,Wx", F.arith(fop, true, false)),
      r(mn + "pd", "Vx,Wx", F.arith(fop, false, false)),
      r(mn + "ss", "Vx,Wd", F.arith(fop, true, true)),
      r(mn + "sd", "Vx,Wq", F.arith(fop, false, true)),
    );
  }
  T2[0x52] = sse(r("rsqrtps", "Vx,Wx", F.rsqrt(false)), u, r("rsqrtss", "Vx,Wd", F.rsqrt(true)));
  T2[0x53] = sse(r("rcpps", "Vx,Wx", F.rcp(false)), u, r("rcpss", "Vx,Wd", F.rcp(true)));
  T2[0xc2] = sse(
    r("cmpps", "Vx,Wx,Ib", F.cmp(true, false)),
    r("cmppd", "Vx,Wx,Ib", F.cmp(false, false)),
    r("cmpss", "Vx,Wd,Ib", F.cmp(true, true)),
    r("cmpsd", "Vx,Wq,Ib", F.cmp(false, true)),
  );
  T2[0x2e] = sse(
    r("ucomiss", "Vx,Wd", F.comis(true, false)),
    r("ucomisd", "Vx,Wq", F.comis(false, false)),
  );
  T2[0x2f] = sse(
    r("comiss", "Vx,Wd", F.comis(true, true)),
    r("comisd", "Vx,Wq", F.comis(false, true)),
  );
  T2[0x2a] = sse(
    r("cvtpi2ps", "Vx,Qq", F.cvtpi2ps),
    r("cvtpi2pd", "Vx,Qq", F.cvtpi2pd),
    r("cvtsi2ss", "Vx,Ed", F.cvtsi2ss),
    r("cvtsi2sd", "Vx,Ed", F.cvtsi2sd),
  );
  T2[0x2c] = sse(
    r("cvttps2pi", "Pq,Wq", F.cvtps2pi(true)),
    r("cvttpd2pi", "Pq,Wx", F.cvtpd2pi(true)),
    r("cvttss2si", "Gd,Wd", F.cvtss2si(true)),
    r("cvttsd2si", "Gd,Wq", F.cvtsd2si(true)),
  );
  T2[0x2d] = sse(
    r("cvtps2pi", "Pq,Wq", F.cvtps2pi(false)),
    r("cvtpd2pi", "Pq,Wx", F.cvtpd2pi(false)),
    r("cvtss2si", "Gd,Wd", F.cvtss2si(false)),
    r("cvtsd2si", "Gd,Wq", F.cvtsd2si(false)),
  );
  T2[0x5a] = sse(
    r("cvtps2pd", "Vx,Wq", F.cvtps2pd),
    r("cvtpd2ps", "Vx,Wx", F.cvtpd2ps),
    r("cvtss2sd", "Vx,Wd", F.cvtss2sd),
    r("cvtsd2ss", "Vx,Wq", F.cvtsd2ss),
  );
  T2[0x5b] = sse(
    r("cvtdq2ps", "Vx,Wx", F.cvtdq2ps),
    r("cvtps2dq", "Vx,Wx", F.cvtps2dq(false)),
    r("cvttps2dq", "Vx,Wx", F.cvtps2dq(true)),
  );
  T2[0xe6] = sse(
    u,
    r("cvttpd2dq", "Vx,Wx", F.cvtpd2dq(true)),
    r("cvtdq2pd", "Vx,Wq", F.cvtdq2pd),
    r("cvtpd2dq", "Vx,Wx", F.cvtpd2dq(false)),
  );

  // ---- state, fences, cache control ----
  T2[0xae] = grp([
    r("fxsave", "M", M.fxsave),
    r("fxrstor", "M", M.fxrstor),
    r("ldmxcsr", "Md", M.ldmxcsr),
    r("stmxcsr", "Md", M.stmxcsr),
    u,
    u,
    u,
    r("clflush", "Mb", M.clflush),
  ], [
    u,
    u,
    u,
    u,
    u,
    r("lfence", "", Sy.nop),
    r("mfence", "", Sy.nop),
    r("sfence", "", Sy.nop),
  ]);
  for (let k = 0x18; k <= 0x1f; k++) {
    T2[k] = k === 0x18
      ? grp([
        r("prefetchnta", "Mb", Sy.nop),
        r("prefetcht0", "Mb", Sy.nop),
        r("prefetcht1", "Mb", Sy.nop),
        r("prefetcht2", "Mb", Sy.nop),
        r("nop", "Ev", Sy.nop),
        r("nop", "Ev", Sy.nop),
        r("nop", "Ev", Sy.nop),
        r("nop", "Ev", Sy.nop),
      ], [
        r("nop", "Ev", Sy.nop),
        r("nop", "Ev", Sy.nop),
        r("nop", "Ev", Sy.nop),
        r("nop", "Ev", Sy.nop),
        r("nop", "Ev", Sy.nop),
        r("nop", "Ev", Sy.nop),
        r("nop", "Ev", Sy.nop),
        r("nop", "Ev", Sy.nop),
      ])
      : r("nop", "Ev", Sy.nop);
  }
}

/** 0F 12 / 0F 16: the memory form moves a half from memory, the register form between halves. */
function lowHigh(mnMem: string, mnReg: string, fn: Handler): Row {
  return grp(
    new Array(8).fill(0).map(() => row(mnMem, "Vx,Mq", fn)),
    new Array(8).fill(0).map(() => row(mnReg, "Vx,Ux", fn)),
  );
}
