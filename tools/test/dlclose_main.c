/* dlclose_main.c — loads the library named by argv[1], lets it race, closes
 * it and checks in /proc/self/maps that the library is really gone, then
 * exits: the race found in it must still be reported with its line
 * (dlclose_library_test.py). */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

/* Whether a mapping of the file named `path` is still in the process. */
static int still_mapped(const char *path) {
  const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
  FILE *maps = fopen("/proc/self/maps", "r");
  char line[4096];
  int found = 0;
  while (maps && fgets(line, sizeof line, maps))
    found |= strstr(line, name) != NULL;
  if (maps)
    fclose(maps);
  return found;
}

int main(int argc, char **argv) {
  if (argc != 2)
    return 2;
  void *handle = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    fprintf(stderr, "dlopen: %s\n", dlerror());
    return 2;
  }
  int (*race)(void) = (int (*)(void))dlsym(handle, "library_race");
  int counter = race();
  if (dlclose(handle) != 0)
    return 3;
  printf("counter %d, library %s\n", counter,
         still_mapped(argv[1]) ? "still mapped" : "unloaded");
  return 0;
}
