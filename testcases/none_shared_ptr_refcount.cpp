// EXPECT: none
// DESCRIPTION: threads copy and drop std::shared_ptr owners of one object; whichever drops the last reference deletes it, ordered by the acq_rel reference count
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

struct Document {
  std::string title;
  long words;
  Document() : title("report"), words(0) {}
};

static long count_words(std::shared_ptr<Document> document, int rounds) {
  long total = 0;
  for (int i = 0; i < rounds; i++) {
    std::shared_ptr<Document> copy = document; // atomic increment and decrement
    total += copy->words + static_cast<long>(copy->title.size());
  }
  return total; // `document` is released here, possibly as the last owner
}

int main() {
  std::vector<std::thread> readers;
  long totals[4] = {};
  {
    auto document = std::make_shared<Document>();
    document->words = 1000; // before the threads exist: ordered by their creation
    for (int i = 0; i < 4; i++)
      readers.emplace_back([document, i, &totals] { totals[i] = count_words(document, 50); });
  } // main drops its reference; a reader deletes the Document
  for (auto &reader : readers)
    reader.join();
  std::printf("%ld\n", totals[0] + totals[1] + totals[2] + totals[3]);
  return 0;
}
