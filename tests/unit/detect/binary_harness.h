// Harness for the tests that run the gamesched-detect binary: a child process with captured
// output, a stand-in core on a real hints socket (ipc library), and real processes launched the
// way Steam and Wine launch games.
#pragma once

#include <catch2/catch_test_macros.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "ipc/codec.h"
#include "ipc/unix_socket.h"
#include "tests/unit/detect/fake_proc.h"
#include "tests/unit/ipc/fake_replies.h"
#include "util/unique_fd.h"

extern char** environ;

namespace gamesched::detect::testing {

namespace ipc = gamesched::ipc;
using namespace std::chrono_literals;

inline constexpr auto kPatience = 10s;  // bounds waits for things that must happen; never asserted

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
        auto sent =
            ipc::send_record(client_.get(), ipc::encode_reply(gamesched::testing::fake_ok_reply(*request)));
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

inline std::string status_line(pid_t pid, const std::string& key) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(key + ":", 0) == 0) return line.substr(key.size() + 1);
    }
    return {};
}

inline void add_steam_game(FakeProc& proc, pid_t pid) {
    proc.add({.pid = 100,
              .comm = "reaper",
              .exe = "/s/reaper",
              .args = {"/s/reaper", "SteamLaunch", "AppId=570", "--"}});
    proc.add({.pid = pid, .ppid = 100, .comm = "dota2", .exe = "/g/dota2", .env = {{"SteamAppId", "570"}}});
}

inline std::vector<std::string> daemon_args(const FakeProc& proc, const StandInCore& core) {
    return {"--proc-root", proc.root().string(), "--rules-dir",   GAMESCHED_TEST_RULES_DIR,
            "--socket",    core.path(),          "--no-gamemode", "--verbose"};
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
        dir_.write(
            "reaper",
            "#!/bin/sh\nshift 3\nSteamAppId=570 \"$@\" &\necho $! > \"$(dirname \"$0\")/game.pid\"\nwait\n");
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

inline nlohmann::json find_pid(const nlohmann::json& reports, pid_t pid) {
    for (const auto& report : reports) {
        if (report["pid"] == pid) return report;
    }
    return nullptr;
}

}  // namespace gamesched::detect::testing
