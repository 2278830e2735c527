// loop: never ends on its own — for trying Stop (Shift+F5) and Pause while a module computes.
#include <stdio.h>

int main(void) {
  printf("Spinning forever. Press Stop (Shift+F5) to end me.\n");
  fflush(stdout);
  volatile unsigned long long counter = 0;
  unsigned long long reported = 0;
  for (;;) {
    counter++;
    // A heartbeat now and then, so you can see it is alive; between heartbeats it makes no syscalls.
    if ((counter & ((1ULL << 28) - 1)) == 0) {
      reported++;
      printf("still spinning (%llu x 2^28 iterations)\n", reported);
      fflush(stdout);
    }
  }
}
