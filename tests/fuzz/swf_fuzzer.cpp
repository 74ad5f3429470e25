// The SWF reader, on text in memory and (for gzip input, detected from the content as users' files
// are) through the file reader. Seeds: the heads of the bundled traces, plain and compressed.
#include "capsim/workload/swf_reader.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes = capsim::fuzz::as_text(data, size);
    capsim::fuzz::expect_clean_outcome([&] { (void)capsim::workload::parse_swf(bytes, "fuzz.swf"); });
    if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
        const std::string path = capsim::fuzz::write_scratch_file("trace.swf.gz", bytes);
        capsim::fuzz::expect_clean_outcome([&] { (void)capsim::workload::read_swf_file(path); });
    }
    return 0;
}
