/** @module Linux i386 file-type bits, struct stat64/statx layouts and dirent types. */

/** st_mode file-type and permission bits (linux/stat.h). */
export const S = {
  IFMT: 0o170000,
  IFSOCK: 0o140000,
  IFLNK: 0o120000,
  IFREG: 0o100000,
  IFBLK: 0o060000,
  IFDIR: 0o040000,
  IFCHR: 0o020000,
  IFIFO: 0o010000,
  ISUID: 0o4000,
  ISGID: 0o2000,
  ISVTX: 0o1000,
} as const;

/** linux_dirent64 d_type values. */
export const DT = {
  UNKNOWN: 0,
  FIFO: 1,
  CHR: 2,
  DIR: 4,
  BLK: 6,
  REG: 8,
  LNK: 10,
  SOCK: 12,
} as const;

/** Byte offsets in the i386 struct stat64 (96 bytes; checked against gcc -m32 offsetof). */
export const STAT64 = {
  SIZE: 96,
  DEV: 0,
  INO32: 12,
  MODE: 16,
  NLINK: 20,
  UID: 24,
  GID: 28,
  RDEV: 32,
  FSIZE: 44,
  BLKSIZE: 52,
  BLOCKS: 56,
  ATIME: 64,
  ATIME_NSEC: 68,
  MTIME: 72,
  MTIME_NSEC: 76,
  CTIME: 80,
  CTIME_NSEC: 84,
  INO: 88,
} as const;

/** Byte offsets in struct statx (256 bytes). Each timestamp is { s64 sec; u32 nsec; s32 pad }. */
export const STATX = {
  SIZE: 256,
  MASK: 0,
  BLKSIZE: 4,
  ATTRIBUTES: 8,
  NLINK: 16,
  UID: 20,
  GID: 24,
  MODE: 28,
  INO: 32,
  FSIZE: 40,
  BLOCKS: 48,
  ATTRIBUTES_MASK: 56,
  ATIME: 64,
  BTIME: 80,
  CTIME: 96,
  MTIME: 112,
  RDEV_MAJOR: 128,
  RDEV_MINOR: 132,
  DEV_MAJOR: 136,
  DEV_MINOR: 140,
  MNT_ID: 144,
} as const;

/** statx mask bits. */
export const STATX_MASK = {
  TYPE: 0x1,
  MODE: 0x2,
  NLINK: 0x4,
  UID: 0x8,
  GID: 0x10,
  ATIME: 0x20,
  MTIME: 0x40,
  CTIME: 0x80,
  INO: 0x100,
  SIZE: 0x200,
  BLOCKS: 0x400,
  BASIC_STATS: 0x7ff,
  BTIME: 0x800,
  MNT_ID: 0x1000,
} as const;

/** Kernel dev_t encoding (new_encode_dev), as stat64 reports st_dev/st_rdev. */
export function encodeDev(major: number, minor: number): number {
  return ((minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xff) << 12)) >>> 0;
}
