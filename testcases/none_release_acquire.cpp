// EXPECT: none
// DESCRIPTION: message passing with a release store and an acquire load of a std::atomic flag, there and back
#include <atomic>
#include <cstdio>
#include <cstring>
#include <thread>

struct Message {
  int id;
  char text[32];
};

Message request;
Message reply;
std::atomic<bool> request_ready{false};
std::atomic<bool> reply_ready{false};

static void serve() {
  while (!request_ready.load(std::memory_order_acquire))
    std::this_thread::yield();
  reply.id = request.id + 1;
  std::snprintf(reply.text, sizeof reply.text, "re: %s", request.text);
  reply_ready.store(true, std::memory_order_release);
}

int main() {
  std::thread server(serve);
  request.id = 41;
  std::strcpy(request.text, "ping");
  request_ready.store(true, std::memory_order_release);
  while (!reply_ready.load(std::memory_order_acquire))
    std::this_thread::yield();
  std::printf("%d %s\n", reply.id, reply.text);
  server.join();
  return 0;
}
