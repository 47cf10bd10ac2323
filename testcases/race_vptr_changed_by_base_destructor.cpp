// EXPECT: race
// DESCRIPTION: a worker calls a virtual function on a Derived object, then posts a semaphore; main deletes the object meanwhile, and only ~Base waits for the worker. ~Base's vptr store (Base's vtable, a different value) happens before the wait, so it races with the worker's virtual call reading the vptr: a real race (the call may dispatch to Base::work), unlike a same-value store
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

struct Base {
  Base() { sem_init(&finished, 0, 0); }
  virtual ~Base() { // SITE
    sem_wait(&finished);
    sem_destroy(&finished);
  }
  virtual int work() { return 1; }
  sem_t finished;
  int result = 0;
};

struct Derived : Base {
  ~Derived() override { ++destroyed; }
  int work() override { return 2; }
  static int destroyed;
};
int Derived::destroyed;

Base *volatile shared_object;

static void *worker(void *) {
  Base *object = shared_object;
  int value = object->work(); // SITE
  object->result = value;
  sem_post(&object->finished);
  return nullptr;
}

int main() {
  shared_object = new Derived;
  pthread_t thread;
  pthread_create(&thread, nullptr, worker, nullptr);
  delete shared_object;
  pthread_join(thread, nullptr);
  printf("%d\n", Derived::destroyed);
  return 0;
}
