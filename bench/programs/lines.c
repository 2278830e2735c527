// Output workload: N short lines (argv[1], default 1000000) to stdout with printf.
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  long count = argc > 1 ? atol(argv[1]) : 1000000;
  for (long i = 0; i < count; i++) printf("line %ld\n", i);
  return 0;
}
