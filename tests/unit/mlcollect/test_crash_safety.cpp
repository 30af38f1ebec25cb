// The sample store under the two failures a collector meets in the field: being killed at any
// moment (SIGKILL while appending, 100 times) and a full disk (a tiny tmpfs). Both must leave
// every record whose append had completed readable, and a full disk must be reported once.
#include <catch2/catch_test_macros.hpp>

#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <set>

#include "helpers/mlcollect/sample_store.h"
#include "tests/unit/mlcollect/temp_dir.h"

namespace ml = gamesched::ml;
namespace fs = std::filesystem;

namespace {

// Records of very different sizes, some spanning many pages: a write(2) interrupted between two
// pages is how a real kill tears a line.
nlohmann::json padded_record(int seq, std::mt19937& rng) {
    const auto pad = std::uniform_int_distribution<size_t>(16, 24000)(rng);
    return {{"schema", 1}, {"seq", seq}, {"pad_len", pad}, {"pad", std::string(pad, 'x')}};
}

// The child: appends through the collector's store as fast as it can and reports each
// completed append on the pipe, until it is killed.
[[noreturn]] void append_until_killed(const fs::path& dir, int first_seq, int report_fd) {
    std::mt19937 rng(static_cast<unsigned>(first_seq));
    ml::SampleStore store(dir, {.max_bytes = 1 << 20, .keep_rotated = 10000}, [](auto, const auto&) {});
    for (int seq = first_seq;; ++seq) {
        if (!store.append("crash-game", padded_record(seq, rng))) _exit(3);
        if (write(report_fd, &seq, sizeof seq) != sizeof seq) _exit(4);
        usleep(std::uniform_int_distribution<unsigned>(0, 300)(rng));
    }
}

bool ends_with_newline(const fs::path& file) {
    std::ifstream in(file, std::ios::binary | std::ios::ate);
    if (!in || in.tellg() == 0) return true;
    in.seekg(-1, std::ios::end);
    return in.get() == '\n';
}

}  // namespace

TEST_CASE("kill -9 at 100 random moments during appends loses no completed record") {
    TempDir dir;
    std::mt19937 rng(20240613);
    std::set<int> completed;
    int torn_seen = 0;
    for (int round = 0; round < 100; ++round) {
        if (fs::exists(dir.path() / "crash-game.jsonl") &&
            !ends_with_newline(dir.path() / "crash-game.jsonl"))
            ++torn_seen;
        int fds[2];
        REQUIRE(pipe2(fds, O_CLOEXEC) == 0);
        const pid_t child = fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            close(fds[0]);
            append_until_killed(dir.path(), round * 1'000'000, fds[1]);
        }
        close(fds[1]);
        usleep(std::uniform_int_distribution<unsigned>(2000, 40000)(rng));
        kill(child, SIGKILL);
        int status = 0;
        REQUIRE(waitpid(child, &status, 0) == child);
        REQUIRE(WIFSIGNALED(status));  // it was appending, not failing, when killed
        int seq = 0;
        while (read(fds[0], &seq, sizeof seq) == sizeof seq) completed.insert(seq);
        close(fds[0]);
    }
    INFO(completed.size() << " completed appends; " << torn_seen << " kills left a torn last line");
    REQUIRE(completed.size() >= 100);

    auto out = ml::read_log(dir.path(), "crash-game");
    REQUIRE(out);
    CHECK(out->bad_lines == 0);
    std::set<int> read_back;
    for (const auto& r : out->records) {
        // Every record read is whole: its padding has the length it was written with.
        REQUIRE(r.at("pad").get<std::string>().size() == r.at("pad_len").get<size_t>());
        CHECK(read_back.insert(r.at("seq").get<int>()).second);  // no duplicates
    }
    for (int seq : completed) {
        INFO("completed record " << seq);
        CHECK(read_back.count(seq) == 1);
    }
    // At most one record per kill may be on disk without having been reported (killed between
    // the append and the report).
    CHECK(read_back.size() <= completed.size() + 100);
}

namespace {

// In the child: a private mount namespace (a user namespace too when not root) with a 64 KiB
// tmpfs, so the test needs no privilege and leaves no mount behind.
std::string enter_private_mounts() {
    if (unshare(CLONE_NEWNS) != 0) {
        const uid_t uid = getuid();
        const gid_t gid = getgid();
        if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
            return "unshare: user and mount namespaces unavailable";
        std::ofstream("/proc/self/setgroups") << "deny";
        std::ofstream("/proc/self/uid_map") << "0 " << uid << " 1";
        std::ofstream("/proc/self/gid_map") << "0 " << gid << " 1";
    }
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        return "making mounts private failed";
    return {};
}

// Returns an empty string on success, else what went wrong.
std::string fill_tiny_tmpfs(const fs::path& mountpoint) {
    if (auto err = enter_private_mounts(); !err.empty()) return err;
    if (mount("tmpfs", mountpoint.c_str(), "tmpfs", 0, "size=64k") != 0) return "mounting a 64k tmpfs failed";
    std::vector<std::pair<ml::StoreEvent, std::string>> events;
    ml::SampleStore store(mountpoint, {},
                          [&](ml::StoreEvent e, const std::string& m) { events.emplace_back(e, m); });
    std::mt19937 rng(7);
    std::set<int> stored;
    int failures = 0;
    for (int seq = 0; seq < 2000 && failures < 20; ++seq) {
        const auto size = std::uniform_int_distribution<size_t>(100, 3000)(rng);
        nlohmann::json r = {{"schema", 1}, {"seq", seq}, {"pad_len", size}, {"pad", std::string(size, 'y')}};
        if (store.append("full-game", r))
            stored.insert(seq);
        else
            ++failures;
    }
    if (failures == 0) return "the 64k tmpfs never filled up";
    if (stored.size() < 10) return "too few records before the disk was full";
    if (events.size() != 1) return "expected exactly one report, got " + std::to_string(events.size());
    if (events[0].first != ml::StoreEvent::failing || events[0].second.find("is full") == std::string::npos ||
        events[0].second.find("No space left") == std::string::npos)
        return "the report does not say the disk is full: " + events[0].second;
    auto out = ml::read_log(mountpoint, "full-game");
    if (!out) return out.error().message;
    if (out->torn_tail_bytes != 0 || out->bad_lines != 0) return "the file holds a partial record";
    std::set<int> read_back;
    for (const auto& r : out->records) {
        if (r.at("pad").get<std::string>().size() != r.at("pad_len").get<size_t>()) return "a damaged record";
        read_back.insert(r.at("seq").get<int>());
    }
    if (read_back != stored) return "records stored before the disk filled are not all readable";
    std::printf("%zu records stored, %d refused, report: %s\n", stored.size(), failures,
                events[0].second.c_str());
    return {};
}

}  // namespace

TEST_CASE("a full filesystem loses no earlier record and is reported once") {
    TempDir dir;
    int fds[2];
    REQUIRE(pipe2(fds, O_CLOEXEC) == 0);
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        close(fds[0]);
        const std::string err = fill_tiny_tmpfs(dir.path());
        (void)!write(fds[1], err.data(), err.size());
        _exit(err.empty() ? 0 : 1);
    }
    close(fds[1]);
    std::string err;
    char buf[512];
    for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) err.append(buf, static_cast<size_t>(n));
    close(fds[0]);
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    INFO(err);
    CHECK(err.empty());
    CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
}
