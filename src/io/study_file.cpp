#include "capsim/io/study_file.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <map>
#include <optional>

#include "capsim/io/hdf5_file.hpp"
#include "capsim/io/record_layout.hpp"
#include "capsim/io/scenario_writer.hpp"
#include "capsim/metrics/replication_statistics.hpp"
#include "capsim/util/error.hpp"
#include "capsim/util/strings.hpp"

namespace capsim::io {
namespace {

/// Raw groups hold every replication; summary and totals are small, so they are kept in every mode.
bool always_raw(const std::string& group) {
    return group == "summary" || group == "summary_by_year" || group == "totals";
}

/// The datasets of one group of a study file (raw or statistics).
struct GroupDatasets {
    std::optional<Group> group;
    AxisDatasets axes;
    std::optional<Dataset> point, second; // second: replication or statistic
    std::map<std::size_t, Dataset> variables; // by index in the schema
};

class StudyFileWriter {
public:
    StudyFileWriter(File& file, const StudyHeader& study, const run::RunRecord& schema,
                    const StudyFileOptions& options)
        : file_(file), study_(study), schema_(schema), options_(options) {
        for (const auto& c : study.coordinates) swept_keys_.push_back(c.key);
        for (const auto& v : schema.variables) {
            offsets_.push_back(offsets_.empty() ? 0 : offsets_.back() + counts_.back());
            counts_.push_back(value_count(schema.axes, v));
        }
        for (const std::string& name : run::run_groups) create_group(file_, name, false);
        if (options_.statistics) {
            const Group stats = file_.create_group("stats");
            stats.set_attribute("description", "statistics across the replications of each point");
            for (const std::string& name : run::run_groups) create_group(stats, name, true);
        }
    }

    /// Writes the values of one run (its record's variables, flat) into the raw groups.
    void write_run(run::WorkItem item, std::span<const double> values) {
        for (std::size_t v = 0; v < schema_.variables.size(); ++v) {
            const run::RunVariable& variable = schema_.variables[v];
            auto raw = raw_[variable.group].variables.find(v);
            if (raw == raw_[variable.group].variables.end()) continue;
            std::vector<std::size_t> offset = {item.point, item.replication}, extent = {1, 1};
            slice_axes(variable, 0, variable.axes.empty() ? 1 : schema_.axes.length(variable.axes.front()), offset, extent);
            raw->second.write_block(offset, extent, values.subspan(offsets_[v], counts_[v]));
        }
    }

    /// Writes the runs of one point that the file holds (`replications`, ascending): their values
    /// unless `raw_written` (write_run did), the statistics when every replication is there, and
    /// which runs the file holds.
    void write_point(std::size_t point, const std::vector<std::size_t>& replications, const RunSource& source,
                     bool raw_written) {
        const std::size_t all = study_.replications;
        const bool with_stats = options_.statistics && replications.size() == all;
        std::vector<double> samples;
        for (std::size_t v = 0; v < schema_.variables.size(); ++v) {
            const run::RunVariable& variable = schema_.variables[v];
            auto raw = raw_[variable.group].variables.find(v);
            if (raw_written) raw = raw_[variable.group].variables.end();
            const bool wanted = raw != raw_[variable.group].variables.end() || with_stats;
            if (!wanted) continue;
            // Slices along the first axis (time, for a series), so that memory holds a bounded
            // part of the variable for every replication rather than all of it.
            const std::size_t first_axis = variable.axes.empty() ? 1 : schema_.axes.length(variable.axes.front());
            const std::size_t row_values = counts_[v] / std::max<std::size_t>(first_axis, 1);
            const std::size_t slice_rows = std::clamp<std::size_t>(8192 / std::max<std::size_t>(row_values, 1), 1,
                                                                   std::max<std::size_t>(first_axis, 1));
            for (std::size_t first_row = 0; first_row < first_axis; first_row += slice_rows) {
                const std::size_t rows = std::min(slice_rows, first_axis - first_row);
                const std::size_t n = rows * row_values;
                samples.assign(replications.size() * n, 0.0);
                for (std::size_t i = 0; i < replications.size(); ++i) {
                    const std::vector<double> values = source.read({point, replications[i]}, v, first_row, rows);
                    if (values.size() != n) {
                        throw IoError("finished run (point " + std::to_string(point) + ", replication " +
                                      std::to_string(replications[i]) + ") has " + std::to_string(values.size()) +
                                      " values of " + variable.group + "/" + variable.name + ", expected " +
                                      std::to_string(n));
                    }
                    std::copy(values.begin(), values.end(), samples.begin() + static_cast<std::ptrdiff_t>(i * n));
                }
                if (raw != raw_[variable.group].variables.end()) {
                    write_raw(raw->second, variable, point, replications, first_row, rows, samples, n);
                }
                if (with_stats) write_statistics(v, point, first_row, rows, samples, n);
            }
        }
        // Which runs the file holds: a shard's coverage, checked by `capsim merge`.
        std::vector<std::int64_t> ones;
        for_each_contiguous(replications, [&](std::size_t first, std::size_t count) {
            ones.assign(count, 1);
            const std::size_t offset[] = {point, first};
            const std::size_t extent[] = {1, count};
            completed_->write_block(offset, extent, std::span<const std::int64_t>(ones));
        });
    }

private:
    template <typename F>
    static void for_each_contiguous(const std::vector<std::size_t>& sorted, F f) {
        std::size_t i = 0;
        while (i < sorted.size()) {
            std::size_t j = i + 1;
            while (j < sorted.size() && sorted[j] == sorted[j - 1] + 1) ++j;
            f(sorted[i], j - i);
            i = j;
        }
    }

    /// The offset and extent of the trailing axes of a slice of `rows` rows from `first_row`.
    void slice_axes(const run::RunVariable& v, std::size_t first_row, std::size_t rows, std::vector<std::size_t>& offset,
                    std::vector<std::size_t>& extent) const {
        for (std::size_t axis = 0; axis < v.axes.size(); ++axis) {
            offset.push_back(axis == 0 ? first_row : 0);
            extent.push_back(axis == 0 ? rows : schema_.axes.length(v.axes[axis]));
        }
    }

    void write_raw(const Dataset& dataset, const run::RunVariable& variable, std::size_t point,
                   const std::vector<std::size_t>& replications, std::size_t first_row, std::size_t rows,
                   const std::vector<double>& samples, std::size_t n) {
        std::size_t row = 0;
        for_each_contiguous(replications, [&](std::size_t first, std::size_t count) {
            std::vector<std::size_t> offset = {point, first}, extent = {1, count};
            slice_axes(variable, first_row, rows, offset, extent);
            dataset.write_block(offset, extent, std::span<const double>(samples).subspan(row * n, count * n));
            row += count;
        });
    }

    void write_statistics(std::size_t v, std::size_t point, std::size_t first_row, std::size_t rows,
                          const std::vector<double>& samples, std::size_t n) {
        const run::RunVariable& variable = schema_.variables[v];
        const std::size_t r = samples.size() / std::max<std::size_t>(n, 1);
        using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
        const Eigen::Map<const RowMajor> matrix(samples.data(), static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(n));
        const RowMajor stats = metrics::replication_statistics(matrix);
        std::vector<std::size_t> offset = {point, 0}, extent = {1, metrics::statistic_names.size()};
        slice_axes(variable, first_row, rows, offset, extent);
        stats_[variable.group].variables.at(v).write_block(
            offset, extent, std::span<const double>(stats.data(), static_cast<std::size_t>(stats.size())));
    }

    void write_swept_coordinates(const Group& group, const Dataset& point) {
        for (const auto& c : study_.coordinates) {
            const Dataset* dims[] = {&point};
            if (c.numeric) {
                group.write_array(c.key, c.numbers, dims, c.units, "swept value of " + c.key);
            } else {
                const Dataset d = group.write_strings(c.key, c.texts, &point);
                d.set_attribute("long_name", "swept value of " + c.key);
            }
        }
    }

    /// Group `name` of the raw values (a leading `replication` axis) or of the statistics (a
    /// `statistic` axis) under `parent`, with its coordinates and empty variables.
    void create_group(const Group& parent, const std::string& name, bool statistics) {
        bool any = false;
        for (const auto& v : schema_.variables) any = any || v.group == name;
        if (!any || (!statistics && !options_.raw_series && !always_raw(name))) return;
        GroupDatasets& out = statistics ? stats_[name] : raw_[name];
        out.group.emplace(parent.create_group(name));
        out.group->set_attribute("description", group_description(name) + (statistics
                                                                              ? "; statistics across replications"
                                                                              : "; one value per point and replication"));
        out.point.emplace(index_coordinate(*out.group, "point", study_.points, "sweep point index"));
        if (statistics) {
            const std::vector<std::string> names(metrics::statistic_names.begin(), metrics::statistic_names.end());
            out.second.emplace(out.group->create_string_coordinate("statistic", names));
            out.second->set_attribute("long_name", "mean, sample standard deviation, 95 % confidence interval of the "
                                                   "mean (Student t), quantiles (numpy linear)");
        } else {
            out.second.emplace(index_coordinate(*out.group, "replication", study_.replications, "replication index"));
        }
        out.axes = write_axes(*out.group, schema_.axes, axes_of_group(schema_, name));
        write_swept_coordinates(*out.group, *out.point);
        for (std::size_t v = 0; v < schema_.variables.size(); ++v) {
            const run::RunVariable& variable = schema_.variables[v];
            if (variable.group != name) continue;
            std::vector<const Dataset*> dims = {&*out.point, &*out.second};
            for (const auto& a : variable.axes) dims.push_back(&out.axes.at(a));
            // A chunk: whole trailing axes, every statistic or as many replications as fit in about 64 Ki values.
            std::vector<std::size_t> chunk = {1, statistics ? metrics::statistic_names.size()
                                                            : std::max<std::size_t>(1, 65536 / std::max<std::size_t>(counts_[v], 1))};
            for (const auto& a : variable.axes) chunk.push_back(schema_.axes.length(a));
            Dataset d = out.group->create_array(variable.name, dims, false, chunk, variable.units, variable.long_name);
            if (!swept_keys_.empty()) d.set_attribute("coordinates", join(swept_keys_, " "));
            out.variables.emplace(v, std::move(d));
        }
        if (name == "totals" && !statistics) {
            const Dataset* dims[] = {&*out.point, &*out.second};
            const std::size_t chunk[] = {1, study_.replications};
            completed_.emplace(out.group->create_array("completed", dims, true, chunk, "1",
                                                       "1 where this file holds the run, 0 where not"));
        }
    }

    static Dataset index_coordinate(const Group& group, const char* name, std::size_t count, const char* what) {
        std::vector<std::int64_t> index(count);
        for (std::size_t i = 0; i < count; ++i) index[i] = static_cast<std::int64_t>(i);
        Dataset d = group.create_coordinate(name, std::span<const std::int64_t>(index), "1");
        d.set_attribute("long_name", what);
        return d;
    }

    File& file_;
    const StudyHeader& study_;
    const run::RunRecord& schema_;
    const StudyFileOptions& options_;
    std::vector<std::string> swept_keys_;
    std::vector<std::size_t> offsets_, counts_; // of each variable in a run's flat values
    std::map<std::string, GroupDatasets> raw_, stats_;
    std::optional<Dataset> completed_;
};

} // namespace

StudyHeader study_header(const scenario::Study& study) {
    StudyHeader header;
    header.scenario_name = study.base().name;
    header.fingerprint = run::study_fingerprint(study);
    header.points = study.points.size();
    header.replications = static_cast<std::size_t>(study.replications);
    header.coordinates = study.coordinates;
    header.replication_output = study.base().replication_output;
    const scenario::Scenario* base = &study.base();
    header.write_provenance = [base](const File& file) { write_scenario_provenance(file, *base); };
    return header;
}

struct StudyFileBuilder::State {
    File file;
    const StudyHeader& header;
    const run::RunRecord& schema;
    StudyFileOptions options;
    std::optional<StudyFileWriter> writer;
};

StudyFileBuilder::StudyFileBuilder(const std::string& path, const StudyHeader& header, const run::RunRecord& schema,
                                   const StudyFileOptions& options)
    : state_(std::make_unique<State>(State{File::create(path), header, schema, options, std::nullopt})) {
    File& file = state_->file;
    header.write_provenance(file);
    file.set_attribute("title", "capsim study: " + header.scenario_name);
    file.set_attribute("study_fingerprint", header.fingerprint);
    file.set_attribute("points", static_cast<std::int64_t>(header.points));
    file.set_attribute("replications", static_cast<std::int64_t>(header.replications));
    std::vector<std::string> keys;
    for (const auto& c : header.coordinates) keys.push_back(c.key);
    file.set_attribute("swept_keys", join(keys, "\n"));
    file.set_attribute("shard", options.shard ? options.shard->text() : std::string());
    // What the scenario asked for; a shard keeps every replication whatever it asked.
    file.set_attribute("output_replications", scenario::to_string(header.replication_output));
    state_->writer.emplace(file, header, schema, state_->options);
}

StudyFileBuilder::~StudyFileBuilder() = default;

void StudyFileBuilder::add_run(run::WorkItem item, std::span<const double> values) {
    state_->writer->write_run(item, values);
}

void StudyFileBuilder::finish(const std::vector<run::WorkItem>& items, const RunSource& source, bool runs_added,
                              double wall_time_s) {
    File& file = state_->file;
    file.set_attribute("runs", static_cast<std::int64_t>(items.size()));
    file.set_attribute("wall_time_s", wall_time_s);
    std::size_t i = 0;
    while (i < items.size()) {
        const std::size_t point = items[i].point;
        std::vector<std::size_t> replications;
        for (; i < items.size() && items[i].point == point; ++i) replications.push_back(items[i].replication);
        std::sort(replications.begin(), replications.end());
        state_->writer->write_point(point, replications, source, runs_added);
    }
    state_->writer.reset();
    write_record_schema(file.create_group("run_schema"), state_->schema);
    file.close();
}

void write_study_file(const std::string& path, const StudyHeader& header, const run::RunRecord& schema,
                      const std::vector<run::WorkItem>& items, const RunSource& source, const StudyFileOptions& options) {
    StudyFileBuilder builder(path, header, schema, options);
    builder.finish(items, source, false, options.wall_time_s);
}

} // namespace capsim::io
