import assert from "node:assert/strict";
import { Memory } from "../../core/memory.ts";
import { AT } from "../abi/auxv.ts";
import { buildInitialStack, STACK_BOTTOM, STACK_TOP } from "./initial_stack.ts";

function setup(argv = ["prog", "a1"], env = ["HOME=/root", "X=1"]) {
  const mem = new Memory();
  const random = new Uint8Array(16).map((_, i) => i + 1);
  const s = buildInitialStack(mem, {
    argv,
    env,
    execfn: "/bin/prog",
    random,
    hwcap: 0x1234,
    phdr: 0x08048034,
    phnum: 3,
    entry: 0x08049000,
    base: 0,
    uid: 0,
    gid: 0,
    prot: 3,
  });
  const word = (a: number) => mem.read32(a) >>> 0;
  const str = (a: number) => {
    let s = "";
    for (let c = mem.read8(a); c !== 0; c = mem.read8(++a)) s += String.fromCharCode(c);
    return s;
  };
  return { mem, s, word, str };
}

Deno.test("buildInitialStack() writes argc, argv, envp and 16-byte aligned esp", () => {
  const { s, word, str } = setup();
  assert.equal(s.esp % 16, 0);
  assert.equal(word(s.esp), 2);
  assert.equal(str(word(s.esp + 4)), "prog");
  assert.equal(str(word(s.esp + 8)), "a1");
  assert.equal(word(s.esp + 12), 0);
  assert.equal(str(word(s.esp + 16)), "HOME=/root");
  assert.equal(str(word(s.esp + 20)), "X=1");
  assert.equal(word(s.esp + 24), 0);
});

Deno.test("buildInitialStack() writes the auxv in Linux order without AT_SYSINFO", () => {
  const { s, word } = setup();
  const tags: number[] = [];
  for (let a = s.esp + 28;; a += 8) {
    tags.push(word(a));
    if (word(a) === AT.NULL) break;
  }
  assert.deepEqual(tags, [
    AT.HWCAP,
    AT.PAGESZ,
    AT.CLKTCK,
    AT.PHDR,
    AT.PHENT,
    AT.PHNUM,
    AT.BASE,
    AT.FLAGS,
    AT.ENTRY,
    AT.UID,
    AT.EUID,
    AT.GID,
    AT.EGID,
    AT.SECURE,
    AT.RANDOM,
    AT.EXECFN,
    AT.PLATFORM,
    AT.NULL,
  ]);
  assert.equal(word(s.esp + 28 + 4), 0x1234);
  assert.equal(word(s.esp + 28 + 8 + 4), 4096);
});

Deno.test("buildInitialStack() places strings at the top like create_elf_tables", () => {
  const { mem, s, word, str } = setup();
  assert.equal(word(STACK_TOP - 4), 0);
  assert.equal(str(s.execfnAddr), "/bin/prog");
  assert.equal(s.execfnAddr, STACK_TOP - 4 - "/bin/prog".length - 1);
  // argv strings lowest, then env, then execfn
  assert.ok(word(s.esp + 4) < word(s.esp + 16));
  assert.equal(str(s.platformAddr), "i686");
  assert.equal((s.platformAddr + 5) % 16, 0);
  assert.deepEqual([...mem.readBytes(s.randomAddr, 16)], [...Array(16).keys()].map((i) => i + 1));
  assert.equal(s.randomAddr + 16, s.platformAddr);
  assert.ok(mem.isMapped(STACK_BOTTOM >>> 12));
  assert.ok(!mem.isMapped((STACK_BOTTOM >>> 12) - 1));
});
