#include <catch2/catch_test_macros.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "helpers/mlcollect/csv_export.h"
#include "helpers/mlcollect/jsonl_log.h"
#include "helpers/mlcollect/sample_store.h"
#include "tests/unit/mlcollect/temp_dir.h"

namespace ml = gamesched::ml;
namespace fs = std::filesystem;

namespace {

nlohmann::json record(int seq) {
    return {{"schema", 1}, {"seq", seq}};
}

std::vector<int> seqs(const ml::ReadOutcome& out) {
    std::vector<int> v;
    for (const auto& r : out.records) v.push_back(r.at("seq").get<int>());
    return v;
}

void append_raw(const fs::path& file, const std::string& bytes) {
    std::ofstream out(file, std::ios::binary | std::ios::app);
    out << bytes;
}

}  // namespace

TEST_CASE("records append and read back in order") {
    TempDir dir;
    auto log = ml::JsonlLog::open(dir.path(), "steam-570", {});
    REQUIRE(log);
    for (int i = 0; i < 5; ++i) REQUIRE(log->append(record(i)));
    auto out = ml::read_log(dir.path(), "steam-570");
    REQUIRE(out);
    CHECK(seqs(*out) == std::vector<int>{0, 1, 2, 3, 4});
    CHECK(out->torn_tail_bytes == 0);
}

TEST_CASE("a torn last line is dropped on read and cut off before the next append") {
    TempDir dir;
    {
        auto log = ml::JsonlLog::open(dir.path(), "g", {});
        REQUIRE(log);
        REQUIRE(log->append(record(0)));
    }
    append_raw(dir.path() / "g.jsonl", R"({"schema":1,"seq":1,"wai)");
    auto torn = ml::read_log(dir.path(), "g");
    REQUIRE(torn);
    CHECK(seqs(*torn) == std::vector<int>{0});
    CHECK(torn->torn_tail_bytes > 0);

    auto log = ml::JsonlLog::open(dir.path(), "g", {});
    REQUIRE(log);
    CHECK(log->repaired_bytes() > 0);
    REQUIRE(log->append(record(2)));
    auto out = ml::read_log(dir.path(), "g");
    REQUIRE(out);
    CHECK(seqs(*out) == std::vector<int>{0, 2});
    CHECK(out->torn_tail_bytes == 0);
    CHECK(out->bad_lines == 0);
}

TEST_CASE("a file that is one torn line becomes empty") {
    TempDir dir;
    append_raw(dir.path() / "g.jsonl", R"({"schema":1,"se)");
    auto log = ml::JsonlLog::open(dir.path(), "g", {});
    REQUIRE(log);
    CHECK(fs::file_size(dir.path() / "g.jsonl") == 0);
}

TEST_CASE("rotation bounds the size and keeps the newest files, oldest read first") {
    TempDir dir;
    ml::LogLimits limits{.max_bytes = 200, .keep_rotated = 2};
    auto log = ml::JsonlLog::open(dir.path(), "g", limits);
    REQUIRE(log);
    for (int i = 0; i < 40; ++i) REQUIRE(log->append(record(i)));
    const auto files = ml::log_files(dir.path(), "g");
    REQUIRE(files.size() == 3);
    CHECK(files[0].filename() == "g.2.jsonl");
    CHECK(files[2].filename() == "g.jsonl");
    for (const auto& f : files) CHECK(fs::file_size(f) <= 200);
    auto out = ml::read_log(dir.path(), "g");
    REQUIRE(out);
    const auto got = seqs(*out);
    REQUIRE_FALSE(got.empty());
    CHECK(got.back() == 39);
    for (size_t i = 1; i < got.size(); ++i) CHECK(got[i] == got[i - 1] + 1);  // contiguous, newest kept
}

TEST_CASE("other games' files are not mistaken for rotations") {
    TempDir dir;
    append_raw(dir.path() / "g-2.jsonl", "{\"seq\":1}\n");
    append_raw(dir.path() / "g.x.jsonl", "{\"seq\":1}\n");
    append_raw(dir.path() / "g.1.jsonl", "{\"seq\":1}\n");
    const auto files = ml::log_files(dir.path(), "g");
    REQUIRE(files.size() == 1);
    CHECK(files[0].filename() == "g.1.jsonl");
}

TEST_CASE("game keys become safe file names") {
    CHECK(ml::stem_for_key("steam-570") == "steam-570");
    CHECK(ml::stem_for_key("exe-../../etc/passwd") == "exe-______etc_passwd");
    CHECK(ml::stem_for_key("") == "_");
    CHECK(ml::stem_for_key(std::string(500, 'a')).size() == 100);
}

TEST_CASE("a store whose directory cannot be written reports once, then recovers after a run of appends") {
    TempDir dir;
    std::vector<std::pair<ml::StoreEvent, std::string>> events;
    ml::SampleStore store(dir.path() / "missing", {},
                          [&](ml::StoreEvent e, const std::string& m) { events.emplace_back(e, m); });
    CHECK_FALSE(store.append("g", record(0)));
    CHECK_FALSE(store.append("g", record(1)));
    REQUIRE(events.size() == 1);
    CHECK(events[0].first == ml::StoreEvent::failing);
    fs::create_directory(dir.path() / "missing");
    for (int i = 0; i < 19; ++i) CHECK(store.append("g", record(2 + i)));
    CHECK(events.size() == 1);  // not over until appends have worked for a while
    CHECK(store.append("g", record(21)));
    REQUIRE(events.size() == 2);
    CHECK(events[1].first == ml::StoreEvent::recovered);
    CHECK(events[1].second.find("2 records") != std::string::npos);
}

TEST_CASE("CSV export: a row per sample record, a column per tunable and role, quoted where needed") {
    TempDir dir;
    ml::SampleStore store(dir.path(), {});
    nlohmann::json hist = nlohmann::json::array();
    for (int b = 0; b < 16; ++b) hist.push_back(b == 4 ? 10 : 0);
    nlohmann::json sample = {
        {"schema", 1},
        {"kind", "sample"},
        {"ts_ms", 1000},
        {"interval_ms", 1000},
        {"game", {{"key", "steam-570"}, {"name", "Dota, 2"}}},
        {"phase", "trial"},
        {"trial", 3},
        {"tunables", {{"slice_us", 5000}, {"game_boost_pct", 30}}},
        {"roles", {{"render", {{"wait_hist", hist}, {"wait_sum_us", 100}, {"wakeups", 12}}}}},
        {"deadline_misses", 2},
        {"background_cpu_share", 0.5}};
    REQUIRE(store.append("steam-570", sample));
    REQUIRE(store.append("steam-570", {{"schema", 1}, {"kind", "trial"}, {"trial", 3}}));
    REQUIRE(store.append("exe-foo", sample));
    std::ostringstream csv;
    auto rows = ml::export_csv(dir.path(), "", csv);
    REQUIRE(rows);
    CHECK(*rows == 2);
    std::istringstream lines(csv.str());
    std::string header, first;
    std::getline(lines, header);
    std::getline(lines, first);
    CHECK(header.rfind("game_key,game_name,ts_ms,interval_ms,phase,trial,game_boost_pct,slice_us,", 0) == 0);
    CHECK(header.find("render_wait_mean_us") != std::string::npos);
    CHECK(first.find("\"Dota, 2\",1000,1000,trial,3,30,5000,") != std::string::npos);
    CHECK(first.find(",10,10.0,12,") != std::string::npos);  // render: 10 waits, mean 10 us, 12 wakeups
    auto one = ml::export_csv(dir.path(), "exe-foo", csv);
    REQUIRE(one);
    CHECK(*one == 1);
}
