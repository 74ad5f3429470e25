#include "capsim/io/record_layout.hpp"

#include <algorithm>
#include <array>
#include <sstream>

#include "capsim/util/error.hpp"
#include "capsim/util/strings.hpp"

namespace capsim::io {
namespace {

const std::array<std::string, 6> canonical_axes = {"time", "site", "gpu", "tenant", "year", "group"};

std::vector<std::string> split_words(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

} // namespace

std::vector<std::string> axes_of_group(const run::RunRecord& record, const std::string& group) {
    std::vector<std::string> used;
    for (const auto& axis : canonical_axes) {
        for (const auto& v : record.variables) {
            if (v.group == group && std::find(v.axes.begin(), v.axes.end(), axis) != v.axes.end()) {
                used.push_back(axis);
                break;
            }
        }
    }
    return used;
}

AxisDatasets write_axes(const Group& target, const run::RunAxes& axes, const std::vector<std::string>& names) {
    AxisDatasets out;
    for (const auto& name : names) {
        if (name == "time") {
            Dataset time = target.create_coordinate("time", axes.time_h, axes.time_units);
            time.set_attribute("calendar", "proleptic_gregorian");
            time.set_attribute("standard_name", "time");
            time.set_attribute("long_name", "start of the output step");
            time.set_attribute("bounds", "time_bounds");
            const Dataset nv = target.create_dimension("nv", 2);
            const Dataset* dims[] = {&time, &nv};
            const Dataset bounds = target.write_array("time_bounds", axes.time_bounds_h, dims, axes.time_units,
                                                      "output step start and end");
            bounds.set_attribute("calendar", "proleptic_gregorian");
            out.emplace("time", std::move(time));
        } else if (name == "site") {
            out.emplace(name, target.create_string_coordinate("site", axes.sites));
        } else if (name == "gpu") {
            out.emplace(name, target.create_string_coordinate("gpu", axes.gpus));
        } else if (name == "tenant") {
            out.emplace(name, target.create_string_coordinate("tenant", axes.tenants));
        } else if (name == "year") {
            Dataset year = target.create_coordinate("year", std::span<const std::int64_t>(axes.years), "1");
            year.set_attribute("long_name", "calendar year (UTC) the jobs were submitted in");
            out.emplace(name, std::move(year));
        } else if (name == "group") {
            out.emplace(name, target.create_string_coordinate("group", axes.summary_groups));
        } else {
            throw InternalError("results layout: no axis '" + name + "'");
        }
    }
    return out;
}

std::string group_description(const std::string& group) {
    if (group == "sites") return "per site over time; means and totals cover [time, time_bounds[:, 1])";
    if (group == "tenants") return "per tenant over time; time-means and totals cover each output step";
    if (group == "summary") return "per tenant, job class and tenant's class: counts, waits, slowdown, delivered share";
    if (group == "summary_by_year") return "the summary of the jobs submitted in each calendar year";
    if (group == "totals") return "totals of the run over all sites";
    throw InternalError("results layout: no group '" + group + "'");
}

void write_record_schema(const Group& target, const run::RunRecord& record) {
    const run::RunAxes& a = record.axes;
    target.set_attribute("time_units", a.time_units);
    auto numbers = [&](const char* name, const std::vector<double>& values) {
        const Dataset n = target.create_dimension(std::string(name) + "_n", values.size());
        const Dataset* dims[] = {&n};
        target.write_array(name, values, dims, "1", name);
    };
    numbers("time_h", a.time_h);
    numbers("time_bounds_h", a.time_bounds_h);
    target.write_strings("sites", a.sites);
    target.write_strings("gpus", a.gpus);
    target.write_strings("tenants", a.tenants);
    target.write_strings("summary_groups", a.summary_groups);
    numbers("years", std::vector<double>(a.years.begin(), a.years.end()));
    std::vector<std::string> groups, names, axes, units, long_names;
    for (const auto& v : record.variables) {
        groups.push_back(v.group);
        names.push_back(v.name);
        axes.push_back(join(v.axes, " "));
        units.push_back(v.units);
        long_names.push_back(v.long_name);
    }
    target.write_strings("variable_group", groups);
    target.write_strings("variable_name", names);
    target.write_strings("variable_axes", axes);
    target.write_strings("variable_units", units);
    target.write_strings("variable_long_name", long_names);
}

run::RunRecord read_record_schema(const Group& source) {
    run::RunRecord record;
    run::RunAxes& a = record.axes;
    a.time_units = source.string_attribute("time_units").value_or("");
    a.time_h = source.open_dataset("time_h").read_all();
    a.time_bounds_h = source.open_dataset("time_bounds_h").read_all();
    a.sites = source.open_dataset("sites").read_strings();
    a.gpus = source.open_dataset("gpus").read_strings();
    a.tenants = source.open_dataset("tenants").read_strings();
    a.summary_groups = source.open_dataset("summary_groups").read_strings();
    for (const double y : source.open_dataset("years").read_all()) a.years.push_back(static_cast<std::int64_t>(y));
    const auto groups = source.open_dataset("variable_group").read_strings();
    const auto names = source.open_dataset("variable_name").read_strings();
    const auto axes = source.open_dataset("variable_axes").read_strings();
    const auto units = source.open_dataset("variable_units").read_strings();
    const auto long_names = source.open_dataset("variable_long_name").read_strings();
    if (names.size() != groups.size() || axes.size() != groups.size() || units.size() != groups.size() ||
        long_names.size() != groups.size()) {
        throw IoError("a run schema whose variable lists differ in length");
    }
    for (std::size_t i = 0; i < groups.size(); ++i) {
        record.variables.push_back({groups[i], names[i], split_words(axes[i]), units[i], long_names[i], {}});
    }
    return record;
}

std::size_t value_count(const run::RunAxes& axes, const run::RunVariable& variable) {
    std::size_t n = 1;
    for (const auto& axis : variable.axes) n *= axes.length(axis);
    return n;
}

} // namespace capsim::io
