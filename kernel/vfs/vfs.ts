/** @module The virtual filesystem: tmpfs tree, /dev, /proc, host mounts, path walk and namespace operations. */
import { Errno } from "../abi/errno.ts";
import { AccessMode, O, RENAME } from "../abi/fcntl.ts";
import { DT, encodeDev, S } from "../abi/stat.ts";
import { UserError } from "../errors.ts";
import type { HostFs, HostStat } from "../host.ts";
import { type FileKind, flushHost, OpenFile } from "./file.ts";
import { Inode, type SuperBlock, type VfsCtx } from "./inode.ts";
import { byteLength, components, type Loc, locOf, locPath, push, top, up } from "./path.ts";
import { Pipe } from "./pipe.ts";
import { buildDev } from "./devfs.ts";
import { buildProc } from "./procfs.ts";

export type { VfsCtx } from "./inode.ts";

export interface VfsOptions {
  hostFs: HostFs;
  mounts: { host: string; guest: string; mode: "ro" | "rw" }[];
  /** logical realtime clock in ns since the Unix epoch */
  now: () => bigint;
  /** fills /dev/random and /dev/urandom reads (the kernel's seeded stream) */
  randomFill: (out: Uint8Array) => void;
  /** guest path of the program (/proc/self/exe) */
  exe: string;
  /** program bytes: placed at `exe` when that path does not exist in the tree */
  exeImage?: Uint8Array;
}

/** The outcome of a path walk: the final component's parent, name and (when it exists) node. */
export interface Walked {
  parent: Loc;
  /** last component; "." for the root or an empty remainder */
  name: string;
  node: Inode | null;
  loc: Loc | null;
  /** the path ended in "/" */
  trailing: boolean;
}

/** One directory entry as getdents reports it. */
export interface DirEntry {
  name: string;
  ino: number;
  type: number;
}

const MAX_SYMLINKS = 40;
const PATH_MAX = 4096;
const NAME_MAX = 255;
/** tmpfs reports directory sizes as 20 bytes per entry (BOGO_DIRENT_SIZE) */
const BOGO_DIRENT = 20;

const ETC_FILES: [string, string][] = [
  [
    "passwd",
    "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
  ],
  ["group", "root:x:0:\nnogroup:x:65534:\n"],
  ["hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"],
];

const DT_OF_TYPE: Record<number, number> = {
  [S.IFDIR]: DT.DIR,
  [S.IFREG]: DT.REG,
  [S.IFLNK]: DT.LNK,
  [S.IFCHR]: DT.CHR,
  [S.IFIFO]: DT.FIFO,
  [S.IFSOCK]: DT.SOCK,
  [S.IFBLK]: DT.BLK,
};

export function direntType(inode: Inode): number {
  return DT_OF_TYPE[inode.type] ?? DT.UNKNOWN;
}

function err(e: number): number {
  return -e;
}

function joinHost(dir: string, name: string): string {
  return dir.endsWith("/") ? dir + name : dir + "/" + name;
}

/**
 * The whole guest file tree. Every operation takes the calling process (for cwd, umask, /proc/self)
 * and a start location for relative paths, and returns a value or -errno.
 */
export class Vfs {
  readonly root: Inode;
  readonly now: () => bigint;
  readonly exe: string;
  readonly #hostFs: HostFs;
  readonly #bootTime: bigint;
  readonly #rootSb: SuperBlock;
  readonly #pipeSb: SuperBlock;
  readonly #cwdCache = new WeakMap<VfsCtx, { path: string; loc: Loc }>();

  constructor(opts: VfsOptions) {
    this.now = opts.now;
    this.exe = opts.exe;
    this.#hostFs = opts.hostFs;
    this.#bootTime = opts.now();
    this.#rootSb = this.#newSb("tmpfs", 1);
    this.#pipeSb = this.#newSb("pipefs", 13);
    this.root = new Inode(this.#rootSb, S.IFDIR | 0o755, this.#bootTime);
    this.root.mountRoot = true;
    this.#mkdirP("/tmp", 0o1777);
    this.#mkdirP("/root", 0o700);
    this.#mkdirP("/home", 0o755);
    this.#mkdirP("/etc", 0o755);
    const etc = this.#dirAt("/etc");
    for (const [name, text] of ETC_FILES) {
      this.#addFile(etc, name, new TextEncoder().encode(text), 0o644);
    }
    const devSb = this.#newSb("devtmpfs", 5);
    this.#mount("/dev", buildDev(devSb, this.#bootTime, opts.randomFill));
    const procSb = this.#newSb("proc", 4);
    procSb.readOnly = Errno.EACCES;
    this.#mount("/proc", buildProc(procSb, this.#bootTime, this));
    const mounts = [...opts.mounts].sort((a, b) =>
      components(a.guest).length - components(b.guest).length
    );
    mounts.forEach((m, i) => this.#hostMount(m, i));
    if (opts.exeImage) this.#placeExe(opts.exe, opts.exeImage);
  }

  // ---- construction helpers ----

  #newSb(type: string, minor: number): SuperBlock {
    return { dev: encodeDev(0, minor), type, readOnly: 0, nextIno: 1, now: this.now };
  }

  #dirAt(path: string): Inode {
    let dir = this.root;
    for (const c of components(path)) {
      const next = this.#entries(dir).get(c);
      if (!next || !next.isDir) throw new RangeError(`Boot path ${path} is not a directory`);
      dir = next;
    }
    return dir;
  }

  #mkdirP(path: string, mode: number): Inode {
    let dir = this.root;
    for (const c of components(path)) {
      let next = this.#entries(dir).get(c);
      if (!next) {
        next = new Inode(dir.sb, S.IFDIR | mode, this.#bootTime);
        this.#entries(dir).set(c, next);
        dir.nlink++;
      }
      if (!next.isDir) {
        throw new UserError(`Cannot create guest directory ${path}: not a directory`);
      }
      dir = next;
    }
    return dir;
  }

  #addFile(dir: Inode, name: string, data: Uint8Array, mode: number): Inode {
    const f = new Inode(dir.sb, S.IFREG | mode, this.#bootTime);
    f.writeAt(0, data);
    this.#entries(dir).set(name, f);
    return f;
  }

  /** Puts a mount's root inode at guest path `at` (its parents are created in memory). */
  #mount(at: string, node: Inode): void {
    const comps = components(at);
    if (comps.length === 0) throw new UserError("Cannot mount over the guest root /");
    const parent = this.#mkdirP("/" + comps.slice(0, -1).join("/"), 0o755);
    const name = comps[comps.length - 1];
    const old = this.#entries(parent).get(name);
    if (old?.isDir) parent.nlink--;
    this.#entries(parent).set(name, node);
    if (node.isDir) parent.nlink++;
    node.mountRoot = true;
  }

  #hostMount(m: VfsOptions["mounts"][number], i: number): void {
    let hostRoot = m.host;
    while (hostRoot.length > 1 && hostRoot.endsWith("/")) hostRoot = hostRoot.slice(0, -1);
    const st = this.#hostFs.lstat(hostRoot);
    if (!st || (st.kind !== "dir" && st.kind !== "file")) {
      throw new UserError(`Mount source ${m.host} is not a directory or file`);
    }
    const sb = this.#newSb("host", 32 + i);
    sb.hostFs = this.#hostFs;
    if (m.mode === "ro") sb.readOnly = Errno.EROFS;
    const node = this.#hostNode(sb, hostRoot, st)!;
    this.#mount(m.guest, node);
  }

  #placeExe(exe: string, image: Uint8Array): void {
    const ctx = bootCtx();
    let dir = this.root;
    let path = "";
    for (const c of components(exe).slice(0, -1)) {
      if (dir.hostPath !== null || dir.proc) return;
      path += "/" + c;
      const next = this.#entries(dir).get(c);
      if (next && !next.isDir) return;
      dir = next ?? this.#mkdirP(path, 0o755);
    }
    const w = this.walk(ctx, locOf(this.root), exe, true);
    if (typeof w === "number" || w.node || w.name === "." || w.name === "..") return;
    const parent = top(w.parent);
    if (parent.hostPath !== null || parent.proc) return;
    this.#addFile(parent, w.name, image, 0o755);
  }

  // ---- host-backed inodes ----

  #hostNode(sb: SuperBlock, path: string, st: HostStat): Inode | null {
    const perm = st.mode & 0o7777;
    let node: Inode;
    if (st.kind === "file") {
      node = new Inode(sb, S.IFREG | perm, this.#bootTime);
      node.size = st.size;
      node.dataLoaded = false;
    } else if (st.kind === "dir") {
      node = new Inode(sb, S.IFDIR | perm, this.#bootTime);
      node.entries = null;
    } else if (st.kind === "symlink") {
      node = new Inode(sb, S.IFLNK | 0o777, this.#bootTime);
      node.target = this.#hostFs.readLink(path) ?? "";
      node.size = byteLength(node.target);
    } else {
      return null;
    }
    node.hostPath = path;
    return node;
  }

  /** A directory's entries, loading a host directory on first use (sorted, so inode numbers are stable). */
  #entries(dir: Inode): Map<string, Inode> {
    if (dir.entries) return dir.entries;
    const map = new Map<string, Inode>();
    dir.entries = map;
    if (dir.hostPath === null) return map;
    const names = (this.#hostFs.readDir(dir.hostPath) ?? []).filter((n) =>
      n !== "" && n !== "." && n !== ".." && !n.includes("/") && !n.includes("\0")
    ).sort();
    for (const name of names) {
      const path = joinHost(dir.hostPath, name);
      const st = this.#hostFs.lstat(path);
      const node = st ? this.#hostNode(dir.sb, path, st) : null;
      if (!node) continue;
      map.set(name, node);
      if (node.isDir) dir.nlink++;
    }
    return map;
  }

  /** Loads a host file's content; false when the host cannot read it. */
  #loadData(node: Inode): boolean {
    if (node.dataLoaded) return true;
    const bytes = node.hostPath !== null ? this.#hostFs.readFile(node.hostPath) : null;
    if (!bytes) return false;
    node.data = bytes;
    node.size = bytes.length;
    node.dataLoaded = true;
    return true;
  }

  /** After a host rename, updates the host paths of a subtree that was already loaded. */
  #rehome(node: Inode, path: string): void {
    if (node.hostPath === null) return;
    node.hostPath = path;
    if (node.isDir && node.entries) {
      for (const [name, child] of node.entries) this.#rehome(child, joinHost(path, name));
    }
  }

  // ---- lookup ----

  #lookup(ctx: VfsCtx, dir: Inode, name: string): Inode | null {
    if (dir.proc?.lookup) return dir.proc.lookup(ctx, name);
    return this.#entries(dir).get(name) ?? null;
  }

  /** Entry names of a directory, sorted (deterministic getdents order). */
  #names(ctx: VfsCtx, dir: Inode): string[] {
    const names = dir.proc?.list ? dir.proc.list(ctx) : [...this.#entries(dir).keys()];
    return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** The target text of a symlink (computed for procfs links). */
  linkTarget(ctx: VfsCtx, link: Inode): string {
    if (link.proc?.target) return link.proc.target(ctx) ?? "";
    return link.target;
  }

  rootLoc(): Loc {
    return locOf(this.root);
  }

  /** The process's working directory; falls back to / when its path no longer resolves. */
  cwdLoc(ctx: VfsCtx): Loc {
    const hit = this.#cwdCache.get(ctx);
    if (hit && hit.path === ctx.cwd) return hit.loc;
    const w = this.walk(ctx, this.rootLoc(), ctx.cwd, true);
    const loc = typeof w !== "number" && w.loc && w.node?.isDir ? w.loc : this.rootLoc();
    this.#cwdCache.set(ctx, { path: ctx.cwd, loc });
    return loc;
  }

  /** chdir: sets ctx.cwd to the canonical path of a directory location. */
  setCwd(ctx: VfsCtx, loc: Loc): void {
    ctx.cwd = locPath(loc);
    this.#cwdCache.set(ctx, { path: ctx.cwd, loc });
  }

  /**
   * Walks `path` from `start` (or the root for absolute paths). Symlinks in the middle are always
   * followed; the final one only when `follow` (or the path has a trailing slash). A missing final
   * component is not an error: node is null and parent/name say where it would be created.
   */
  walk(ctx: VfsCtx, start: Loc, path: string, follow: boolean): Walked | number {
    if (path === "") return err(Errno.ENOENT);
    if (byteLength(path) >= PATH_MAX) return err(Errno.ENAMETOOLONG);
    let cur = path.startsWith("/") ? this.rootLoc() : start;
    let rest = components(path);
    let trailing = path.endsWith("/");
    let links = 0;
    if (rest.length === 0) {
      return { parent: cur, name: ".", node: top(cur), loc: cur, trailing: false };
    }
    for (let i = 0; i < rest.length; i++) {
      const dir = top(cur);
      if (!dir.isDir) return err(Errno.ENOTDIR);
      const name = rest[i];
      const last = i === rest.length - 1;
      if (byteLength(name) > NAME_MAX) return err(Errno.ENAMETOOLONG);
      if (name === "." || name === "..") {
        const next = name === "." ? cur : up(cur);
        if (last) return { parent: cur, name, node: top(next), loc: next, trailing };
        cur = next;
        continue;
      }
      const child = this.#lookup(ctx, dir, name);
      if (!child) {
        if (last) return { parent: cur, name, node: null, loc: null, trailing };
        return err(Errno.ENOENT);
      }
      if (child.isLink && (!last || follow || trailing)) {
        if (++links > MAX_SYMLINKS) return err(Errno.ELOOP);
        const jump = child.proc?.jump?.(ctx) ?? null;
        if (jump) {
          if (last) return { parent: up(jump), name, node: top(jump), loc: jump, trailing };
          cur = jump;
          continue;
        }
        const target = this.linkTarget(ctx, child);
        if (target === "") return err(Errno.ENOENT);
        if (target.startsWith("/")) cur = this.rootLoc();
        if (last && target.endsWith("/")) trailing = true;
        rest = [...components(target), ...rest.slice(i + 1)];
        i = -1;
        if (rest.length === 0) {
          return { parent: cur, name: ".", node: top(cur), loc: cur, trailing };
        }
        continue;
      }
      const parent = cur;
      cur = push(cur, name, child);
      if (last) return { parent, name, node: child, loc: cur, trailing };
    }
    throw new RangeError("Path walk ended without a result");
  }

  /** Resolves an existing path; ENOTDIR for a trailing slash on a non-directory. */
  resolve(ctx: VfsCtx, start: Loc, path: string, follow: boolean): Loc | number {
    const w = this.walk(ctx, start, path, follow);
    if (typeof w === "number") return w;
    if (!w.node || !w.loc) return err(Errno.ENOENT);
    if (w.trailing && !w.node.isDir) return err(Errno.ENOTDIR);
    return w.loc;
  }

  // ---- open ----

  /** open(2)/openat(2) semantics; `mode` is the creation mode before the umask. */
  open(ctx: VfsCtx, start: Loc, path: string, flags: number, mode: number): OpenFile | number {
    if ((flags & O.TMPFILE) === O.TMPFILE) return err(Errno.EOPNOTSUPP);
    const isPath = (flags & O.PATH) !== 0;
    if (isPath) flags &= O.PATH | O.DIRECTORY | O.NOFOLLOW | O.CLOEXEC;
    const acc = flags & O.ACCMODE;
    if (acc === O.ACCMODE) return err(Errno.EINVAL);
    const creat = (flags & O.CREAT) !== 0;
    const excl = creat && (flags & O.EXCL) !== 0;
    const follow = !(flags & O.NOFOLLOW) && !excl;
    const w = this.walk(ctx, start, path, follow);
    if (typeof w === "number") return w;
    let node = w.node;
    let loc = w.loc;
    if (!node || !loc) {
      if (!creat) return err(Errno.ENOENT);
      if (w.trailing) return err(Errno.EISDIR);
      const dir = top(w.parent);
      const made = this.#create(dir, w.name, S.IFREG | (mode & 0o7777 & ~ctx.umask));
      if (typeof made === "number") return made;
      node = made;
      loc = push(w.parent, w.name, node);
    } else {
      if (excl) return err(Errno.EEXIST);
      if (node.isLink && !isPath) return err(Errno.ELOOP);
      if (w.trailing && !node.isDir) return err(Errno.ENOTDIR);
      if (node.isDir && creat) return err(Errno.EISDIR);
      if ((flags & O.DIRECTORY) && !node.isDir) return err(Errno.ENOTDIR);
      if (node.isDir && acc !== O.RDONLY) return err(Errno.EISDIR);
      const modifies = acc !== O.RDONLY || (flags & O.TRUNC) !== 0;
      if (!isPath && modifies && node.sb.readOnly && (node.isReg || node.isDir)) {
        return err(node.sb.readOnly);
      }
    }
    const status = flags & ~(O.CREAT | O.EXCL | O.NOCTTY | O.TRUNC | O.CLOEXEC);
    const base = { inode: node, flags: status, path: locPath(loc), loc };
    if (isPath) return new OpenFile({ ...base, kind: "path" });
    if (node.isReg) {
      if ((flags & O.TRUNC) && acc !== O.RDONLY) {
        if (node.hostPath !== null) {
          node.data = new Uint8Array(0);
          node.dataLoaded = true;
        }
        if (node.size !== 0 || node.hostPath !== null) {
          node.truncate(0);
          node.mtime = node.ctime = this.now();
          if (node.hostPath !== null) node.dirty = true;
        }
      }
      if (!this.#loadData(node)) return err(Errno.EACCES);
      if (node.proc?.content) {
        return new OpenFile({ ...base, kind: "proc", content: node.proc.content(ctx) });
      }
      return new OpenFile({ ...base, kind: "reg" });
    }
    const kind: FileKind | null = node.isDir ? "dir" : node.type === S.IFCHR ? "chr" : null;
    if (!kind) return err(Errno.ENXIO);
    return new OpenFile({ ...base, kind });
  }

  /** Creates a regular file, directory or symlink entry in dir (mode includes the S_IF type). */
  #create(dir: Inode, name: string, mode: number, target = ""): Inode | number {
    if (dir.sb.readOnly) return err(dir.sb.readOnly);
    const now = this.now();
    const node = new Inode(dir.sb, mode, now);
    if (dir.hostPath !== null) {
      const path = joinHost(dir.hostPath, name);
      const type = mode & S.IFMT;
      if (type === S.IFDIR) {
        if (!this.#hostFs.mkdir(path, mode & 0o7777)) return err(Errno.EACCES);
      } else if (type === S.IFREG) {
        if (!this.#hostFs.writeFile(path, new Uint8Array(0))) return err(Errno.EACCES);
      } else {
        return err(Errno.EPERM);
      }
      node.hostPath = path;
    }
    if (node.isLink) {
      node.target = target;
      node.size = byteLength(target);
    }
    this.#entries(dir).set(name, node);
    if (node.isDir) dir.nlink++;
    dir.mtime = dir.ctime = now;
    return node;
  }

  // ---- namespace operations ----

  mkdir(ctx: VfsCtx, start: Loc, path: string, mode: number): number {
    const w = this.walk(ctx, start, path, false);
    if (typeof w === "number") return w;
    if (w.node) return err(Errno.EEXIST);
    const made = this.#create(top(w.parent), w.name, S.IFDIR | (mode & 0o1777 & ~ctx.umask));
    return typeof made === "number" ? made : 0;
  }

  rmdir(ctx: VfsCtx, start: Loc, path: string): number {
    const w = this.walk(ctx, start, path, false);
    if (typeof w === "number") return w;
    const node = w.node;
    if (!node) return err(Errno.ENOENT);
    if (w.name === ".") return err(node === this.root ? Errno.EBUSY : Errno.EINVAL);
    if (w.name === "..") return err(Errno.ENOTEMPTY);
    if (!node.isDir) return err(Errno.ENOTDIR);
    if (node.mountRoot) return err(Errno.EBUSY);
    const dir = top(w.parent);
    if (dir.sb.readOnly) return err(dir.sb.readOnly);
    if (this.#entries(node).size > 0) return err(Errno.ENOTEMPTY);
    if (node.hostPath !== null && !this.#hostFs.remove(node.hostPath)) return err(Errno.EACCES);
    this.#entries(dir).delete(w.name);
    dir.nlink--;
    node.nlink = 0;
    dir.mtime = dir.ctime = this.now();
    return 0;
  }

  unlink(ctx: VfsCtx, start: Loc, path: string): number {
    const w = this.walk(ctx, start, path, false);
    if (typeof w === "number") return w;
    const node = w.node;
    if (!node) return err(Errno.ENOENT);
    if (node.isDir) return err(Errno.EISDIR);
    if (w.trailing) return err(Errno.ENOTDIR);
    const dir = top(w.parent);
    if (dir.sb.readOnly) return err(dir.sb.readOnly);
    if (node.mountRoot) return err(Errno.EBUSY);
    if (node.hostPath !== null && !this.#hostFs.remove(node.hostPath)) return err(Errno.EACCES);
    this.#entries(dir).delete(w.name);
    const now = this.now();
    node.nlink--;
    node.ctime = now;
    dir.mtime = dir.ctime = now;
    return 0;
  }

  symlink(ctx: VfsCtx, target: string, start: Loc, path: string): number {
    if (target === "") return err(Errno.ENOENT);
    if (byteLength(target) >= PATH_MAX) return err(Errno.ENAMETOOLONG);
    const w = this.walk(ctx, start, path, false);
    if (typeof w === "number") return w;
    if (w.node) return err(Errno.EEXIST);
    if (w.trailing) return err(Errno.ENOENT);
    const made = this.#create(top(w.parent), w.name, S.IFLNK | 0o777, target);
    return typeof made === "number" ? made : 0;
  }

  readlink(ctx: VfsCtx, start: Loc, path: string): string | number {
    const w = this.walk(ctx, start, path, false);
    if (typeof w === "number") return w;
    if (!w.node) return err(Errno.ENOENT);
    if (!w.node.isLink) return err(Errno.EINVAL);
    return this.linkTarget(ctx, w.node);
  }

  link(
    ctx: VfsCtx,
    oldStart: Loc,
    oldPath: string,
    newStart: Loc,
    newPath: string,
    follow: boolean,
  ): number {
    const a = this.walk(ctx, oldStart, oldPath, follow);
    if (typeof a === "number") return a;
    if (!a.node) return err(Errno.ENOENT);
    if (a.trailing && !a.node.isDir) return err(Errno.ENOTDIR);
    const b = this.walk(ctx, newStart, newPath, false);
    if (typeof b === "number") return b;
    if (b.node) return err(Errno.EEXIST);
    if (b.trailing) return err(Errno.ENOENT);
    const dir = top(b.parent);
    if (dir.sb !== a.node.sb) return err(Errno.EXDEV);
    if (dir.sb.readOnly) return err(dir.sb.readOnly);
    if (a.node.isDir) return err(Errno.EPERM);
    if (dir.hostPath !== null) return err(Errno.EPERM);
    const now = this.now();
    this.#entries(dir).set(b.name, a.node);
    a.node.nlink++;
    a.node.ctime = now;
    dir.mtime = dir.ctime = now;
    return 0;
  }

  rename(
    ctx: VfsCtx,
    oldStart: Loc,
    oldPath: string,
    newStart: Loc,
    newPath: string,
    flags: number,
  ): number {
    const known = RENAME.NOREPLACE | RENAME.EXCHANGE;
    if ((flags & ~known) !== 0 || flags === known) return err(Errno.EINVAL);
    const exchange = (flags & RENAME.EXCHANGE) !== 0;
    const a = this.walk(ctx, oldStart, oldPath, false);
    if (typeof a === "number") return a;
    const b = this.walk(ctx, newStart, newPath, false);
    if (typeof b === "number") return b;
    const srcDir = top(a.parent);
    const dstDir = top(b.parent);
    if (srcDir.sb !== dstDir.sb) return err(Errno.EXDEV);
    const special = (n: string) => n === "." || n === "..";
    if (special(a.name)) return err(Errno.EBUSY);
    if (special(b.name)) return err(flags & RENAME.NOREPLACE ? Errno.EEXIST : Errno.EBUSY);
    const src = a.node;
    const dst = b.node;
    if (!src) return err(Errno.ENOENT);
    if (exchange && !dst) return err(Errno.ENOENT);
    if ((flags & RENAME.NOREPLACE) && dst) return err(Errno.EEXIST);
    if (srcDir.sb.readOnly) return err(srcDir.sb.readOnly);
    if ((a.trailing || b.trailing) && !src.isDir) return err(Errno.ENOTDIR);
    if (src.mountRoot || dst?.mountRoot) return err(Errno.EBUSY);
    if (dst === src) return 0;
    if (src.isDir && b.parent.nodes.includes(src)) return err(Errno.EINVAL);
    if (exchange && dst!.isDir && a.parent.nodes.includes(dst!)) return err(Errno.EINVAL);
    if (dst && !exchange) {
      if (src.isDir && !dst.isDir) return err(Errno.ENOTDIR);
      if (!src.isDir && dst.isDir) return err(Errno.EISDIR);
      if (dst.isDir && this.#entries(dst).size > 0) return err(Errno.ENOTEMPTY);
    }
    const hostErr = this.#hostRename(srcDir, a.name, dstDir, b.name, exchange);
    if (hostErr) return hostErr;
    const srcMap = this.#entries(srcDir);
    const dstMap = this.#entries(dstDir);
    const now = this.now();
    if (exchange) {
      srcMap.set(a.name, dst!);
      dstMap.set(b.name, src);
      if (src.isDir !== dst!.isDir && srcDir !== dstDir) {
        const delta = src.isDir ? 1 : -1;
        dstDir.nlink += delta;
        srcDir.nlink -= delta;
      }
      dst!.ctime = now;
    } else {
      srcMap.delete(a.name);
      if (dst) {
        dst.nlink = dst.isDir ? 0 : dst.nlink - 1;
        if (dst.isDir) dstDir.nlink--;
        dst.ctime = now;
      }
      dstMap.set(b.name, src);
      if (src.isDir) {
        srcDir.nlink--;
        dstDir.nlink++;
      }
    }
    src.ctime = now;
    srcDir.mtime =
      srcDir.ctime =
      dstDir.mtime =
      dstDir.ctime =
        now;
    if (srcDir.hostPath !== null) {
      this.#rehome(src, joinHost(dstDir.hostPath!, b.name));
      if (exchange) this.#rehome(dst!, joinHost(srcDir.hostPath, a.name));
    }
    return 0;
  }

  /** Performs a rename on the host for host-backed directories; 0 or -errno. */
  #hostRename(srcDir: Inode, a: string, dstDir: Inode, b: string, exchange: boolean): number {
    if (srcDir.hostPath === null || dstDir.hostPath === null) return 0;
    const from = joinHost(srcDir.hostPath, a);
    const to = joinHost(dstDir.hostPath, b);
    // flush before the path changes so pending writes land in the right file
    for (const node of [this.#entries(srcDir).get(a), this.#entries(dstDir).get(b)]) {
      if (node) flushHost(node);
    }
    if (!exchange) return this.#hostFs.rename(from, to) ? 0 : err(Errno.EACCES);
    const tmp = joinHost(srcDir.hostPath, `.dejavu-exchange-${srcDir.ino}`);
    if (!this.#hostFs.rename(from, tmp)) return err(Errno.EACCES);
    if (!this.#hostFs.rename(to, from)) {
      this.#hostFs.rename(tmp, from);
      return err(Errno.EACCES);
    }
    return this.#hostFs.rename(tmp, to) ? 0 : err(Errno.EIO);
  }

  // ---- content and metadata ----

  /** Sets a regular file's size (truncate/ftruncate/O_TRUNC). */
  truncateInode(node: Inode, len: number): number {
    if (node.isDir) return err(Errno.EISDIR);
    if (!node.isReg) return err(Errno.EINVAL);
    if (node.sb.readOnly) return err(node.sb.readOnly);
    if (len < 0) return err(Errno.EINVAL);
    if (!this.#loadData(node)) return err(Errno.EACCES);
    node.truncate(len);
    node.mtime = node.ctime = this.now();
    if (node.hostPath !== null) {
      node.dirty = true;
      if (!flushHost(node)) return err(Errno.EIO);
    }
    return 0;
  }

  /** access(2) as root: R/W always allowed (EROFS for writes on read-only mounts), X needs an x bit. */
  access(node: Inode, mode: number): number {
    if (mode & ~(AccessMode.R_OK | AccessMode.W_OK | AccessMode.X_OK)) return err(Errno.EINVAL);
    if ((mode & AccessMode.W_OK) && node.sb.readOnly === Errno.EROFS) {
      if (node.isReg || node.isDir || node.isLink) return err(Errno.EROFS);
    }
    if ((mode & AccessMode.X_OK) && !node.isDir && !(node.mode & 0o111)) return err(Errno.EACCES);
    return 0;
  }

  /** Directory listing for getdents: ".", "..", then the names sorted. */
  listDir(ctx: VfsCtx, loc: Loc): DirEntry[] {
    const dir = top(loc);
    const parent = top(up(loc));
    const out: DirEntry[] = [
      { name: ".", ino: dir.ino, type: DT.DIR },
      { name: "..", ino: parent.ino, type: DT.DIR },
    ];
    if (!dir.isDir || (dir.nlink === 0 && !dir.proc)) return dir.nlink === 0 ? [] : out;
    for (const name of this.#names(ctx, dir)) {
      const child = this.#lookup(ctx, dir, name);
      if (child) out.push({ name, ino: child.ino, type: direntType(child) });
    }
    return out;
  }

  /** st_size as stat reports it (tmpfs-style sizes for directories). */
  statSize(node: Inode): number {
    if (node.isDir) {
      return node.proc ? 0 : (this.#entries(node).size + 2) * BOGO_DIRENT;
    }
    return node.size;
  }

  /** A new pipe: [read end, write end]. `flags` may hold O_NONBLOCK / O_DIRECT. */
  createPipe(flags: number): [OpenFile, OpenFile] {
    const inode = new Inode(this.#pipeSb, S.IFIFO | 0o600, this.now());
    const pipe = new Pipe();
    pipe.readers = 1;
    pipe.writers = 1;
    const extra = flags & (O.NONBLOCK | O.DIRECT);
    const path = `pipe:[${inode.ino}]`;
    return [
      new OpenFile({ kind: "pipe", inode, flags: O.RDONLY | extra, path, pipe }),
      new OpenFile({ kind: "pipe", inode, flags: O.WRONLY | extra, path, pipe }),
    ];
  }

  /** Writes every dirty host file back (sync(2), exit). */
  sync(): void {
    const visit = (node: Inode, seen: Set<Inode>) => {
      if (seen.has(node)) return;
      seen.add(node);
      if (node.dirty) flushHost(node);
      if (node.entries) { for (const child of node.entries.values()) visit(child, seen); }
    };
    visit(this.root, new Set());
  }
}

/** A context for boot-time walks (before any process exists). */
function bootCtx(): VfsCtx {
  return { pid: 0, cwd: "/", umask: 0o022, fds: { entries: () => [] } as unknown as VfsCtx["fds"] };
}
