#include "capsim/io/run_parts.hpp"

#include <cstdio>
#include <filesystem>
#include <system_error>

#include "capsim/io/hdf5_file.hpp"
#include "capsim/io/record_layout.hpp"
#include "capsim/util/error.hpp"

namespace capsim::io {
namespace fs = std::filesystem;

PartsDirectory::PartsDirectory(std::string path, std::string fingerprint)
    : path_(std::move(path)), fingerprint_(std::move(fingerprint)) {
    std::error_code error;
    fs::create_directories(path_, error);
    if (error) throw IoError("cannot create the directory '" + path_ + "' for finished runs: " + error.message());
}

std::string PartsDirectory::part_path(run::WorkItem item) const {
    char name[64];
    std::snprintf(name, sizeof name, "point%06zu-replication%06zu.h5", item.point, item.replication);
    return (fs::path(path_) / name).string();
}

std::vector<run::WorkItem> PartsDirectory::finished() const {
    std::vector<run::WorkItem> items;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(path_, error)) {
        const std::string name = entry.path().filename().string();
        std::size_t point = 0, replication = 0;
        char tail = 0;
        // Temporary names (".tmp") of parts being written when a run stopped are not finished runs.
        if (std::sscanf(name.c_str(), "point%zu-replication%zu.h%c", &point, &replication, &tail) != 3 ||
            name != fs::path(part_path({point, replication})).filename().string()) {
            continue;
        }
        const File file = File::open_read_only(entry.path().string());
        if (file.string_attribute("study_fingerprint").value_or("") != fingerprint_) {
            throw Error(ExitCode::usage, "'" + entry.path().string() + "' is a finished run of another study (scenario or " +
                                             "sweep changed since); remove '" + path_ + "' or rerun with --force");
        }
        items.push_back({point, replication});
    }
    if (error) throw IoError("cannot list '" + path_ + "': " + error.message());
    return items;
}

void PartsDirectory::write(const run::RunRecord& schema, const run::FinishedRun& run) const {
    const std::string final_path = part_path(run.item);
    const std::string temp_path = final_path + ".tmp";
    {
        File file = File::create(temp_path);
        file.set_attribute("study_fingerprint", fingerprint_);
        file.set_attribute("point", static_cast<std::int64_t>(run.item.point));
        file.set_attribute("replication", static_cast<std::int64_t>(run.item.replication));
        // Uncompressed: a part is read back a variable at a time and then deleted.
        file.write_contiguous("values", run.values)
            .set_attribute("long_name", "the run's variables, flattened in schema order");
        write_record_schema(file.create_group("schema"), schema);
        file.close();
    }
    std::error_code error;
    fs::rename(temp_path, final_path, error);
    if (error) throw IoError("cannot rename '" + temp_path + "' to '" + final_path + "': " + error.message());
}

run::RunRecord PartsDirectory::schema(run::WorkItem item) const {
    const File file = File::open_read_only(part_path(item));
    return read_record_schema(file.open_group("schema"));
}

std::vector<double> PartsDirectory::read(run::WorkItem item, std::size_t offset, std::size_t count) const {
    const File part = File::open_read_only(part_path(item));
    const std::size_t origin[] = {offset};
    const std::size_t extent[] = {count};
    return part.open_dataset("values").read_block(origin, extent);
}

void PartsDirectory::remove() const {
    std::error_code error;
    fs::remove_all(path_, error);
    if (error) throw IoError("cannot remove '" + path_ + "': " + error.message());
}

} // namespace capsim::io
