import assert from "node:assert/strict";
import { Prot } from "../core/memory.ts";
import { bootCode, sys } from "./_test_kernel.ts";
import { Errno } from "./abi/errno.ts";
import { SI, SIG, SIG_IGN } from "./abi/signal.ts";
import type { SyscallEvent } from "./hooks.ts";
import type { Kernel } from "./kernel.ts";
import { sigbit } from "./signals.ts";
import { threadPending } from "./task.ts";

const PAGE = 0x40000000;

/** pipe(PAGE); close(3); write(4, PAGE, 1); writev(4, {PAGE, 1}, 1); exit_group(0) */
function brokenPipeWrite(prepare: (k: Kernel) => void = () => {}) {
  const events: SyscallEvent[] = [], signals: number[] = [];
  const code = [
    ...sys(42, PAGE), // pipe
    ...sys(6, 3), // close the read end
    ...sys(4, 4, PAGE, 1), // write
    ...sys(146, 4, PAGE + 64, 1), // writev
  ];
  const { k } = bootCode(code, {
    mode: {
      kind: "record",
      recorder: {
        syscall: (e) => events.push(e),
        signal: (_tid, sig) => signals.push(sig),
        switchTo: () => {},
      },
    },
  });
  k.mem.map(PAGE, 4096, Prot.READ | Prot.WRITE);
  k.mem.writeBytes(PAGE + 64, new Uint8Array([0, 0, 0, 0x40, 1, 0, 0, 0])); // iovec {PAGE, 1}
  prepare(k);
  const status = k.run();
  const rets = events.filter((e) => e.name.startsWith("write")).map((e) => e.ret);
  return { k, status, rets, signals };
}

Deno.test("write to a pipe without readers is killed by SIGPIPE", () => {
  const { status, rets, signals } = brokenPipeWrite();
  assert.deepEqual(status, { kind: "signaled", signal: SIG.PIPE });
  assert.deepEqual(rets, [-Errno.EPIPE]);
  assert.deepEqual(signals, [SIG.PIPE]);
});

Deno.test("write to a pipe without readers returns EPIPE when SIGPIPE is ignored", () => {
  const { status, rets, signals } = brokenPipeWrite((k) => {
    k.current.proc.sigactions[SIG.PIPE] = { handler: SIG_IGN, flags: 0, mask: 0n, restorer: 0 };
  });
  assert.deepEqual(status, { kind: "exited", code: 0 });
  assert.deepEqual(rets, [-Errno.EPIPE, -Errno.EPIPE]);
  assert.deepEqual(signals, []);
});

Deno.test("write to a pipe without readers leaves SIGPIPE pending when blocked", () => {
  const { k, status, rets } = brokenPipeWrite((k) => {
    k.current.sigmask = sigbit(SIG.PIPE);
  });
  assert.deepEqual(status, { kind: "exited", code: 0 });
  assert.deepEqual(rets, [-Errno.EPIPE, -Errno.EPIPE]);
  const info = threadPending(k.current).items.find((x) => x.signo === SIG.PIPE);
  assert.deepEqual([info?.code, info?.pid], [SI.USER, 1000]);
});
