#include "capsim/util/strings.hpp"

#include <gtest/gtest.h>

namespace capsim {
namespace {

TEST(Strings, ParsesFiniteNumbersOnly) {
    EXPECT_EQ(parse_finite_double("42"), 42.0);
    EXPECT_EQ(parse_finite_double("+1.5"), 1.5);
    EXPECT_EQ(parse_finite_double("-1"), -1.0);
    EXPECT_FALSE(parse_finite_double("1x"));
    EXPECT_FALSE(parse_finite_double(""));
    EXPECT_FALSE(parse_finite_double("inf"));
    EXPECT_FALSE(parse_finite_double("nan"));
}

TEST(Strings, SuggestsNearNamesOnly) {
    const std::vector<std::string> names{"fcfs", "easy", "conservative"};
    EXPECT_EQ(nearest_name("esay", names), "easy");
    EXPECT_EQ(nearest_name("conservativ", names), "conservative");
    EXPECT_FALSE(nearest_name("random", names));
    EXPECT_EQ(edit_distance("gpu_typ", "gpu_type"), 1u);
}

TEST(Strings, JoinsAlternatives) {
    EXPECT_EQ(join_alternatives({"a", "b", "c"}), "'a', 'b' or 'c'");
    EXPECT_EQ(join_alternatives({"a"}), "'a'");
}

TEST(Strings, SplitsLines) {
    EXPECT_TRUE(split_lines("").empty());
    EXPECT_EQ(split_lines("a"), (std::vector<std::string>{"a"}));
    EXPECT_EQ(split_lines("a\nb[1].c"), (std::vector<std::string>{"a", "b[1].c"}));
    EXPECT_EQ(split_lines("a\n\nc"), (std::vector<std::string>{"a", "", "c"}));
}

TEST(Strings, JoinsWithASeparator) {
    EXPECT_EQ(join({}, ", "), "");
    EXPECT_EQ(join({"a"}, ", "), "a");
    EXPECT_EQ(join({"a", "", "c"}, "\n"), "a\n\nc");
}

} // namespace
} // namespace capsim
