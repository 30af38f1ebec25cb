// The shipped gamesched-detect binary, confined as it confines itself, tries to escape
// (--sandbox-selftest): write an autostart entry and lower the limits of another process of
// the same user. Both must fail with EPERM/EACCES and leave no trace.
#include "tests/unit/sandbox/confined_child.h"

#include <catch2/catch_test_macros.hpp>

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <csignal>
#include <filesystem>
#include <sstream>
#include <string>

namespace fs = std::filesystem;
using gamesched::sandbox::testing::kNobody;

namespace {

void become_nobody() {
    if (setresgid(kNobody, kNobody, kNobody) != 0 || setgroups(0, nullptr) != 0 ||
        setresuid(kNobody, kNobody, kNobody) != 0) {
        _exit(101);
    }
}

// Runs gamesched-detect --sandbox-selftest victim as nobody with HOME=home; returns its stdout.
std::string run_selftest(pid_t victim, const fs::path& home, int& exit_code) {
    int out[2];
    REQUIRE(pipe2(out, O_CLOEXEC) == 0);
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], STDOUT_FILENO);
        become_nobody();
        const std::string home_env = "HOME=" + home.string();
        const std::string victim_arg = std::to_string(victim);
        char* const argv[] = {const_cast<char*>(GAMESCHED_DETECT_BIN),
                              const_cast<char*>("--sandbox-selftest"), const_cast<char*>(victim_arg.c_str()),
                              nullptr};
        char* const envp[] = {const_cast<char*>(home_env.c_str()), nullptr};
        execve(GAMESCHED_DETECT_BIN, argv, envp);
        _exit(127);
    }
    close(out[1]);
    std::string text;
    char buffer[4096];
    for (ssize_t n; (n = read(out[0], buffer, sizeof buffer)) > 0;)
        text.append(buffer, static_cast<std::size_t>(n));
    close(out[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 200 + WTERMSIG(status);
    return text;
}

}  // namespace

TEST_CASE("gamesched-detect cannot write autostart entries nor touch other processes' limits",
          "[sandbox][detect]") {
    char name[] = "/tmp/gamesched-home-XXXXXX";
    const fs::path home = mkdtemp(name);
    fs::create_directories(home / ".config" / "autostart");
    REQUIRE(chown(home.c_str(), kNobody, kNobody) == 0);
    REQUIRE(chown((home / ".config").c_str(), kNobody, kNobody) == 0);
    REQUIRE(chown((home / ".config" / "autostart").c_str(), kNobody, kNobody) == 0);

    const pid_t victim = fork();
    if (victim == 0) {
        become_nobody();
        pause();
        _exit(0);
    }
    rlimit ours{};
    REQUIRE(getrlimit(RLIMIT_NOFILE, &ours) == 0);  // the victim inherited it
    REQUIRE(ours.rlim_cur > 16);

    int exit_code = -1;
    const std::string output = run_selftest(victim, home, exit_code);
    INFO(output);
    CHECK(exit_code == 0);
    std::istringstream lines(output);
    int attempts = 0;
    for (std::string line; std::getline(lines, line);) {
        const auto record = nlohmann::json::parse(line);
        const std::string attempt = record.at("attempt");
        const std::string result = record.at("result");
        INFO(attempt);
        CHECK((result == "EPERM" || result == "EACCES"));
        ++attempts;
    }
    CHECK(attempts == 4);  // mkdir, write, prlimit, kill
    CHECK_FALSE(fs::exists(home / ".config" / "autostart" / "x.desktop"));
    CHECK(gamesched::sandbox::testing::open_files_limit_of(victim) == static_cast<long>(ours.rlim_cur));

    kill(victim, SIGKILL);
    waitpid(victim, nullptr, 0);
    fs::remove_all(home);
}
