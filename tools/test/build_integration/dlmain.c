/* dlmain.c — runs worker.c's worker_bump on two threads, the library loaded with dlopen (path
 * in argv[1]). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  void *lib = dlopen(argv[1], RTLD_NOW);
  if (!lib) {
    fprintf(stderr, "dlopen: %s\n", dlerror());
    return 1;
  }
  void *(*bump)(void *) = (void *(*)(void *))dlsym(lib, "worker_bump");
  int (*read_total)(void) = (int (*)(void))dlsym(lib, "worker_read");
  if (!bump || !read_total) return 1;
  pthread_t a, b;
  pthread_create(&a, 0, bump, 0);
  pthread_create(&b, 0, bump, 0);
  pthread_join(a, 0);
  pthread_join(b, 0);
  printf("%d\n", read_total());
  dlclose(lib);
  return 0;
}
