// Metadata workload: in DIR (argv[1]) creates N files (argv[2], default 10000), stats each, lists the directory, unlinks them.
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: files DIR [N]\n"); return 2; }
  int count = argc > 2 ? atoi(argv[2]) : 10000;
  char dir[512], path[600];
  snprintf(dir, sizeof dir, "%s/many", argv[1]);
  mkdir(argv[1], 0755);
  if (mkdir(dir, 0755) != 0) { perror("mkdir"); return 1; }
  for (int i = 0; i < count; i++) {
    snprintf(path, sizeof path, "%s/file-%05d.txt", dir, i);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) { perror("create"); return 1; }
    if (write(fd, path, 8) != 8) { perror("write"); return 1; }
    close(fd);
  }
  long total = 0;
  for (int i = 0; i < count; i++) {
    struct stat st;
    snprintf(path, sizeof path, "%s/file-%05d.txt", dir, i);
    if (stat(path, &st) != 0) { perror("stat"); return 1; }
    total += st.st_size;
  }
  DIR *d = opendir(dir);
  if (!d) { perror("opendir"); return 1; }
  int listed = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) if (e->d_name[0] != '.') listed++;
  closedir(d);
  for (int i = 0; i < count; i++) {
    snprintf(path, sizeof path, "%s/file-%05d.txt", dir, i);
    if (unlink(path) != 0) { perror("unlink"); return 1; }
  }
  if (rmdir(dir) != 0) { perror("rmdir"); return 1; }
  if (listed != count || total != 8L * count) { fprintf(stderr, "listed %d, total %ld\n", listed, total); return 1; }
  printf("files=%d listed=%d bytes=%ld\n", count, listed, total);
  return 0;
}
