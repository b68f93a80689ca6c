import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { O } from "../abi/fcntl.ts";
import { STAT64 } from "../abi/stat.ts";
import { makeKernel, SCRATCH } from "../vfs/_test_env.ts";
import { sysFtruncate64, sysOpen } from "./sys_file.ts";
import { sysWrite } from "./sys_read_write.ts";
import { sysFstat64 } from "./sys_stat.ts";

const BUF = SCRATCH + 0x1000;

Deno.test("fstat64() counts only written pages of a sparse tmpfs file in st_blocks", () => {
  const env = makeKernel();
  const { k, t } = env;
  const fd = sysOpen(k, t, env.str(SCRATCH, "/tmp/sparse"), O.CREAT | O.RDWR, 0o644);
  const blocks = () => {
    assertEquals(sysFstat64(k, t, fd, BUF), 0);
    const dv = new DataView(env.bytes(BUF, STAT64.SIZE).slice().buffer);
    return [
      Number(dv.getBigInt64(STAT64.FSIZE, true)),
      Number(dv.getBigUint64(STAT64.BLOCKS, true)),
    ];
  };
  assertEquals(sysFtruncate64(k, t, fd, 0, 1), 0); // 4 GiB: nothing is allocated
  assertEquals(blocks(), [2 ** 32, 0]);
  env.str(BUF + 0x800, "x");
  assertEquals(sysWrite(k, t, fd, BUF + 0x800, 1), 1);
  assertEquals(blocks(), [2 ** 32, 8]);
  assertEquals(sysFtruncate64(k, t, fd, 0, 0), 0);
  assertEquals(blocks(), [0, 0]);
});
