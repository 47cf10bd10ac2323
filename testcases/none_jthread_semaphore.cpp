// EXPECT: none
// DESCRIPTION: C++20 std::jthread with a stop_token polled by the worker, and std::binary_semaphore handoffs of plain data
// STD: c++20
#include <cstdio>
#include <semaphore>
#include <stop_token>
#include <thread>

static std::binary_semaphore request_ready{0};
static std::binary_semaphore reply_ready{0};
static int request_value;
static int reply_value;

int main() {
  long worker_rounds = 0;
  {
    std::jthread worker([&worker_rounds](std::stop_token stop) {
      while (!stop.stop_requested()) {
        if (!request_ready.try_acquire_for(std::chrono::milliseconds(1)))
          continue;
        reply_value = request_value * 2;
        worker_rounds++;
        reply_ready.release();
      }
    });
    for (int i = 1; i <= 5; i++) {
      request_value = i;
      request_ready.release();
      reply_ready.acquire();
      if (reply_value != 2 * i)
        return 1;
    }
    worker.request_stop();
  } // ~jthread joins
  std::printf("rounds %ld\n", worker_rounds);
  return worker_rounds == 5 ? 0 : 1;
}
