// The failures section: processes by which nodes fail and are repaired, either random (a rate per
// node, the law of the time between failures, a repair time) or replayed from a CSV trace.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <fstream>
#include <map>
#include <stdexcept>
#include <utility>

#include "capsim/util/calendar.hpp"
#include "capsim/util/csv.hpp"
#include "capsim/util/strings.hpp"
#include "capsim/workload/arrival_process.hpp"
#include "diagnostic_messages.hpp"
#include "read_distribution.hpp"
#include "section_readers.hpp"

namespace capsim::scenario::detail {
namespace {

using workload::FailureSpec;

/// The keys of a random failure process; a trace entry takes `csv` alone.
const std::vector<std::string> random_keys = {"nodes", "sites", "rate", "distribution", "repair", "bad_nodes"};
/// The columns of a failure trace, in the order messages list them.
const std::vector<std::string> trace_columns = {"time", "site", "node_type", "node", "duration"};

std::vector<std::string> site_names(const Scenario& scenario) {
    std::vector<std::string> names;
    for (const auto& site : scenario.sites) names.push_back(site.name);
    return names;
}

/// One name or a list of names: `read_one` checks each and returns false after reporting it.
template <typename ReadOne>
bool read_names(YamlReader& reader, const YAML::Node& node, const std::string& path, const char* of_what,
                ReadOne&& read_one) {
    if (node.IsScalar()) return read_one(node, path);
    if (!node.IsSequence()) {
        reader.error(node, path, found_instead_of(node, std::string("a name or a list of ") + of_what));
        return false;
    }
    if (node.size() == 0) {
        // An empty list reads as "none", but leaving the key out means "all": refuse the ambiguity.
        reader.error(node, path, empty_list(std::string("at least one of the ") + of_what + ", or no key for all"));
        return false;
    }
    bool ok = true;
    for (std::size_t k = 0; k < node.size(); ++k) ok = read_one(node[k], YamlReader::index_path(path, k)) && ok;
    return ok;
}

/// A node type of the catalog, built in or the scenario's own, reported as read_buildout reports it.
bool read_node_type(SectionContext& context, const YAML::Node& node, const std::string& path, FailureSpec& f) {
    const infra::HardwareCatalog& catalog = context.scenario.catalog;
    const auto name = context.reader.text(node, path, "a node type name");
    if (!name) return false;
    if (catalog.find_node(*name)) {
        f.node_types.push_back(*name);
        return true;
    }
    const auto& declared = context.declared_nodes;
    if (std::find(declared.begin(), declared.end(), *name) == declared.end()) {
        context.reader.error(node, path,
                             unknown_name("node type", *name, catalog.node_names()) +
                                 " (`capsim catalog` lists them; add your own under catalog.nodes)");
    } // else its definition under catalog.nodes was reported already
    return false;
}

/// `distribution`: 'exponential' or {weibull: {shape: K}}; the shape, 1 for the exponential.
std::optional<double> read_shape(SectionContext& context, const YAML::Node& node, const std::string& path) {
    YamlReader& reader = context.reader;
    const char* forms = "'exponential' or {weibull: {shape: K}}";
    if (node.IsScalar()) {
        if (trim(node.Scalar()) == "exponential") return 1.0;
        reader.error(node, path,
                     found_instead_of(node, forms) + did_you_mean(node.Scalar(), {"exponential", "weibull"}));
        return std::nullopt;
    }
    if (!node.IsMap()) {
        reader.error(node, path, found_instead_of(node, forms));
        return std::nullopt;
    }
    if (!reader.check_mapping(node, path, {"weibull"})) return std::nullopt;
    const YAML::Node weibull = reader.child(node, path, "weibull", true);
    if (!weibull) return std::nullopt;
    const std::string wp = path + ".weibull";
    if (!reader.check_mapping(weibull, wp, {"shape"})) return std::nullopt;
    const YAML::Node shape = reader.child(weibull, wp, "shape", true);
    const auto k = reader.number(shape, wp + ".shape", -INFINITY, INFINITY);
    if (k && *k <= 0) {
        reader.error(shape, wp + ".shape", found_instead_of(shape, "a shape > 0 (1 is the exponential)"));
        return std::nullopt;
    }
    return k;
}

/// `bad_nodes`: {fraction: F, factor: X}, F in [0, 1], X >= 1.
bool read_bad_nodes(SectionContext& context, const YAML::Node& node, const std::string& path, FailureSpec& f) {
    YamlReader& reader = context.reader;
    if (!reader.check_mapping(node, path, {"fraction", "factor"})) return false;
    const YAML::Node fraction = reader.child(node, path, "fraction", true);
    auto x = context.quantity(fraction, path + ".fraction", Dimension::fraction);
    if (x && (*x < 0 || *x > 1)) {
        reader.error(fraction, path + ".fraction", found_instead_of(fraction, "a fraction of the nodes from 0 to 1"));
        x.reset();
    }
    const auto factor = reader.number(reader.child(node, path, "factor", true), path + ".factor", 1, INFINITY);
    if (!x || !factor) return false;
    f.bad_fraction = *x;
    f.bad_factor = *factor;
    return true;
}

/// A random failure process; false (after reporting) when any part of it is wrong.
bool read_random(SectionContext& context, const YAML::Node& node, const std::string& path, FailureSpec& f) {
    YamlReader& reader = context.reader;
    bool ok = true;
    if (YAML::Node v = node["nodes"]) {
        ok = read_names(reader, v, path + ".nodes", "node type names", [&](const YAML::Node& n, const std::string& p) {
            return read_node_type(context, n, p, f);
        });
    }
    if (YAML::Node v = node["sites"]) {
        const std::vector<std::string> names = site_names(context.scenario);
        ok = read_names(reader, v, path + ".sites", "site names", [&](const YAML::Node& n, const std::string& p) {
            const auto i = context.name_index(n, p, names, "site");
            if (i) f.sites.push_back(*i);
            return i.has_value();
        }) && ok;
    }
    const YAML::Node rate = reader.child(node, path, "rate", true);
    if (rate && !rate.IsScalar()) {
        reader.error(rate, path + ".rate", found_instead_of(rate, "a rate per node like '0.0065/day'"));
        ok = false;
    } else if (rate) {
        try {
            f.rate_per_s = workload::parse_rate_per_s(rate.Scalar());
            if (f.rate_per_s <= 0) {
                reader.error(rate, path + ".rate", found_instead_of(rate, "a rate > 0 per node like '0.0065/day'"));
                ok = false;
            }
        } catch (const std::invalid_argument& e) {
            reader.error(rate, path + ".rate", e.what());
            ok = false;
        }
    } else {
        ok = false;
    }
    if (YAML::Node v = node["distribution"]) {
        if (auto k = read_shape(context, v, path + ".distribution")) f.weibull_shape = *k;
        else ok = false;
    }
    if (YAML::Node v = reader.child(node, path, "repair", true)) {
        if (auto d = read_distribution(context, v, path + ".repair", Dimension::duration)) {
            if (d->min_value() < 0) {
                reader.error(v, path + ".repair", can_take_the_value(d->min_value(), "repair times >= 0"));
                ok = false;
            }
            f.repair_s = *d;
        } else {
            ok = false;
        }
    } else {
        ok = false;
    }
    if (YAML::Node v = node["bad_nodes"]) ok = read_bad_nodes(context, v, path + ".bad_nodes", f) && ok;
    return ok;
}

/// What a failure trace's rows are checked against: the scenario's names, its horizon and how many
/// nodes of each type each site's build-out holds.
struct TraceChecks {
    std::vector<std::string> sites;
    std::vector<std::string> node_types;
    std::map<std::pair<std::size_t, std::string>, std::int64_t> nodes; // (site, node type) -> count
    bool horizon_ok = false;
    double start_s = 0;
    double end_s = 0;
};

TraceChecks trace_checks(const SectionContext& context) {
    const Scenario& scenario = context.scenario;
    TraceChecks checks;
    checks.sites = site_names(scenario);
    checks.node_types = scenario.catalog.node_names();
    for (const auto& order : scenario.buildout) checks.nodes[{order.site, order.node}] += order.count;
    checks.horizon_ok = context.horizon_ok;
    checks.start_s = scenario.start_s;
    checks.end_s = scenario.end_s;
    return checks;
}

/// Where each trace column is among the header's columns; an unknown, repeated or missing column is
/// an InputError naming the header line.
std::vector<std::size_t> trace_column_indices(const std::vector<std::string>& header, const std::string& where) {
    std::vector<std::string> missing;
    for (const auto& c : trace_columns) {
        if (std::find(header.begin(), header.end(), c) == header.end()) missing.push_back(c);
    }
    for (std::size_t k = 0; k < header.size(); ++k) {
        const std::string& c = header[k];
        if (std::find(trace_columns.begin(), trace_columns.end(), c) == trace_columns.end()) {
            // The near name is sought among the missing columns, where the typo most likely belongs.
            throw InputError(where + ": unknown column '" + c + "', expected the columns " +
                             join_alternatives(trace_columns) +
                             did_you_mean(c, missing.empty() ? trace_columns : missing));
        }
        if (std::find(header.begin(), header.begin() + static_cast<std::ptrdiff_t>(k), c) !=
            header.begin() + static_cast<std::ptrdiff_t>(k)) {
            throw InputError(where + ": column '" + c + "' given twice, expected each column once");
        }
    }
    if (!missing.empty()) {
        throw InputError(where + ": no column '" + missing.front() + "', expected the columns " +
                         join_alternatives(trace_columns));
    }
    std::vector<std::size_t> indices;
    for (const auto& c : trace_columns) {
        indices.push_back(static_cast<std::size_t>(std::find(header.begin(), header.end(), c) - header.begin()));
    }
    return indices;
}

/// One row of a failure trace; `where` is "FILE:LINE", `previous_s` the time of the row above.
FailureSpec::TraceFailure trace_row(const std::vector<std::string_view>& fields,
                                    const std::vector<std::size_t>& index, const TraceChecks& checks,
                                    const std::string& where, double previous_s) {
    auto field = [&](std::size_t column) { return std::string(fields[index[column]]); };
    auto bad = [&](std::size_t column, const std::string& message) {
        return InputError(where + ": column '" + trace_columns[column] + "': " + message);
    };
    FailureSpec::TraceFailure row;
    const auto time_s = parse_datetime(field(0));
    if (!time_s) {
        throw bad(0, "'" + field(0) + "' is not a date, expected a date like 2026-09-01 (or 2026-09-01 12:05)");
    }
    if (checks.horizon_ok && (*time_s < checks.start_s || *time_s >= checks.end_s)) {
        throw bad(0, "'" + field(0) + "' is outside the scenario (" + format_date(checks.start_s) + " to " +
                    format_date(checks.end_s - 1) + "), expected a time within it");
    }
    if (*time_s < previous_s) {
        throw bad(0, "'" + field(0) + "' is before the row above (" + format_datetime(previous_s) +
                    "), expected rows in time order");
    }
    row.time_s = *time_s;
    const auto site = std::find(checks.sites.begin(), checks.sites.end(), field(1));
    if (site == checks.sites.end()) throw bad(1, no_such_name("site", field(1), checks.sites));
    row.site = static_cast<std::size_t>(site - checks.sites.begin());
    if (std::find(checks.node_types.begin(), checks.node_types.end(), field(2)) == checks.node_types.end()) {
        throw bad(2, unknown_name("node type", field(2), checks.node_types));
    }
    row.node_type = field(2);
    const auto node = parse_finite_double(field(3));
    if (!node || *node < 0 || std::floor(*node) != *node || *node > 9e15) {
        throw bad(3, "'" + field(3) + "', expected a whole number >= 0 (the node's index at its site, from 0)");
    }
    row.node = static_cast<std::int64_t>(*node);
    const auto count = checks.nodes.find({row.site, row.node_type});
    const std::int64_t nodes = count == checks.nodes.end() ? 0 : count->second;
    if (nodes == 0) {
        throw bad(2, "the build-out gives '" + field(1) + "' no nodes of type '" + row.node_type +
                         "', expected a node type that the site has");
    }
    if (row.node >= nodes) {
        throw bad(3, "'" + field(3) + "', expected an index below " + std::to_string(nodes) +
                         ": the build-out gives '" + field(1) + "' " + std::to_string(nodes) + " nodes of type '" +
                         row.node_type + "', counted from 0");
    }
    try {
        row.duration_s = parse_quantity(field(4), Dimension::duration);
    } catch (const UnitError& e) {
        throw bad(4, e.what());
    }
    if (row.duration_s <= 0) throw bad(4, "'" + field(4) + "', expected a duration > 0");
    return row;
}

/// The rows of a failure trace CSV, in time order; an InputError names the file, the line and the column.
std::vector<FailureSpec::TraceFailure> read_trace_csv(const std::string& path, const TraceChecks& checks) {
    std::ifstream in(path);
    if (!in) throw IoError("cannot open failure trace '" + path + "': " + std::strerror(errno));
    std::size_t line_number = 0;
    const std::vector<std::string> header = read_csv_header(in, line_number, path);
    const std::vector<std::size_t> index = trace_column_indices(header, path + ":" + std::to_string(line_number));
    std::vector<FailureSpec::TraceFailure> rows;
    std::string line;
    while (std::getline(in, line)) {
        ++line_number;
        if (trim(line).empty()) continue;
        const std::string where = path + ":" + std::to_string(line_number);
        const auto fields = split_csv_line(line);
        if (fields.size() != header.size()) {
            throw InputError(where + ": expected " + std::to_string(header.size()) + " columns, found " +
                             std::to_string(fields.size()));
        }
        const double previous_s = rows.empty() ? -INFINITY : rows.back().time_s;
        rows.push_back(trace_row(fields, index, checks, where, previous_s));
    }
    if (in.bad()) throw IoError("cannot read failure trace '" + path + "': " + std::strerror(errno));
    // No rows would leave a spec that is neither a trace nor a random process.
    if (rows.empty()) throw InputError(path + ": no data rows after the header, expected one failure a line");
    return rows;
}

/// A failure trace entry: {csv: FILE} and nothing else, since the trace says which nodes fail and for how long.
bool read_trace(SectionContext& context, const YAML::Node& node, const std::string& path, FailureSpec& f) {
    YamlReader& reader = context.reader;
    bool ok = true;
    for (const auto& key : random_keys) {
        if (YAML::Node v = node[key]) {
            reader.error(v, path + "." + key,
                         "given with 'csv', expected 'csv' alone: a failure trace says which nodes fail, when, and "
                         "for how long");
            ok = false;
        }
    }
    const auto file = reader.text(node["csv"], path + ".csv", "a CSV file name");
    if (!file) return false;
    try {
        f.trace = read_trace_csv(context.file_path(*file), trace_checks(context));
    } catch (const Error& e) {
        reader.error(node["csv"], path + ".csv", e.what());
        return false;
    }
    return ok;
}

} // namespace

void read_failures(SectionContext& context, const YAML::Node& list) {
    if (!list) return;
    YamlReader& reader = context.reader;
    if (!reader.check_sequence(list, "failures", "failure processes {rate, repair, ...} or traces {csv}")) return;
    std::vector<std::string> allowed = random_keys;
    allowed.push_back("csv");
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string path = YamlReader::index_path("failures", i);
        const YAML::Node node = list[i];
        if (!reader.check_mapping(node, path, allowed)) continue;
        FailureSpec f;
        // Its own stream, by position; a workload's stream hashes its name, so only a workload named
        // 'failures[0]' could share it.
        f.stream = stream_of(path);
        const bool ok = node["csv"] ? read_trace(context, node, path, f) : read_random(context, node, path, f);
        if (ok) context.scenario.failures.push_back(std::move(f));
    }
}

} // namespace capsim::scenario::detail
