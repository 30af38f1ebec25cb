// The detector's state: which pids are reported games, which are candidates waiting to be
// looked at again, and who GameMode has registered. It never sleeps or polls: the caller feeds
// it events and the current time, and arms one timer for next_deadline().
//
// Upstream scored a process once, right at exec, when a game has a handful of threads and no
// GPU fd yet, so native games never qualified; and it never reported exits. Here a candidate is
// re-scored at fixed offsets after exec, and every reported pid gets exactly one exit report.
#pragma once

#include <array>
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "helpers/detect/classifier.h"
#include "helpers/detect/hint_sink.h"
#include "helpers/detect/proc_reader.h"
#include "util/result.h"

namespace gamesched::detect {

using Clock = std::chrono::steady_clock;

class Detector {
public:
    // When a candidate is looked at again, counted from its exec (or from the scan that found
    // it). After the last one it is dropped until it execs again or GameMode registers it.
    static constexpr std::array<std::chrono::milliseconds, 4> kRescoreDelays = {
        std::chrono::milliseconds(250), std::chrono::milliseconds(1000), std::chrono::milliseconds(3000),
        std::chrono::milliseconds(10000)};

    Detector(const Classifier& classifier, ProcessSource& source, HintSink& sink, uid_t uid)
        : classifier_(classifier), source_(source), sink_(sink), uid_(uid) {}

    void on_exec(pid_t pid, Clock::time_point now);
    void on_exit(pid_t pid);
    void on_gamemode_registered(pid_t pid, Clock::time_point now);
    void on_gamemode_unregistered(pid_t pid);

    // One pass over /proc: reports games already running, schedules candidates, and reports
    // the exit of any reported game that is gone (an exit missed while disconnected).
    Status scan(Clock::time_point now);

    // Reports the exit of any reported game that is no longer running (its exit event was lost:
    // the kernel's ring buffer can drop). One /proc read per reported game.
    void check_games();

    [[nodiscard]] std::optional<Clock::time_point> next_deadline() const;
    void on_timer(Clock::time_point now);

    [[nodiscard]] std::vector<GameReport> games() const;
    [[nodiscard]] std::size_t pending_count() const { return pending_.size(); }
    [[nodiscard]] bool is_pending(pid_t pid) const { return pending_.contains(pid); }

private:
    struct Tracked {
        GameReport report;
        std::uint64_t start_time = 0;
    };
    struct Pending {
        Clock::time_point since;
        std::size_t step = 0;
        std::uint64_t start_time = 0;
        [[nodiscard]] Clock::time_point due() const { return since + kRescoreDelays[step]; }
    };
    struct Judgement {
        ProcessInfo info;
        Verdict verdict;
    };

    std::optional<Judgement> judge(pid_t pid, bool with_fds);
    void evaluate(pid_t pid, Clock::time_point now);
    void report_started(const Judgement& judgement);
    void report_exited(pid_t pid);

    const Classifier& classifier_;
    ProcessSource& source_;
    HintSink& sink_;
    uid_t uid_;
    std::map<pid_t, Tracked> games_;
    std::map<pid_t, Pending> pending_;
    std::set<pid_t> gamemode_pids_;
};

}  // namespace gamesched::detect
