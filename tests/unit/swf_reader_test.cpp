#include "capsim/workload/swf_reader.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cmath>
#include <fstream>
#include <string>

#include "capsim/util/error.hpp"
#include "capsim/util/strings.hpp"
#include "test_support.hpp"

namespace capsim::workload {
namespace {

const char* const two_jobs =
    "; Version: 2.2\n"
    "; MaxNodes: 64\n"
    "; MaxProcs: 128\n"
    "\n"
    "    1        0   10   97   56  -1  -1   56  210  -1  1  1  1 -1 -1 -1 -1 -1\n"
    "    2       -5   10  9.5   -1  -1  -1   80   -1  -1  1  2  2 -1 -1 -1 -1 -1\r\n";

TEST(SwfReader, ReadsHeaderAndFields) {
    const SwfTrace trace = parse_swf(two_jobs, "t.swf");
    EXPECT_EQ(trace.max_procs, 128);
    EXPECT_EQ(trace.max_nodes, 64);
    EXPECT_EQ(trace.declared_processors(), 128);
    ASSERT_EQ(trace.records.size(), 2u);
    const SwfRecord& first = trace.records[0];
    EXPECT_EQ(first.id, 1);
    EXPECT_EQ(first.submit_s, 0);
    EXPECT_EQ(first.run_s, 97);
    EXPECT_EQ(first.allocated_processors, 56);
    EXPECT_EQ(first.requested_processors, 56);
    EXPECT_EQ(first.requested_time_s, 210);
    EXPECT_EQ(first.line, 5u);
    EXPECT_EQ(trace.records[1].run_s, 9.5);
    EXPECT_EQ(trace.records[1].line, 6u);
}

TEST(SwfReader, MaxNodesServesWhenMaxProcsIsAbsent) {
    const SwfTrace trace = parse_swf("; MaxNodes: 256\n", "t.swf");
    EXPECT_EQ(trace.declared_processors(), 256);
    EXPECT_FALSE(parse_swf("; MaxProcs: -1\n", "t.swf").declared_processors());
}

void expect_error(const std::string& text, const std::string& message) {
    try {
        parse_swf(text, "bad.swf");
        FAIL() << "expected an InputError containing: " << message;
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), message);
    }
}

TEST(SwfReader, MalformedLinesNameFileLineAndField) {
    expect_error("; MaxProcs: 10\n1 0 -1 100 4 -1 -1 4 100 -1 1 1 1 -1 -1 -1 -1\n",
                 "bad.swf:2: expected 18 fields, found 17 (field 18, think time, is missing)");
    expect_error("1 0 -1 100 4 -1 -1 4 100 -1 1 1 1 -1 -1 -1 -1 -1 7\n", "bad.swf:1: expected 18 fields, found more");
    expect_error("\n\n1 0 -1 abc 4 -1 -1 4 100 -1 1 1 1 -1 -1 -1 -1 -1\n",
                 "bad.swf:3: field 4 (run time): 'abc' is not a number");
    expect_error("1 0 -1 100 4.5 -1 -1 4 100 -1 1 1 1 -1 -1 -1 -1 -1\n",
                 "bad.swf:1: field 5 (allocated processors): '4.5' is not a whole number");
    expect_error("1 nan -1 100 4 -1 -1 4 100 -1 1 1 1 -1 -1 -1 -1 -1\n",
                 "bad.swf:1: field 2 (submit time): 'nan' is not a number");
    expect_error("; MaxProcs: many\n", "bad.swf:1: header MaxProcs: 'many' is not a whole number");
    // Found by the SWF fuzzer: a header count too large for any integer was converted regardless.
    expect_error("; MaxNodes: 1e125\n", "bad.swf:1: header MaxNodes: '1e125' is not a whole number");
}

// Whole numbers are read by a fast path; every other spelling must give what from_chars gives.
TEST(SwfReader, NumbersReadAsTheGeneralParserReadsThem) {
    const char* const spellings[] = {"0", "-0", "7", "007", "+5", "-1", "1e3", "0.5", "-2.25", "123456789012345",
                                     "1234567890123456", "98765432109876543", "00000000000000000042", "9007199254740993"};
    for (const char* spelling : spellings) {
        const std::string line = std::string("1 ") + spelling + " -1 100 4 -1 -1 4 100 -1 1 1 1 -1 -1 -1 -1 -1\n";
        const SwfTrace trace = parse_swf(line, "n.swf");
        ASSERT_EQ(trace.records.size(), 1u) << spelling;
        const double submit = trace.records[0].submit_s;
        const double expected = *parse_finite_double(spelling);
        EXPECT_EQ(std::signbit(submit), std::signbit(expected)) << spelling;
        EXPECT_EQ(submit, expected) << spelling;
    }
    expect_error("1 12- -1 100 4 -1 -1 4 100 -1 1 1 1 -1 -1 -1 -1 -1\n", "bad.swf:1: field 2 (submit time): '12-' is not a number");
    expect_error("1 - -1 100 4 -1 -1 4 100 -1 1 1 1 -1 -1 -1 -1 -1\n", "bad.swf:1: field 2 (submit time): '-' is not a number");
}

// A large trace is parsed in slices on several threads: the records, their line numbers, the header
// (a later one wins) and the first error in the file are as one pass gives them.
TEST(SwfReader, ASlicedParseIsTheOnePassParse) {
    std::string text = "; MaxProcs: 64\n";
    const int jobs = 60'000; // about 3.5 MB: several slices
    for (int job = 1; job <= jobs; ++job) {
        text += std::to_string(job) + " " + std::to_string(job * 3) + " -1 " + std::to_string(job % 500 + 1) +
                " 4 -1 -1 4 900 -1 1 1 1 -1 -1 -1 -1 -1\n";
        if (job == jobs / 2) text += "; MaxProcs: 128\n\n";
    }
    const SwfTrace trace = parse_swf(text, "big.swf");
    ASSERT_EQ(trace.records.size(), static_cast<std::size_t>(jobs));
    EXPECT_EQ(trace.max_procs, 128);
    for (int job = 1; job <= jobs; ++job) {
        const SwfRecord& r = trace.records[static_cast<std::size_t>(job - 1)];
        ASSERT_EQ(r.id, job);
        ASSERT_EQ(r.submit_s, job * 3.0);
        ASSERT_EQ(r.run_s, job % 500 + 1.0);
        ASSERT_EQ(r.line, static_cast<std::size_t>(job <= jobs / 2 ? job + 1 : job + 3));
    }
    // Two bad lines in different slices: the earlier one is reported, with its line number.
    std::string bad = text;
    const auto break_line = [&bad](int job) {
        const std::string needle = "\n" + std::to_string(job) + " " + std::to_string(job * 3) + " -1 ";
        const std::size_t at = bad.find(needle);
        bad.replace(at + needle.size(), 0, "x");
    };
    break_line(50'000);
    break_line(10'000);
    try {
        parse_swf(bad, "big.swf");
        FAIL() << "expected an InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("big.swf:10001: field 4 (run time)"), std::string::npos) << e.what();
    }
}

TEST(SwfReader, ReadsGzipAndPlainFilesAlike) {
    test::TempDir dir;
    const auto plain = dir.path() / "t.swf";
    const auto packed = dir.path() / "t.swf.gz";
    std::ofstream(plain) << two_jobs;
    gzFile gz = gzopen(packed.c_str(), "wb");
    ASSERT_NE(gz, nullptr);
    gzputs(gz, two_jobs);
    gzclose(gz);
    const SwfTrace a = read_swf_file(plain.string());
    const SwfTrace b = read_swf_file(packed.string());
    ASSERT_EQ(a.records.size(), 2u);
    ASSERT_EQ(b.records.size(), 2u);
    EXPECT_EQ(a.records[1].run_s, b.records[1].run_s);
    EXPECT_EQ(b.source, packed.string());
}

TEST(SwfReader, MissingFileIsAnIoError) {
    EXPECT_THROW(read_swf_file("/nonexistent/trace.swf"), IoError);
}

TEST(SwfReader, TruncatedGzipIsAnInputError) {
    test::TempDir dir;
    const auto packed = dir.path() / "t.swf.gz";
    gzFile gz = gzopen(packed.c_str(), "wb");
    std::string big;
    for (int i = 0; i < 2000; ++i) big += two_jobs;
    gzputs(gz, big.c_str());
    gzclose(gz);
    std::filesystem::resize_file(packed, std::filesystem::file_size(packed) / 2);
    EXPECT_THROW(read_swf_file(packed.string()), InputError);
}

TEST(SwfReader, BinaryFileIsRejected) {
    test::TempDir dir;
    const auto binary = dir.path() / "t.swf";
    std::ofstream(binary, std::ios::binary).write("\x89HDF\r\n\x1a\n\0\0\0", 11);
    try {
        read_swf_file(binary.string());
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("not a text file"), std::string::npos);
    }
}

TEST(SwfReader, ReadsTheBundledTraces) {
    const SwfTrace kth = read_swf_file(std::string(CAPSIM_TRACE_DIR) + "/KTH-SP2-1996-2.1-cln.filtered.swf.gz");
    EXPECT_EQ(kth.records.size(), 28481u);
    EXPECT_EQ(kth.declared_processors(), 100);
}

} // namespace
} // namespace capsim::workload
