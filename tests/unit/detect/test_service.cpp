// The service loop with a fake core link: start-up scan, events in, hints out, re-scores driven
// by the loop's own timeout, renewals, and what happens when the core is away. The loop runs on
// its own thread; the test waits for outcomes with a generous bound (never a timing assertion).
#include <catch2/catch_test_macros.hpp>

#include <sys/eventfd.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "helpers/detect/rule_loader.h"
#include "helpers/detect/service.h"
#include "tests/unit/detect/fake_proc.h"
#include "util/unique_fd.h"

using namespace gamesched::detect;
using namespace std::chrono_literals;
using gamesched::UniqueFd;
using gamesched::detect::testing::FakeProc;
using gamesched::detect::testing::FakeProcess;

namespace {

constexpr auto kPatience = 10s;  // only bounds a wait for something that must happen

class FakeCore final : public CoreLink {
public:
    FakeCore() : wake_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

    gamesched::Status connect() override {
        std::lock_guard lock(mutex_);
        ++connect_attempts;
        changed_.notify_all();
        if (!reachable) return gamesched::Error{ECONNREFUSED, "fake core is down"};
        connected_ = true;
        changed_.notify_all();
        return gamesched::Ok{};
    }
    void disconnect() override {
        std::lock_guard lock(mutex_);
        connected_ = false;
    }
    bool connected() const override {
        std::lock_guard lock(mutex_);
        return connected_;
    }
    int fd() const override { return wake_.get(); }
    gamesched::Status take_events(std::vector<ProcessNotice>& out) override {
        std::lock_guard lock(mutex_);
        std::uint64_t drained = 0;
        [[maybe_unused]] auto n = ::read(wake_.get(), &drained, sizeof drained);
        if (drop_connection) {
            drop_connection = false;
            connected_ = false;
            return gamesched::Error{ECONNRESET, "fake core hung up"};
        }
        out.assign(queue_.begin(), queue_.end());
        delivered += queue_.size();
        queue_.clear();
        ++take_calls;
        changed_.notify_all();
        return gamesched::Ok{};
    }
    gamesched::Status renew() override {
        std::lock_guard lock(mutex_);
        ++renewals;
        changed_.notify_all();
        return gamesched::Ok{};
    }
    void game_started(const GameReport& game) override {
        std::lock_guard lock(mutex_);
        if (connected_) started.push_back(game.pid);  // like the ipc link: dropped while away
        changed_.notify_all();
    }
    void game_exited(pid_t pid) override {
        std::lock_guard lock(mutex_);
        if (connected_) exited.push_back(pid);
        changed_.notify_all();
    }
    void audio_server(pid_t) override {}  // detector tests cover it; the service only passes it on

    // Test side.
    void push(ProcessNotice notice) {
        std::lock_guard lock(mutex_);
        queue_.push_back(notice);
        const std::uint64_t one = 1;
        [[maybe_unused]] auto n = ::write(wake_.get(), &one, sizeof one);
    }
    // Pushes and returns once the loop has handled the event: it asked for more afterwards.
    void push_and_settle(ProcessNotice notice) {
        std::unique_lock lock(mutex_);
        const std::size_t calls_before = take_calls;
        const std::size_t delivered_before = delivered;
        lock.unlock();
        push(notice);
        lock.lock();
        REQUIRE(changed_.wait_for(
            lock, kPatience, [&] { return delivered > delivered_before && take_calls >= calls_before + 2; }));
    }
    template <typename Predicate>
    bool wait_until(Predicate predicate) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, kPatience, [&] { return predicate(*this); });
    }
    template <typename Fn>
    void with_lock(Fn fn) {
        std::lock_guard lock(mutex_);
        fn(*this);
    }

    // Guarded by mutex_.
    bool reachable = true;
    bool drop_connection = false;
    int connect_attempts = 0;
    int renewals = 0;
    std::size_t take_calls = 0;
    std::size_t delivered = 0;
    std::vector<pid_t> started;
    std::vector<pid_t> exited;

private:
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<ProcessNotice> queue_;
    bool connected_ = false;
    UniqueFd wake_;
};

// Runs the service on a thread; stops it (through its stop fd) and joins on destruction.
class RunningService {
public:
    RunningService(FakeProc& proc, FakeCore& core, Service::Timing timing)
        : reader_(proc.root()),
          classifier_(load()),
          detector_(classifier_, reader_, core, ::getuid()),
          service_(detector_, core, nullptr, timing),
          stop_(::eventfd(0, EFD_CLOEXEC)),
          thread_([this] { result_ = service_.run(stop_.get()); }) {}
    ~RunningService() {
        const std::uint64_t one = 1;
        [[maybe_unused]] auto n = ::write(stop_.get(), &one, sizeof one);
        thread_.join();
    }
    bool stopped_cleanly() const { return result_.ok(); }

private:
    static std::vector<Rule> load() {
        RuleLoad rules = load_rule_dirs({gamesched::detect::testing::shipped_rules_dir()});
        return std::move(rules.rules);
    }
    ProcReader reader_;
    Classifier classifier_;
    Detector detector_;
    Service service_;
    UniqueFd stop_;
    gamesched::Status result_ = gamesched::Ok{};
    std::thread thread_;
};

FakeProcess reaper() {
    return {.pid = 100,
            .comm = "reaper",
            .exe = "/s/reaper",
            .args = {"/s/reaper", "SteamLaunch", "AppId=570", "--"}};
}
FakeProcess game(pid_t pid) {
    return {.pid = pid, .ppid = 100, .comm = "dota2", .exe = "/g/dota2", .env = {{"SteamAppId", "570"}}};
}
FakeProcess candidate(pid_t pid, bool grown) {
    FakeProcess p{.pid = pid, .comm = "game", .exe = "/g/game", .env = {{"SteamGameId", "440"}}};
    if (grown) {
        p.threads = 30;
        p.fds.push_back("/dev/dri/renderD128");
    }
    return p;
}

const Service::Timing kFast{
    .renew_interval = 50ms, .first_reconnect_delay = 20ms, .max_reconnect_delay = 100ms};

}  // namespace

TEST_CASE("Service: scan at start, exec and exit events become hints", "[service]") {
    FakeProc proc;
    proc.add(reaper());
    proc.add(game(200));
    FakeCore core;
    {
        RunningService service(proc, core, kFast);
        REQUIRE(core.wait_until([](FakeCore& c) { return c.started == std::vector<pid_t>{200}; }));

        proc.add(game(210));
        core.push_and_settle({ProcessNotice::Kind::exec, 210});
        proc.add({.pid = 220, .comm = "cc1plus", .exe = "/usr/lib/gcc/cc1plus"});
        core.push_and_settle({ProcessNotice::Kind::exec, 220});
        proc.remove(200);
        core.push_and_settle({ProcessNotice::Kind::exit, 200});
        core.push_and_settle({ProcessNotice::Kind::exit, 220});
        core.with_lock([](FakeCore& c) {
            CHECK(c.started == std::vector<pid_t>{200, 210});
            CHECK(c.exited == std::vector<pid_t>{200});
        });
        REQUIRE(service.stopped_cleanly());
    }
}

TEST_CASE("Service: the loop's own timer re-scores a candidate after exec", "[service]") {
    FakeProc proc;
    FakeCore core;
    RunningService service(proc, core, kFast);
    REQUIRE(core.wait_until([](FakeCore& c) { return c.connect_attempts > 0; }));

    proc.add(candidate(300, false));
    core.push_and_settle({ProcessNotice::Kind::exec, 300});
    core.with_lock([](FakeCore& c) { CHECK(c.started.empty()); });  // not certain at exec

    proc.add(candidate(300, true));  // it grows; no event tells the service, only its timer
    REQUIRE(core.wait_until([](FakeCore& c) { return c.started == std::vector<pid_t>{300}; }));
}

TEST_CASE("Service: leases are renewed only while games are reported", "[service]") {
    FakeProc proc;
    FakeCore core;
    RunningService service(proc, core, kFast);
    REQUIRE(core.wait_until([](FakeCore& c) { return c.connect_attempts > 0; }));
    std::this_thread::sleep_for(200ms);  // four renew intervals with no game
    core.with_lock([](FakeCore& c) { CHECK(c.renewals == 0); });

    proc.add(reaper());
    proc.add(game(400));
    core.push_and_settle({ProcessNotice::Kind::exec, 400});
    REQUIRE(core.wait_until([](FakeCore& c) { return c.renewals >= 2; }));
}

TEST_CASE("Service: with the core away it keeps state, then announces on connect", "[service]") {
    FakeProc proc;
    proc.add(reaper());
    proc.add(game(500));
    FakeCore core;
    core.with_lock([](FakeCore& c) { c.reachable = false; });
    RunningService service(proc, core, kFast);
    REQUIRE(core.wait_until([](FakeCore& c) { return c.connect_attempts >= 3; }));  // it retries
    core.with_lock([](FakeCore& c) {
        CHECK(c.started.empty());
        c.reachable = true;
    });
    REQUIRE(core.wait_until([](FakeCore& c) { return c.started == std::vector<pid_t>{500}; }));
}

TEST_CASE("Service: after a lost connection it re-announces games and reports missed exits", "[service]") {
    FakeProc proc;
    proc.add(reaper());
    proc.add(game(600));
    proc.add(game(610));
    FakeCore core;
    RunningService service(proc, core, kFast);
    REQUIRE(core.wait_until([](FakeCore& c) { return c.started.size() == 2; }));

    proc.remove(610);  // exits while we are disconnected: no event will ever say so
    core.with_lock([](FakeCore& c) {
        c.drop_connection = true;
        c.started.clear();
    });
    core.push({ProcessNotice::Kind::exec, 1});  // wakes the loop, which then finds the link dead
    REQUIRE(core.wait_until([](FakeCore& c) { return c.connect_attempts >= 2 && !c.started.empty(); }));
    core.with_lock([](FakeCore& c) {
        CHECK(c.started == std::vector<pid_t>{600});
        CHECK(c.exited == std::vector<pid_t>{610});
    });
}

TEST_CASE("Service: a game whose exit event never came is reported gone at the next renewal", "[service]") {
    FakeProc proc;
    proc.add(reaper());
    proc.add(game(700));
    FakeCore core;
    RunningService service(proc, core, kFast);
    REQUIRE(core.wait_until([](FakeCore& c) { return c.started == std::vector<pid_t>{700}; }));
    proc.remove(700);  // exits; the event is lost
    REQUIRE(core.wait_until([](FakeCore& c) { return c.exited == std::vector<pid_t>{700}; }));
}
