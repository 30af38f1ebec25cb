// The run summary: paired per-round ratios against EEVDF, ejected blocks left out, and the FIFO
// negative control.
#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>

#include "tests/unit/bench/records.h"
#include "tools/bench/report_model.h"

using namespace gamesched::bench;
using Catch::Approx;
using nlohmann::json;

namespace {

json game(double miss, double p99) {
    return {{"bench", "game"}, {"frame_miss_ratio", miss}, {"frame_time_p99_ms", p99}};
}

}  // namespace

TEST_CASE("ratios are paired within a round; median and spread over rounds") {
    const std::map<int, double> eevdf{{1, 0.2}, {2, 0.4}, {3, 0.1}};
    const std::map<int, double> other{{1, 0.1}, {2, 0.4}, {3, 0.3}};
    const Cell c = summarize(other, eevdf);
    REQUIRE(c.ratios.size() == 3);
    CHECK(*c.ratio_median == Approx(1.0));
    CHECK(*c.ratio_min == Approx(0.5));
    CHECK(*c.ratio_max == Approx(3.0));
    CHECK(*c.median_value == Approx(0.3));
}

TEST_CASE("a round without a usable baseline gives no ratio") {
    const std::map<int, double> eevdf{{1, 0.0}};
    const std::map<int, double> other{{1, 0.5}, {2, 0.7}};
    const Cell c = summarize(other, eevdf);
    CHECK(c.ratios.empty());
    CHECK_FALSE(c.ratio_median);
    CHECK(*c.median_value == Approx(0.6));
}

TEST_CASE("samples come from the scenario records; null values are skipped") {
    const std::vector<json> records{
        bench_record(1, "eevdf", "S1", game(0.25, 20)),
        bench_record(1, "eevdf", "S1-hog", {{"loops_per_s", 1000.0}}),
        bench_record(1, "eevdf", "S2", {{"time_s", 2.0}}),
        bench_record(1, "eevdf", "S3",
                     {{"jain_index", 0.99}, {"max_off_cpu_gap_ms", 30.0}, {"nice19_cpu_share", nullptr}}),
    };
    const Samples s = extract_samples(records);
    CHECK(s.at("S1.frame_miss_ratio").at("eevdf").at(1) == 0.25);
    CHECK(s.at("S1.frame_time_p99_ms").at("eevdf").at(1) == 20);
    CHECK(s.at("S1.hog_loops_per_s").at("eevdf").at(1) == 1000);
    CHECK(s.at("S2.messaging_time_s").at("eevdf").at(1) == 2);
    CHECK(s.at("S3.jain_index").at("eevdf").at(1) == 0.99);
    CHECK_FALSE(s.count("S3.nice19_cpu_share"));
}

TEST_CASE("an ejected block contributes no numbers, only the ejection") {
    const std::vector<json> records{
        bench_record(1, "gamesched", "S1", game(0.1, 20)),
        bench_record(1, "gamesched", "block", {{"attach_ms", 500}, {"ejected", true}}),
        bench_record(2, "gamesched", "S1", game(0.3, 25)),
        bench_record(2, "gamesched", "block", {{"attach_ms", 400}, {"ejected", false}}),
    };
    const Samples s = extract_samples(records);
    const auto& miss = s.at("S1.frame_miss_ratio").at("gamesched");
    CHECK_FALSE(miss.count(1));
    CHECK(miss.at(2) == 0.3);
    CHECK(s.at("block.ejected").at("gamesched").count(1));
    CHECK_FALSE(s.at("block.ejected").at("gamesched").count(2));
}

TEST_CASE("a run split over boots: an ejected block takes out only its own boot's numbers") {
    const auto in_boot = [](json rec, const std::string& boot) {
        rec["boot"] = boot;
        return rec;
    };
    const std::vector<json> records{
        in_boot(bench_record(1, "gamesched", "S1", game(0.1, 20)), "icount-1"),
        in_boot(bench_record(1, "gamesched", "block", {{"attach_ms", 500}, {"ejected", true}}), "icount-1"),
        in_boot(bench_record(1, "gamesched", "J1", game(0.2, 20)), "icount-2"),
        in_boot(bench_record(1, "gamesched", "block", {{"attach_ms", 400}, {"ejected", false}}), "icount-2"),
    };
    const Samples s = extract_samples(records);
    CHECK_FALSE(s.count("S1.frame_miss_ratio"));
    CHECK(s.at("J1.frame_miss_ratio").at("gamesched").at(1) == 0.2);
    CHECK(s.at("block.ejected").at("gamesched").count(1));
}

TEST_CASE("the FIFO control passes only if FIFO clearly loses S1 in every round") {
    std::vector<json> records{
        bench_record(1, "eevdf", "S1", game(0.25, 20)),
        bench_record(1, "fifo", "S1", game(1.0, 40)),
        bench_record(2, "eevdf", "S1", game(0.30, 20)),
        bench_record(2, "fifo", "S1", game(0.95, 22)),
    };
    const Validity both = check_fifo_control(extract_samples(records));
    CHECK(both.fifo_loses_s1);
    CHECK(both.rounds_checked == 2);

    // Round 3: both at the ceiling and the same tail: the scenario did not separate them.
    records.push_back(bench_record(3, "eevdf", "S1", game(0.98, 60)));
    records.push_back(bench_record(3, "fifo", "S1", game(1.0, 62)));
    const Validity three = check_fifo_control(extract_samples(records));
    CHECK_FALSE(three.fifo_loses_s1);
    CHECK(three.rounds_checked == 3);
    CHECK(three.notes.size() == 1);
}

TEST_CASE("a much worse tail alone counts as losing") {
    const std::vector<json> records{bench_record(1, "eevdf", "S1", game(0.97, 100)),
                                    bench_record(1, "fifo", "S1", game(1.0, 200))};
    CHECK(check_fifo_control(extract_samples(records)).fifo_loses_s1);
}

TEST_CASE("without FIFO results the control cannot pass") {
    const std::vector<json> records{bench_record(1, "eevdf", "S1", game(0.25, 20))};
    const Validity v = check_fifo_control(extract_samples(records));
    CHECK_FALSE(v.fifo_loses_s1);
    CHECK_FALSE(v.notes.empty());
}

TEST_CASE("calibration: EEVDF's median miss ratio of a scenario must lie in 0.15-0.6") {
    const std::vector<json> records{
        bench_record(1, "eevdf", "S1", game(0.10, 20)), bench_record(2, "eevdf", "S1", game(0.30, 20)),
        bench_record(3, "eevdf", "S1", game(0.20, 20)), bench_record(1, "eevdf", "J1", game(0.02, 9)),
        bench_record(2, "eevdf", "J1", game(0.03, 9)),  bench_record(1, "gamesched", "J1", game(0.70, 9)),
    };
    const Samples samples = extract_samples(records);
    const Calibration s1 = check_calibration(samples, "S1");
    CHECK(s1.ran);
    CHECK(s1.in_range);
    REQUIRE(s1.eevdf_median);
    CHECK(*s1.eevdf_median == Approx(0.20));
    CHECK(s1.eevdf_rounds.size() == 3);

    // Too light: a 20x better scheduler could not show it. Other arms do not count.
    const Calibration j1 = check_calibration(samples, "J1");
    CHECK(j1.ran);
    CHECK_FALSE(j1.in_range);

    const Calibration absent = check_calibration(samples, "H1");
    CHECK_FALSE(absent.ran);
    CHECK_FALSE(absent.in_range);

    const std::vector<json> saturated{bench_record(1, "eevdf", "S1", game(0.9, 60))};
    CHECK_FALSE(check_calibration(extract_samples(saturated), "S1").in_range);
}

TEST_CASE("every round's direction is shown, better or worse by the metric's sense") {
    const std::map<int, double> eevdf{{1, 1.0}, {2, 1.0}, {3, 1.0}};
    const std::map<int, double> other{{1, 0.5}, {2, 1.005}, {3, 2.0}};
    CHECK(summarize(other, eevdf, true).directions == "+=-");
    CHECK(summarize(other, eevdf, false).directions == "-=+");
}

TEST_CASE("a game run whose registration was not confirmed contributes nothing") {
    const std::vector<json> records{
        bench_record(1, "gs-game", "S1", game(0.1, 20)),
        bench_record(1, "gs-game", "S1-hog", {{"loops_per_s", 900.0}}),
        bench_record(1, "gs-game", "S1-registration", {{"confirmed", false}}),
        bench_record(1, "gs-game", "S0", game(0.0, 17)),
        bench_record(1, "gs-game", "S0-registration", {{"confirmed", true}}),
        bench_record(2, "gs-game", "S1", game(0.2, 22)),
        bench_record(2, "gs-game", "S1-registration", {{"confirmed", true}}),
    };
    const Samples s = extract_samples(records);
    CHECK_FALSE(s.at("S1.frame_miss_ratio").at("gs-game").count(1));
    CHECK_FALSE(s.count("S1.hog_loops_per_s"));
    CHECK(s.at("S1.frame_miss_ratio").at("gs-game").at(2) == 0.2);
    CHECK(s.at("S0.frame_miss_ratio").at("gs-game").at(1) == 0.0);
    CHECK(unconfirmed_registrations(records) == std::vector<std::string>{"gs-game round 1 S1"});
}

TEST_CASE("any game scenario and its background give metrics under the scenario's name") {
    const std::vector<json> records{
        bench_record(1, "eevdf", "J1", game(0.3, 30)),
        bench_record(1, "eevdf", "J1-hog", {{"loops_per_s", 500.0}}),
        bench_record(1, "eevdf", "J1-forkexec", {{"spawns_per_s", 12.0}}),
    };
    const Samples s = extract_samples(records);
    CHECK(s.at("J1.frame_miss_ratio").at("eevdf").at(1) == 0.3);
    CHECK(s.at("J1.hog_loops_per_s").at("eevdf").at(1) == 500);
    CHECK(s.at("J1.forkexec_per_s").at("eevdf").at(1) == 12);
}
