/** @module Worker that catches SIGINT/SIGTERM while the main thread runs the synchronous emulator. */

/** Message from the main thread: the shared flag and the temp file to remove if it must force. */
export interface WatchStart {
  flag: Int32Array;
  tmp: string;
  graceMs: number;
}

const SIGNALS = { SIGINT: 2, SIGTERM: 15 } as const;

/**
 * flag[0]: 0 = running, N > 0 = signal N arrived, -1 = the main thread has cleaned up.
 * The main thread polls the flag at every syscall. If it has not answered after graceMs (a
 * guest that makes no syscalls, or a blocking stdin read), remove the temp file and kill the
 * process: Deno.exit here would only end this worker.
 */
globalThis.addEventListener("message", (e) => {
  const { flag, tmp, graceMs } = (e as MessageEvent<WatchStart>).data;
  for (const [name, num] of Object.entries(SIGNALS)) {
    Deno.addSignalListener(name as keyof typeof SIGNALS, () => {
      if (Atomics.compareExchange(flag, 0, 0, num) !== 0) return;
      setTimeout(() => {
        if (Atomics.load(flag, 0) === -1) return;
        const msg =
          `dejavu: interrupted by ${name}; the guest made no syscall for ${graceMs} ms, ` +
          `killing it; no trace written\n`;
        Deno.stderr.writeSync(new TextEncoder().encode(msg));
        try {
          Deno.removeSync(tmp);
        } catch { /* already gone */ }
        Deno.kill(Deno.pid, "SIGKILL");
      }, graceMs);
    });
  }
  Atomics.store(flag, 1, 1);
  Atomics.notify(flag, 1);
});
