// source_frames.cpp — stack expansion for reports.
#include "source_frames.h"

#include "demangle.h"
#include "source_paths.h"

namespace racecheck {
namespace {

SourceFrame frame_of(const Site &site) {
  SourceFrame f;
  f.mangled = site.function;
  f.function = demangle(site.function);
  f.file = display_path(site.file);
  f.line = site.line;
  f.column = site.column;
  return f;
}

}  // namespace

std::vector<SourceFrame> expand_site(const Record &record, int site_id) {
  std::vector<SourceFrame> frames;
  // The reader only accepts references to earlier sites, so the chain ends;
  // the bound guards hand-built records.
  for (int id = site_id; id != kNoId && frames.size() <= record.sites.size();) {
    const Site &site = record.site(id);
    frames.push_back(frame_of(site));
    if (site.inlined_at != kNoId) frames.back().inlined = true;
    id = site.inlined_at;
  }
  return frames;
}

std::vector<SourceFrame> source_stack(const Record &record, int site_id, int stack_id) {
  std::vector<SourceFrame> out;
  const Stack *stack = stack_id > 0 ? record.stack(stack_id) : nullptr;
  const std::vector<StackFrame> no_frames;
  const std::vector<StackFrame> &frames = stack ? stack->frames : no_frames;

  // Level k is a position inside the function of frame k: level 0 is the
  // event's own site, level k > 0 the call site of frame k-1.
  for (size_t level = 0; level <= frames.size(); ++level) {
    int position = level == 0 ? site_id : frames[level - 1].call_site;
    if (position != kNoId) {
      auto expanded = expand_site(record, position);
      out.insert(out.end(), expanded.begin(), expanded.end());
    } else if (level < frames.size()) {
      // Known function, unknown position: it was entered or left through
      // uninstrumented code.
      SourceFrame f = frame_of(record.site(frames[level].function_site));
      f.line = 0;
      f.column = 0;
      f.through_uninstrumented_code = true;
      out.push_back(std::move(f));
    }
  }
  return out;
}

std::string format_position(const SourceFrame &frame) {
  std::string text = frame.file.empty() ? "<unknown file>" : frame.file;
  if (frame.line == 0) return frame.through_uninstrumented_code ? text : text + " (line unknown)";
  text += ":" + std::to_string(frame.line);
  if (frame.column != 0) text += ":" + std::to_string(frame.column);
  return text;
}

std::string short_position(const Record &record, int site_id) {
  if (site_id == kNoId) return "<unknown position>";
  const Site &site = record.site(site_id);
  std::string file = site.file.empty() ? std::string("<unknown file>") : display_path(site.file);
  // Line 0: only the file is known (a global without debug line info, code
  // the optimizer moved without a line).
  return site.line == 0 ? file : file + ":" + std::to_string(site.line);
}

std::string user_position(const Record &record, int site_id, int stack_id) {
  std::vector<SourceFrame> frames = source_stack(record, site_id, stack_id);
  for (const SourceFrame &f : frames) {
    if (f.through_uninstrumented_code || f.file.rfind("/usr/", 0) == 0) continue;
    return f.line ? f.file + ":" + std::to_string(f.line) : f.file;
  }
  return short_position(record, site_id);
}

}  // namespace racecheck
