// Pure parts of the socket server: the hint budget and the lease table. Who may send what is the
// registry's (tests/unit/ipc/protocol_table_test.cpp).
#include "core/server/event_key.h"
#include "core/server/lease_table.h"
#include "core/server/server.h"
#include "core/server/token_bucket.h"
#include "ipc/process.h"

#include <catch2/catch_test_macros.hpp>

#include <signal.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace gamesched;
using namespace gamesched::server;
using namespace std::chrono_literals;

namespace {

struct Child {
    Child() {
        pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            pause();
            _exit(0);
        }
    }
    ~Child() {
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
    }
    pid_t pid;
};

Lease lease_for(pid_t pid, LeaseKind kind, uid_t owner, std::uint64_t connection) {
    auto pidfd = ipc::open_pidfd(pid);
    REQUIRE(pidfd.ok());
    Lease lease;
    lease.kind = kind;
    lease.pid = pid;
    lease.pidfd = std::move(*pidfd);
    lease.owner_uid = owner;
    lease.sender_uid = owner;
    lease.connection = connection;
    return lease;
}

}  // namespace

TEST_CASE("the token bucket allows a burst, then the refill rate") {
    const auto start = TokenBucket::Clock::now();
    TokenBucket bucket(10, 3, start);
    CHECK(bucket.full(start));
    CHECK(bucket.take(start));
    CHECK(bucket.take(start));
    CHECK(bucket.take(start));
    CHECK_FALSE(bucket.take(start));
    const auto next = bucket.next_token(start);
    CHECK(next > start + 99ms);
    CHECK(next <= start + 101ms);
    CHECK_FALSE(bucket.take(start + 50ms));
    CHECK(bucket.take(start + 100ms));
    CHECK_FALSE(bucket.full(start + 100ms));
    CHECK(bucket.full(start + 10s));  // never more than the burst
    CHECK(bucket.take(start + 10s));
    CHECK(bucket.take(start + 10s));
    CHECK(bucket.take(start + 10s));
    CHECK_FALSE(bucket.take(start + 10s));
}

TEST_CASE("leases: replace, quota counts, orphan, adopt, expire, exit events") {
    UniqueFd epoll(epoll_create1(EPOLL_CLOEXEC));
    REQUIRE(epoll);
    LeaseTable table(epoll.get());
    Child a, b;
    REQUIRE(table.put(lease_for(a.pid, LeaseKind::game, 1000, 1)).ok());
    REQUIRE(table.put(lease_for(b.pid, LeaseKind::game, 1000, 2)).ok());
    auto replaced = table.put(lease_for(a.pid, LeaseKind::game, 1000, 2));
    REQUIRE(replaced.ok());
    REQUIRE(replaced->has_value());
    CHECK((*replaced)->connection == 1u);
    CHECK(table.game_count() == 2);
    CHECK(table.games_owned_by(1000) == 2);
    CHECK(table.games_owned_by(0) == 0);
    REQUIRE(table.put(lease_for(b.pid, LeaseKind::focus, 1000, 1)).ok());
    CHECK(table.focus() != nullptr);
    CHECK(table.game_count() == 2);  // focus is not a game

    const auto now = Clock::now();
    table.orphan(2, now + 5s);
    CHECK(table.next_expiry() == now + 5s);
    CHECK(table.take_expired(now + 4s).empty());
    CHECK(table.adopt(0, 3) == 0);  // another uid cannot adopt
    CHECK(table.adopt(1000, 3) == 2);
    CHECK_FALSE(table.next_expiry().has_value());
    table.orphan(3, now + 1s);
    table.orphan(1, now + 2s);
    const auto expired = table.take_expired(now + 1s);
    CHECK(expired.size() == 2);
    CHECK(table.game_count() == 0);
    CHECK(table.focus() != nullptr);

    // The focus lease's pidfd is in the epoll set and reports the exit.
    const std::uint64_t focus_id = table.focus()->id;
    kill(b.pid, SIGKILL);
    epoll_event event{};
    REQUIRE(epoll_wait(epoll.get(), &event, 1, 10'000) == 1);
    CHECK(event_kind(event.data.u64) == EventKind::lease);
    CHECK(event_id(event.data.u64) == focus_id);
    CHECK(table.take(focus_id).has_value());
    CHECK(table.focus() == nullptr);
}
