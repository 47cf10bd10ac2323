// html_report_test.cpp — the HTML report's bounds and escaping: a long
// schedule shows only the decisions before the finding (the rest counted),
// a lane per thread and one highlighted cell per event; program strings
// cannot open markup; schedule files are read as their format says.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "html_report.h"
#include "test_data.h"

namespace racecheck {
namespace {

size_t occurrences(const std::string &text, const std::string &what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

std::string render(const Record &record, const HtmlReportOptions &options) {
  std::ostringstream out;
  write_html_report(out, record, options);
  return out.str();
}

TEST(HtmlReport, LongScheduleShowsTheWindowBeforeTheFinding) {
  Record record = test::load_fixture("livelock.record");  // its cycle starts after step 112
  HtmlReportOptions options;
  options.schedule_path = "x.schedule";
  for (uint64_t step = 1; step <= 1000; ++step)
    options.schedule.push_back({step, int(step % 2) + 1, "mutex_lock", "polite.c:12"});
  std::string html = render(record, options);
  EXPECT_EQ(occurrences(html, "data-step="), 40u);
  EXPECT_NE(html.find("data-step=\"112\""), std::string::npos);
  EXPECT_EQ(html.find("data-step=\"113\""), std::string::npos);
  EXPECT_NE(html.find("72 earlier switches<br>(steps 1&ndash;72)"), std::string::npos);
  EXPECT_NE(html.find("888 later switches not shown"), std::string::npos);
  EXPECT_EQ(occurrences(html, "<tr class=\"lane\""), 3u);  // T0, T1, T2
  EXPECT_EQ(occurrences(html, "class=\"ev hl\""), 6u);     // the 6-step cycle
  EXPECT_EQ(occurrences(html, "<div class=\"loc\" id=\"f1-e"), 6u);
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

TEST(HtmlReport, ProgramStringsAreEscaped) {
  Record record = test::load_fixture("livelock.record");
  record.meta.program = "<script>alert('x')</script>&\"\xff";
  record.findings[0].details = {"<img src=x onerror=alert(1)>"};
  std::string html = render(record, {});
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;"),
            std::string::npos);
  EXPECT_EQ(html.find('\xff'), std::string::npos);  // not UTF-8: shown escaped
  // Sources that cannot be read are named, not silently left out.
  EXPECT_NE(html.find("source not available: polite.c cannot be read"), std::string::npos);
}

TEST(HtmlReport, ReadsScheduleDecisions) {
  std::string path = ::testing::TempDir() + "/html_report_test.schedule";
  std::ofstream(path) << "racecheck-schedule 2\ntool 0.1.0\nsteps 9\ndecisions 2\n"
                         "# step thread operation site\n2 T1 thread_start -\n"
                         "7 T12 mutex_lock /src/my%20file.c:30\nswitches 1\n"
                         "preempt T0 mutex_lock x.c:1:1 1 T1\nend\n";
  std::vector<ScheduleStep> steps;
  std::string error;
  ASSERT_TRUE(read_schedule_steps(path, steps, error)) << error;
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[1].step, 7u);
  EXPECT_EQ(steps[1].tid, 12);
  EXPECT_EQ(steps[1].operation, "mutex_lock");
  EXPECT_EQ(steps[1].site, "/src/my file.c:30");
  std::ofstream(path) << "racecheck-schedule 2\ndecisions 1\nseven T1 x -\nend\n";
  steps.clear();
  EXPECT_FALSE(read_schedule_steps(path, steps, error));
  EXPECT_NE(error.find("malformed"), std::string::npos);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace racecheck
