#pragma once
// A YAML syntax error as a Diagnostic that points where the user must look. Private to the loader.
#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

#include "capsim/scenario/diagnostics.hpp"

namespace capsim::scenario::detail {

/// The diagnostic of yaml-cpp's `error` in `text` (read from `source`): an unclosed '{' or '[' is
/// located at its opening bracket, and no error points past the last line of the file.
Diagnostic yaml_syntax_error(const YAML::ParserException& error, std::string_view text, const std::string& source);

} // namespace capsim::scenario::detail
