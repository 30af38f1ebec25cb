// The gamesched-detect binary itself: --once over fixture /proc trees, and the daemon against a
// stand-in core that speaks the real protocol (ipc library) on a socket in a temp directory.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "ipc/codec.h"
#include "ipc/unix_socket.h"
#include "tests/unit/detect/fake_proc.h"
#include "util/unique_fd.h"

using namespace std::chrono_literals;
using Catch::Matchers::ContainsSubstring;
using gamesched::UniqueFd;
using gamesched::detect::testing::FakeProc;
using gamesched::detect::testing::FakeProcess;
using gamesched::detect::testing::TempDir;
namespace ipc = gamesched::ipc;

extern char** environ;

namespace {

constexpr auto kPatience = 10s;  // bounds waits for things that must happen; never asserted

// A child process running the binary; stdout and stderr go to files the test reads.
class Child {
public:
    explicit Child(std::vector<std::string> args) {
        args.insert(args.begin(), GAMESCHED_DETECT_BIN);
        std::vector<char*> argv;
        for (auto& arg : args) argv.push_back(arg.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, out_path().c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        posix_spawn_file_actions_addopen(&actions, 2, err_path().c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        REQUIRE(rc == 0);
    }
    ~Child() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    // Exit code, or -signal.
    int wait() {
        int status = 0;
        REQUIRE(::waitpid(pid_, &status, 0) == pid_);
        pid_ = 0;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    }
    void signal(int sig) const { ::kill(pid_, sig); }
    pid_t pid() const { return pid_; }
    std::string out() const { return slurp(out_path()); }
    std::string err() const { return slurp(err_path()); }

private:
    std::string out_path() const { return (dir_.path() / "stdout").string(); }
    std::string err_path() const { return (dir_.path() / "stderr").string(); }
    static std::string slurp(const std::string& path) {
        std::ifstream in(path);
        std::ostringstream text;
        text << in.rdbuf();
        return text.str();
    }
    TempDir dir_;
    pid_t pid_ = 0;
};

// The core's hint socket, played by the test: accepts one client at a time, answers every
// request ok, pushes process events.
class StandInCore {
public:
    StandInCore() : path_((dir_.path() / "hints.sock").string()) {
        auto fd = ipc::listen_seqpacket(path_, 0600);
        REQUIRE(fd.ok());
        listener_ = std::move(*fd);
    }
    const std::string& path() const { return path_; }

    void accept_client() {
        auto ready = ipc::wait_fd(listener_.get(), POLLIN, kPatience);
        REQUIRE(ready.ok());
        REQUIRE(*ready);
        auto fd = ipc::accept_seqpacket(listener_.get());
        REQUIRE(fd.ok());
        client_ = std::move(*fd);
    }
    // The next request, answered ok.
    ipc::Message next_request() {
        auto readable = ipc::wait_fd(client_.get(), POLLIN, kPatience);
        REQUIRE(readable.ok());
        REQUIRE(*readable);
        auto record = ipc::recv_record(client_.get(), ipc::kHintsMaxRecord);
        REQUIRE(record.ok());
        REQUIRE(record->status == ipc::IoStatus::done);
        auto request = ipc::decode_request(record->bytes, ipc::Channel::hints);
        REQUIRE(request.ok());
        auto sent = ipc::send_record(client_.get(), ipc::encode_reply(ipc::ok_reply(request->id)));
        REQUIRE(sent.ok());
        return request->message;
    }
    // The next request of type T. Renewals are background traffic (every few seconds while
    // games are reported) and may come in between; they are skipped unless T is Renew.
    template <typename T>
    T expect() {
        ipc::Message message = next_request();
        while (!std::is_same_v<T, ipc::Renew> && std::holds_alternative<ipc::Renew>(message)) {
            message = next_request();
        }
        INFO("got message type " << ipc::type_name(ipc::message_type(message)));
        REQUIRE(std::holds_alternative<T>(message));
        return std::get<T>(message);
    }
    void push(ipc::ProcessEventKind kind, pid_t pid) {
        ipc::ProcessEvent event{kind, pid, 1, static_cast<std::uint32_t>(::getuid()), "x", 0};
        auto sent = ipc::send_record(client_.get(), ipc::encode_push(event));
        REQUIRE(sent.ok());
    }
    bool client_closed() {
        auto readable = ipc::wait_fd(client_.get(), POLLIN, kPatience);
        if (!readable.ok() || !*readable) return false;
        auto record = ipc::recv_record(client_.get(), ipc::kHintsMaxRecord);
        return !record.ok() || record->status == ipc::IoStatus::closed;
    }

private:
    TempDir dir_;
    std::string path_;
    UniqueFd listener_;
    UniqueFd client_;
};

std::string status_line(pid_t pid, const std::string& key) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(key + ":", 0) == 0) return line.substr(key.size() + 1);
    }
    return {};
}

void add_steam_game(FakeProc& proc, pid_t pid) {
    proc.add({.pid = 100, .comm = "reaper", .exe = "/s/reaper", .args = {"/s/reaper", "SteamLaunch", "AppId=570", "--"}});
    proc.add({.pid = pid, .ppid = 100, .comm = "dota2", .exe = "/g/dota2", .env = {{"SteamAppId", "570"}}});
}

std::vector<std::string> daemon_args(const FakeProc& proc, const StandInCore& core) {
    return {"--proc-root", proc.root().string(), "--rules-dir", GAMESCHED_TEST_RULES_DIR, "--socket", core.path(),
            "--no-gamemode", "--verbose"};
}

// Real processes launched the way Steam and Wine launch games, for tests on the live /proc:
// a "reaper" script (comm reaper, SteamLaunch AppId=570 --) starting a renamed sleep with the
// app id in its environment, and a renamed sleep called wine64-preloader whose argv[0] is a
// Windows path. Everything runs in one process group, killed at the end.
class LiveLaunches {
public:
    LiveLaunches() {
        namespace fs = std::filesystem;
        fs::copy_file("/bin/sleep", dir_.path() / "mygame");
        fs::copy_file("/bin/sleep", dir_.path() / "wine64-preloader");
        dir_.write("reaper", "#!/bin/sh\nshift 3\nSteamAppId=570 \"$@\" &\necho $! > \"$(dirname \"$0\")/game.pid\"\nwait\n");
        for (const char* name : {"mygame", "wine64-preloader", "reaper"}) {
            fs::permissions(dir_.path() / name, fs::perms::owner_all);
        }
        steam_ = spawn({(dir_.path() / "reaper").string(), "SteamLaunch", "AppId=570", "--",
                        (dir_.path() / "mygame").string(), "300"},
                       {});
        wine_ = spawn({"Z:\\games\\Foo\\Foo.exe", "300"}, {"WINEPREFIX=/tmp/pfx"},
                      (dir_.path() / "wine64-preloader").string());
        const auto give_up = std::chrono::steady_clock::now() + kPatience;
        while (game_ <= 0 && std::chrono::steady_clock::now() < give_up) {
            std::ifstream in(dir_.path() / "game.pid");
            in >> game_;
            if (game_ <= 0) std::this_thread::sleep_for(10ms);
        }
        REQUIRE(game_ > 0);
    }
    ~LiveLaunches() {
        for (pid_t leader : {steam_, wine_}) {
            ::kill(-leader, SIGKILL);
            ::waitpid(leader, nullptr, 0);
        }
    }
    pid_t steam_game() const { return game_; }
    pid_t wine_game() const { return wine_; }
    void kill_steam_game() const { ::kill(game_, SIGKILL); }

private:
    static pid_t spawn(std::vector<std::string> args, std::vector<std::string> env, std::string path = {}) {
        if (path.empty()) path = args[0];
        std::vector<char*> argv, envp;
        for (auto& arg : args) argv.push_back(arg.data());
        argv.push_back(nullptr);
        for (auto& var : env) envp.push_back(var.data());
        envp.push_back(nullptr);
        posix_spawnattr_t attr;
        posix_spawnattr_init(&attr);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
        posix_spawnattr_setpgroup(&attr, 0);
        pid_t pid = 0;
        const int rc = posix_spawn(&pid, path.c_str(), nullptr, &attr, argv.data(), envp.data());
        posix_spawnattr_destroy(&attr);
        REQUIRE(rc == 0);
        return pid;
    }
    TempDir dir_;
    pid_t steam_ = 0;
    pid_t wine_ = 0;
    pid_t game_ = 0;
};

nlohmann::json find_pid(const nlohmann::json& reports, pid_t pid) {
    for (const auto& report : reports) {
        if (report["pid"] == pid) return report;
    }
    return nullptr;
}

}  // namespace

TEST_CASE("--once on the live /proc finds a Steam-style and a Wine-style launch", "[binary][live]") {
    LiveLaunches live;
    Child child({"--once", "--rules-dir", GAMESCHED_TEST_RULES_DIR});
    REQUIRE(child.wait() == 0);
    const auto reports = nlohmann::json::parse(child.out());
    const auto steam = find_pid(reports, live.steam_game());
    REQUIRE(steam.is_object());
    CHECK(steam["rule"] == "steam-game");
    CHECK(steam["steam_app_id"] == 570);
    CHECK(steam["name"] == "mygame");
    const auto wine = find_pid(reports, live.wine_game());
    REQUIRE(wine.is_object());
    CHECK(wine["rule"] == "wine-program");
    CHECK(wine["name"] == "Foo");
    // Whatever else runs here (a developer's desktop may have a real game open), init and this
    // test are not games.
    CHECK(find_pid(reports, 1).is_null());
    CHECK(find_pid(reports, ::getpid()).is_null());
}

TEST_CASE("Daemon on the live /proc: a Steam-style launch is reported once, and its exit", "[binary][live]") {
    StandInCore core;
    Child detect({"--rules-dir", GAMESCHED_TEST_RULES_DIR, "--socket", core.path(), "--no-gamemode"});
    core.accept_client();
    core.expect<ipc::Subscribe>();
    core.expect<ipc::Renew>();
    // The daemon's start-up scan runs concurrently with these launches, so a game may be reported
    // by the scan or by its exec event; either way exactly once.
    // Hints about other processes (another copy of this test running as the same user) are
    // not ours to judge and are skipped.
    LiveLaunches live;
    auto ours = [&](pid_t pid) { return pid == live.steam_game() || pid == live.wine_game(); };
    core.push(ipc::ProcessEventKind::exec, live.steam_game());
    core.push(ipc::ProcessEventKind::exec, live.wine_game());
    std::vector<ipc::GameStarted> started;
    while (started.size() < 2) {
        auto game = core.expect<ipc::GameStarted>();
        if (ours(game.pid)) started.push_back(game);
    }
    std::sort(started.begin(), started.end(), [](const auto& a, const auto& b) { return a.pid < b.pid; });
    std::vector<pid_t> pids = {live.steam_game(), live.wine_game()};
    std::sort(pids.begin(), pids.end());
    CHECK(std::vector<pid_t>{started[0].pid, started[1].pid} == pids);
    for (const auto& game : started) {
        if (game.pid == live.steam_game()) CHECK(game.app_id == "570");
    }
    live.kill_steam_game();
    core.push(ipc::ProcessEventKind::exit, live.steam_game());
    for (;;) {  // the next hint about one of ours is the exit: no duplicate start came before it
        ipc::Message message = core.next_request();
        if (const auto* exited = std::get_if<ipc::GameExited>(&message); exited && ours(exited->pid)) {
            CHECK(exited->pid == live.steam_game());
            break;
        }
        if (const auto* again = std::get_if<ipc::GameStarted>(&message)) REQUIRE_FALSE(ours(again->pid));
    }
}

TEST_CASE("--once prints the games of a fixture /proc as JSON", "[binary]") {
    FakeProc proc;
    add_steam_game(proc, 200);
    proc.add({.pid = 300, .comm = "Foo.exe", .exe = "/usr/lib/wine/wine64-preloader", .args = {"Z:\\g\\Foo.exe"},
              .env = {{"WINEPREFIX", "/p"}}});
    proc.add({.pid = 400, .comm = "cc1plus", .exe = "/usr/lib/gcc/cc1plus"});
    proc.add({.pid = 500, .comm = "steamwebhelper", .exe = "/s/steamwebhelper", .env = {{"SteamAppId", "570"}}});
    Child child({"--once", "--proc-root", proc.root().string(), "--rules-dir", GAMESCHED_TEST_RULES_DIR});
    REQUIRE(child.wait() == 0);
    const auto json = nlohmann::json::parse(child.out());
    REQUIRE(json.is_array());
    REQUIRE(json.size() == 2);
    CHECK(json[0] == nlohmann::json{{"pid", 200}, {"steam_app_id", 570}, {"name", "dota2"}, {"rule", "steam-game"},
                                    {"confidence", 75}});
    CHECK(json[1] == nlohmann::json{{"pid", 300}, {"steam_app_id", nullptr}, {"name", "Foo"},
                                    {"rule", "wine-program"}, {"confidence", 70}});
}

TEST_CASE("--once with no games prints an empty array", "[binary]") {
    FakeProc proc;
    proc.add({.pid = 10, .comm = "bash", .exe = "/usr/bin/bash"});
    Child child({"--once", "--proc-root", proc.root().string(), "--rules-dir", GAMESCHED_TEST_RULES_DIR});
    REQUIRE(child.wait() == 0);
    CHECK(nlohmann::json::parse(child.out()) == nlohmann::json::array());
}

TEST_CASE("--once reports a bad rule file by name and line and still uses the others", "[binary]") {
    FakeProc proc;
    add_steam_game(proc, 200);
    TempDir user;
    user.write("50-bad.json", "{\"rules\": [\n  {\"name\": \"x\", \"verdict\": \"game\",\n   \"confidence\": 500,"
                              " \"match\": {\"exe\": \"x\"}}\n]}\n");
    Child child({"--once", "--proc-root", proc.root().string(), "--rules-dir", GAMESCHED_TEST_RULES_DIR,
                 "--rules-dir", user.path().string()});
    REQUIRE(child.wait() == 0);
    CHECK_THAT(child.err(), ContainsSubstring((user.path() / "50-bad.json").string() + ":2: rule 'x': confidence"));
    CHECK(nlohmann::json::parse(child.out()).size() == 1);
}

TEST_CASE("Usage errors and an unusable /proc root fail with a message that says what to do", "[binary]") {
    Child unknown({"--frobnicate"});
    CHECK(unknown.wait() == 2);
    CHECK_THAT(unknown.err(), ContainsSubstring("unknown option '--frobnicate'; see --help"));

    Child help({"--help"});
    CHECK(help.wait() == 0);
    CHECK_THAT(help.out(), ContainsSubstring("--proc-root DIR"));

    Child missing({"--once", "--proc-root", "/nonexistent/proc", "--rules-dir", GAMESCHED_TEST_RULES_DIR});
    CHECK(missing.wait() == 1);
    CHECK_THAT(missing.err(), ContainsSubstring("/nonexistent/proc"));

    TempDir empty;
    Child no_rules({"--once", "--rules-dir", empty.path().string()});
    CHECK(no_rules.wait() == 1);
    CHECK_THAT(no_rules.err(), ContainsSubstring("no detection rules loaded"));
}

TEST_CASE("Daemon: subscribes, reports running and new games and exits, confined, stops on SIGTERM", "[binary]") {
    FakeProc proc;
    add_steam_game(proc, 200);
    StandInCore core;
    Child detect(daemon_args(proc, core));
    core.accept_client();
    CHECK(core.expect<ipc::Subscribe>().process_events);
    core.expect<ipc::Renew>();
    const auto running = core.expect<ipc::GameStarted>();  // from the start-up scan
    CHECK(running.pid == 200);
    CHECK(running.app_id == "570");
    CHECK(running.name == "dota2");
    CHECK(running.source == "steam-game");
    CHECK(running.confidence == 75);

    CHECK(status_line(detect.pid(), "NoNewPrivs") == "\t1");
    CHECK(status_line(detect.pid(), "Seccomp") == "\t2");

    proc.add({.pid = 210, .comm = "Bar.exe", .exe = "/usr/lib/wine/wine64-preloader", .args = {"Z:\\g\\Bar.exe"},
              .env = {{"WINEPREFIX", "/p"}}});
    proc.add({.pid = 220, .comm = "cc1plus", .exe = "/usr/lib/gcc/cc1plus"});
    core.push(ipc::ProcessEventKind::exec, 220);  // not a game: no hint
    core.push(ipc::ProcessEventKind::exec, 210);
    const auto started = core.expect<ipc::GameStarted>();
    CHECK(started.pid == 210);
    CHECK(started.source == "wine-program");
    CHECK_FALSE(started.app_id.has_value());

    proc.remove(200);
    core.push(ipc::ProcessEventKind::exit, 220);
    core.push(ipc::ProcessEventKind::exit, 200);
    CHECK(core.expect<ipc::GameExited>().pid == 200);

    detect.signal(SIGTERM);
    CHECK(detect.wait() == 0);
    INFO(detect.err());
    CHECK_THAT(detect.err(), ContainsSubstring("stopping"));
}

TEST_CASE("Daemon: killed with SIGKILL and restarted, it re-learns the running games", "[binary]") {
    FakeProc proc;
    add_steam_game(proc, 200);
    StandInCore core;
    {
        Child first(daemon_args(proc, core));
        core.accept_client();
        core.expect<ipc::Subscribe>();
        core.expect<ipc::Renew>();
        CHECK(core.expect<ipc::GameStarted>().pid == 200);
        first.signal(SIGKILL);
        CHECK(first.wait() == -SIGKILL);
        CHECK(core.client_closed());
    }
    proc.add({.pid = 210, .comm = "Bar.exe", .exe = "/usr/lib/wine/wine64-preloader", .args = {"Z:\\g\\Bar.exe"},
              .env = {{"WINEPREFIX", "/p"}}});  // started while no detector ran
    Child second(daemon_args(proc, core));
    core.accept_client();
    core.expect<ipc::Subscribe>();
    core.expect<ipc::Renew>();  // adopts the leases the killed instance left behind
    std::vector<pid_t> relearned = {core.expect<ipc::GameStarted>().pid, core.expect<ipc::GameStarted>().pid};
    CHECK(relearned == std::vector<pid_t>{200, 210});
}
