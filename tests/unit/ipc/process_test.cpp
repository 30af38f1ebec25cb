// Peer credentials and pidfd-anchored process identity, against real processes.
#include "ipc/process.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <thread>

using namespace gamesched::ipc;
using Catch::Matchers::ContainsSubstring;

namespace {

constexpr std::string_view kStatusFixture =
    "Name:\tbash\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t4242\nNgid:\t0\nPid:\t4242\n"
    "PPid:\t1\nTracerPid:\t0\nUid:\t1000\t1001\t1002\t1003\nGid:\t100\t101\t102\t103\n"
    "FDSize:\t256\nGroups:\t4 24 27 1000 \nNStgid:\t4242\t17\nNSpid:\t4242\t17\n";

pid_t fork_sleeper() {
    const pid_t child = fork();
    if (child == 0) {
        pause();
        _exit(0);
    }
    REQUIRE(child > 0);
    return child;
}

}  // namespace

TEST_CASE("/proc/<pid>/status identity lines are parsed") {
    auto status = parse_process_status(kStatusFixture);
    REQUIRE(status.ok());
    CHECK(status->name == "bash");
    CHECK(status->tgid == 4242);
    CHECK(status->real_uid == 1000);
    CHECK(status->effective_uid == 1001);
    CHECK(status->real_gid == 100);
    CHECK(status->effective_gid == 101);
    CHECK(status->groups == std::vector<gid_t>{4, 24, 27, 1000});
    CHECK(status->namespace_pids == std::vector<pid_t>{4242, 17});
}

TEST_CASE("malformed status text is refused") {
    CHECK_FALSE(parse_process_status("").ok());
    CHECK_FALSE(parse_process_status("Tgid:\t1\nGid:\t0\t0\t0\t0\n").ok());                 // no Uid
    CHECK_FALSE(parse_process_status("Tgid:\t1\nUid:\t0\t0\t0\nGid:\t0\t0\t0\t0\n").ok());  // 3 uids
    CHECK_FALSE(parse_process_status("Tgid:\tx\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n").ok());
    CHECK_FALSE(parse_process_status("Tgid:\t1\nUid:\t-1\t0\t0\t0\nGid:\t0\t0\t0\t0\n").ok());
    CHECK_FALSE(parse_process_status("Tgid:\t1\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nNSpid:\t\n").ok());
    CHECK_FALSE(parse_process_status("Tgid:\t1\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nNSpid:\t1 x\n").ok());
}

TEST_CASE("our own process verifies through its pidfd") {
    auto self = open_verified_process(getpid());
    REQUIRE(self.ok());
    CHECK(self->status.tgid == getpid());
    CHECK(self->status.real_uid == getuid());
    CHECK(self->status.effective_uid == geteuid());
    auto same = same_pid_namespace(self->status);
    REQUIRE(same.ok());
    CHECK(*same);
}

TEST_CASE("a process one PID namespace further down is in another namespace") {
    auto self = open_verified_process(getpid());
    REQUIRE(self.ok());
    ProcessStatus nested = self->status;
    nested.namespace_pids.push_back(1);
    auto same = same_pid_namespace(nested);
    REQUIRE(same.ok());
    CHECK_FALSE(*same);
}

TEST_CASE("a thread id is refused with advice to send the process id") {
    std::atomic<pid_t> tid{0};
    std::atomic<bool> done{false};
    std::thread worker([&] {
        tid = gettid();
        while (!done) std::this_thread::yield();
    });
    while (tid == 0) std::this_thread::yield();
    auto pidfd = open_pidfd(tid);
    done = true;
    worker.join();
    REQUIRE_FALSE(pidfd.ok());
    CHECK_THAT(pidfd.error().message, ContainsSubstring("thread"));
}

TEST_CASE("an exited process is refused, zombie or reaped") {
    const pid_t child = fork_sleeper();
    auto pidfd = open_pidfd(child);
    REQUIRE(pidfd.ok());
    auto alive = pidfd_alive(pidfd->get());
    REQUIRE(alive.ok());
    CHECK(*alive);

    REQUIRE(kill(child, SIGKILL) == 0);
    pollfd exited{pidfd->get(), POLLIN, 0};
    REQUIRE(poll(&exited, 1, 10000) == 1);  // a pidfd polls readable when its process exits
    auto zombie = pidfd_alive(pidfd->get());
    REQUIRE(zombie.ok());
    CHECK_FALSE(*zombie);
    auto status = read_status_via_pidfd(pidfd->get(), child);
    REQUIRE_FALSE(status.ok());
    CHECK_THAT(status.error().message, ContainsSubstring("exited"));

    REQUIRE(waitpid(child, nullptr, 0) == child);
    auto reaped = pidfd_alive(pidfd->get());
    REQUIRE(reaped.ok());
    CHECK_FALSE(*reaped);
    auto gone = open_pidfd(child);
    REQUIRE_FALSE(gone.ok());
    CHECK(gone.error().code == ESRCH);
    CHECK_THAT(gone.error().message, ContainsSubstring("no process with pid"));
}

TEST_CASE("socket peers are identified by SO_PEERCRED and a pidfd") {
    int pair[2];
    REQUIRE(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) == 0);
    gamesched::UniqueFd a(pair[0]), b(pair[1]);
    auto cred = peer_credentials(a.get());
    REQUIRE(cred.ok());
    CHECK(cred->pid == getpid());
    CHECK(cred->uid == getuid());
    CHECK(cred->gid == getgid());
    auto pidfd = peer_pidfd(a.get(), cred->pid);
    REQUIRE(pidfd.ok());
    auto status = read_status_via_pidfd(pidfd->get(), cred->pid);
    REQUIRE(status.ok());
    CHECK(status->tgid == getpid());
}
