// EXPECT: crash
// DESCRIPTION: a std::thread worker parses a configuration value and throws std::invalid_argument on a malformed one; nothing catches it inside the thread, so std::terminate aborts the whole program
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

static int parse_port(const std::string &text) {
  int port = 0;
  for (char c : text) {
    if (c < '0' || c > '9')
      throw std::invalid_argument("port is not a number: " + text); // SITE
    port = port * 10 + (c - '0');
  }
  return port;
}

int main() {
  std::vector<std::string> settings = {"8080", "80a"};
  std::vector<int> ports(settings.size());
  std::vector<std::thread> workers;
  for (size_t i = 0; i < settings.size(); i++)
    workers.emplace_back([&, i] { ports[i] = parse_port(settings[i]); });
  for (std::thread &worker : workers)
    worker.join();
  std::printf("ports: %d %d\n", ports[0], ports[1]);
  return 0;
}
