// EXPECT: race
// DESCRIPTION: double-checked initialisation with a plain pointer: the unlocked first check races with the locked publication
// SCHEDULES: 2
#include <cstdio>
#include <mutex>
#include <thread>

struct Config {
  int verbosity;
  int retries;
};

static Config *config_instance; // should be std::atomic<Config *>
static std::mutex config_lock;

static Config *get_config() {
  if (config_instance == nullptr) { // SITE
    std::lock_guard<std::mutex> guard(config_lock);
    if (config_instance == nullptr)
      config_instance = new Config{3, 5}; // SITE
  }
  return config_instance;
}

static void use_config(int *out) {
  Config *config = get_config();
  // Reading the fields may race with their initialisation too, depending on
  // the interleaving; that finding names the publishing line in its stack.
  *out = config->verbosity + config->retries;
}

int main() {
  int a = 0, b = 0;
  std::thread first(use_config, &a);
  std::thread second(use_config, &b);
  first.join();
  second.join();
  std::printf("%d %d\n", a, b);
  delete config_instance;
  return 0;
}
