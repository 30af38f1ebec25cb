// The gamesched-kwin binary's command line and start-up failures, as a user meets them.
#include "tests/unit/kwin/private_bus.h"

#include <catch2/catch_test_macros.hpp>

#include <sys/wait.h>

#include <filesystem>

using namespace gamesched::testing;
using namespace std::chrono_literals;

namespace {

struct Outcome {
    int exit_code = -1;
    std::string out;
    std::string err;
};

Outcome run_helper(std::vector<std::string> args, std::vector<std::string> env) {
    args.insert(args.begin(), GAMESCHED_KWIN_BINARY);
    auto child = ChildProcess::spawn(SpawnSpec{.argv = args,
                                               .env = std::move(env),
                                               .capture_stdout = true,
                                               .capture_stderr = true,
                                               .stderr_file = {}});
    REQUIRE(child);
    const auto status = child->wait_exit(20s);
    REQUIRE(status);
    Outcome outcome;
    outcome.exit_code = WIFEXITED(*status) ? WEXITSTATUS(*status) : 128 + WTERMSIG(*status);
    for (const auto& l : child->out().lines()) outcome.out += l + "\n";
    for (const auto& l : child->err().lines()) outcome.err += l + "\n";
    return outcome;
}

bool contains(const std::string& text, const std::string& needle) {
    return text.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("--version, --help and a bad argument", "[kwin][cli]") {
    const auto version = run_helper({"--version"}, {});
    CHECK(version.exit_code == 0);
    CHECK(version.out == std::string("gamesched-kwin ") + GAMESCHED_VERSION + "\n");

    const auto help = run_helper({"--help"}, {});
    CHECK(help.exit_code == 0);
    CHECK(contains(help.out, "Usage: gamesched-kwin"));
    CHECK(contains(help.out, "--print"));

    const auto bad = run_helper({"--prnt"}, {});
    CHECK(bad.exit_code == 2);
    CHECK(contains(bad.err, "unknown argument '--prnt'; see --help"));
}

TEST_CASE("start-up problems are explained", "[kwin][cli]") {
    TempDir runtime;
    const std::vector<std::string> script = {"--print", "--script", GAMESCHED_KWIN_SCRIPT_SOURCE};

    const auto no_runtime_dir = run_helper(script, {"XDG_RUNTIME_DIR"});
    CHECK(no_runtime_dir.exit_code == 1);
    CHECK(contains(no_runtime_dir.err, "XDG_RUNTIME_DIR is not set"));

    const auto no_bus =
        run_helper(script, {"XDG_RUNTIME_DIR=" + runtime.path(),
                            "DBUS_SESSION_BUS_ADDRESS=unix:path=" + runtime.path() + "/none"});
    CHECK(no_bus.exit_code == 1);
    CHECK(contains(no_bus.err, "cannot own org.gamesched.KWinFocus on the session bus"));

    PrivateBus bus;
    auto first = ChildProcess::spawn(
        SpawnSpec{.argv = {GAMESCHED_KWIN_BINARY, "--print", "--script", GAMESCHED_KWIN_SCRIPT_SOURCE},
                  .env = {bus.env(), "XDG_RUNTIME_DIR=" + runtime.path()},
                  .capture_stdout = true,
                  .capture_stderr = true,
                  .stderr_file = {}});
    REQUIRE(first);
    REQUIRE(first->wait_for_err("waiting for it to appear", 10s));
    const auto second = run_helper(script, {bus.env(), "XDG_RUNTIME_DIR=" + runtime.path()});
    CHECK(second.exit_code == 1);
    CHECK(contains(second.err, "is another gamesched-kwin running in this session"));
    // The first instance's script copy is untouched.
    CHECK(std::filesystem::exists(runtime.path() + "/gamesched/kwin-focus.js"));
}
