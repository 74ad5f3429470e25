#include "capsim/workload/swf_reader.hpp"

#include <zlib.h>

#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <memory>
#include <vector>

#include "capsim/util/error.hpp"
#include "capsim/util/strings.hpp"

namespace capsim::workload {
namespace {

constexpr std::size_t swf_field_count = 18;

constexpr std::array<const char*, swf_field_count> swf_field_names = {
    "job id",          "submit time",      "wait time",       "run time",       "allocated processors",
    "average CPU time", "used memory",     "requested processors", "requested time", "requested memory",
    "status",          "user id",          "group id",        "executable",     "queue",
    "partition",       "preceding job",    "think time"};

std::string where(const std::string& source, std::size_t line) {
    return source + ":" + std::to_string(line);
}

std::int64_t whole_number(double value, const std::string& source, std::size_t line, std::size_t field,
                          std::string_view token) {
    if (std::floor(value) != value || std::fabs(value) > 9.0e15) {
        throw InputError(where(source, line) + ": field " + std::to_string(field + 1) + " (" +
                         swf_field_names[field] + "): '" + std::string(token) +
                         "' is not a whole number");
    }
    return static_cast<std::int64_t>(value);
}

void parse_header(std::string_view comment, SwfTrace& trace, std::size_t line) {
    // "; MaxProcs: 100" -> key "MaxProcs", value "100"
    const auto colon = comment.find(':');
    if (colon == std::string_view::npos) return;
    const std::string_view key = trim(comment.substr(1, colon - 1));
    if (key != "MaxProcs" && key != "MaxNodes") return;
    std::string_view value = trim(comment.substr(colon + 1));
    value = value.substr(0, value.find_first_of(" \t"));
    const auto number = parse_finite_double(value);
    if (!number || std::floor(*number) != *number) {
        throw InputError(where(trace.source, line) + ": header " + std::string(key) + ": '" +
                         std::string(value) + "' is not a whole number");
    }
    if (*number <= 0) return; // the archive writes -1 for "unknown"
    auto& slot = (key == "MaxProcs") ? trace.max_procs : trace.max_nodes;
    slot = static_cast<std::int64_t>(*number);
}

SwfRecord parse_job_line(std::string_view text, const std::string& source, std::size_t line) {
    std::array<std::string_view, swf_field_count> tokens;
    std::array<double, swf_field_count> values{};
    std::size_t count = 0;
    std::size_t pos = 0;
    while (true) {
        pos = text.find_first_not_of(" \t", pos);
        if (pos == std::string_view::npos) break;
        const std::size_t end = std::min(text.find_first_of(" \t", pos), text.size());
        if (count == swf_field_count) {
            throw InputError(where(source, line) + ": expected " + std::to_string(swf_field_count) +
                             " fields, found more");
        }
        tokens[count++] = text.substr(pos, end - pos);
        pos = end;
    }
    if (count != swf_field_count) {
        throw InputError(where(source, line) + ": expected " + std::to_string(swf_field_count) +
                         " fields, found " + std::to_string(count) +
                         (count < swf_field_count
                              ? " (field " + std::to_string(count + 1) + ", " + swf_field_names[count] +
                                    ", is missing)"
                              : std::string()));
    }
    for (std::size_t f = 0; f < swf_field_count; ++f) {
        const auto value = parse_finite_double(tokens[f]);
        if (!value) {
            throw InputError(where(source, line) + ": field " + std::to_string(f + 1) + " (" +
                             swf_field_names[f] + "): '" + std::string(tokens[f]) + "' is not a number");
        }
        values[f] = *value;
    }
    SwfRecord record;
    record.id = whole_number(values[0], source, line, 0, tokens[0]);
    record.submit_s = values[1];
    record.run_s = values[3];
    record.allocated_processors = whole_number(values[4], source, line, 4, tokens[4]);
    record.requested_processors = whole_number(values[7], source, line, 7, tokens[7]);
    record.requested_time_s = values[8];
    record.line = line;
    return record;
}

struct GzCloser {
    void operator()(gzFile_s* file) const { gzclose(file); }
};

} // namespace

SwfTrace parse_swf(std::string_view text, const std::string& source) {
    SwfTrace trace;
    trace.source = source;
    trace.records.reserve(text.size() / 64);
    std::size_t line = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t newline = std::min(text.find('\n', pos), text.size());
        const std::string_view raw = text.substr(pos, newline - pos);
        pos = newline + 1;
        ++line;
        const std::string_view content = trim(raw);
        if (content.empty()) continue;
        if (content.front() == ';') {
            parse_header(content, trace, line);
            continue;
        }
        trace.records.push_back(parse_job_line(content, source, line));
    }
    return trace;
}

SwfTrace read_swf_file(const std::string& path) {
    // gzread reads plain files unchanged, so one path serves .swf and .swf.gz alike.
    std::unique_ptr<gzFile_s, GzCloser> file(gzopen(path.c_str(), "rb"));
    if (!file) {
        throw IoError("cannot open trace '" + path + "': " + std::strerror(errno));
    }
    gzbuffer(file.get(), 1 << 18);
    std::string text;
    std::vector<char> buffer(1 << 18);
    while (true) {
        const int n = gzread(file.get(), buffer.data(), static_cast<unsigned>(buffer.size()));
        if (n < 0) {
            int error_code = 0;
            const char* message = gzerror(file.get(), &error_code);
            throw InputError("cannot read trace '" + path + "': " + (message ? message : "read error"));
        }
        if (n == 0) break;
        text.append(buffer.data(), static_cast<std::size_t>(n));
    }
    int code = Z_OK;
    const char* message = gzerror(file.get(), &code);
    if (code != Z_OK && code != Z_STREAM_END) {
        throw InputError("cannot read trace '" + path + "': " + (message ? message : "corrupt gzip data"));
    }
    if (text.find('\0') != std::string::npos) {
        throw InputError(path + ": not a text file (it contains NUL bytes); expected a Standard Workload "
                                "Format trace, plain or gzip-compressed");
    }
    return parse_swf(text, path);
}

} // namespace capsim::workload
