// echo: reads stdin line by line until end of file and echoes every line back.
// In VS Code, type into the Debug Console; "WASI: Send EOF to Program" ends the input.
#include <stdio.h>
#include <string.h>

int main(void) {
  char line[1024];
  int count = 0;
  printf("Type a line in the Debug Console and press Enter. Send EOF to finish.\n");
  fflush(stdout);
  while (fgets(line, sizeof line, stdin) != NULL) {
    line[strcspn(line, "\n")] = '\0';
    count++;
    printf("echo %d: %s\n", count, line);
    // Flush at once so each echo appears while the program waits for the next line.
    fflush(stdout);
  }
  printf("EOF after %d line%s. Bye!\n", count, count == 1 ? "" : "s");
  return 0;
}
