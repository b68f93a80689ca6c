/** @module Linux poll(2)/select(2) constants: the POLL* event bits and the select readiness sets. */

export const POLL = {
  IN: 0x1,
  PRI: 0x2,
  OUT: 0x4,
  ERR: 0x8,
  HUP: 0x10,
  NVAL: 0x20,
  RDNORM: 0x40,
  RDBAND: 0x80,
  WRNORM: 0x100,
  WRBAND: 0x200,
  MSG: 0x400,
  RDHUP: 0x2000,
} as const;

/** What a file without a poll method reports: always readable and writable (DEFAULT_POLLMASK). */
export const DEFAULT_POLLMASK: number = POLL.IN | POLL.OUT | POLL.RDNORM | POLL.WRNORM;

/** Events that make select(2) report an fd readable, writable or exceptional (fs/select.c). */
export const POLLIN_SET: number = POLL.RDNORM | POLL.RDBAND | POLL.IN | POLL.HUP | POLL.ERR;
export const POLLOUT_SET: number = POLL.WRBAND | POLL.WRNORM | POLL.OUT | POLL.ERR;
export const POLLEX_SET: number = POLL.PRI;
