/* MAP_SHARED file mappings stay coherent with read/write on the file; MAP_PRIVATE follows the
 * file until its page is written. A syscall separates a store through one mapping from a load
 * through another (dejavu synchronises mappings at syscall boundaries). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static char path[64];

static void show(const char *what, const char *p, int n) {
  printf("%-28s %.*s\n", what, n, p);
}

int main(void) {
  snprintf(path, sizeof path, "/tmp/dejavu_mmap_shared_%d", (int)getpid());
  int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);
  char page[8192];
  memset(page, 'a', 4096);
  memset(page + 4096, 'b', 4096);
  write(fd, page, 8192);

  char *s = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  memcpy(s, "SHARED", 6);
  memcpy(s + 4096, "SECOND", 6);
  char b[16] = {0};
  pread(fd, b, 8, 0);
  show("pread after store:", b, 8);
  lseek(fd, 4096, SEEK_SET);
  read(fd, b, 8);
  show("read after store:", b, 8);

  pwrite(fd, "WRITTEN", 7, 100);
  show("shared map after pwrite:", s + 100, 7);
  lseek(fd, 4200, SEEK_SET);
  write(fd, "VIAWRITE", 8);
  show("shared map after write:", s + 4200, 8);

  char *t = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  show("second shared map:", t, 6);
  t[0] = 'X';
  getppid();
  show("first map after store:", s, 6);

  printf("msync: %d\n", msync(s, 8192, MS_SYNC));
  int r = msync(s, 4096, MS_SYNC | MS_ASYNC);
  printf("msync bad flags: %d %s\n", r, strerror(errno));
  r = msync(s + 1, 4096, MS_SYNC);
  printf("msync unaligned: %d %s\n", r, strerror(errno));

  char *p = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  show("private sees shared stores:", p, 6);
  p[4096] = 'P';
  pwrite(fd, "NEWDATA", 7, 0);
  pwrite(fd, "NEWDATA", 7, 4097);
  show("private untouched page:", p, 7);
  show("private written page:", p + 4096, 8);
  show("shared after pwrite:", s, 7);

  struct stat st;
  fstat(fd, &st);
  printf("size: %ld\n", (long)st.st_size);

  munmap(t, 4096);
  s[10] = 'Z';
  close(fd);
  s[11] = 'Y';
  munmap(s, 8192);
  fd = open(path, O_RDONLY);
  memset(b, 0, sizeof b);
  read(fd, b, 12);
  show("reopened after munmap:", b, 12);
  close(fd);
  unlink(path);
  munmap(p, 8192);
  return 0;
}
