// EXPECT: crash
// DESCRIPTION: a worker moves a job through phases with two atomic stores and passes through phase 2 on the way; a monitor that reads the phase in between calls a weight function that has no return for phase 2. Clang compiles that missing return to a trap (ud2) at -O0; the __builtin_trap keeps the same trap at -O2, where a missing return would be unreachable. The trap is in a function that makes no instrumented access before it, so the report must name the trapping line (the fault's frame), not only the monitor's last atomic load.
// SCHEDULES: 20
#include <pthread.h>
#include <stdio.h>

#include <atomic>

std::atomic<int> job_phase{0};

__attribute__((noinline)) static int phase_weight(int phase) {
  switch (phase) {
    case 0: return 1;
    case 1: return 3;
    case 3: return 5;
  }
  __builtin_trap();  // SITE
}

static void *worker(void *) {
  job_phase.store(2); /* transient: the job is being handed over */
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
  void *total = nullptr;
  pthread_join(a, nullptr);
  pthread_join(b, &total);
  printf("weight %ld\n", reinterpret_cast<long>(total));
  return 0;
}
