// A child process for tests: spawned with extra environment, stdout (and optionally stderr) read
// line by line through pipes, killed and reaped when the object goes away.
#pragma once

#include "util/result.h"
#include "util/unique_fd.h"

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace gamesched::testing {

class LineReader {
public:
    LineReader() = default;
    explicit LineReader(UniqueFd fd) : fd_(std::move(fd)) {}

    // Reads what is available without blocking; returns false once the writer closed the pipe.
    bool drain();
    [[nodiscard]] const std::vector<std::string>& lines() const { return lines_; }
    [[nodiscard]] int fd() const { return fd_.get(); }

private:
    UniqueFd fd_;
    std::string partial_;
    std::vector<std::string> lines_;
};

struct SpawnSpec {
    std::vector<std::string> argv;
    std::vector<std::string> env;  // "NAME=value" added to (or replacing in) this process's environment;
                                   // "NAME" alone removes it
    bool capture_stdout = true;
    bool capture_stderr = false;  // otherwise inherited, or sent to stderr_file
    std::string stderr_file;      // when set and not captured: appended to this file
};

class ChildProcess {
public:
    static Result<ChildProcess> spawn(const SpawnSpec& spec);

    ChildProcess(ChildProcess&& other) noexcept;
    ChildProcess& operator=(ChildProcess&&) = delete;
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
    ~ChildProcess();  // SIGTERM, then SIGKILL if it lingers, and reap

    [[nodiscard]] pid_t pid() const { return pid_; }
    LineReader& out() { return out_; }
    LineReader& err() { return err_; }

    // Waits (reading output meanwhile) until pred() holds; false on timeout.
    bool wait_for(const std::function<bool()>& pred, std::chrono::milliseconds timeout);
    // Waits for a stdout/stderr line containing needle; returns it.
    std::optional<std::string> wait_for_out(const std::string& needle, std::chrono::milliseconds timeout);
    std::optional<std::string> wait_for_err(const std::string& needle, std::chrono::milliseconds timeout);

    void signal(int sig) const;
    // The wait status once the child exited within timeout.
    std::optional<int> wait_exit(std::chrono::milliseconds timeout);
    [[nodiscard]] bool running();

private:
    ChildProcess(pid_t pid, UniqueFd out, UniqueFd err)
        : pid_(pid), out_(std::move(out)), err_(std::move(err)) {}
    void drain_all();

    pid_t pid_ = -1;
    bool reaped_ = false;
    LineReader out_;
    LineReader err_;
};

// Every environment variable of this process, with overrides applied ("NAME=value" sets, a bare
// "NAME" removes; the last override of a name wins).
std::vector<std::string> environment_with(const std::vector<std::string>& overrides);

}  // namespace gamesched::testing
