// File I/O workload: writes MiB (argv[2], default 256) in 4 KiB chunks to DIR/big.bin (argv[1]), reads it back, checks it.
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK 4096

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: fileio DIR [MiB]\n"); return 2; }
  long mib = argc > 2 ? atol(argv[2]) : 256;
  long chunks = mib * 1024 * 1024 / CHUNK;
  char path[512];
  mkdir(argv[1], 0755);
  snprintf(path, sizeof path, "%s/big.bin", argv[1]);
  static uint8_t buf[CHUNK];
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) { perror("open for writing"); return 1; }
  for (long c = 0; c < chunks; c++) {
    for (int i = 0; i < CHUNK; i += 64) buf[i] = (uint8_t)(c + i);
    if (write(fd, buf, CHUNK) != CHUNK) { perror("write"); return 1; }
  }
  close(fd);
  fd = open(path, O_RDONLY);
  if (fd < 0) { perror("open for reading"); return 1; }
  uint64_t sum = 0;
  long got = 0;
  ssize_t n;
  while ((n = read(fd, buf, CHUNK)) > 0) {
    for (int i = 0; i < n; i += 64) sum += buf[i];
    got += n;
  }
  close(fd);
  unlink(path);
  if (got != chunks * CHUNK) { fprintf(stderr, "read back %ld of %ld bytes\n", got, chunks * CHUNK); return 1; }
  printf("bytes=%ld sum=%llu\n", got, (unsigned long long)sum);
  return 0;
}
