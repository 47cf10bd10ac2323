// EXPECT: none
// DESCRIPTION: twin of crash_missing_return_trap: the monitor may read the transient phase 2 between the worker's two atomic stores, and the weight function returns a value for every phase, so no schedule traps.
// SCHEDULES: 20
#include <pthread.h>
#include <stdio.h>

#include <atomic>

std::atomic<int> job_phase{0};

__attribute__((noinline)) static int phase_weight(int phase) {
  switch (phase) {
  case 0: return 1;
  case 1: return 3;
  case 2: return 4; /* the hand-over phase has a weight too */
  case 3: return 5;
  }
  return 0;
}

static void *worker(void *) {
  job_phase.store(2);
  job_phase.store(3);
  return nullptr;
}

static void *monitor(void *) {
  int total = 0;
  for (int i = 0; i < 2; ++i) total += phase_weight(job_phase.load());
  return reinterpret_cast<void *>(static_cast<long>(total));
}

int main() {
  pthread_t a, b;
  pthread_create(&b, nullptr, monitor, nullptr);
  pthread_create(&a, nullptr, worker, nullptr);
  pthread_join(a, nullptr);
  pthread_join(b, nullptr);
  printf("done\n");
  return 0;
}
