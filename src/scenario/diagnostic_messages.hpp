#pragma once
// The wording of the loader's diagnostics: each function builds one kind of message, so that the
// same problem reads the same wherever a section finds it. A message says what was found, then what
// was expected ("'12', expected a duration > 0"); the reader adds the file, line and key path.
// Private to the loader.
#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <vector>

namespace capsim::scenario::detail {

/// "<found>, expected <expected>": `node` shown as YamlReader::found() shows it ("'12'", "a list").
std::string found_instead_of(const YAML::Node& node, std::string_view expected);

/// "; did you mean 'grid'?" when `word` is near enough to one of `names` to be a typo, else "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& names);

/// "unknown key 'gird', expected 'name', 'grid' or 'pue'; did you mean 'grid'?"
std::string unknown_key(const std::string& key, const std::vector<std::string>& allowed);

/// "missing, this key is required"
std::string missing_required_key();

/// "missing, expected <expected>": an absent key that is required only together with another.
std::string missing(std::string_view expected);

/// "unknown GPU 'H10', expected one of 'A100', 'H100' or 'H200'; did you mean 'H100'?"
std::string unknown_name(std::string_view what, const std::string& name, const std::vector<std::string>& names);

/// "no site named 'lba', expected one of 'lab' or 'hq'; did you mean 'lab'?"
std::string no_such_name(std::string_view what, const std::string& name, const std::vector<std::string>& names);

/// "'lab' is used by two sites, expected unique names"
std::string name_used_twice(const std::string& name, std::string_view used_by);

/// "'2026-01-01' is not after <earlier>, expected a later date": `date` is the scalar node as written.
std::string not_after(const YAML::Node& date, std::string_view earlier);

/// "an empty list, expected <expected>"
std::string empty_list(std::string_view expected);

/// "takes the value 0.8, expected a PUE >= 1": a profile whose values leave the allowed range.
std::string takes_the_value(double value, std::string_view expected);

/// "can take the value 0, expected at least 1 GPU": a distribution whose range leaves the allowed one.
std::string can_take_the_value(double value, std::string_view expected);

/// "a mapping with keys 'a' or 'b', expected <forms>": a mapping that is none of the forms a value may take.
std::string unknown_form(const YAML::Node& map, std::string_view forms);

} // namespace capsim::scenario::detail
