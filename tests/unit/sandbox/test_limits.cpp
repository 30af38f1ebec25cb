// prlimit64 reaches only the helper itself; other processes of the same uid are out of reach.
#include "tests/unit/sandbox/confined_child.h"

#include <catch2/catch_test_macros.hpp>

#include <sys/resource.h>

#include <cerrno>
#include <csignal>

using gamesched::sandbox::Policy;
using gamesched::sandbox::testing::in_confined_child;
using gamesched::sandbox::testing::kNobody;
using gamesched::sandbox::testing::open_files_limit_of;

TEST_CASE("prlimit64 works on the helper itself and fails with EPERM on any other pid", "[sandbox]") {
    const pid_t sibling = fork();
    if (sibling == 0) {
        if (setresgid(kNobody, kNobody, kNobody) != 0 || setresuid(kNobody, kNobody, kNobody) != 0) _exit(1);
        pause();
        _exit(0);
    }
    rlimit ours{};
    REQUIRE(getrlimit(RLIMIT_NOFILE, &ours) == 0);  // the sibling inherited it
    REQUIRE(ours.rlim_cur > 16);                    // the attempt below tries to lower it to 16
    CHECK(in_confined_child(
              Policy{},
              [sibling] {
                  rlimit limit{};
                  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1;
                  if (prlimit(0, RLIMIT_NOFILE, nullptr, &limit) != 0) return 2;
                  if (prlimit(getpid(), RLIMIT_NOFILE, nullptr, &limit) != 0) return 3;
                  rlimit lower{16, 16};
                  errno = 0;
                  if (prlimit(sibling, RLIMIT_NOFILE, &lower, nullptr) != -1 || errno != EPERM) return 4;
                  errno = 0;
                  if (prlimit(sibling, RLIMIT_NOFILE, nullptr, &limit) != -1 || errno != EPERM) return 5;
                  return 0;
              },
              kNobody) == 0);
    CHECK(open_files_limit_of(sibling) == static_cast<long>(ours.rlim_cur));
    kill(sibling, SIGKILL);
    waitpid(sibling, nullptr, 0);
}
