// Test harness for the socket layer: a daemon under systemd-socket-activate in a private runtime
// directory, clients, processes to hint about, and code run as another uid in a forked child.
#pragma once

#include "ipc/client.h"

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace gamesched::test {

inline constexpr std::chrono::milliseconds kReplyTimeout{10'000};
inline constexpr uid_t kNobody = 65534;

struct DaemonOptions {
    bool socket_activation = true;
    // Extra gamesched-sockets-testd options; --open-files-limit=N is the harness's own: it sets
    // the daemon's RLIMIT_NOFILE.
    std::vector<std::string> args;
    // Run the daemon with only the capabilities the shipped gamesched.service leaves the core
    // (its CapabilityBoundingSet=, which for a root service is also the permitted set).
    bool shipped_capabilities = false;
    // The daemon's stdout and stderr go to this file (inherited when empty).
    std::string log_path{};
};

// The capabilities the shipped unit's CapabilityBoundingSet= names, as setpriv spells them
// ("bpf", "perfmon", ...).
std::vector<std::string> shipped_bounding_set();

class TestDaemon {
public:
    explicit TestDaemon(DaemonOptions options = {});
    ~TestDaemon();
    TestDaemon(const TestDaemon&) = delete;
    TestDaemon& operator=(const TestDaemon&) = delete;

    [[nodiscard]] std::string hints_path() const { return dir_ + "/hints.sock"; }
    [[nodiscard]] std::string control_path() const { return dir_ + "/control.sock"; }
    [[nodiscard]] ipc::Client connect(ipc::Channel channel) const;
    // get_status over control.sock as root.
    [[nodiscard]] nlohmann::json status() const;
    // The daemon's process (systemd-socket-activate execs it in place).
    [[nodiscard]] pid_t pid() const { return pid_; }
    // SIGTERM and wait; returns the exit status (the destructor does it otherwise).
    int stop();

private:
    std::string dir_;
    pid_t pid_ = -1;
};

// A process that sleeps until killed (and dies with its parent).
class Sleeper {
public:
    Sleeper();
    // The same, owned by another user (all its uids and gids set to owner).
    explicit Sleeper(uid_t owner);
    ~Sleeper();
    Sleeper(const Sleeper&) = delete;
    Sleeper& operator=(const Sleeper&) = delete;
    [[nodiscard]] pid_t pid() const { return pid_; }
    void kill_and_reap();

private:
    pid_t pid_ = -1;
};

// A thread of this process that sleeps until destroyed: a pid that is a thread, not a process.
class SleepingThread {
public:
    SleepingThread();
    ~SleepingThread();
    SleepingThread(const SleepingThread&) = delete;
    SleepingThread& operator=(const SleepingThread&) = delete;
    [[nodiscard]] pid_t tid() const { return tid_; }

private:
    std::atomic<pid_t> tid_{0};
    std::atomic<bool> done_{false};
    std::thread worker_;
};

// Two-way handshake between the test and a child running as another uid.
struct Handshake {
    int read_fd = -1;
    int write_fd = -1;
    void notify() const;
    void wait() const;
};

// Runs body in a forked child with all uids and gids set to uid (no supplementary groups) while
// the test continues; join() returns what body returned.
class AsUser {
public:
    AsUser(uid_t uid, std::function<nlohmann::json(const Handshake&)> body);
    ~AsUser();
    AsUser(const AsUser&) = delete;
    AsUser& operator=(const AsUser&) = delete;
    const Handshake& handshake() const { return parent_; }
    nlohmann::json join();

private:
    pid_t pid_ = -1;
    int result_fd_ = -1;
    Handshake parent_;
};

// Polls until predicate holds or the timeout passes; the timeout is generous by design, it only
// stops a broken test from hanging.
bool eventually(const std::function<bool()>& predicate,
                std::chrono::milliseconds timeout = std::chrono::milliseconds(10'000));

// VmRSS of a process in KiB.
long rss_kib(pid_t pid);

// True if the scheduler side currently holds a game for pid.
bool scheduler_has_game(const nlohmann::json& status, pid_t pid);

}  // namespace gamesched::test
