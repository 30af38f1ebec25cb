#include <catch2/catch_test_macros.hpp>

#include <fstream>

#include "helpers/mlcollect/profile_store.h"
#include "tests/unit/mlcollect/temp_dir.h"

namespace ml = gamesched::ml;

namespace {

ml::Profile learned(const std::string& key) {
    ml::Profile p;
    p.key = key;
    p.name = "Some Game";
    p.status = ml::ProfileStatus::learned;
    p.tunables = {{"slice_us", 1250}, {"game_boost_pct", 70}};
    p.baseline = {{"slice_us", 5000}, {"game_boost_pct", 30}};
    p.searched = {"slice_us", "game_boost_pct"};
    p.results = {{{{"slice_us", 5000}}, 0.26, true}, {{{"slice_us", 1250}}, std::nullopt, false}};
    p.score = 0.05;
    p.baseline_score = 0.26;
    return p;
}

}  // namespace

TEST_CASE("profiles round-trip through their files") {
    TempDir dir;
    ml::ProfileStore store(dir.path() / "profiles");
    REQUIRE(store.save(learned("steam-570")));
    auto got = store.get("steam-570");
    REQUIRE(got);
    REQUIRE(*got);
    const ml::Profile& p = **got;
    CHECK(p.status == ml::ProfileStatus::learned);
    CHECK(p.applies());
    CHECK(p.tunables.at("slice_us") == 1250);
    CHECK(p.results.size() == 2);
    CHECK_FALSE(p.results[1].score);
    CHECK(p.to_json() == learned("steam-570").to_json());
}

TEST_CASE("a missing profile is not an error; a removed one is gone") {
    TempDir dir;
    ml::ProfileStore store(dir.path());
    auto none = store.get("exe-nothing");
    REQUIRE(none);
    CHECK_FALSE(*none);
    REQUIRE(store.save(learned("exe-foo")));
    auto removed = store.remove("exe-foo");
    REQUIRE(removed);
    CHECK(*removed);
    CHECK_FALSE(*store.get("exe-foo"));
    CHECK_FALSE(*store.remove("exe-foo"));
}

TEST_CASE("a damaged profile file is reported with what to do, others still list") {
    TempDir dir;
    ml::ProfileStore store(dir.path());
    REQUIRE(store.save(learned("steam-1")));
    std::ofstream(dir.path() / "steam-2.json") << R"({"schema": 99, "key": "steam-2"})";
    std::vector<std::string> problems;
    const auto all = store.list(&problems);
    REQUIRE(all.size() == 1);
    CHECK(all[0].key == "steam-1");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].find("profile reset") != std::string::npos);
}

TEST_CASE("saving replaces the file whole and leaves no temporary behind") {
    TempDir dir;
    ml::ProfileStore store(dir.path());
    auto p = learned("steam-9");
    REQUIRE(store.save(p));
    p.pinned = true;
    REQUIRE(store.save(p));
    CHECK((*store.get("steam-9"))->pinned);
    int files = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
    CHECK(files == 1);
}
