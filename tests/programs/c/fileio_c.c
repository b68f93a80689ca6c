/* fileio_c: files and directories under /tmp: open/creat/write/read/lseek,
 * pread/pwrite, fstat/stat/lstat sizes and modes, ftruncate, dup/dup2, fcntl,
 * O_APPEND, mkdir, readdir (sorted), rename, link, symlink/readlink, unlink,
 * rmdir, chdir/getcwd, access, and the error cases with strerror. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define BASE "/tmp/dejavu_fileio_test"

static void check(const char *what, long r) {
  if (r < 0) printf("%s -> -1 errno=%d (%s)\n", what, errno, strerror(errno));
  else printf("%s -> %ld\n", what, r);
}

static void expect_err(const char *what, long r) {
  if (r < 0) printf("%s -> error %d (%s)\n", what, errno, strerror(errno));
  else printf("%s -> unexpected success %ld\n", what, r);
}

static void show_stat(const char *path) {
  struct stat st;
  if (stat(path, &st) < 0) {
    printf("stat %s -> error %d (%s)\n", path, errno, strerror(errno));
    return;
  }
  const char *type = S_ISREG(st.st_mode)   ? "file"
                     : S_ISDIR(st.st_mode) ? "dir"
                     : S_ISLNK(st.st_mode) ? "link"
                     : S_ISCHR(st.st_mode) ? "chr"
                                           : "other";
  printf("stat %s: type=%s mode=%04o", path, type, (unsigned)(st.st_mode & 07777));
  if (S_ISREG(st.st_mode)) printf(" size=%lld", (long long)st.st_size);
  printf("\n");
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_dir(const char *path) {
  DIR *d = opendir(path);
  if (!d) {
    printf("opendir %s -> error %d (%s)\n", path, errno, strerror(errno));
    return;
  }
  char *names[64];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL && n < 64) names[n++] = strdup(e->d_name);
  closedir(d);
  qsort(names, n, sizeof names[0], cmp_str);
  printf("ls %s (%d):", path, n);
  for (int i = 0; i < n; i++) {
    printf(" %s", names[i]);
    free(names[i]);
  }
  printf("\n");
}

/* Leftovers from an interrupted run would change the output. */
static void cleanup(void) {
  const char *files[] = {BASE "/a.txt", BASE "/b.txt", BASE "/hard", BASE "/sym",
                         BASE "/sub/inner", BASE "/app", BASE "/big"};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) unlink(files[i]);
  rmdir(BASE "/sub");
  rmdir(BASE "/sub2");
  rmdir(BASE);
}

int main(void) {
  umask(022);
  cleanup();
  check("mkdir base", mkdir(BASE, 0755));
  expect_err("mkdir base again", mkdir(BASE, 0755));
  show_stat(BASE);

  int fd = open(BASE "/a.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
  check("open a.txt O_CREAT", fd >= 0 ? 3 : -1);
  const char *text = "hello, file\nsecond line\n";
  check("write", write(fd, text, strlen(text)));
  check("lseek cur", lseek(fd, 0, SEEK_CUR));
  check("lseek end+10", lseek(fd, 10, SEEK_END));
  check("write after hole", write(fd, "X", 1));
  expect_err("read on O_WRONLY", read(fd, (char[4]){0}, 4));
  check("close", close(fd));
  show_stat(BASE "/a.txt");

  fd = open(BASE "/a.txt", O_RDONLY);
  char buf[128];
  memset(buf, '.', sizeof buf);
  ssize_t r = read(fd, buf, sizeof buf);
  printf("read %zd bytes:", r);
  for (ssize_t i = 0; i < r; i++) printf(" %02x", (unsigned char)buf[i]);
  printf("\n");
  check("read at eof", read(fd, buf, sizeof buf));
  check("lseek set 7", lseek(fd, 7, SEEK_SET));
  r = read(fd, buf, 4);
  printf("read after seek: [%.*s]\n", (int)r, buf);
  r = pread(fd, buf, 6, 12);
  printf("pread(12): [%.*s] offset now %ld\n", (int)r, buf, (long)lseek(fd, 0, SEEK_CUR));
  expect_err("lseek negative", lseek(fd, -100, SEEK_SET));
  expect_err("write on O_RDONLY", write(fd, "x", 1));
  struct stat st;
  fstat(fd, &st);
  printf("fstat size=%lld mode=%o isreg=%d\n", (long long)st.st_size, (unsigned)(st.st_mode & 0777),
         S_ISREG(st.st_mode));
  int fd2 = dup(fd);
  printf("dup gives a higher fd: %d\n", fd2 > fd);
  check("dup shares offset", lseek(fd2, 0, SEEK_CUR));
  check("dup2 to 20", dup2(fd, 20));
  check("fcntl F_GETFD", fcntl(20, F_GETFD));
  check("fcntl F_SETFD", fcntl(20, F_SETFD, FD_CLOEXEC));
  check("fcntl F_GETFD", fcntl(20, F_GETFD));
  check("fcntl F_GETFL accmode", fcntl(fd, F_GETFL) & O_ACCMODE);
  check("fcntl F_DUPFD 30", fcntl(fd, F_DUPFD, 30));
  close(30);
  close(20);
  close(fd2);
  close(fd);

  fd = open(BASE "/a.txt", O_RDWR);
  check("pwrite(0)", pwrite(fd, "HELLO", 5, 0));
  check("ftruncate 11", ftruncate(fd, 11));
  check("ftruncate grow 4096", ftruncate(fd, 4096));
  fstat(fd, &st);
  printf("size after truncates=%lld\n", (long long)st.st_size);
  r = pread(fd, buf, 16, 0);
  printf("content: [%.*s] then %d zero bytes\n", 11, buf, (int)(r - 11));
  close(fd);

  fd = open(BASE "/app", O_CREAT | O_WRONLY | O_APPEND, 0600);
  write(fd, "one\n", 4);
  lseek(fd, 0, SEEK_SET);
  write(fd, "two\n", 4);
  close(fd);
  show_stat(BASE "/app");
  fd = open(BASE "/app", O_RDONLY);
  r = read(fd, buf, sizeof buf);
  printf("append content: [%.*s]\n", (int)r, buf);
  close(fd);

  /* a larger file written in chunks, read back with a checksum */
  fd = open(BASE "/big", O_CREAT | O_RDWR | O_TRUNC, 0640);
  unsigned sum = 0;
  for (int i = 0; i < 40; i++) {
    char chunk[1000];
    for (int j = 0; j < 1000; j++) chunk[j] = (char)(i * 7 + j * 13);
    write(fd, chunk, sizeof chunk);
  }
  lseek(fd, 0, SEEK_SET);
  while ((r = read(fd, buf, 100)) > 0)
    for (ssize_t i = 0; i < r; i++) sum = sum * 33 + (unsigned char)buf[i];
  close(fd);
  printf("big checksum=%u\n", sum);
  show_stat(BASE "/big");

  fd = open(BASE "/a.txt", O_CREAT | O_EXCL | O_WRONLY, 0644);
  expect_err("open O_EXCL existing", fd);
  expect_err("open missing", open(BASE "/missing", O_RDONLY));
  expect_err("open file as dir", open(BASE "/a.txt/x", O_RDONLY));
  expect_err("open dir for write", open(BASE, O_WRONLY));
  expect_err("stat missing", stat(BASE "/nope", &st));

  check("rename a->b", rename(BASE "/a.txt", BASE "/b.txt"));
  expect_err("stat old name", stat(BASE "/a.txt", &st));
  check("link b->hard", link(BASE "/b.txt", BASE "/hard"));
  stat(BASE "/hard", &st);
  printf("nlink=%ld\n", (long)st.st_nlink);
  check("symlink", symlink("b.txt", BASE "/sym"));
  r = readlink(BASE "/sym", buf, sizeof buf);
  printf("readlink: [%.*s]\n", (int)r, buf);
  lstat(BASE "/sym", &st);
  printf("lstat sym islnk=%d\n", S_ISLNK(st.st_mode));
  show_stat(BASE "/sym");
  check("chmod 0600", chmod(BASE "/b.txt", 0600));
  show_stat(BASE "/b.txt");
  check("access R_OK", access(BASE "/b.txt", R_OK));
  expect_err("access missing", access(BASE "/zz", F_OK));

  check("mkdir sub", mkdir(BASE "/sub", 0700));
  check("mkdir sub2", mkdir(BASE "/sub2", 0777));
  show_stat(BASE "/sub");
  show_stat(BASE "/sub2");
  fd = open(BASE "/sub/inner", O_CREAT | O_WRONLY, 0644);
  close(fd);
  list_dir(BASE);
  list_dir(BASE "/sub");
  expect_err("rmdir non-empty", rmdir(BASE "/sub"));
  expect_err("unlink a dir", unlink(BASE "/sub"));
  expect_err("rmdir a file", rmdir(BASE "/b.txt"));
  expect_err("mkdir in missing", mkdir(BASE "/no/such", 0755));

  check("chdir sub", chdir(BASE "/sub"));
  printf("getcwd=%s\n", getcwd(buf, sizeof buf));
  fd = open("inner", O_RDONLY);
  printf("relative open ok=%d\n", fd >= 0);
  close(fd);
  check("chdir ..", chdir(".."));
  printf("getcwd=%s\n", getcwd(buf, sizeof buf));
  check("chdir /", chdir("/"));
  printf("getcwd=%s\n", getcwd(buf, sizeof buf));
  expect_err("chdir to file", chdir(BASE "/b.txt"));

  check("unlink inner", unlink(BASE "/sub/inner"));
  check("rmdir sub", rmdir(BASE "/sub"));
  check("rmdir sub2", rmdir(BASE "/sub2"));
  check("unlink sym", unlink(BASE "/sym"));
  check("unlink hard", unlink(BASE "/hard"));
  check("unlink b", unlink(BASE "/b.txt"));
  check("unlink app", unlink(BASE "/app"));
  check("unlink big", unlink(BASE "/big"));
  expect_err("unlink again", unlink(BASE "/big"));
  list_dir(BASE);
  check("rmdir base", rmdir(BASE));
  expect_err("opendir removed", open(BASE, O_RDONLY | O_DIRECTORY));

  fd = open("/dev/null", O_WRONLY);
  check("write /dev/null", write(fd, "discard", 7));
  close(fd);
  fd = open("/dev/zero", O_RDONLY);
  memset(buf, 1, 8);
  r = read(fd, buf, 8);
  printf("read /dev/zero %zd: %d%d%d%d%d%d%d%d\n", r, buf[0], buf[1], buf[2], buf[3], buf[4], buf[5],
         buf[6], buf[7]);
  close(fd);
  fd = open("/dev/null", O_RDONLY);
  check("read /dev/null", read(fd, buf, 8));
  close(fd);
  return 0;
}
