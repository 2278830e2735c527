// args-env-cwd: prints the arguments, environment and working directory it was given,
// and reads the host folder mounted at /data — compare with its launch configuration.
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv) {
  printf("argc = %d\n", argc);
  for (int i = 0; i < argc; i++) printf("argv[%d] = \"%s\"\n", i, argv[i]);

  printf("\nenvironment:\n");
  for (char **e = environ; *e != NULL; e++) printf("  %s\n", *e);

  char cwd[512];
  if (getcwd(cwd, sizeof cwd) != NULL) printf("\ncwd = %s\n", cwd);
  else printf("\ncwd unavailable: %s\n", strerror(errno));

  printf("\nfiles in /data (a host folder mounted read-only):\n");
  DIR *dir = opendir("/data");
  if (dir == NULL) {
    printf("  cannot open /data: %s\n", strerror(errno));
    return 1;
  }
  struct dirent *entry;
  while ((entry = readdir(dir)) != NULL) {
    if (entry->d_name[0] != '.') printf("  %s\n", entry->d_name);
  }
  closedir(dir);

  FILE *f = fopen("/data/message.txt", "r");
  if (f != NULL) {
    char line[256];
    if (fgets(line, sizeof line, f) != NULL) printf("\n/data/message.txt says: %s", line);
    fclose(f);
  }
  // The mount is read-only: writing must fail with a permission error.
  FILE *w = fopen("/data/should-not-exist.txt", "w");
  if (w == NULL) printf("writing into /data is refused: %s\n", strerror(errno));
  else {
    fclose(w);
    printf("unexpected: /data is writable\n");
  }
  return 0;
}
