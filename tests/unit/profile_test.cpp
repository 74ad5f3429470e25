#include "capsim/infra/profile.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <stdexcept>

#include "capsim/util/calendar.hpp"
#include "capsim/util/error.hpp"
#include "test_support.hpp"

namespace capsim::infra {
namespace {

constexpr double hour_s = 3600.0;
constexpr double never = std::numeric_limits<double>::infinity();

double at(const char* text) {
    const auto t = parse_datetime(text);
    EXPECT_TRUE(t.has_value()) << text;
    return t.value_or(std::nan(""));
}

/// The integral of the profile over [from_s, to_s) in value-hours, summed piece by piece.
double value_hours(const Profile& profile, double from_s, double to_s) {
    double sum = 0;
    double expected_start_s = from_s;
    profile.for_each_piece(from_s, to_s, [&](double t0_s, double t1_s, double value) {
        EXPECT_EQ(t0_s, expected_start_s); // pieces are contiguous
        EXPECT_LT(t0_s, t1_s);
        expected_start_s = t1_s;
        sum += value * (t1_s - t0_s) / hour_s;
    });
    EXPECT_EQ(expected_start_s, std::max(from_s, to_s));
    return sum;
}

std::size_t piece_count(const Profile& profile, double from_s, double to_s) {
    std::size_t n = 0;
    profile.for_each_piece(from_s, to_s, [&](double, double, double) { ++n; });
    return n;
}

TEST(Profile, Constant) {
    const Profile p = Profile::constant(1.3);
    EXPECT_EQ(p.value_at(at("2026-01-01")), 1.3);
    EXPECT_EQ(p.next_change_after(at("2026-01-01")), never);
    EXPECT_TRUE(p.is_constant());
    EXPECT_EQ(p.min_value(), 1.3);
    EXPECT_EQ(p.max_value(), 1.3);
    EXPECT_DOUBLE_EQ(value_hours(p, 0, 10 * hour_s), 13.0);
    EXPECT_EQ(piece_count(p, 5, 5), 0u);
    EXPECT_THROW(Profile::constant(std::nan("")), std::invalid_argument);
}

TEST(Profile, StepsAtAndBetweenBoundaries) {
    const double t0 = at("2026-01-01");
    const Profile p = Profile::steps({{t0, 100}, {t0 + hour_s, 200}, {t0 + 2 * hour_s, 150}}, t0);
    EXPECT_FALSE(p.is_constant());
    EXPECT_EQ(p.value_at(t0), 100.0);
    EXPECT_EQ(p.value_at(t0 + hour_s - 0.5), 100.0);
    EXPECT_EQ(p.value_at(t0 + hour_s), 200.0); // exactly at a step its new value holds
    EXPECT_EQ(p.value_at(t0 + 2 * hour_s), 150.0);
    EXPECT_EQ(p.value_at(t0 + 1e7), 150.0); // the last holds forever
    EXPECT_EQ(p.value_at(t0 - 10), 100.0);  // before the data, the first value
    EXPECT_EQ(p.next_change_after(t0 - 10), t0 + hour_s);
    EXPECT_EQ(p.next_change_after(t0), t0 + hour_s);
    EXPECT_EQ(p.next_change_after(t0 + hour_s - 0.5), t0 + hour_s);
    EXPECT_EQ(p.next_change_after(t0 + hour_s), t0 + 2 * hour_s);
    EXPECT_EQ(p.next_change_after(t0 + 2 * hour_s), never);
    EXPECT_EQ(p.min_value(), 100.0);
    EXPECT_EQ(p.max_value(), 200.0);
    // 1 h at 100, 1 h at 200, 1.5 h at 150
    EXPECT_DOUBLE_EQ(value_hours(p, t0, t0 + 3.5 * hour_s), 100 + 200 + 225);
    EXPECT_EQ(piece_count(p, t0, t0 + 3.5 * hour_s), 3u);
}

TEST(Profile, StepsMergeRepeatedValues) {
    const double t0 = at("2026-01-01");
    const Profile p = Profile::steps({{t0, 1}, {t0 + 10, 1}, {t0 + 20, 2}}, t0 + 5);
    EXPECT_EQ(p.next_change_after(t0), t0 + 20);
    EXPECT_EQ(p.value_at(t0 + 15), 1.0);
    const Profile flat = Profile::steps({{t0, 3}, {t0 + 10, 3}}, t0);
    EXPECT_TRUE(flat.is_constant());
    EXPECT_EQ(flat.next_change_after(t0), never);
}

TEST(Profile, StepsMustCoverTheHorizonAndIncrease) {
    const double t0 = at("2026-01-01");
    EXPECT_THROW(Profile::steps({{t0 + 1, 100}}, t0), std::invalid_argument);
    EXPECT_NO_THROW(Profile::steps({{t0, 100}}, t0));
    EXPECT_THROW(Profile::steps({}, t0), std::invalid_argument);
    EXPECT_THROW(Profile::steps({{t0, 1}, {t0, 2}}, t0), std::invalid_argument);
    EXPECT_THROW(Profile::steps({{t0, 1}, {t0 - 5, 2}}, t0), std::invalid_argument);
    EXPECT_THROW(Profile::steps({{t0, 1}, {t0 + 5, std::nan("")}}, t0), std::invalid_argument);
    EXPECT_THROW(Profile::steps({{never, 1}}, t0), std::invalid_argument);
    try {
        Profile::steps({{at("2026-03-01"), 100}}, t0);
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(), "profile steps start at 2026-03-01 00:00:00, after the start of the horizon "
                               "(2026-01-01 00:00:00)");
    }
}

TEST(Profile, SeriesRowsHoldUntilTheNext) {
    const double t0 = at("2026-01-01");
    const Profile p = Profile::series({{t0 - hour_s, 400}, {t0 + hour_s, 450}, {t0 + 1.5 * hour_s, 380}}, t0);
    EXPECT_EQ(p.value_at(t0), 400.0);
    EXPECT_EQ(p.value_at(t0 + hour_s), 450.0);
    EXPECT_EQ(p.value_at(t0 + 100 * hour_s), 380.0);
    EXPECT_EQ(p.next_change_after(t0), t0 + hour_s);
    EXPECT_EQ(p.next_change_after(t0 + 1.5 * hour_s), never);
    EXPECT_EQ(p.min_value(), 380.0);
    EXPECT_EQ(p.max_value(), 450.0);
    EXPECT_NO_THROW(Profile::series({{t0, 1}, {t0 + 1, 2}}, t0));
    EXPECT_THROW(Profile::series({{t0, 1}, {t0 + 0.5, 2}}, t0), std::invalid_argument); // under 1 s apart
    EXPECT_THROW(Profile::series({{t0 + 1, 1}}, t0), std::invalid_argument);
}

TEST(Profile, MonthlyAcrossTheYearBoundary) {
    std::array<double, 12> values{};
    for (std::size_t i = 0; i < 12; ++i) values[i] = static_cast<double>(i + 1);
    const double plus_2h = 2 * hour_s;
    const Profile p = Profile::monthly(values, plus_2h);
    // 21:59:59 UTC on 31 December is 23:59:59 local: still December.
    EXPECT_EQ(p.value_at(at("2026-12-31 21:59:59")), 12.0);
    EXPECT_EQ(p.next_change_after(at("2026-12-31 21:59:59")), at("2026-12-31 22:00"));
    EXPECT_EQ(p.value_at(at("2026-12-31 22:00")), 1.0); // local midnight of 1 January
    EXPECT_EQ(p.next_change_after(at("2026-12-31 22:00")), at("2027-01-31 22:00"));
    EXPECT_EQ(p.value_at(at("2027-01-31 22:00")), 2.0);
    EXPECT_EQ(p.min_value(), 1.0);
    EXPECT_EQ(p.max_value(), 12.0);

    const Profile west = Profile::monthly(values, -5 * hour_s);
    EXPECT_EQ(west.value_at(at("2027-01-01 04:59:59")), 12.0);
    EXPECT_EQ(west.value_at(at("2027-01-01 05:00")), 1.0);
    EXPECT_EQ(west.next_change_after(at("2026-12-20")), at("2027-01-01 05:00"));
}

TEST(Profile, MonthlyIntegral) {
    std::array<double, 12> values{};
    for (std::size_t i = 0; i < 12; ++i) values[i] = static_cast<double>(i + 1);
    const Profile p = Profile::monthly(values, 0);
    // 15 Jan - 10 Mar 2026: 17 days at 1, 28 days at 2, 9 days at 3 = 100 value-days.
    EXPECT_DOUBLE_EQ(value_hours(p, at("2026-01-15"), at("2026-03-10")), 100 * 24.0);
    EXPECT_EQ(piece_count(p, at("2026-01-15"), at("2026-03-10")), 3u);
    // Equal months still report their boundaries (documented), but an all-equal profile is constant.
    values.fill(0.25);
    EXPECT_TRUE(Profile::monthly(values, 0).is_constant());
}

TEST(Profile, DayNightWrapsMidnightWithAnOffset) {
    // Night 22:00-06:00 local at UTC+3, i.e. 19:00-03:00 UTC.
    const Profile p = Profile::day_night(150, 90, 22, 6, 3 * hour_s);
    EXPECT_EQ(p.value_at(at("2026-03-01 18:59:59")), 150.0);
    EXPECT_EQ(p.value_at(at("2026-03-01 19:00")), 90.0);
    EXPECT_EQ(p.value_at(at("2026-03-01 21:30")), 90.0); // local midnight passes inside the night
    EXPECT_EQ(p.value_at(at("2026-03-02 02:59:59")), 90.0);
    EXPECT_EQ(p.value_at(at("2026-03-02 03:00")), 150.0);
    EXPECT_EQ(p.next_change_after(at("2026-03-01 12:00")), at("2026-03-01 19:00"));
    EXPECT_EQ(p.next_change_after(at("2026-03-01 19:00")), at("2026-03-02 03:00"));
    EXPECT_EQ(p.next_change_after(at("2026-03-01 20:00")), at("2026-03-02 03:00"));
    EXPECT_EQ(p.next_change_after(at("2026-03-01 22:00")), at("2026-03-02 03:00"));
    EXPECT_EQ(p.next_change_after(at("2026-03-02 03:00")), at("2026-03-02 19:00"));
    EXPECT_EQ(p.min_value(), 90.0);
    EXPECT_EQ(p.max_value(), 150.0);
}

TEST(Profile, DayNightWithoutWrap) {
    // Night 00:00-06:00 local at UTC-5, i.e. 05:00-11:00 UTC.
    const Profile p = Profile::day_night(2, 1, 0, 6, -5 * hour_s);
    EXPECT_EQ(p.value_at(at("2026-03-01 04:59")), 2.0);
    EXPECT_EQ(p.value_at(at("2026-03-01 05:00")), 1.0);
    EXPECT_EQ(p.value_at(at("2026-03-01 11:00")), 2.0);
    EXPECT_EQ(p.next_change_after(at("2026-03-01 04:00")), at("2026-03-01 05:00"));
    EXPECT_EQ(p.next_change_after(at("2026-03-01 05:00")), at("2026-03-01 11:00"));
    EXPECT_EQ(p.next_change_after(at("2026-03-01 11:00")), at("2026-03-02 05:00"));
}

TEST(Profile, DayNightTariffIntegral) {
    // 150/MWh by day, 90 by night 22:00-06:00 UTC: per day 16 h * 150 + 8 h * 90 = 3120.
    const Profile tariff = Profile::day_night(150, 90, 22, 6, 0);
    const double t0 = at("2026-03-01");
    EXPECT_DOUBLE_EQ(value_hours(tariff, t0, t0 + 48 * hour_s), 2 * 3120.0);
    EXPECT_EQ(piece_count(tariff, t0, t0 + 48 * hour_s), 5u); // night, day, night, day, night
    // From 04:00 to 23:30 the next day: 2 h night, 16 h day, 8 h night, 16 h day, 1.5 h night.
    EXPECT_DOUBLE_EQ(value_hours(tariff, t0 + 4 * hour_s, t0 + 47.5 * hour_s), 180 + 2400 + 720 + 2400 + 135);
    // Whole days integrate the same in any time zone.
    const Profile east = Profile::day_night(150, 90, 22, 6, 3 * hour_s);
    EXPECT_DOUBLE_EQ(value_hours(east, t0, t0 + 48 * hour_s), 2 * 3120.0);
}

TEST(Profile, DayNightRejectsBadHours) {
    EXPECT_THROW(Profile::day_night(1, 2, 6, 6, 0), std::invalid_argument);
    EXPECT_THROW(Profile::day_night(1, 2, 22, 24, 0), std::invalid_argument);
    EXPECT_THROW(Profile::day_night(1, 2, -1, 6, 0), std::invalid_argument);
    EXPECT_THROW(Profile::day_night(1, 2, 22, 6, std::nan("")), std::invalid_argument);
    EXPECT_TRUE(Profile::day_night(1, 1, 22, 6, 0).is_constant());
}

TEST(Profile, ChangeTimesBoundConstantPieces) {
    // For many instants and offsets that are not whole hours: the value holds up to the reported
    // change and is different from it on (day/night always alternates; the months all differ).
    std::array<double, 12> values{};
    for (std::size_t i = 0; i < 12; ++i) values[i] = static_cast<double>(i + 1);
    const double t0 = at("2024-01-01");
    for (const double offset_s : {0.0, 5.5 * hour_s, -3.25 * hour_s, 14 * hour_s, -12 * hour_s}) {
        const Profile profiles[] = {Profile::monthly(values, offset_s),
                                    Profile::day_night(1, 2, 22, 6, offset_s),
                                    Profile::day_night(1, 2, 0, 7, offset_s)};
        for (const Profile& p : profiles) {
            for (double t = t0; t < t0 + 800 * 86400.0; t += 7777.7) {
                const double next = p.next_change_after(t);
                ASSERT_GT(next, t);
                ASSERT_EQ(p.value_at(std::nextafter(next, t)), p.value_at(t)) << format_datetime(t);
                ASSERT_NE(p.value_at(next), p.value_at(t)) << format_datetime(t);
            }
        }
    }
}

TEST(Profile, Scaled) {
    const double t0 = at("2026-01-01");
    const Profile p = Profile::steps({{t0, 2}, {t0 + hour_s, 3}}, t0).scaled(1e6);
    EXPECT_EQ(p.value_at(t0), 2e6);
    EXPECT_EQ(p.value_at(t0 + hour_s), 3e6);
    EXPECT_EQ(p.next_change_after(t0), t0 + hour_s);
    EXPECT_EQ(p.min_value(), 2e6);
    EXPECT_EQ(p.max_value(), 3e6);
    const Profile negated = Profile::day_night(150, 90, 22, 6, 0).scaled(-1);
    EXPECT_EQ(negated.min_value(), -150.0);
    EXPECT_EQ(negated.max_value(), -90.0);
    EXPECT_EQ(negated.value_at(t0), -90.0);
    EXPECT_TRUE(Profile::day_night(150, 90, 22, 6, 0).scaled(0).is_constant());
    EXPECT_THROW(p.scaled(std::nan("")), std::invalid_argument);
}

class ProfileCsv : public ::testing::Test {
  protected:
    std::string write(const std::string& name, const std::string& text) {
        const auto path = (dir_.path() / name).string();
        std::ofstream(path, std::ios::binary) << text;
        return path;
    }
    std::string error_of(const std::string& text, const char* value_column = "intensity") {
        const std::string path = write("az.csv", text);
        try {
            Profile::from_csv(path, "time", value_column, at("2026-01-01"));
            return "no error";
        } catch (const InputError& e) {
            const std::string message = e.what();
            // Relative to the file, as a scenario would name it.
            return message.rfind(path, 0) == 0 ? "az.csv" + message.substr(path.size()) : message;
        }
    }

    test::TempDir dir_;
};

TEST_F(ProfileCsv, ReadsAGoodFile) {
    const std::string path = write("az.csv", "time, intensity ,other\n"
                                             "2026-01-01 00:00,500,x\n"
                                             "2026-01-01T01:00:00Z, 450 ,y\n"
                                             "\n"
                                             "2026-01-01 02:00:00,450,z\n"
                                             "2026-01-01 03:00,400,w\n");
    const Profile p = Profile::from_csv(path, "time", "intensity", at("2026-01-01"));
    EXPECT_EQ(p.value_at(at("2026-01-01 00:30")), 500.0);
    EXPECT_EQ(p.value_at(at("2026-01-01 01:00")), 450.0);
    EXPECT_EQ(p.value_at(at("2026-01-01 02:30")), 450.0);
    EXPECT_EQ(p.next_change_after(at("2026-01-01 01:00")), at("2026-01-01 03:00")); // 02:00 repeats 450
    EXPECT_EQ(p.value_at(at("2027-01-01")), 400.0);
    EXPECT_EQ(p.min_value(), 400.0);
    EXPECT_EQ(p.max_value(), 500.0);
    // 1 h at 500, 2 h at 450, 1 h at 400
    EXPECT_DOUBLE_EQ(value_hours(p, at("2026-01-01"), at("2026-01-01 04:00")), 500 + 900 + 400);
}

TEST_F(ProfileCsv, ReadsCrLfAndAByteOrderMark) {
    const std::string path =
        write("win.csv", "\xEF\xBB\xBFtime,price\r\n2025-12-31 23:00,80\r\n2026-01-01 06:00,120\r\n");
    const Profile p = Profile::from_csv(path, "time", "price", at("2026-01-01"));
    EXPECT_EQ(p.value_at(at("2026-01-01")), 80.0);
    EXPECT_EQ(p.value_at(at("2026-01-01 06:00")), 120.0);
}

TEST_F(ProfileCsv, ReportsBadContent) {
    EXPECT_EQ(error_of("time,intensity\n2026-01-01 00:00,500\n2026-01-01 01:00,abc\n"),
              "az.csv:3: column 'intensity': 'abc' is not a number");
    EXPECT_EQ(error_of("time,intensity\n2026-01-01 00:00,500\n2026-01-01 01:00,\n"),
              "az.csv:3: column 'intensity': '' is not a number");
    EXPECT_EQ(error_of("time,intensity\n2026-13-01,500\n"), "az.csv:2: time '2026-13-01' is not a date");
    EXPECT_EQ(error_of("time,intensity\n2026-01-01,500\n2026-03-01 06:00,1\n2026-03-01 05:00,2\n"),
              "az.csv:4: times must increase (2026-03-01 05:00:00 after 2026-03-01 06:00:00)");
    EXPECT_EQ(error_of("time,intensity\n2026-01-01,500\n2026-01-01,501\n"),
              "az.csv:3: times must increase (2026-01-01 00:00:00 after 2026-01-01 00:00:00)");
    EXPECT_EQ(error_of("time,intensity\n2026-01-01 00:00,500\n", "carbon"),
              "az.csv: no column 'carbon'; columns are 'time', 'intensity'");
    EXPECT_EQ(error_of("time,intensity\n2026-01-01 00:00,500\n", "intensty"),
              "az.csv: no column 'intensty'; columns are 'time', 'intensity'; did you mean 'intensity'?");
    EXPECT_EQ(error_of("time,intensity\n2026-01-01 00:00\n"), "az.csv:2: expected 2 columns, found 1");
    EXPECT_EQ(error_of(""), "az.csv: the file is empty; expected a header line");
    EXPECT_EQ(error_of("time,intensity\n\n"), "az.csv: no data rows after the header");
    EXPECT_EQ(error_of("time,intensity\n2026-03-01,500\n"),
              "az.csv:2: the data starts at 2026-03-01 00:00:00, after the start of the horizon (2026-01-01 "
              "00:00:00)");
}

TEST_F(ProfileCsv, MissingFileIsAnIoError) {
    EXPECT_THROW(Profile::from_csv((dir_.path() / "none.csv").string(), "time", "v", 0), IoError);
}

} // namespace
} // namespace capsim::infra
