#include "capsim/workload/swf_reader.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <filesystem>
#include <memory>
#include <optional>
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
    // The same bound as a job's fields: beyond it a double holds no exact whole number.
    if (!number || std::floor(*number) != *number || std::fabs(*number) > 9.0e15) {
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
    const char* p = text.data();
    const char* const end = p + text.size();
    const auto blank = [](char c) { return c == ' ' || c == '\t'; };
    // One pass over the line. Nearly every SWF field is a whole number of at most 15 digits, read as
    // it is scanned (the same double from_chars gives: such integers are exact in a double); any other
    // token goes to the general parser.
    while (true) {
        while (p != end && blank(*p)) ++p;
        if (p == end) break;
        if (count == swf_field_count) {
            throw InputError(where(source, line) + ": expected " + std::to_string(swf_field_count) +
                             " fields, found more");
        }
        const char* const first = p;
        const bool negative = *p == '-';
        if (negative) ++p;
        const char* const digits = p;
        std::uint64_t n = 0;
        for (unsigned d; p != end && (d = static_cast<unsigned>(*p - '0')) <= 9; ++p) n = n * 10 + d;
        const bool whole = p != digits && p - digits <= 15 && (p == end || blank(*p));
        if (whole) {
            values[count] = negative ? -static_cast<double>(n) : static_cast<double>(n);
        } else {
            while (p != end && !blank(*p)) ++p;
            const std::string_view token(first, static_cast<std::size_t>(p - first));
            const auto value = parse_finite_double(token);
            if (!value) {
                throw InputError(where(source, line) + ": field " + std::to_string(count + 1) + " (" +
                                 swf_field_names[count] + "): '" + std::string(token) + "' is not a number");
            }
            values[count] = *value;
        }
        tokens[count++] = std::string_view(first, static_cast<std::size_t>(p - first));
    }
    if (count != swf_field_count) {
        throw InputError(where(source, line) + ": expected " + std::to_string(swf_field_count) +
                         " fields, found " + std::to_string(count) +
                         (count < swf_field_count
                              ? " (field " + std::to_string(count + 1) + ", " + swf_field_names[count] +
                                    ", is missing)"
                              : std::string()));
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

namespace {

/// The lines of one slice of a trace, numbered from `first_line`: what parse_swf's threads each make.
void parse_lines(std::string_view text, std::size_t first_line, SwfTrace& out) {
    out.records.reserve(text.size() / 48);
    std::size_t line = first_line - 1;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t newline = std::min(text.find('\n', pos), text.size());
        const std::string_view raw = text.substr(pos, newline - pos);
        pos = newline + 1;
        ++line;
        const std::string_view content = trim(raw);
        if (content.empty()) continue;
        if (content.front() == ';') {
            parse_header(content, out, line);
            continue;
        }
        out.records.push_back(parse_job_line(content, out.source, line));
    }
}

} // namespace

SwfTrace parse_swf(std::string_view text, const std::string& source) {
    // Large traces are parsed in slices on all cores (a million-job archive is 60-100 MB). Slices end
    // at line ends; each knows its first line number, so records and messages are as in one pass, and
    // the error reported is the first in the file.
    constexpr std::size_t slice_bytes = std::size_t{1} << 20;
    const std::size_t slices = std::max<std::size_t>(1, text.size() / slice_bytes);
    std::vector<std::size_t> begin(slices + 1, text.size());
    begin[0] = 0;
    for (std::size_t k = 1; k < slices; ++k) {
        const std::size_t newline = text.find('\n', std::max(begin[k - 1], k * (text.size() / slices)));
        begin[k] = newline == std::string_view::npos ? text.size() : newline + 1;
    }
    std::vector<std::size_t> first_line(slices, 1);
    for (std::size_t k = 1; k < slices; ++k) {
        const std::string_view previous = text.substr(begin[k - 1], begin[k] - begin[k - 1]);
        first_line[k] = first_line[k - 1] + static_cast<std::size_t>(std::count(previous.begin(), previous.end(), '\n'));
    }
    std::vector<SwfTrace> parts(slices);
    std::vector<std::exception_ptr> errors(slices);
    const auto slice_count = static_cast<std::ptrdiff_t>(slices);
#pragma omp parallel for schedule(dynamic, 1) if (slices > 1)
    for (std::ptrdiff_t k = 0; k < slice_count; ++k) {
        const auto i = static_cast<std::size_t>(k);
        try {
            parts[i].source = source;
            parse_lines(text.substr(begin[i], begin[i + 1] - begin[i]), first_line[i], parts[i]);
        } catch (...) {
            errors[i] = std::current_exception();
        }
    }
    for (const std::exception_ptr& error : errors) {
        if (error) std::rethrow_exception(error);
    }
    // The first slice becomes the trace (a small file has no other), the others are appended.
    SwfTrace trace = std::move(parts.front());
    std::size_t records = 0;
    for (const SwfTrace& part : parts) records += part.records.size();
    trace.records.reserve(records);
    for (std::size_t k = 1; k < slices; ++k) {
        const SwfTrace& part = parts[k];
        trace.records.insert(trace.records.end(), part.records.begin(), part.records.end());
        if (part.max_procs) trace.max_procs = part.max_procs; // a later header line wins, as in one pass
        if (part.max_nodes) trace.max_nodes = part.max_nodes;
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
    // Read straight into the text, sized for a plain file at once (a gzip file grows it as it goes).
    std::error_code size_error;
    const auto file_size = std::filesystem::file_size(path, size_error);
    std::string text;
    std::size_t used = 0;
    text.resize(size_error ? std::size_t{1} << 20 : static_cast<std::size_t>(file_size) + 1);
    while (true) {
        if (used == text.size()) text.resize(2 * text.size());
        const std::size_t room = std::min<std::size_t>(text.size() - used, std::size_t{1} << 30);
        const int n = gzread(file.get(), text.data() + used, static_cast<unsigned>(room));
        if (n < 0) {
            int error_code = 0;
            const char* message = gzerror(file.get(), &error_code);
            throw InputError("cannot read trace '" + path + "': " + (message ? message : "read error"));
        }
        if (n == 0) break;
        used += static_cast<std::size_t>(n);
    }
    text.resize(used);
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
