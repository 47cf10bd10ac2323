// EXPECT: none
// DESCRIPTION: a worker calls a virtual function on a live Derived object, then posts a semaphore; main deletes the object meanwhile. ~Derived first stores Derived's vtable pointer, the value the object already has, concurrently with the worker's virtual call, then waits for the worker before ~Base stores Base's vtable. A same-value vptr store is benign (ThreadSanitizer's __tsan_vptr_update): no race
// SCHEDULES: 20
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

struct Base {
  Base() { sem_init(&finished, 0, 0); }
  virtual ~Base() { sem_destroy(&finished); }
  virtual int work() { return 1; }
  sem_t finished;
  int result = 0;
};

struct Derived : Base {
  // Not trivial, so clang stores the vptr on entry (a trivial body of a
  // non-final class lets it skip the store).
  ~Derived() override { sem_wait(&finished); }
  int work() override { return 2; }
};

Base *volatile shared_object;

static void *worker(void *) {
  Base *object = shared_object;
  object->result = object->work();
  sem_post(&object->finished);
  return nullptr;
}

int main() {
  shared_object = new Derived;
  pthread_t thread;
  pthread_create(&thread, nullptr, worker, nullptr);
  delete shared_object;
  pthread_join(thread, nullptr);
  puts("done");
  return 0;
}
