#pragma once
#include <string>
#include <string_view>

#include "capsim/workload/swf_trace.hpp"

namespace capsim::workload {

/// Reads a Standard Workload Format trace (Parallel Workloads Archive), plain or gzip-compressed
/// (detected from the content, not the name). Every job line must have the 18 numeric fields of the
/// format; a malformed line throws InputError naming the file, the line and the field.
SwfTrace read_swf_file(const std::string& path);

/// Parses SWF text already in memory; `source` names it in error messages.
SwfTrace parse_swf(std::string_view text, const std::string& source);

} // namespace capsim::workload
