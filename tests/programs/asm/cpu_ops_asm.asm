; cpu_ops_asm: one line per integer instruction form:
;   label eax ebx ecx edx esi edi f=(eflags & flags the instruction defines)
; Covers ALU ops on 8/16/32-bit operands, shifts and rotates, shld/shrd,
; mul/imul/div/idiv, bit ops incl. memory bit strings, bsf/bsr, bswap, setcc,
; cmovcc, cmpxchg/cmpxchg8b/xadd, lahf/sahf, BCD adjusts, string ops with rep
; and DF=1, enter/leave, ret imm, loop/jecxz, xlat and lea.
%include "lib.inc"
global _start

%macro SET4 4
  mov eax, %1
  mov ebx, %2
  mov ecx, %3
  mov edx, %4
%endmacro

%macro CLR2 0
  xor esi, esi
  xor edi, edi
%endmacro

section .data
align 4
mem1: dd 0x89abcdef, 0x01234567
bitstr_lo: dd 0, 0, 0, 0
bitstr: dd 0x0000ff00, 0x80000001, 0, 0, 0, 0
qword_a: dd 0x11111111, 0x22222222
xlat_tab: db "0123456789abcdef"
src_str: db "The quick brown fox jumps!", 0
src_len equ $ - src_str
cmp_a: db "abcdefgh"
cmp_b: db "abcdXfgh"

section .bss
align 4
dst_buf: resb 64
cc_buf: resb 16

section .text
_start:
  CLR2
  ; ---- add/adc/sub/sbb/cmp/neg/inc/dec, 32-bit ----
  SET4 0x7fffffff, 1, 0, 0
  add eax, ebx
  DUMP "add32 ovf", F_ALL
  SET4 0xffffffff, 1, 0, 0
  add eax, ebx
  DUMP "add32 carry", F_ALL
  SET4 0x0000000f, 1, 0, 0
  add eax, ebx
  DUMP "add32 aux", F_ALL
  SET4 0xffffffff, 0, 0, 0
  stc
  adc eax, ebx
  DUMP "adc32 cin", F_ALL
  SET4 0x7ffffffe, 1, 0, 0
  stc
  adc eax, ebx
  DUMP "adc32 ovf", F_ALL
  SET4 0, 1, 0, 0
  sub eax, ebx
  DUMP "sub32 borrow", F_ALL
  SET4 0x80000000, 1, 0, 0
  sub eax, ebx
  DUMP "sub32 ovf", F_ALL
  SET4 5, 5, 0, 0
  stc
  sbb eax, ebx
  DUMP "sbb32 bin", F_ALL
  SET4 0, 0xffffffff, 0, 0
  stc
  sbb eax, ebx
  DUMP "sbb32 bin2", F_ALL
  SET4 5, 7, 0, 0
  cmp eax, ebx
  DUMP "cmp32 lt", F_ALL
  SET4 0x80000000, 0x7fffffff, 0, 0
  cmp eax, ebx
  DUMP "cmp32 ovf", F_ALL
  SET4 0, 0, 0, 0
  neg eax
  DUMP "neg32 zero", F_ALL
  SET4 0x80000000, 0, 0, 0
  neg eax
  DUMP "neg32 min", F_ALL
  SET4 5, 0, 0, 0
  neg eax
  DUMP "neg32 five", F_ALL
  SET4 0x7fffffff, 0, 0, 0
  clc
  inc eax
  DUMP "inc32 ovf keeps cf0", F_ALL
  SET4 0, 0, 0, 0
  stc
  dec eax
  DUMP "dec32 keeps cf1", F_ALL
  SET4 0x0000000f, 0, 0, 0
  inc eax
  DUMP "inc32 aux", F_ALL
  SET4 0x12345678, 0, 0, 0
  add eax, 0x7fffffff
  DUMP "add32 imm", F_ALL
  SET4 0x12345678, 0, 0, 0
  sub eax, byte -3
  DUMP "sub32 imm8", F_ALL
  mov eax, 0x40
  add dword [mem1], eax
  mov eax, [mem1]
  sub dword [mem1], 0x40
  DUMP "add32 mem", F_ALL

  ; ---- logic ----
  SET4 0xf0f0f0f0, 0x0ff00ff0, 0, 0
  and eax, ebx
  DUMP "and32", F_LOGIC
  SET4 0xf0f0f0f0, 0x0ff00ff0, 0, 0
  or eax, ebx
  DUMP "or32", F_LOGIC
  SET4 0xf0f0f0f0, 0xf0f0f0f0, 0, 0
  xor eax, ebx
  DUMP "xor32 zero", F_LOGIC
  SET4 0x80000000, 0x80000001, 0, 0
  test eax, ebx
  DUMP "test32", F_LOGIC
  SET4 0x12345678, 0, 0, 0
  not eax
  DUMP "not32", F_ALL

  ; ---- 8 and 16-bit forms keep the other bits ----
  SET4 0xdeadbeff, 0x12345601, 0, 0
  add al, bl
  DUMP "add8", F_ALL
  SET4 0xdead7fef, 0x12340100, 0, 0
  add ah, bh
  DUMP "add8 high", F_ALL
  SET4 0xdeadbe00, 0x12345601, 0, 0
  sub al, bl
  DUMP "sub8", F_ALL
  SET4 0xdead7fff, 0x12340001, 0, 0
  add ax, bx
  DUMP "add16", F_ALL
  SET4 0xdeadffff, 0x12340000, 0, 0
  stc
  adc ax, bx
  DUMP "adc16", F_ALL
  SET4 0xdead8000, 0x12340001, 0, 0
  sbb ax, bx
  DUMP "sbb16", F_ALL
  SET4 0xdeadbe80, 0, 0, 0
  neg al
  DUMP "neg8 min", F_ALL
  SET4 0xdeadbeef, 0, 0, 0
  xchg ah, al
  not ax
  DUMP "xchg8 not16", F_ALL
  SET4 0xdead00ff, 0, 0, 0
  inc al
  DUMP "inc8 wrap", F_ALL
  SET4 0x11112222, 0x33334444, 0, 0
  xchg ax, bx
  DUMP "xchg16", 0

  ; ---- shifts and rotates ----
  SET4 0x80000001, 0, 0, 0
  shl eax, 1
  DUMP "shl32 1", F_LOGIC
  SET4 0x0f000001, 0, 4, 0
  shl eax, cl
  DUMP "shl32 4", F_SHN
  SET4 0x80000001, 0, 0, 0
  shr eax, 1
  DUMP "shr32 1", F_LOGIC
  SET4 0x80000003, 0, 33, 0
  shr eax, cl
  DUMP "shr32 33 masked", F_LOGIC
  SET4 0x80000010, 0, 4, 0
  sar eax, cl
  DUMP "sar32 4", F_SHN
  SET4 0xffffffff, 0, 0, 0
  sar eax, 1
  DUMP "sar32 1", F_LOGIC
  SET4 0x12345678, 0, 0, 0
  stc
  shl eax, cl
  DUMP "shl32 0 keeps flags", F_ALL
  SET4 0xdeadbe81, 0, 3, 0
  shl al, cl
  DUMP "shl8 3", F_SHN
  SET4 0xdeadbe81, 0, 9, 0
  shr al, cl
  DUMP "shr8 9", F_PF | F_ZF | F_SF
  SET4 0xdead8001, 0, 0, 0
  sar ax, 15
  DUMP "sar16 15", F_SHN
  SET4 0x80000001, 0, 0, 0
  rol eax, 1
  DUMP "rol32 1", F_ROT
  SET4 0x80000001, 0, 0, 0
  ror eax, 1
  DUMP "ror32 1", F_ROT
  SET4 0x12345678, 0, 12, 0
  rol eax, cl
  DUMP "rol32 12", F_CF
  SET4 0x12345678, 0, 20, 0
  ror eax, cl
  DUMP "ror32 20", F_CF
  SET4 0xdeadbe81, 0, 0x13, 0
  rol al, cl
  DUMP "rol8 19", F_CF
  SET4 0x80000000, 0, 0, 0
  stc
  rcl eax, 1
  DUMP "rcl32 1", F_ROT
  SET4 0x00000001, 0, 0, 0
  clc
  rcr eax, 1
  DUMP "rcr32 1", F_ROT
  SET4 0x12345678, 0, 7, 0
  stc
  rcl eax, cl
  DUMP "rcl32 7", F_CF
  SET4 0x12345678, 0, 31, 0
  stc
  rcr eax, cl
  DUMP "rcr32 31", F_CF
  SET4 0xdeadbea5, 0, 5, 0
  stc
  rcl al, cl
  DUMP "rcl8 5", F_CF
  SET4 0xdeada5a5, 0, 3, 0
  clc
  rcr ax, cl
  DUMP "rcr16 3", F_CF
  SET4 0x12345678, 0x9abcdef0, 8, 0
  shld eax, ebx, cl
  DUMP "shld32 8", F_SHN
  SET4 0x12345678, 0x9abcdef0, 4, 0
  shrd eax, ebx, cl
  DUMP "shrd32 4", F_SHN
  SET4 0x40000000, 0x80000000, 0, 0
  shld eax, ebx, 1
  DUMP "shld32 1", F_LOGIC
  SET4 0x00000001, 0x00000001, 0, 0
  shrd eax, ebx, 1
  DUMP "shrd32 1", F_LOGIC
  SET4 0xdead1234, 0xbeef5678, 0, 0
  shld ax, bx, 4
  DUMP "shld16 4", F_SHN
  SET4 0xdead1234, 0xbeef5678, 36, 0
  shrd eax, ebx, cl
  DUMP "shrd32 36 masked", F_SHN

  ; ---- multiply and divide ----
  SET4 0xffffffff, 0xffffffff, 0, 0
  mul ebx
  DUMP "mul32 max", F_MUL
  SET4 1000, 1000, 0, 0x55555555
  mul ebx
  DUMP "mul32 small", F_MUL
  SET4 -2, 3, 0, 0
  imul ebx
  DUMP "imul32 1op", F_MUL
  SET4 0x40000000, 4, 0, 0
  imul eax, ebx
  DUMP "imul32 2op ovf", F_MUL
  SET4 0, -7, 0, 0
  imul eax, ebx, 0x10
  DUMP "imul32 3op", F_MUL
  SET4 0, 0, 0, 0
  imul eax, [mem1 + 4], -3
  DUMP "imul32 mem imm8", F_MUL
  SET4 0xdeadbe10, 0x20, 0, 0
  mul bl
  DUMP "mul8", F_MUL
  SET4 0xdeadbe80, 0x7f, 0, 0
  imul bl
  DUMP "imul8", F_MUL
  SET4 0xdead1234, 0x5678, 0, 0xcafe0000
  mul bx
  DUMP "mul16", F_MUL
  SET4 0x9abcdef0, 0x12345, 0, 0x1234
  div ebx
  DUMP "div32", 0
  SET4 -7, 2, 0, 0
  cdq
  idiv ebx
  DUMP "idiv32 neg", 0
  SET4 7, -2, 0, 0
  cdq
  idiv ebx
  DUMP "idiv32 negdiv", 0
  SET4 0xdead03e9, 0x10, 0, 0
  div bl
  DUMP "div8", 0
  SET4 0xdeadfff9, 0xfe, 0, 0
  idiv bl
  DUMP "idiv8", 0
  SET4 0xdead0001, 0x7, 0, 0xbeef0002
  div bx
  DUMP "div16", 0
  SET4 0x12345680, 0, 0, 0
  cbw
  DUMP "cbw", 0
  SET4 0x1234ff80, 0, 0, 0
  cwde
  DUMP "cwde", 0
  SET4 0x80000000, 0, 0, 0x1234
  cdq
  DUMP "cdq", 0
  SET4 0x00008000, 0, 0, 0x12345678
  cwd
  DUMP "cwd", 0
  SET4 0, 0, 0, 0
  movsx eax, byte [mem1]
  movzx ebx, byte [mem1]
  movsx ecx, word [mem1 + 2]
  movzx edx, word [mem1 + 2]
  DUMP "movsx movzx", 0
  SET4 0xdeadbeef, 0, 0, 0
  movsx ax, al
  DUMP "movsx16", 0

  ; ---- bit ops ----
  SET4 0x00000020, 5, 0, 0
  bt eax, ebx
  DUMP "bt32 set", F_CF
  SET4 0x00000020, 37, 0, 0
  bts eax, ebx
  DUMP "bts32 masked", F_CF
  SET4 0xffffffff, 31, 0, 0
  btr eax, ebx
  DUMP "btr32", F_CF
  SET4 0x0000ffff, 0, 0, 0
  btc eax, 16
  DUMP "btc32 imm", F_CF
  SET4 0, 40, 0, 0
  bt dword [bitstr], ebx
  setc dl
  bts dword [bitstr], ebx
  mov eax, [bitstr + 4]
  DUMP "bts mem +40", F_CF
  SET4 0, -1, 0, 0
  bts dword [bitstr], ebx
  mov eax, [bitstr - 4]
  mov ecx, [bitstr_lo + 12]
  DUMP "bts mem -1", F_CF
  SET4 0, 100, 0, 0
  btc dword [bitstr], ebx
  mov eax, [bitstr + 12]
  DUMP "btc mem +100", F_CF
  SET4 0, 0, 0, 0
  btr dword [bitstr], 8
  mov eax, [bitstr]
  DUMP "btr mem imm", F_CF
  SET4 0, 0x00f00800, 0, 0
  bsf eax, ebx
  bsr ecx, ebx
  DUMP "bsf bsr", F_ZF
  SET4 0x1234, 0, 0x5678, 0
  bsf ebp, ebx
  DUMP "bsf zero src zf", F_ZF
  SET4 0, 0x0100, 0, 0
  bsr ax, bx
  DUMP "bsr16", F_ZF
  SET4 0x12345678, 0, 0, 0
  bswap eax
  DUMP "bswap", 0

  ; ---- setcc, cmovcc ----
%macro ALLCC 1
  setO byte [cc_buf + 0]
  setNO byte [cc_buf + 1]
  setB byte [cc_buf + 2]
  setAE byte [cc_buf + 3]
  setE byte [cc_buf + 4]
  setNE byte [cc_buf + 5]
  setBE byte [cc_buf + 6]
  setA byte [cc_buf + 7]
  setS byte [cc_buf + 8]
  setNS byte [cc_buf + 9]
  setP byte [cc_buf + 10]
  setNP byte [cc_buf + 11]
  setL byte [cc_buf + 12]
  setGE byte [cc_buf + 13]
  setLE byte [cc_buf + 14]
  setG byte [cc_buf + 15]
  mov eax, [cc_buf]
  mov ebx, [cc_buf + 4]
  mov ecx, [cc_buf + 8]
  mov edx, [cc_buf + 12]
  DUMP %1, F_ALL
%endmacro
  SET4 3, 5, 0, 0
  cmp eax, ebx
  ALLCC "setcc 3 cmp 5"
  SET4 5, 3, 0, 0
  cmp eax, ebx
  ALLCC "setcc 5 cmp 3"
  SET4 0x80000000, 1, 0, 0
  cmp eax, ebx
  ALLCC "setcc min cmp 1"
  SET4 7, 7, 0, 0
  cmp eax, ebx
  ALLCC "setcc 7 cmp 7"
  SET4 -1, 1, 0, 0
  cmp eax, ebx
  ALLCC "setcc -1 cmp 1"
  SET4 1, 2, 0x11, 0x22
  cmp eax, ebx
  cmovl ecx, edx
  cmovg eax, edx
  cmovb ebx, [mem1]
  cmovae edx, [mem1]
  DUMP "cmov", F_ALL
  SET4 0x1111, 0x2222, 0x3333, 0x4444
  test eax, eax
  cmovz ax, bx
  cmovnz cx, dx
  DUMP "cmov16", F_ALL

  ; ---- cmpxchg, xadd, cmpxchg8b ----
  SET4 5, 5, 9, 0
  cmpxchg ebx, ecx
  DUMP "cmpxchg eq", F_ALL
  SET4 4, 5, 9, 0
  cmpxchg ebx, ecx
  DUMP "cmpxchg ne", F_ALL
  SET4 0xdeadbe05, 0x05, 0x77, 0
  cmpxchg bl, cl
  DUMP "cmpxchg8", F_ALL
  SET4 0x89abcdef, 0, 0xcafe, 0
  lock cmpxchg [mem1], ecx
  mov ebx, [mem1]
  mov [mem1], eax
  DUMP "lock cmpxchg mem", F_ALL
  SET4 0x7fffffff, 1, 0, 0
  xadd eax, ebx
  DUMP "xadd", F_ALL
  SET4 0x10, 0, 0, 0
  lock xadd [mem1 + 4], eax
  mov ebx, [mem1 + 4]
  sub dword [mem1 + 4], 0x10
  DUMP "lock xadd mem", F_ALL
  SET4 0x11111111, 0x33333333, 0x44444444, 0x22222222
  cmpxchg8b [qword_a]
  mov esi, [qword_a]
  mov edi, [qword_a + 4]
  DUMP "cmpxchg8b eq", F_ZF
  SET4 0, 0, 0, 0
  cmpxchg8b [qword_a]
  DUMP "cmpxchg8b ne", F_ZF
  CLR2
  SET4 0, 0, 0, 0
  xchg eax, [mem1]
  xchg eax, [mem1]
  DUMP "xchg mem", 0

  ; ---- lahf/sahf, flag instructions ----
  SET4 0x7fffffff, 1, 0, 0
  add eax, ebx
  lahf
  DUMP "lahf", F_ALL
  SET4 0x0000d500, 0, 0, 0
  sahf
  DUMP "sahf all", F_ALL
  SET4 0x00000000, 0, 0, 0
  sahf
  cmc
  DUMP "sahf none cmc", F_ALL
  std
  pushfd
  pop eax
  cld
  pushfd
  pop ebx
  and eax, F_DF
  and ebx, F_DF
  DUMP "std cld", 0

  ; ---- BCD ----
  SET4 0xdead0079, 0, 0, 0
  add al, 0x35
  daa
  DUMP "daa", 0x0d5
  SET4 0xdead0035, 0, 0, 0
  sub al, 0x47
  das
  DUMP "das", 0x0d5
  SET4 0xdead0108, 0, 0, 0
  add al, 0x07
  aaa
  DUMP "aaa", F_CF | F_AF
  SET4 0xdead0203, 0, 0, 0
  sub al, 0x05
  aas
  DUMP "aas", F_CF | F_AF
  SET4 0xdeadbe4f, 0, 0, 0
  aam
  DUMP "aam", F_SF | F_ZF | F_PF
  SET4 0xdead0709, 0, 0, 0
  aad
  DUMP "aad", F_SF | F_ZF | F_PF
  SET4 0xdead0000, 0, 0, 0
  aam 16
  DUMP "aam 16 zero", F_SF | F_ZF | F_PF

  ; ---- string ops ----
  cld
  mov esi, src_str
  mov edi, dst_buf
  mov ecx, src_len
  rep movsb
  mov eax, [dst_buf]
  mov ebx, [dst_buf + 16]
  sub esi, src_str
  sub edi, dst_buf
  mov edx, 0
  DUMP "rep movsb", 0
  mov esi, src_str
  mov edi, dst_buf + 32
  mov ecx, 3
  rep movsd
  mov eax, [dst_buf + 36]
  mov ebx, [dst_buf + 40]
  sub esi, src_str
  sub edi, dst_buf
  DUMP "rep movsd", 0
  mov edi, dst_buf
  mov ecx, 10
  mov al, '#'
  rep stosb
  mov eax, [dst_buf + 8]
  sub edi, dst_buf
  xor esi, esi
  DUMP "rep stosb", 0
  mov edi, dst_buf
  mov ecx, 0
  mov eax, 0x55555555
  rep stosd
  mov ebx, [dst_buf]
  sub edi, dst_buf
  DUMP "rep stosd ecx0", 0
  mov esi, cmp_a
  mov edi, cmp_b
  mov ecx, 8
  repe cmpsb
  sub esi, cmp_a
  sub edi, cmp_b
  DUMP "repe cmpsb", F_ALL
  mov edi, src_str
  mov ecx, src_len
  mov al, 'f'
  repne scasb
  sub edi, src_str
  xor esi, esi
  DUMP "repne scasb", F_ALL
  mov esi, src_str + 4
  xor eax, eax
  lodsb
  lodsw
  shl eax, 8
  lodsb
  sub esi, src_str
  DUMP "lods", 0
  ; DF=1: overlapping move up by 3 (memmove backwards)
  mov esi, src_str
  mov edi, dst_buf
  mov ecx, 16
  rep movsb
  std
  mov esi, dst_buf + 12
  mov edi, dst_buf + 15
  mov ecx, 13
  rep movsb
  cld
  mov eax, [dst_buf]
  mov ebx, [dst_buf + 4]
  mov ecx, [dst_buf + 8]
  mov edx, [dst_buf + 12]
  sub esi, dst_buf
  sub edi, dst_buf
  DUMP "std rep movsb", 0
  std
  mov edi, dst_buf + 60
  mov ecx, 4
  mov eax, 0xa1b2c3d4
  rep stosd
  cld
  mov eax, [dst_buf + 48]
  mov ebx, [dst_buf + 60]
  mov ecx, [dst_buf + 44]
  sub edi, dst_buf
  xor esi, esi
  DUMP "std rep stosd", 0
  std
  mov esi, src_str + 9
  xor eax, eax
  lodsb
  lodsb
  cld
  sub esi, src_str
  DUMP "std lodsb", 0
  mov esi, src_str
  mov edi, dst_buf
  mov ecx, 5
  rep movsw
  mov eax, [dst_buf + 8]
  sub esi, src_str
  sub edi, dst_buf
  DUMP "rep movsw", 0
  CLR2

  ; ---- stack and control ----
  mov ebp, esp
  SET4 1, 2, 3, 4
  mov esi, 5
  mov edi, 6
  pushad
  SET4 0, 0, 0, 0
  CLR2
  popad
  DUMP "pushad popad", 0
  mov ebx, esp
  enter 16, 0
  mov eax, ebx
  sub eax, esp
  mov ecx, ebx
  sub ecx, ebp
  leave
  sub ebx, esp
  mov ebp, esp
  DUMP "enter leave", 0
  mov ebx, esp
  push dword 7
  push dword 9
  call sub_ret8
  sub ebx, esp
  DUMP "ret imm", 0
  SET4 0, 0, 10, 0
.l1:
  add eax, ecx
  loop .l1
  DUMP "loop sum", 0
  SET4 0, 0, 0, 0
  mov ebx, 1
  jecxz .jz_taken
  mov ebx, 2
.jz_taken:
  DUMP "jecxz", 0
  SET4 0, 0, 10, 5
.l2:
  inc eax
  cmp eax, edx
  loopne .l2
  DUMP "loopne", 0
  SET4 0xdeadbe0c, xlat_tab, 0, 0
  xlatb
  xor ebx, ebx
  DUMP "xlat", 0
  SET4 0, 0x1000, 0x10, 0
  lea eax, [ebx + ecx*8 + 0x1234]
  lea edx, [ecx*4 - 1]
  lea ecx, [ecx + ecx*2]
  DUMP "lea", 0
  SET4 0x100, 0, 0, 0
  push ax
  pop bx
  push word 0x1234
  pop cx
  DUMP "push16 pop16", 0
  SET4 0, 0, 0, 0
  mov eax, .after_call
  call eax
.after_call:
  pop ebx
  sub ebx, eax
  xor eax, eax
  DUMP "call reg", 0
  SET4 0, 0, 0, 0
  mov eax, jump_table
  mov ecx, 2
  jmp [eax + ecx*4]
.jt_back:
  xor eax, eax
  DUMP "jmp mem", 0

  EXIT 0

sub_ret8:
  mov eax, [esp + 4]
  mov ecx, [esp + 8]
  ret 8

jt0:
  mov edx, 100
  jmp _start.jt_back
jt1:
  mov edx, 101
  jmp _start.jt_back
jt2:
  mov edx, 102
  jmp _start.jt_back

section .rodata
align 4
jump_table: dd jt0, jt1, jt2
