/** @module /proc: self, the current process's directory (exe, cwd, root, fd/N) — computed per caller. */
import { S } from "../abi/stat.ts";
import { Inode, type ProcOps, type SuperBlock, type VfsCtx } from "./inode.ts";

/** What procfs needs from the VFS. */
export interface ProcHost {
  readonly exe: string;
}

/** Builds the /proc directory. Nodes are cached by key so inode numbers stay stable. */
export function buildProc(sb: SuperBlock, now: bigint, host: ProcHost): Inode {
  const cache = new Map<string, Inode>();
  const node = (key: string, mode: number, ops: ProcOps): Inode => {
    let n = cache.get(key);
    if (!n) {
      n = new Inode(sb, mode, now);
      n.proc = ops;
      cache.set(key, n);
    }
    return n;
  };
  const link = (key: string, target: (ctx: VfsCtx) => string | null, extra: ProcOps = {}) =>
    node(key, S.IFLNK | 0o777, { target, ...extra });

  const fdDir = (pid: number) =>
    node(`${pid}/fd`, S.IFDIR | 0o500, {
      list: (ctx) => ctx.fds.entries().map(([fd]) => String(fd)),
      lookup: (ctx, name) => {
        if (!/^(0|[1-9][0-9]*)$/.test(name)) return null;
        const fd = Number(name);
        if (!ctx.fds.get(fd)) return null;
        return link(`${pid}/fd/${fd}`, (c) => c.fds.get(fd)?.path ?? null, {
          jump: (c) => c.fds.get(fd)?.loc ?? null,
        });
      },
    });

  const pidEntries: Record<string, (pid: number) => Inode> = {
    cwd: (pid) => link(`${pid}/cwd`, (ctx) => ctx.cwd),
    exe: (pid) => link(`${pid}/exe`, (ctx) => ctx.exe ?? host.exe),
    fd: fdDir,
    root: (pid) => link(`${pid}/root`, () => "/"),
  };

  const pidDir = (pid: number) =>
    node(`${pid}`, S.IFDIR | 0o555, {
      list: () => Object.keys(pidEntries),
      lookup: (_ctx, name) => Object.hasOwn(pidEntries, name) ? pidEntries[name](pid) : null,
    });

  const self = link("self", (ctx) => String(ctx.pid));
  const root = new Inode(sb, S.IFDIR | 0o555, now);
  root.proc = {
    list: (ctx) => ["self", String(ctx.pid)],
    lookup: (ctx, name) =>
      name === "self" ? self : name === String(ctx.pid) ? pidDir(ctx.pid) : null,
  };
  return root;
}
