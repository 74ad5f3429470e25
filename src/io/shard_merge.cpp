#include "capsim/io/shard_merge.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <optional>

#include "capsim/io/atomic_output.hpp"
#include "capsim/io/hdf5_file.hpp"
#include "capsim/io/record_layout.hpp"
#include "capsim/io/study_file.hpp"
#include "capsim/run/study_work.hpp"
#include "capsim/util/error.hpp"
#include "capsim/util/strings.hpp"

namespace capsim::io {
namespace {

/// One input of the merge, open for reading.
struct ShardFile {
    std::string path;
    File file;
    std::string fingerprint;
    run::Shard shard;
};

ShardFile open_shard(const std::string& path) {
    File file = File::open_read_only(path);
    const std::string title = file.string_attribute("title").value_or("");
    const auto fingerprint = file.string_attribute("study_fingerprint");
    if (title.rfind("capsim study", 0) != 0 || !fingerprint) {
        throw InputError("'" + path + "' is not the results of a capsim study (no study fingerprint)");
    }
    const std::string shard = file.string_attribute("shard").value_or("");
    if (shard.empty()) {
        throw InputError("'" + path + "' holds a whole study, not a shard: it needs no merging");
    }
    return ShardFile{path, std::move(file), *fingerprint, run::Shard::parse(shard)};
}

/// Reads each run's variables from the shard that holds it.
class ShardSource final : public RunSource {
public:
    ShardSource(const run::RunRecord& schema, std::map<std::size_t, const ShardFile*> holder, run::WorkList work)
        : schema_(schema), holder_(std::move(holder)), work_(work) {}

    std::vector<double> read(run::WorkItem item, std::size_t variable, std::size_t first_row,
                             std::size_t rows) const override {
        const run::RunVariable& v = schema_.variables.at(variable);
        const ShardFile& shard = *holder_.at(work_.index(item));
        const Dataset dataset = shard.file.open_group(v.group).open_dataset(v.name);
        std::vector<std::size_t> offset = {item.point, item.replication}, extent = {1, 1};
        for (std::size_t axis = 0; axis < v.axes.size(); ++axis) {
            offset.push_back(axis == 0 ? first_row : 0);
            extent.push_back(axis == 0 ? rows : schema_.axes.length(v.axes[axis]));
        }
        return dataset.read_block(offset, extent);
    }

private:
    const run::RunRecord& schema_;
    std::map<std::size_t, const ShardFile*> holder_;
    run::WorkList work_;
};

std::vector<scenario::SweepCoordinate> read_coordinates(const File& file) {
    std::vector<scenario::SweepCoordinate> out;
    const Group totals = file.open_group("totals");
    for (const std::string& key : split_lines(file.string_attribute("swept_keys").value_or(""))) {
        scenario::SweepCoordinate c;
        c.key = key;
        const Dataset d = totals.open_dataset(c.key);
        try {
            c.texts = d.read_strings();
        } catch (const IoError&) { // not strings: a numeric coordinate
            c.numeric = true;
            c.numbers = d.read_all();
            c.units = d.string_attribute("units").value_or("");
            for (double v : c.numbers) c.texts.push_back(std::to_string(v));
        }
        out.push_back(std::move(c));
    }
    return out;
}

std::string runs_text(std::size_t first, std::size_t last) {
    return last - first == 1 ? "run " + std::to_string(first) : "runs " + std::to_string(first) + " to " + std::to_string(last - 1);
}

} // namespace

MergeReport merge_shards(const std::vector<std::string>& paths, const std::string& output, bool overwrite) {
    if (paths.empty()) throw Error(ExitCode::usage, "no shard files to merge");
    AtomicOutput out(output, overwrite);
    std::vector<ShardFile> shards;
    for (const auto& path : paths) shards.push_back(open_shard(path));

    // Same study, same split, each slice once.
    const ShardFile& first = shards.front();
    const std::size_t count = first.shard.count;
    std::map<std::size_t, const ShardFile*> by_index;
    for (const ShardFile& s : shards) {
        if (s.fingerprint != first.fingerprint) {
            throw InputError("'" + s.path + "' is a shard of another study than '" + first.path + "' (scenario '" +
                             s.file.string_attribute("scenario").value_or("?") + "', study fingerprint " + s.fingerprint +
                             " instead of " + first.fingerprint + "): the scenario, its --set values, the sweep or the "
                             "replications differ");
        }
        if (s.shard.count != count) {
            throw InputError("'" + s.path + "' is shard " + s.shard.text() + " but '" + first.path + "' is shard " +
                             first.shard.text() + ": all shards must split the study the same way");
        }
        const auto [at, inserted] = by_index.emplace(s.shard.index, &s);
        if (!inserted) {
            throw InputError("'" + s.path + "' and '" + at->second->path + "' are both shard " + s.shard.text() +
                             "; give each shard once");
        }
    }
    const auto points = static_cast<std::size_t>(first.file.number_attribute("points").value_or(0));
    const auto replications = static_cast<std::size_t>(first.file.number_attribute("replications").value_or(0));
    const run::WorkList work(points, replications);
    std::vector<std::string> missing;
    for (std::size_t i = 0; i < count; ++i) {
        if (by_index.count(i)) continue;
        const run::Shard s{i, count};
        missing.push_back("shard " + s.text() + " (" + runs_text(s.begin(work.size()), s.end(work.size())) + " of " +
                          std::to_string(work.size()) + ")");
    }
    if (!missing.empty()) {
        std::string list;
        for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
        throw InputError("missing " + list + "; run it with --shard and merge again");
    }

    // Every shard must hold every run of its slice (it is written only once its slice is done).
    std::map<std::size_t, const ShardFile*> holder;
    for (const auto& [index, shard] : by_index) {
        const std::vector<double> completed = shard->file.open_group("totals").open_dataset("completed").read_all();
        const std::size_t begin = shard->shard.begin(work.size()), end = shard->shard.end(work.size());
        for (std::size_t k = 0; k < work.size(); ++k) {
            const bool held = k < completed.size() && completed[k] == 1;
            const bool expected = k >= begin && k < end;
            if (held != expected) {
                const run::WorkItem item = work.item(k);
                throw InputError("'" + shard->path + "' (shard " + shard->shard.text() + ") " +
                                 (expected ? "lacks" : "holds a run outside its slice:") + " point " +
                                 std::to_string(item.point) + ", replication " + std::to_string(item.replication));
            }
            if (held) holder[k] = shard;
        }
    }

    const auto started = std::chrono::steady_clock::now();
    const run::RunRecord schema = read_record_schema(first.file.open_group("run_schema"));
    StudyHeader header;
    header.scenario_name = first.file.string_attribute("scenario").value_or("");
    header.fingerprint = first.fingerprint;
    header.points = points;
    header.replications = replications;
    header.coordinates = read_coordinates(first.file);
    const std::string mode = first.file.string_attribute("output_replications").value_or("both");
    header.replication_output = mode == "raw"     ? scenario::ReplicationOutput::raw
                                : mode == "stats" ? scenario::ReplicationOutput::stats
                                                  : scenario::ReplicationOutput::both;
    // The provenance of the shards (scenario text, revision, seed...), less what describes one shard.
    const std::vector<std::string> per_shard = {"title", "study_fingerprint", "points", "replications", "swept_keys",
                                                "runs", "shard", "output_replications", "wall_time_s"};
    header.write_provenance = [&](const File& file) { file.copy_attributes_from(first.file, per_shard); };

    StudyFileOptions options;
    options.raw_series = header.replication_output != scenario::ReplicationOutput::stats;
    options.statistics = header.replication_output != scenario::ReplicationOutput::raw;
    double wall_s = 0;
    for (const ShardFile& s : shards) wall_s += s.file.number_attribute("wall_time_s").value_or(0);
    options.wall_time_s = wall_s; // the shards' simulation time, summed
    std::vector<run::WorkItem> items;
    for (std::size_t k = 0; k < work.size(); ++k) items.push_back(work.item(k));
    const ShardSource source(schema, holder, work);
    write_study_file(out.temp_path(), header, schema, items, source, options);
    out.commit();
    return {shards.size(), items.size(), std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()};
}

} // namespace capsim::io
