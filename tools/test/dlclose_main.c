/* dlclose_main.c — loads the library named by argv[1], lets it race, closes
 * it and checks in /proc/self/maps that the library is really gone; twice,
 * then exits: the race found in it must still be reported with its line,
 * once (dlclose_library_test.py). */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

/* Whether a mapping of the file named `path` is still in the process. */
static int still_mapped(const char *path) {
  const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
  FILE *maps = fopen("/proc/self/maps", "r");
  char line[4096];
  int found = 0;
  while (maps && fgets(line, sizeof line, maps)) found |= strstr(line, name) != NULL;
  if (maps) fclose(maps);
  return found;
}

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  /* Twice: the second load is a new copy of the library (new descriptors
   * for the same positions), whose race is the same one. */
  for (int round = 1; round <= 2; round++) {
    void *handle = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      fprintf(stderr, "dlopen: %s\n", dlerror());
      return 2;
    }
    int (*race)(void) = (int (*)(void))dlsym(handle, "library_race");
    int counter = race();
    if (dlclose(handle) != 0) return 3;
    printf("round %d: counter %d, library %s\n", round, counter,
           still_mapped(argv[1]) ? "still mapped" : "unloaded");
  }
  return 0;
}
