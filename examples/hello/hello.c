// hello: the smallest WASI program — prints to stdout and stderr and exits with code 0.
#include <stdio.h>

int main(void) {
  printf("Hello from WebAssembly!\n");
  printf("This line came from a WASI module running in VS Code's extension host.\n");
  fprintf(stderr, "(and this one went to stderr)\n");
  return 0;
}
