import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { Errno } from "../abi/errno.ts";
import { F, LockType, O } from "../abi/fcntl.ts";
import { makeKernel, SCRATCH } from "../vfs/_test_env.ts";
import { sysFcntl64 } from "./sys_fcntl.ts";
import { sysOpen } from "./sys_file.ts";

const BUF = SCRATCH + 0x1000;

/** A struct flock (16 bytes) or flock64 (24 bytes) at BUF. */
function flock(
  env: ReturnType<typeof makeKernel>,
  type: number,
  whence: number,
  start: number,
  len: number,
  wide = false,
  pid = 0,
) {
  const b = new Uint8Array(wide ? 24 : 16);
  const dv = new DataView(b.buffer);
  dv.setInt16(0, type, true);
  dv.setInt16(2, whence, true);
  if (wide) {
    dv.setBigInt64(4, BigInt(start), true);
    dv.setBigInt64(12, BigInt(len), true);
    dv.setInt32(20, pid, true);
  } else {
    dv.setInt32(4, start, true);
    dv.setInt32(8, len, true);
    dv.setInt32(12, pid, true);
  }
  env.mem.writeBytes(BUF, b);
  return BUF;
}

function openFile(env: ReturnType<typeof makeKernel>, flags: number): number {
  return sysOpen(env.k, env.t, env.str(SCRATCH, "/tmp/lk"), O.CREAT | flags, 0o644);
}

Deno.test("fcntl64(F_GETLK) refuses F_UNLCK and reports a free lock as F_UNLCK", () => {
  const env = makeKernel();
  const fd = openFile(env, O.RDWR);
  assertEquals(
    sysFcntl64(env.k, env.t, fd, F.GETLK, flock(env, LockType.UNLCK, 0, 0, 0)),
    -Errno.EINVAL,
  );
  assertEquals(sysFcntl64(env.k, env.t, fd, F.GETLK, flock(env, LockType.WRLCK, 0, 0, 0)), 0);
  assertEquals(env.bytes(BUF, 2)[0], LockType.UNLCK);
  assertEquals(
    sysFcntl64(env.k, env.t, fd, F.GETLK64, flock(env, LockType.UNLCK, 0, 0, 0, true)),
    -Errno.EINVAL,
  );
  assertEquals(
    sysFcntl64(env.k, env.t, fd, F.GETLK64, flock(env, LockType.RDLCK, 0, 0, 0, true)),
    0,
  );
});

Deno.test("fcntl64(F_SETLK) validates type, whence, start and length", () => {
  const env = makeKernel();
  const fd = openFile(env, O.RDWR);
  const setlk = (addr: number, cmd: number = F.SETLK) => sysFcntl64(env.k, env.t, fd, cmd, addr);
  assertEquals(setlk(flock(env, LockType.WRLCK, 0, 0, 0)), 0);
  assertEquals(setlk(flock(env, LockType.UNLCK, 0, 0, 0)), 0);
  assertEquals(setlk(flock(env, 3, 0, 0, 0)), -Errno.EINVAL);
  assertEquals(setlk(flock(env, LockType.WRLCK, 3, 0, 0)), -Errno.EINVAL);
  assertEquals(setlk(flock(env, LockType.WRLCK, 0, -1, 0)), -Errno.EINVAL);
  assertEquals(setlk(flock(env, LockType.WRLCK, 0, 5, -6)), -Errno.EINVAL);
  assertEquals(setlk(flock(env, LockType.WRLCK, 0, 5, -5)), 0);
  assertEquals(setlk(flock(env, LockType.WRLCK, 0, 0, 0, true, 7), F.OFD_SETLK), -Errno.EINVAL);
  assertEquals(setlk(flock(env, LockType.WRLCK, 0, 0, 0, true), F.OFD_SETLK), 0);
  assertEquals(setlk(0x100), -Errno.EFAULT);
  const ro = openFile(env, O.RDONLY);
  const w = flock(env, LockType.WRLCK, 0, 0, 0);
  assertEquals(sysFcntl64(env.k, env.t, ro, F.SETLK, w), -Errno.EBADF);
});
