// CPU-bound workload: a prime sieve, integer hashing and floating-point iteration, no I/O until the end.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t sieve(uint32_t limit) {
  uint8_t *composite = calloc(limit + 1, 1);
  uint32_t count = 0;
  for (uint32_t i = 2; i <= limit; i++) {
    if (composite[i]) continue;
    count++;
    for (uint64_t j = (uint64_t)i * i; j <= limit; j += i) composite[j] = 1;
  }
  free(composite);
  return count;
}

static uint64_t hash_rounds(uint32_t rounds) {
  uint64_t h = 1469598103934665603ull;
  for (uint32_t i = 0; i < rounds; i++) {
    h ^= i;
    h *= 1099511628211ull;
    h = (h << 13) | (h >> 51);
  }
  return h;
}

static double mandelbrot(int size, int iterations) {
  double total = 0;
  for (int y = 0; y < size; y++) {
    for (int x = 0; x < size; x++) {
      double cr = 2.0 * x / size - 1.5, ci = 2.0 * y / size - 1.0, zr = 0, zi = 0;
      int n = 0;
      while (n < iterations && zr * zr + zi * zi < 4.0) {
        double t = zr * zr - zi * zi + cr;
        zi = 2 * zr * zi + ci;
        zr = t;
        n++;
      }
      total += n;
    }
  }
  return total;
}

int main(int argc, char **argv) {
  int scale = argc > 1 ? atoi(argv[1]) : 1;
  uint32_t primes = sieve(8000000u * scale);
  uint64_t h = hash_rounds(150000000u * scale);
  double m = mandelbrot(500, 200 * scale);
  printf("primes=%u hash=%016llx mandel=%.0f\n", primes, (unsigned long long)h, m);
  return 0;
}
