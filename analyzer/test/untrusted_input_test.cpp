// untrusted_input_test.cpp — bytes from records and schedule files: bounded
// line reads, terminal-safe echoes and JSON that stays valid UTF-8 with the
// exact bytes kept in KEY_bytes.
#include <gtest/gtest.h>

#include <sstream>

#include "json_report.h"
#include "record_reader.h"
#include "untrusted_input.h"

namespace racecheck {
namespace {

using Json = nlohmann::ordered_json;

TEST(BoundedLine, StopsAtTheLimitInsteadOfReadingOn) {
  std::istringstream in("short\n" + std::string(100, 'x') + "\nlast");
  std::string line;
  EXPECT_EQ(read_bounded_line(in, line, 10), LineRead::Line);
  EXPECT_EQ(line, "short");
  EXPECT_EQ(read_bounded_line(in, line, 10), LineRead::TooLong);
  std::istringstream tail("last");
  EXPECT_EQ(read_bounded_line(tail, line, 10), LineRead::Line);
  EXPECT_EQ(line, "last");
  EXPECT_EQ(read_bounded_line(tail, line, 10), LineRead::End);
}

TEST(TerminalSafe, EscapesControlsAndInvalidBytesKeepsUtf8) {
  EXPECT_EQ(terminal_safe("a\x1b[2Jb\x07"), "a\\x1b[2Jb\\x07");
  EXPECT_EQ(terminal_safe("caf\xe9"), "caf\\xe9");         // Latin-1
  EXPECT_EQ(terminal_safe("caf\xc3\xa9"), "caf\xc3\xa9");  // UTF-8 stays readable
  EXPECT_EQ(terminal_safe("\xc2\x9b"
                          "31m"),
            "\\xc2\\x9b31m");  // C1 CSI
  EXPECT_EQ(terminal_safe("a\nb\tc\x7f"), "a\\x0ab\\x09c\\x7f");
  EXPECT_EQ(terminal_safe("a\nb\tc", true), "a\nb\tc");
}

TEST(JsonText, InvalidUtf8IsReplacedAndKeptAsBytes) {
  Json j;
  j["program"] = "./caf\xe9/prog";
  j["ok"] = "caf\xc3\xa9";
  j["details"] = Json::array({"x\xff"});
  j["nested"] = {{"file", "\xe9.c"}};
  Json out = Json::parse(json_text(j));
  EXPECT_EQ(out["program"], "./caf\xef\xbf\xbd/prog");
  EXPECT_EQ(out["program_bytes"], "2e2f636166e92f70726f67");
  EXPECT_EQ(out["ok"], "caf\xc3\xa9");
  EXPECT_FALSE(out.contains("ok_bytes"));
  EXPECT_EQ(out["details"][0], "x\xef\xbf\xbd");
  EXPECT_EQ(out["nested"]["file_bytes"], "e92e63");
  // the sibling follows its key
  auto it = out.begin();
  EXPECT_EQ(it.key(), "program");
  EXPECT_EQ((++it).key(), "program_bytes");
}

TEST(JsonText, AReportOfALatin1RecordIsValidJson) {
  std::istringstream in(
      "racecheck-record\t1\nmeta\tprogram\t/src/caf\xe9/prog\nsite\t0\tcaf\xe9.c\tw\xe9\t9\t1\t-1\n"
      "end-record\n");
  Record record = read_record(in, "latin1.record");
  std::ostringstream out;
  ASSERT_NO_THROW(write_json_report(out, record));
  Json j = Json::parse(out.str());
  EXPECT_EQ(j["program_bytes"], "2f7372632f636166e92f70726f67");
}

TEST(RecordReader, ErrorsEscapeTheFilesBytes) {
  std::istringstream in("racecheck-record\t1\nmeta\tseed\t\x1b[31m\n");
  try {
    read_record(in, "esc.record");
    FAIL() << "accepted";
  } catch (const RecordError &e) {
    EXPECT_EQ(std::string(e.what()).find('\x1b'), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("\\x1b[31m"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace racecheck
