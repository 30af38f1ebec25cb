// helpers/common/sandbox: each check runs in a forked child, since confinement is irreversible.
#include "helpers/common/sandbox.h"

#include <catch2/catch_test_macros.hpp>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <functional>
#include <string>

using gamesched::sandbox::confine;
using gamesched::sandbox::Policy;

namespace {

// Runs body in a confined child; returns its exit code (0 = every expectation held, otherwise
// the number of the first failed expectation; 100 = confine() itself failed).
int in_confined_child(const Policy& policy, const std::function<int()>& body) {
    const pid_t pid = fork();
    if (pid == 0) {
        if (!confine(policy)) _exit(100);
        _exit(body());
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 200 + WTERMSIG(status);
}

std::string status_field(const std::string& name) {
    std::ifstream in("/proc/self/status");
    for (std::string line; std::getline(in, line);) {
        if (line.starts_with(name + ":")) return line.substr(line.find_first_not_of(" \t", name.size() + 1));
    }
    return {};
}

}  // namespace

TEST_CASE("no_new_privs and a seccomp filter are in force", "[sandbox]") {
    CHECK(in_confined_child({}, [] {
              if (status_field("NoNewPrivs") != "1") return 1;
              if (status_field("Seccomp") != "2") return 2;
              return 0;
          }) == 0);
}

TEST_CASE("only AF_UNIX sockets can be created", "[sandbox]") {
    CHECK(in_confined_child({}, [] {
              const int unix_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
              if (unix_fd < 0) return 1;
              close(unix_fd);
              errno = 0;
              if (socket(AF_INET, SOCK_STREAM, 0) != -1 || errno != EAFNOSUPPORT) return 2;
              errno = 0;
              if (socket(AF_INET6, SOCK_DGRAM, 0) != -1 || errno != EAFNOSUPPORT) return 3;
              errno = 0;
              if (socket(AF_NETLINK, SOCK_RAW, 0) != -1 || errno != EAFNOSUPPORT) return 4;
              int pair[2];
              if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0) return 5;
              return 0;
          }) == 0);
}

TEST_CASE("exec, fork and signalling others fail with EPERM", "[sandbox]") {
    const pid_t parent = getpid();
    CHECK(in_confined_child({}, [parent] {
              char* const argv[] = {const_cast<char*>("/bin/true"), nullptr};
              errno = 0;
              if (execv("/bin/true", argv) != -1 || errno != EPERM) return 1;
              errno = 0;
              if (fork() != -1 || errno != EPERM) return 2;
              errno = 0;
              if (kill(parent, 0) != -1 || errno != EPERM) return 3;
              if (kill(getpid(), 0) != 0) return 4;  // itself: allowed
              return 0;
          }) == 0);
}

TEST_CASE("files, pipes and time still work", "[sandbox]") {
    CHECK(in_confined_child({}, [] {
              const int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
              if (fd < 0) return 1;
              char buf[16];
              if (read(fd, buf, sizeof buf) <= 0) return 2;
              close(fd);
              int p[2];
              if (pipe2(p, O_CLOEXEC) != 0) return 3;
              timespec ts{};
              if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 4;
              return 0;
          }) == 0);
}

TEST_CASE("a helper can add syscalls it needs; unknown names are refused", "[sandbox]") {
    const auto uses_getpriority = [] {
        errno = 0;
        const int prio = getpriority(PRIO_PROCESS, 0);
        return prio == -1 && errno == EPERM ? 1 : 0;
    };
    CHECK(in_confined_child({}, uses_getpriority) == 1);
    CHECK(in_confined_child(Policy{.extra_syscalls = {"getpriority"}, .filesystem = {}, .read_only = false},
                            uses_getpriority) == 0);
    // A name the base list has already is fine.
    CHECK(in_confined_child(Policy{.extra_syscalls = {"read"}, .filesystem = {}, .read_only = false},
                            [] { return 0; }) == 0);

    const pid_t pid = fork();
    if (pid == 0) {
        auto status =
            confine(Policy{.extra_syscalls = {"no_such_call"}, .filesystem = {}, .read_only = false});
        _exit(!status && status.error().message.find("no_such_call") != std::string::npos ? 0 : 1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}
