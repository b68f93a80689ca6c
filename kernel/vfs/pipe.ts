/** @module In-memory pipes: a bounded byte queue shared by a read end and a write end. */
import { Errno } from "../abi/errno.ts";

/**
 * Result code for an operation that would block. Threads and blocking come later, so a blocking
 * read of an empty pipe with live writers (or a write to a full pipe) would deadlock a single
 * thread: it reports -EDEADLK. O_NONBLOCK ends report -EAGAIN instead.
 */
export const WOULD_BLOCK = -Errno.EDEADLK;

/** Linux default pipe capacity (16 pages). */
export const PIPE_CAPACITY = 65536;

export class Pipe {
  #buf = new Uint8Array(PIPE_CAPACITY);
  #len = 0;
  readers = 0;
  writers = 0;
  capacity = PIPE_CAPACITY;

  get available(): number {
    return this.#len;
  }

  /** Takes up to max bytes; 0 at EOF (no writers), -EAGAIN / WOULD_BLOCK when empty. */
  read(max: number, nonblock: boolean): Uint8Array | number {
    if (max === 0) return new Uint8Array(0);
    if (this.#len === 0) {
      if (this.writers === 0) return new Uint8Array(0);
      return nonblock ? -Errno.EAGAIN : WOULD_BLOCK;
    }
    const n = Math.min(max, this.#len);
    const out = this.#buf.slice(0, n);
    this.#buf.copyWithin(0, n, this.#len);
    this.#len -= n;
    return out;
  }

  /** Appends what fits; -EPIPE without readers, -EAGAIN / WOULD_BLOCK when full. */
  write(data: Uint8Array, nonblock: boolean): number {
    if (data.length === 0) return 0;
    if (this.readers === 0) return -Errno.EPIPE;
    const space = this.capacity - this.#len;
    // writes up to PIPE_BUF (4096) are atomic: all or nothing
    if (space === 0 || (nonblock && data.length <= 4096 && space < data.length)) {
      return nonblock ? -Errno.EAGAIN : WOULD_BLOCK;
    }
    const n = Math.min(space, data.length);
    if (this.#buf.length < this.#len + n) {
      const next = new Uint8Array(this.capacity);
      next.set(this.#buf.subarray(0, this.#len));
      this.#buf = next;
    }
    this.#buf.set(data.subarray(0, n), this.#len);
    this.#len += n;
    return n;
  }
}
