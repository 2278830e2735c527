// bug: a program with an off-by-one error that makes the module trap — a small thing to debug.
// It prints the average of every suffix of a list of scores; the last round divides by zero.
// Try: set a breakpoint in average_from, start "Debug the bug" and watch `start` and `count`.
#include <stdio.h>

static int average_from(const int *scores, int count, int start) {
  int sum = 0;
  for (int i = start; i < count; i++) sum += scores[i];
  return sum / (count - start);  // traps ("divide by zero") when start == count
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);  // line-buffered: every finished line shows before the trap
  int scores[] = {70, 85, 90, 64, 100};
  int count = (int)(sizeof scores / sizeof scores[0]);
  for (int start = 0; start <= count; start++) {  // BUG: should be start < count
    printf("average of scores[%d..%d] = %d\n", start, count - 1, average_from(scores, count, start));
  }
  return 0;
}
