/** @module The x87 rows of the one-byte opcode map (D8–DF, 9B WAIT): memory forms by ModRM.reg, register forms by ModRM.reg then rm. */
import { grp, type Row, row } from "./opcode_table.ts";
import * as X from "./ops/x87.ts";

const ARITH = ["fadd", "fmul", "fcom", "fcomp", "fsub", "fsubr", "fdiv", "fdivr"];
const IARITH = ["fiadd", "fimul", "ficom", "ficomp", "fisub", "fisubr", "fidiv", "fidivr"];
/** DC/DE register forms name the operation by the result: ST(i) = ST(0) - ST(i) is fsubr. */
const ARITH_R = ["fadd", "fmul", "fcom", "fcomp", "fsubr", "fsub", "fdivr", "fdiv"];

/** Installs the x87 rows into the one-byte map. */
export function addX87Rows(T1: (Row | undefined)[]): void {
  const m = (mn: string, fn: Parameters<typeof row>[2], size = "") => row(mn, "M" + size, fn);
  const r = (mn: string, fn: Parameters<typeof row>[2]) => row(mn, "", fn);

  T1[0x9b] = r("fwait", X.fwait);
  T1[0xd8] = grp(
    ARITH.map((mn) => m(mn, X.arithM, "d")),
    ARITH.map((mn) => r(mn, X.d8Reg)),
  );
  T1[0xd9] = grp(
    [
      m("fld", X.loadM(0), "d"),
      undefined,
      m("fst", X.storeM(0, false), "d"),
      m("fstp", X.storeM(0, true), "d"),
      m("fldenv", X.fldenvM),
      m("fldcw", X.fldcw, "w"),
      m("fnstenv", X.fnstenvM),
      m("fnstcw", X.fnstcw, "w"),
    ],
    [
      r("fld", X.fldReg),
      r("fxch", X.fxchReg),
      r("fnop", X.d9Reg),
      r("fstp1", X.fstReg(true, true)),
      r("(d9 /4)", X.d9Reg),
      r("(fld const)", X.d9Reg),
      r("(d9 /6)", X.d9Reg),
      r("(d9 /7)", X.d9Reg),
    ],
  );
  T1[0xda] = grp(
    IARITH.map((mn) => m(mn, X.arithM, "d")),
    [
      r("fcmovb", X.fcmovReg),
      r("fcmove", X.fcmovReg),
      r("fcmovbe", X.fcmovReg),
      r("fcmovu", X.fcmovReg),
      undefined,
      r("fucompp", X.fucompp),
      undefined,
      undefined,
    ],
  );
  T1[0xdb] = grp(
    [
      m("fild", X.loadM(4), "d"),
      m("fisttp", X.storeM(8, true), "d"),
      m("fist", X.storeM(4, false), "d"),
      m("fistp", X.storeM(4, true), "d"),
      undefined,
      m("fld", X.loadM(2)),
      undefined,
      m("fstp", X.storeM(2, true)),
    ],
    [
      r("fcmovnb", X.fcmovReg),
      r("fcmovne", X.fcmovReg),
      r("fcmovnbe", X.fcmovReg),
      r("fcmovnu", X.fcmovReg),
      r("(fnclex/fninit)", X.dbCtl),
      r("fucomi", X.fcomiReg(true, false)),
      r("fcomi", X.fcomiReg(false, false)),
      undefined,
    ],
  );
  T1[0xdc] = grp(
    ARITH.map((mn) => m(mn, X.arithM, "q")),
    ARITH_R.map((mn) => r(mn, X.dcReg)),
  );
  T1[0xdd] = grp(
    [
      m("fld", X.loadM(1), "q"),
      m("fisttp", X.storeM(9, true), "q"),
      m("fst", X.storeM(1, false), "q"),
      m("fstp", X.storeM(1, true), "q"),
      m("frstor", X.frstorM),
      undefined,
      m("fnsave", X.fnsaveM),
      m("fnstsw", X.fnstswM, "w"),
    ],
    [
      r("ffree", X.ffree(false)),
      r("fxch4", X.fxchReg),
      r("fst", X.fstReg(false)),
      r("fstp", X.fstReg(true)),
      r("fucom", X.fucomReg(0)),
      r("fucomp", X.fucomReg(1)),
      undefined,
      undefined,
    ],
  );
  T1[0xde] = grp(
    IARITH.map((mn) => m(mn, X.arithM, "w")),
    ARITH_R.map((mn, k) => r(k === 3 ? "fcompp" : k === 2 ? "fcomp5" : mn + "p", X.deReg)),
  );
  T1[0xdf] = grp(
    [
      m("fild", X.loadM(3), "w"),
      m("fisttp", X.storeM(7, true), "w"),
      m("fist", X.storeM(3, false), "w"),
      m("fistp", X.storeM(3, true), "w"),
      m("fbld", X.loadM(6)),
      m("fild", X.loadM(5), "q"),
      m("fbstp", X.storeM(6, true)),
      m("fistp", X.storeM(5, true), "q"),
    ],
    [
      r("ffreep", X.ffree(true)),
      r("fxch7", X.fxchReg),
      r("fstp8", X.fstReg(true)),
      r("fstp9", X.fstReg(true)),
      r("fnstsw", X.fnstswAx),
      r("fucomip", X.fcomiReg(true, true)),
      r("fcomip", X.fcomiReg(false, true)),
      undefined,
    ],
  );
}
