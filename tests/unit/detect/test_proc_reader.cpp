// ProcReader against fixture trees: every field the rules use, and the failure paths.
#include <catch2/catch_test_macros.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include "helpers/detect/proc_reader.h"
#include "tests/unit/detect/fake_proc.h"

using namespace gamesched::detect;
using gamesched::detect::testing::FakeProc;
using gamesched::detect::testing::FakeProcess;

TEST_CASE("ProcReader reads every field the rules use", "[proc_reader]") {
    FakeProc proc;
    proc.add({.pid = 4100,
              .ppid = 4000,
              .comm = "Foo.exe",
              .exe = "/opt/proton/files/bin/wine64-preloader",
              .args = {"Z:\\games\\Foo\\Foo.exe", "-dx12"},
              .env = {{"WINEPREFIX", "/home/u/pfx"}, {"SteamAppId", "570"}},
              .threads = 37,
              .fds = {"/dev/null", "/dev/dri/renderD128", "socket:[1234]", "/dev/dri/card0"},
              .cgroup = "/user.slice/app-steam-app570-4000.scope",
              .start_time = 987654});
    ProcReader reader(proc.root());

    auto info = reader.read(4100, true);
    REQUIRE(info.ok());
    CHECK(info->pid == 4100);
    CHECK(info->ppid == 4000);
    CHECK(info->uid == ::getuid());
    CHECK(info->comm == "Foo.exe");
    CHECK(info->exe_path == "/opt/proton/files/bin/wine64-preloader");
    CHECK(info->exe_name == "wine64-preloader");
    CHECK(info->args == std::vector<std::string>{"Z:\\games\\Foo\\Foo.exe", "-dx12"});
    REQUIRE(info->environ.has_value());
    CHECK(info->environ->at("WINEPREFIX") == "/home/u/pfx");
    CHECK(*info->env("SteamAppId") == "570");
    CHECK(info->env("HOME") == nullptr);
    CHECK(info->threads == 37);
    CHECK(info->start_time == 987654);
    CHECK(info->cgroup == "/user.slice/app-steam-app570-4000.scope");
    REQUIRE(info->gpu_fds.has_value());
    CHECK(*info->gpu_fds == 2);
    CHECK(info->wine_program() == "Foo.exe");
}

TEST_CASE("ProcReader leaves the fd table and the mappings alone unless asked", "[proc_reader]") {
    FakeProc proc;
    proc.add({.pid = 10, .comm = "game", .exe = "/usr/games/game", .fds = {"/dev/dri/renderD128"}});
    ProcReader reader(proc.root());
    auto info = reader.read(10, false);
    REQUIRE(info.ok());
    CHECK_FALSE(info->gpu_fds.has_value());
    CHECK_FALSE(info->mangohud_loaded.has_value());
}

TEST_CASE("ProcReader sees MangoHud's library in the mappings, however long they are",
          "[proc_reader][mangohud]") {
    FakeProc proc;
    std::vector<std::string> many(20000, "/usr/lib/x86_64-linux-gnu/libvulkan_radeon.so");  // ~2 MB of maps
    many.emplace_back("/usr/lib/x86_64-linux-gnu/mangohud/libMangoHud.so");
    proc.add({.pid = 20, .comm = "game", .exe = "/usr/games/game", .mapped_files = many});
    proc.add({.pid = 21, .comm = "game", .exe = "/usr/games/game"});
    proc.add({.pid = 22, .comm = "game", .exe = "/usr/games/game", .maps_unreadable = true});
    ProcReader reader(proc.root());
    auto loaded = reader.read(20, true);
    REQUIRE(loaded.ok());
    CHECK(loaded->mangohud_loaded == std::optional<bool>(true));
    auto plain = reader.read(21, true);
    REQUIRE(plain.ok());
    CHECK(plain->mangohud_loaded == std::optional<bool>(false));
    auto hidden = reader.read(22, true);
    REQUIRE(hidden.ok());
    CHECK_FALSE(hidden->mangohud_loaded.has_value());
}

TEST_CASE("ProcReader strips ' (deleted)' from the exe link and keeps odd comms intact", "[proc_reader]") {
    FakeProc proc;
    proc.add({.pid = 11, .comm = "a) b (c", .exe = "/tmp/game.x86_64 (deleted)"});
    ProcReader reader(proc.root());
    auto info = reader.read(11, false);
    REQUIRE(info.ok());
    CHECK(info->exe_name == "game.x86_64");
    CHECK(info->comm == "a) b (c");
    CHECK(info->start_time == 4242);  // parsed after the last ')', whatever comm contains
}

TEST_CASE("A process without an exe link has empty exe fields", "[proc_reader]") {
    FakeProc proc;
    proc.add({.pid = 12, .comm = "kworker/0:1"});
    ProcReader reader(proc.root());
    auto info = reader.read(12, false);
    REQUIRE(info.ok());
    CHECK(info->exe_path.empty());
    CHECK(info->exe_name.empty());
    CHECK(info->args.empty());
}

TEST_CASE("Wine program comes from the first .exe argument, else from comm", "[proc_reader]") {
    ProcessInfo shim;
    shim.args = {"C:\\windows\\system32\\steam.exe", "Z:\\games\\Foo.exe"};
    CHECK(shim.wine_program() == "steam.exe");

    ProcessInfo at_exec;  // before Wine rewrites argv: loader paths first
    at_exec.args = {"/opt/wine/bin/wine64-preloader", "/opt/wine/bin/wine64", "/games/Bar.EXE"};
    CHECK(at_exec.wine_program() == "Bar.EXE");

    ProcessInfo renamed;
    renamed.comm = "services.exe";
    renamed.args = {"/opt/wine/bin/wine64-preloader"};
    CHECK(renamed.wine_program() == "services.exe");

    ProcessInfo native;
    native.comm = "game";
    native.args = {"/usr/games/game", "--exe"};
    CHECK(native.wine_program().empty());
}

TEST_CASE("Reading a missing pid or a malformed status is an error", "[proc_reader]") {
    FakeProc proc;
    ProcReader reader(proc.root());
    auto missing = reader.read(999, false);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == ENOENT);

    proc.add({.pid = 13, .comm = "x", .exe = "/bin/x"});
    std::filesystem::copy_file(proc.root() / "13" / "comm", proc.root() / "13" / "status",
                               std::filesystem::copy_options::overwrite_existing);
    auto malformed = reader.read(13, false);
    REQUIRE_FALSE(malformed.ok());
    CHECK(malformed.error().message.find("PPid") != std::string::npos);
}

TEST_CASE("list_pids lists numeric entries in order and fails on a missing root", "[proc_reader]") {
    FakeProc proc;
    proc.add({.pid = 300, .comm = "a", .exe = "/bin/a"});
    proc.add({.pid = 20, .comm = "b", .exe = "/bin/b"});
    std::filesystem::create_directory(proc.root() / "self");
    std::filesystem::create_directory(proc.root() / "12abc");
    ProcReader reader(proc.root());
    auto pids = reader.list_pids();
    REQUIRE(pids.ok());
    CHECK(*pids == std::vector<pid_t>{20, 300});

    ProcReader nowhere(proc.root() / "does-not-exist");
    auto none = nowhere.list_pids();
    REQUIRE_FALSE(none.ok());
    CHECK(none.error().message.find("does-not-exist") != std::string::npos);
}

// environ of another uid's (or a non-dumpable) process gives EACCES. Root reads mode-0000 files
// anyway, so as root the read runs in a child that has dropped to nobody.
TEST_CASE("An unreadable environ is reported as unknown with its errno, the rest still reads",
          "[proc_reader]") {
    FakeProc proc;
    std::filesystem::permissions(
        proc.root(), std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                         std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                         std::filesystem::perms::others_exec);
    proc.add({.pid = 14,
              .comm = "secret",
              .exe = "/bin/secret",
              .args = {"secret"},
              .env = {{"SteamAppId", "570"}},
              .environ_unreadable = true,
              .threads = 3});
    ProcReader reader(proc.root());

    auto check = [&]() -> int {  // returns a bitmask of failed expectations, 0 = all good
        auto info = reader.read(14, false);
        if (!info.ok()) return 1;
        int failed = 0;
        if (info->environ.has_value()) failed |= 2;
        if (info->environ_errno != EACCES) failed |= 4;
        if (info->comm != "secret" || info->threads != 3 || info->args.size() != 1) failed |= 8;
        return failed;
    };

    if (::geteuid() != 0) {
        CHECK(check() == 0);
        return;
    }
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(100);
        ::_exit(check());
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}
