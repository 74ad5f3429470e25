#pragma once
/// How run records (run/run_record.hpp) are laid out in results files: the coordinates of their
/// axes in each group, and the description of each group. Shared by single-run and study files.

#include <map>
#include <string>
#include <vector>

#include "capsim/io/hdf5_file.hpp"
#include "capsim/run/run_record.hpp"

namespace capsim::io {

/// The dimension datasets of one group, by axis name.
using AxisDatasets = std::map<std::string, Dataset>;

/// The axes the variables of `group` use, in their canonical order (time, site, gpu, tenant, group).
std::vector<std::string> axes_of_group(const run::RunRecord& record, const std::string& group);

/// Writes the coordinate of each named axis into `target` (time with CF units and its bounds).
AxisDatasets write_axes(const Group& target, const run::RunAxes& axes, const std::vector<std::string>& names);

/// A one-line description of a record group, for its `description` attribute.
std::string group_description(const std::string& group);

/// Stores a record's schema (its axes and variables, without values) in `target`, so that a file
/// of flat run values can be read back without the scenario; read_record_schema() inverts it.
void write_record_schema(const Group& target, const run::RunRecord& record);
run::RunRecord read_record_schema(const Group& source);

/// The number of values of a variable of a record with these axes.
std::size_t value_count(const run::RunAxes& axes, const run::RunVariable& variable);

} // namespace capsim::io
