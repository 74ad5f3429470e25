#include "capsim/util/json_writer.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace capsim {
namespace {

TEST(JsonWriter, WritesRoundTripNumbersAndEscapedStrings) {
    JsonObject json;
    json.add("a", 0.1).add("n", std::int64_t{-3}).add("s", "say \"hi\"\n").add("x", std::numeric_limits<double>::quiet_NaN());
    EXPECT_EQ(json.str(), R"({"a": 0.1, "n": -3, "s": "say \"hi\"\n", "x": null})");
}

} // namespace
} // namespace capsim
