#include "capsim/plan/plan_journal.hpp"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

#include "capsim/util/error.hpp"

namespace capsim::plan {
namespace {

constexpr const char* journal_magic = "capsim-plan-journal-1";

std::string exact(double x) {
    if (std::isnan(x)) return "nan";
    char text[64];
    std::snprintf(text, sizeof text, "%a", x);
    return text;
}

double read_exact(const std::string& text) {
    if (text == "nan") return std::numeric_limits<double>::quiet_NaN();
    return std::strtod(text.c_str(), nullptr);
}

} // namespace

JournalWriter::JournalWriter(std::string path, const std::string& fingerprint, bool append) : path_(std::move(path)) {
    // A kill may have cut the last line short: end it, so that the next line is not glued to it.
    bool ends_mid_line = false;
    if (append) {
        std::ifstream in(path_, std::ios::binary | std::ios::ate);
        if (in && in.tellg() > 0) {
            in.seekg(-1, std::ios::end);
            ends_mid_line = in.get() != '\n';
        }
    }
    file_ = std::fopen(path_.c_str(), append ? "a" : "w");
    if (!file_) throw IoError("cannot write '" + path_ + "': " + std::strerror(errno));
    if (!append) write(std::string(journal_magic) + " " + fingerprint + "\n");
    if (ends_mid_line) write("\n");
}

JournalWriter::~JournalWriter() {
    if (file_) std::fclose(file_);
}

void JournalWriter::write(const std::string& line) {
    if (std::fputs(line.c_str(), file_) < 0 || std::fflush(file_) != 0) {
        throw IoError("cannot write '" + path_ + "': " + std::strerror(errno));
    }
}

void JournalWriter::run(RunKey key, const ReplicationOutcome& o) {
    std::string line = std::to_string(key.first) + " " + std::to_string(key.second) + " " + exact(o.cost);
    for (std::size_t c = 0; c < o.worst.size(); ++c) line += " " + exact(o.worst[c]) + " " + (o.holds[c] ? "1" : "0");
    write(line + " .\n");
}

void JournalWriter::failure(RunKey key, const std::string& message) {
    std::string text = message;
    for (char& ch : text) {
        if (ch == '\n' || ch == '\r') ch = ' ';
    }
    write("! " + std::to_string(key.first) + " " + std::to_string(key.second) + " " + text + "\n");
}

void JournalWriter::done() { write("done\n"); }

JournalReader::JournalReader(std::string path, std::string fingerprint, std::size_t constraints)
    : path_(std::move(path)), fingerprint_(std::move(fingerprint)), constraints_(constraints) {}

bool JournalReader::read_new() {
    std::ifstream in(path_, std::ios::binary | std::ios::ate);
    if (!in) return false;
    if (in.tellg() < offset_) { // started again (--force): read it anew
        offset_ = 0;
        header_read_ = false;
        runs_.clear();
        failures_.clear();
        done_ = false;
    }
    in.seekg(offset_);
    std::string line;
    // Only lines ended by a newline: the rest may still be being written. A line is counted read
    // only once it was understood, so that a journal of another plan is looked at again next time
    // (its shard may be about to start it anew).
    while (std::getline(in, line) && !in.eof()) {
        read_line(line);
        offset_ += static_cast<long>(line.size()) + 1;
    }
    return true;
}

void JournalReader::read_line(const std::string& line) {
    std::istringstream fields(line);
    if (!header_read_) {
        std::string magic, fingerprint;
        fields >> magic >> fingerprint;
        if (magic != journal_magic) throw IoError("'" + path_ + "' is not a capsim plan journal");
        if (fingerprint != fingerprint_) {
            throw Error(ExitCode::usage, "'" + path_ + "' keeps the runs of another plan (the scenario, its plan "
                                         "block or --set differ); use --force to start again");
        }
        header_read_ = true;
        return;
    }
    if (line == "done") {
        done_ = true;
        return;
    }
    if (line.rfind("! ", 0) == 0) {
        std::string mark;
        std::size_t grid = 0, replication = 0;
        if (!(fields >> mark >> grid >> replication)) return;
        std::string message;
        std::getline(fields >> std::ws, message);
        failures_[{grid, replication}] = message;
        return;
    }
    std::size_t grid = 0, replication = 0;
    std::string cost;
    if (!(fields >> grid >> replication >> cost)) return;
    ReplicationOutcome o;
    o.cost = read_exact(cost);
    for (std::size_t c = 0; c < constraints_; ++c) {
        std::string worst;
        int holds = 0;
        if (!(fields >> worst >> holds)) return;
        o.worst.push_back(read_exact(worst));
        o.holds.push_back(holds ? 1 : 0);
    }
    std::string end;
    if (!(fields >> end) || end != ".") return; // cut short by a kill
    runs_[{grid, replication}] = std::move(o);
}

} // namespace capsim::plan
