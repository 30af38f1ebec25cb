// gameschedctl set/mode --persist: the change goes to the core first, then into gamesched.conf,
// keeping comments and other settings; nothing is written when the core or the file refuses.
#include "tests/integration/ipc/harness.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace gamesched;
using namespace gamesched::test;
using Catch::Matchers::ContainsSubstring;

namespace {

struct CtlRun {
    int status = -1;
    std::string output;
};

CtlRun run_ctl(const TestDaemon& daemon, const std::string& args) {
    const char* ctl = std::getenv("GAMESCHEDCTL");
    REQUIRE(ctl != nullptr);
    const std::string dir = daemon.hints_path().substr(0, daemon.hints_path().rfind('/'));
    const std::string command = std::string(ctl) + " --socket-dir " + dir + " " + args + " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    CtlRun run;
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) run.output += buffer;
    const int status = pclose(pipe);
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return run;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
}

struct ConfigDir {
    ConfigDir() {
        char pattern[] = "/tmp/gamesched-persist.XXXXXX";
        REQUIRE(mkdtemp(pattern) != nullptr);
        dir = pattern;
    }
    ~ConfigDir() { std::filesystem::remove_all(dir); }
    ConfigDir(const ConfigDir&) = delete;
    ConfigDir& operator=(const ConfigDir&) = delete;
    std::string file() const { return dir + "/gamesched.conf"; }
    std::string dir;
};

}  // namespace

TEST_CASE("set --persist creates the file after the core took the change") {
    TestDaemon daemon;
    ConfigDir config;
    auto run = run_ctl(daemon, "set slice_us=3000 preempt_enabled=0 --persist --config " + config.file());
    INFO(run.output);
    REQUIRE(run.status == 0);
    CHECK_THAT(run.output, ContainsSubstring("saved to " + config.file()));
    const auto text = read_file(config.file());
    CHECK_THAT(text, ContainsSubstring("man 5 gamesched.conf"));
    CHECK_THAT(text, ContainsSubstring("\nslice_us = 3000\n"));
    CHECK_THAT(text, ContainsSubstring("\npreempt_enabled = false\n"));
    CHECK(daemon.status().at("scheduler").at("tunables").at("slice_us") == 3000);
}

TEST_CASE("mode --persist rewrites one line and keeps comments, order, other keys and the file mode") {
    TestDaemon daemon;
    ConfigDir config;
    const std::string before = "# my settings\nmode = auto   # was the default\n\nlag_clamp_us = 30000\n";
    write_file(config.file(), before);
    REQUIRE(chmod(config.file().c_str(), 0640) == 0);
    auto run = run_ctl(daemon, "mode gaming --persist --config " + config.file());
    INFO(run.output);
    REQUIRE(run.status == 0);
    CHECK(read_file(config.file()) ==
          "# my settings\nmode = gaming   # was the default\n\nlag_clamp_us = 30000\n");
    struct stat st {};
    REQUIRE(stat(config.file().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0640);
    CHECK(daemon.status().at("scheduler").at("mode") == "gaming");
}

TEST_CASE("nothing is saved when the core refuses the change or the file is already invalid") {
    TestDaemon daemon;
    ConfigDir config;
    write_file(config.file(), "mode = auto\n");
    auto refused = run_ctl(daemon, "set slice_us=5 --persist --config " + config.file());
    INFO(refused.output);
    CHECK(refused.status == 1);
    CHECK(read_file(config.file()) == "mode = auto\n");

    write_file(config.file(), "mode = auto\nslice = 3\n");
    auto invalid = run_ctl(daemon, "set slice_us=3000 --persist --config " + config.file());
    INFO(invalid.output);
    CHECK(invalid.status == 1);
    CHECK_THAT(invalid.output, ContainsSubstring("applied until the core restarts, but not saved"));
    CHECK_THAT(invalid.output, ContainsSubstring(config.file() + ":2: unknown key 'slice'"));
    CHECK(read_file(config.file()) == "mode = auto\nslice = 3\n");

    auto wrong_verb = run_ctl(daemon, "status --persist");
    CHECK(wrong_verb.status == 2);
    CHECK_THAT(wrong_verb.output, ContainsSubstring("--persist applies to set and mode only"));
}
