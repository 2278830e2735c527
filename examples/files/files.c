// files: writes a few files and directories into the module's in-memory filesystem,
// then lists them — watch them appear in the "WASI Filesystem" view and open them.
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int write_text(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  if (f == NULL) {
    fprintf(stderr, "cannot create %s: %s\n", path, strerror(errno));
    return 1;
  }
  fputs(text, f);
  fclose(f);
  printf("wrote %-26s %3zu bytes\n", path, strlen(text));
  return 0;
}

static int make_dir(const char *path) {
  if (mkdir(path, 0755) != 0 && errno != EEXIST) {
    fprintf(stderr, "cannot create directory %s: %s\n", path, strerror(errno));
    return 1;
  }
  printf("made  %s/\n", path);
  return 0;
}

int main(void) {
  int failures = 0;
  failures += make_dir("/notes");
  failures += make_dir("/notes/drafts");
  failures += write_text("/notes/hello.txt", "Hello from the WASI filesystem!\n");
  failures += write_text("/notes/shopping.md", "# Shopping\n\n- flour\n- eggs\n- milk\n");
  failures += write_text("/notes/drafts/idea.txt", "A debugger that shows the guest's files.\n");

  FILE *csv = fopen("/numbers.csv", "w");
  if (csv == NULL) {
    fprintf(stderr, "cannot create /numbers.csv: %s\n", strerror(errno));
    return 1;
  }
  fputs("n,square\n", csv);
  for (int n = 1; n <= 10; n++) fprintf(csv, "%d,%d\n", n, n * n);
  fclose(csv);
  printf("wrote /numbers.csv (10 rows)\n");

  printf("\ncontents of /notes:\n");
  DIR *dir = opendir("/notes");
  if (dir == NULL) {
    fprintf(stderr, "cannot list /notes: %s\n", strerror(errno));
    return 1;
  }
  struct dirent *entry;
  while ((entry = readdir(dir)) != NULL) {
    if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
    printf("  %s%s\n", entry->d_name, entry->d_type == DT_DIR ? "/" : "");
  }
  closedir(dir);
  printf("\nOpen the \"WASI Filesystem\" view in Run and Debug to browse these files.\n");
  return failures == 0 ? 0 : 1;
}
