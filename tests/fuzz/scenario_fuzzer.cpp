// Scenario text in, a validated study or a ScenarioError out: the loader with every check, the
// sweep block and the notes included. Seeds: scenarios/ and tests/scenarios/invalid.
#include "capsim/scenario/study.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    capsim::fuzz::expect_clean_outcome([&] {
        // Relative CSV and trace paths resolve in the scratch folder, where no such file exists.
        (void)capsim::scenario::parse_study(capsim::fuzz::as_text(data, size), "fuzz.yaml", {},
                                            capsim::fuzz::scratch_directory());
    });
    return 0;
}
