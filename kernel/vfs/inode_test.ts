import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { S } from "../abi/stat.ts";
import { Inode, type SuperBlock } from "./inode.ts";

function file(): Inode {
  const sb: SuperBlock = { dev: 1, type: "tmpfs", readOnly: 0, nextIno: 1, now: () => 0n };
  return new Inode(sb, S.IFREG | 0o644, 0n);
}

Deno.test("Inode.truncate() to 1 GiB allocates no page and reads zeros", () => {
  const n = file();
  n.truncate(1 << 30);
  assertEquals(n.size, 1 << 30);
  assertEquals(n.allocatedPages, 0);
  assertEquals([...n.readAt((1 << 30) - 3, 10)], [0, 0, 0]);
  n.writeAt(0, new Uint8Array([120]));
  assertEquals(n.allocatedPages, 1);
  n.writeAt((1 << 30) + 4095, new Uint8Array([1, 2]));
  assertEquals(n.allocatedPages, 3);
  assertEquals(n.size, (1 << 30) + 4097);
});

Deno.test("Inode.writeAt() and readAt() cross page boundaries", () => {
  const n = file();
  const bytes = Uint8Array.from({ length: 10000 }, (_, i) => i & 0xff);
  n.writeAt(3000, bytes);
  assertEquals(n.size, 13000);
  assertEquals(n.allocatedPages, 4);
  assertEquals(n.readAt(3000, 20000), bytes);
  assertEquals([...n.readAt(2998, 4)], [0, 0, 0, 1]);
  assertEquals(n.data.length, 13000);
  assertEquals(n.data.subarray(3000), bytes);
});

Deno.test("Inode.truncate() shrinking frees pages and zeroes the cut tail", () => {
  const n = file();
  n.writeAt(0, new Uint8Array(9000).fill(7));
  n.truncate(4100);
  assertEquals(n.allocatedPages, 2);
  n.truncate(9000);
  assertEquals([...n.readAt(4098, 4)], [7, 7, 0, 0]);
  assertEquals(n.readAt(8000, 1000), new Uint8Array(1000));
  n.truncate(0);
  assertEquals(n.allocatedPages, 0);
});

Deno.test("Inode.data setter loads content and keeps size separate", () => {
  const n = file();
  n.data = new Uint8Array(5000).fill(3);
  n.size = 5000;
  assertEquals(n.allocatedPages, 2);
  assertEquals(n.readAt(4990, 100), new Uint8Array(10).fill(3));
});
