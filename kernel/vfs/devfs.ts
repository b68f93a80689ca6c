/** @module /dev: the character devices (null, zero, full, random, urandom), /dev/shm and the fd links. */
import { Errno } from "../abi/errno.ts";
import { encodeDev, S } from "../abi/stat.ts";
import { type CharDevice, Inode, type SuperBlock } from "./inode.ts";

const NULL_DEV: CharDevice = { read: () => 0, write: (d) => d.length };
const ZERO_DEV: CharDevice = { read: (out) => (out.fill(0), out.length), write: (d) => d.length };
const FULL_DEV: CharDevice = {
  read: (out) => (out.fill(0), out.length),
  write: () => -Errno.ENOSPC,
};

/** Builds the /dev directory on its own superblock. `randomFill` is the kernel's seeded stream. */
export function buildDev(
  sb: SuperBlock,
  now: bigint,
  randomFill: (out: Uint8Array) => void,
): Inode {
  const dev = new Inode(sb, S.IFDIR | 0o755, now);
  const random: CharDevice = {
    read: (out) => (randomFill(out), out.length),
    write: (d) => d.length,
  };
  const devices: [string, number, CharDevice][] = [
    ["null", 3, NULL_DEV],
    ["zero", 5, ZERO_DEV],
    ["full", 7, FULL_DEV],
    ["random", 8, random],
    ["urandom", 9, random],
  ];
  for (const [name, minor, chr] of devices) {
    const node = new Inode(sb, S.IFCHR | 0o666, now);
    node.rdev = encodeDev(1, minor);
    node.chr = chr;
    dev.entries!.set(name, node);
  }
  const shm = new Inode(sb, S.IFDIR | 0o1777, now);
  dev.entries!.set("shm", shm);
  dev.nlink++;
  const links: [string, string][] = [
    ["fd", "/proc/self/fd"],
    ["stdin", "/proc/self/fd/0"],
    ["stdout", "/proc/self/fd/1"],
    ["stderr", "/proc/self/fd/2"],
  ];
  for (const [name, target] of links) {
    const node = new Inode(sb, S.IFLNK | 0o777, now);
    node.target = target;
    node.size = target.length;
    dev.entries!.set(name, node);
  }
  return dev;
}
